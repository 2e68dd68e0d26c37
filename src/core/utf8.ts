/**
 * A portable UTF-8 codec on Uint8Array, for hosts without TextEncoder (XS on a device).
 * It reads strings with `codePointAt` and steps over astral characters by however many
 * units the engine uses for them, so it is right both where strings are UTF-16 (Node)
 * and where they are indexed by code point (XS on a device).
 */
import type { Utf8Codec } from "../host.js";
import { AimDbError } from "./errors.js";

/**
 * String units an astral code point occupies: 2 where strings are UTF-16 (Node, xsnap),
 * 1 where they are indexed by code point (XS on a device). Computed once, never changed.
 */
const ASTRAL_STEP = "\u{1F600}".length;

function encodedLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    if (cp < 0x80) {
      n += 1;
      i += 1;
    } else if (cp < 0x800) {
      n += 2;
      i += 1;
    } else if (cp < 0x10000) {
      n += 3;
      i += 1;
    } else {
      n += 4;
      i += ASTRAL_STEP;
    }
  }
  return n;
}

/** Encodes a string as UTF-8. Lone surrogates become U+FFFD, as TextEncoder does. */
export function utf8Encode(text: string): Uint8Array {
  const out = new Uint8Array(encodedLength(text));
  let o = 0;
  for (let i = 0; i < text.length; ) {
    let cp = text.codePointAt(i)!;
    i += cp > 0xffff ? ASTRAL_STEP : 1;
    if (cp < 0x80) {
      out[o++] = cp;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x800) {
      out[o++] = 0xc0 | (cp >> 6);
      out[o++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      out[o++] = 0xe0 | (cp >> 12);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
    } else {
      out[o++] = 0xf0 | (cp >> 18);
      out[o++] = 0x80 | ((cp >> 12) & 0x3f);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
    }
  }
  return out;
}

/** Code points converted per `String.fromCodePoint` call: one call per chunk, not per character. */
const CHUNK = 1024;

/** Decodes strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF); throws `BAD_UTF8`. */
export function utf8Decode(bytes: Uint8Array): string {
  let out = "";
  const n = bytes.length;
  const points: number[] = [];
  let i = 0;
  while (i < n) {
    const b0 = bytes[i]!;
    let cp: number;
    let need: number;
    let min: number;
    if (b0 < 0x80) {
      cp = b0;
      need = 0;
      min = 0;
    } else if ((b0 & 0xe0) === 0xc0) {
      cp = b0 & 0x1f;
      need = 1;
      min = 0x80;
    } else if ((b0 & 0xf0) === 0xe0) {
      cp = b0 & 0x0f;
      need = 2;
      min = 0x800;
    } else if ((b0 & 0xf8) === 0xf0) {
      cp = b0 & 0x07;
      need = 3;
      min = 0x10000;
    } else throw badUtf8(i);
    if (i + need >= n && need > 0) throw badUtf8(i); // truncated sequence
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) throw badUtf8(i + k);
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw badUtf8(i);
    points.push(cp);
    if (points.length === CHUNK) {
      out += String.fromCodePoint.apply(null, points);
      points.length = 0;
    }
    i += need + 1;
  }
  return points.length > 0 ? out + String.fromCodePoint.apply(null, points) : out;
}

function badUtf8(offset: number): AimDbError {
  return new AimDbError("BAD_UTF8", `malformed UTF-8 at byte ${offset}`);
}

/** The portable codec as a Host `utf8` member. */
export const portableUtf8: Utf8Codec = Object.freeze({ encode: utf8Encode, decode: utf8Decode });
