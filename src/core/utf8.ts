/**
 * A portable UTF-8 codec on Uint8Array, for hosts without TextEncoder (XS on a device).
 * It iterates strings by code point with `for…of`, which behaves the same on engines
 * that index strings by UTF-16 unit (Node) and by code point (XS on a device).
 */
import type { Utf8Codec } from "../host.js";
import { AimDbError } from "./errors.js";

function encodedLength(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Encodes a string as UTF-8. Lone surrogates become U+FFFD, as TextEncoder does. */
export function utf8Encode(text: string): Uint8Array {
  const out = new Uint8Array(encodedLength(text));
  let i = 0;
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out[i++] = cp;
    else if (cp < 0x800) {
      out[i++] = 0xc0 | (cp >> 6);
      out[i++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      out[i++] = 0xe0 | (cp >> 12);
      out[i++] = 0x80 | ((cp >> 6) & 0x3f);
      out[i++] = 0x80 | (cp & 0x3f);
    } else {
      out[i++] = 0xf0 | (cp >> 18);
      out[i++] = 0x80 | ((cp >> 12) & 0x3f);
      out[i++] = 0x80 | ((cp >> 6) & 0x3f);
      out[i++] = 0x80 | (cp & 0x3f);
    }
  }
  return out;
}

/** Decodes strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF); throws `BAD_UTF8`. */
export function utf8Decode(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b0 = bytes[i]!;
    let cp: number;
    let need: number;
    let min: number;
    if (b0 < 0x80) { out += String.fromCharCode(b0); i++; continue; }
    else if ((b0 & 0xe0) === 0xc0) { cp = b0 & 0x1f; need = 1; min = 0x80; }
    else if ((b0 & 0xf0) === 0xe0) { cp = b0 & 0x0f; need = 2; min = 0x800; }
    else if ((b0 & 0xf8) === 0xf0) { cp = b0 & 0x07; need = 3; min = 0x10000; }
    else throw badUtf8(i);
    if (i + need >= n) throw badUtf8(i); // truncated sequence
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) throw badUtf8(i + k);
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw badUtf8(i);
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

function badUtf8(offset: number): AimDbError {
  return new AimDbError("BAD_UTF8", `malformed UTF-8 at byte ${offset}`);
}

/** The portable codec as a Host `utf8` member. */
export const portableUtf8: Utf8Codec = Object.freeze({ encode: utf8Encode, decode: utf8Decode });
