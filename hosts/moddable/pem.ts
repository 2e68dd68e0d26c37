/**
 * PEM to DER for Moddable's TLS session, which takes certificates and keys as DER
 * bytes. The Host's TLS options accept PEM text or DER bytes; a device has no `atob`.
 */
import { AimDbError } from "../../src/core/errors.js";

/** DER bytes of a PEM text (the first block), or a copy of DER bytes given as such. */
export function derBytes(value: string | Uint8Array): ArrayBuffer {
  if (typeof value !== "string") return value.slice().buffer as ArrayBuffer;
  const begin = value.indexOf("-----BEGIN");
  if (begin < 0) throw new AimDbError("HOST_BAD_PEM", "TLS option is neither PEM text nor DER bytes");
  const bodyStart = value.indexOf("\n", begin) + 1;
  const end = value.indexOf("-----END", bodyStart);
  if (bodyStart <= 0 || end < 0) throw new AimDbError("HOST_BAD_PEM", "PEM block without an END line");
  return base64Decode(value, bodyStart, end);
}

/** Value of one base64 digit, -1 for whitespace and padding, -2 for anything else. */
function digit(c: number): number {
  if (c >= 65 && c <= 90) return c - 65; // A-Z
  if (c >= 97 && c <= 122) return c - 71; // a-z
  if (c >= 48 && c <= 57) return c + 4; // 0-9
  if (c === 43) return 62; // +
  if (c === 47) return 63; // /
  if (c === 61 || c === 10 || c === 13 || c === 32 || c === 9) return -1;
  return -2;
}

function base64Decode(text: string, from: number, to: number): ArrayBuffer {
  let digits = 0;
  for (let i = from; i < to; i++) {
    const d = digit(text.charCodeAt(i));
    if (d === -2) throw new AimDbError("HOST_BAD_PEM", "PEM body is not base64");
    if (d >= 0) digits++;
  }
  const out = new Uint8Array((digits * 6) >> 3);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = from; i < to; i++) {
    const d = digit(text.charCodeAt(i));
    if (d < 0) continue;
    acc = ((acc << 6) | d) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.buffer;
}
