/**
 * The two float formats of the datapoint types (KNX 3.7.2).
 *
 * DPT 9.x, the 2-octet KNX float: `MEEEEMMM MMMMMMMM`, value = 0.01 × M × 2^E, with M a
 * 12-bit two's complement mantissa (the sign bit M and 11 bits) in [-2048, 2047] and E in
 * [0, 15]. The encoder takes the smallest exponent whose rounded mantissa fits, rounding
 * half away from zero so that v and -v encode symmetrically. 7FFFh "shall always be used
 * to denote invalid data" (3.7.2, DPT 9): it decodes as NaN, NaN encodes as 7FFFh, and
 * the values that would round to it (above 670 597.12, up to the nominal 670 760.96)
 * are refused rather than sent as "invalid".
 *
 * DPT 14.x: IEEE 754 single precision, big-endian.
 */

/** Smallest and largest 9.x values: -2048 × 2^15 / 100 and 2047 × 2^15 / 100. */
export const F16_MIN = -671088.64;
export const F16_MAX = 670760.96;
/** The largest 9.x value that is not 7FFFh: 2046 × 2^15 / 100. */
export const F16_LARGEST = 670433.28;
/** 9.x "invalid data". */
export const F16_INVALID = 0x7fff;

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * The 16-bit 9.x code of `v`; -1 when `v` is not a number in range, -2 when it would
 * encode as 7FFFh.
 */
export function encodeF16(v: unknown): number {
  if (typeof v !== "number") return -1;
  if (Number.isNaN(v)) return F16_INVALID;
  if (!(v >= F16_MIN && v <= F16_MAX)) return -1;
  const hundredths = v * 100;
  let e = 0;
  let m = roundHalfAway(hundredths);
  while (m < -2048 || m > 2047) m = roundHalfAway(hundredths / 2 ** ++e); // e ≤ 15 within the range
  const raw = (m < 0 ? 0x8000 : 0) | (e << 11) | (m & 0x7ff);
  return raw === F16_INVALID ? -2 : raw;
}

export function decodeF16(raw: number): number {
  if (raw === F16_INVALID) return NaN;
  const m = (raw & 0x7ff) - (raw & 0x8000 ? 2048 : 0);
  // m × 2^E is an exact integer; one division by 100 gives the nearest double to the decimal.
  return (m * 2 ** ((raw >> 11) & 15)) / 100;
}

/** Writes `v` as a float32 into `out[0..3]`; false when it is not a finite float32. */
export function encodeF32(v: unknown, out: Uint8Array): boolean {
  if (typeof v !== "number" || !Number.isFinite(Math.fround(v))) return false;
  new DataView(out.buffer, out.byteOffset, 4).setFloat32(0, v);
  return true;
}

export function decodeF32(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset, 4).getFloat32(0);
}
