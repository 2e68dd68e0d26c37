/**
 * The compact binary codec (see docs/contracts.md for the byte layout).
 *
 *   magic 0xC1 | flags | schemaId u32 | version u16 | envelope? | presence bitmap | fields
 *
 * Little-endian throughout. 0xC1 can never start UTF-8 text, so it can never be `{` or
 * whitespace, and `decode` tells the two formats apart from the first byte.
 *
 * The encoder checks every value and works out the exact length first, then fills one
 * Uint8Array. The decoder trusts nothing: each read checks the bytes left before it
 * touches them (a declared length is compared with what remains before anything is
 * allocated), reserved bits must be zero, booleans must be 0 or 1, lengths must use
 * their shortest varint, and bytes left over are an error. A payload therefore has one
 * encoding, and decoding then re-encoding a valid payload gives back the same bytes
 * (NaN payload bits aside).
 */
import { utf8Decode, utf8Encode } from "../core/utf8.js";
import {
  BAD_FIELD, BAD_FLAGS, BAD_LENGTH, BAD_UTF8, checkField, checkIssuedAt, checkScalar, checkSender, checkSeq, contractError,
  isRecord, MAX_LENGTH, missing, notObject, SIZES, tooLong, TRAILING, TRUNCATED, WRONG_SCHEMA, wrong,
  T_BOOL, T_BYTES, T_F32, T_F32N, T_F64, T_F64N, T_I16, T_I32, T_I8, T_STRING, T_U16, T_U32, T_U64, T_U8,
  type Envelope, type Field,
} from "./fields.js";
import { pickLayout, upgrade, type Core } from "./versions.js";

/** First byte of every binary payload (format 1). Never valid as the first byte of UTF-8. */
export const MAGIC = 0xc1;
/** magic, flags, schemaId u32, version u16. */
export const HEADER_SIZE = 8;
/** Flags: which envelope fields follow the header. The other bits are reserved (zero). */
export const F_SENDER = 0x01;
export const F_SEQ = 0x02;
export const F_ISSUED_AT = 0x04;
const F_RESERVED = 0xf8;

const TWO_32 = 4294967296;

/** Bytes of the LEB128 varint holding `n` (n ≤ MAX_LENGTH). */
function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
}

function writeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[pos++] = n;
  return pos;
}

function writeScalar(out: Uint8Array, dv: DataView, pos: number, type: number, v: number | boolean): number {
  switch (type) {
    case T_BOOL: out[pos] = v ? 1 : 0; break;
    case T_U8: out[pos] = v as number; break;
    case T_I8: dv.setInt8(pos, v as number); break;
    case T_U16: dv.setUint16(pos, v as number, true); break;
    case T_I16: dv.setInt16(pos, v as number, true); break;
    case T_U32: dv.setUint32(pos, v as number, true); break;
    case T_I32: dv.setInt32(pos, v as number, true); break;
    case T_U64: {
      const lo = (v as number) % TWO_32;
      dv.setUint32(pos, lo, true);
      dv.setUint32(pos + 4, ((v as number) - lo) / TWO_32, true);
      break;
    }
    case T_F32: case T_F32N:
      // NaN bits are left to the engine by setFloat32; write the quiet NaN so every engine agrees.
      if (v !== v) dv.setUint32(pos, 0x7fc00000, true);
      else dv.setFloat32(pos, v as number, true);
      break;
    default:
      if (v !== v) {
        dv.setUint32(pos, 0, true);
        dv.setUint32(pos + 4, 0x7ff80000, true);
      } else {
        dv.setFloat64(pos, v as number, true);
      }
  }
  return pos + SIZES[type]!;
}

/** Encodes `value` (and the envelope, if the contract carries one) as a binary payload. */
export function encodeBinary(c: Core, value: unknown, env: Envelope | undefined): Uint8Array {
  const l = c.layout;
  if (!isRecord(value)) throw notObject(l.label, value);
  const fields = l.fields;
  const n = fields.length;
  const bitmapSize = (l.optionals + 7) >> 3;
  let size = HEADER_SIZE + bitmapSize;
  let flags = 0;
  let sender: Uint8Array | undefined;
  let seq = 0;
  let issuedAt = 0;
  if (c.envelope && env != null) {
    if (env.sender != null) {
      sender = utf8Encode(checkSender(l.label, env.sender));
      size += varintSize(sender.length) + sender.length;
      flags |= F_SENDER;
    }
    if (env.seq != null) {
      seq = checkSeq(l.label, env.seq);
      size += 4;
      flags |= F_SEQ;
    }
    if (env.issuedAt != null) {
      issuedAt = checkIssuedAt(l.label, env.issuedAt);
      size += 8;
      flags |= F_ISSUED_AT;
    }
  }
  // Pass 1: check every value and add up the length. Checked values are kept, so a
  // getter cannot hand the second pass something else.
  const vals: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const f = fields[i]!;
    const raw = value[f.name];
    if (raw == null) {
      if (f.bit < 0) throw missing(l.label, f.name);
      continue;
    }
    if (f.type === T_STRING) {
      if (typeof raw !== "string") throw wrong(l.label, f.name, "string", raw);
      const b = utf8Encode(raw);
      if (b.length > MAX_LENGTH) throw tooLong(l.label, f.name);
      vals[i] = b;
      size += varintSize(b.length) + b.length;
    } else if (f.count === 0 && f.type !== T_BYTES) {
      vals[i] = checkScalar(l.label, f.name, f.type, raw);
      size += SIZES[f.type]!;
    } else {
      const v = checkField(l.label, f, raw);
      vals[i] = v;
      if (f.type === T_BYTES) size += varintSize((v as Uint8Array).length) + (v as Uint8Array).length;
      else size += SIZES[f.type]! * f.count;
    }
  }
  // Pass 2: fill.
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out[0] = MAGIC;
  out[1] = flags;
  dv.setUint32(2, l.schemaId, true);
  dv.setUint16(6, l.version, true);
  let pos = HEADER_SIZE;
  if (sender !== undefined) {
    pos = writeVarint(out, pos, sender.length);
    out.set(sender, pos);
    pos += sender.length;
  }
  if (flags & F_SEQ) pos = writeScalar(out, dv, pos, T_U32, seq);
  if (flags & F_ISSUED_AT) pos = writeScalar(out, dv, pos, T_U64, issuedAt);
  const bitmap = pos;
  pos += bitmapSize;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (v === undefined) continue;
    const f = fields[i]!;
    if (f.bit >= 0) out[bitmap + (f.bit >> 3)]! |= 1 << (f.bit & 7);
    if (f.count > 0) {
      for (let k = 0; k < f.count; k++) pos = writeScalar(out, dv, pos, f.type, (v as (number | boolean)[])[k]!);
    } else if (f.type === T_STRING || f.type === T_BYTES) {
      const b = v as Uint8Array;
      pos = writeVarint(out, pos, b.length);
      out.set(b, pos);
      pos += b.length;
    } else {
      pos = writeScalar(out, dv, pos, f.type, v as number | boolean);
    }
  }
  return out;
}

/** Decoder position over one payload; made per call, never shared. */
interface Reader {
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  readonly label: string;
  pos: number;
}

/**
 * What a read is about, for messages. `what` is a field name (an identifier) or a header
 * part ("the header", "envelope.seq"); messages are only built when something fails.
 */
function subject(what: string): string {
  return what.indexOf(".") >= 0 || what.indexOf(" ") >= 0 ? what : `field "${what}"`;
}

/** Throws `CONTRACT_TRUNCATED` unless `n` more bytes are there. */
function need(r: Reader, n: number, what: string): void {
  if (r.bytes.length - r.pos < n) {
    throw contractError(TRUNCATED, r.label, `${subject(what)} needs ${n} bytes at offset ${r.pos}`);
  }
}

/** A LEB128 length: at most 3 bytes, at most MAX_LENGTH, shortest form only. */
function readLength(r: Reader, what: string): number {
  let n = 0;
  for (let i = 0; i < 3; i++) {
    need(r, 1, what);
    const b = r.bytes[r.pos++]!;
    n |= (b & 0x7f) << (7 * i);
    // Shortest form only, and at most MAX_LENGTH.
    if (b < 0x80 && !(i > 0 && b === 0) && n <= MAX_LENGTH) return n;
    if (b < 0x80) break;
  }
  throw contractError(BAD_LENGTH, r.label, `${subject(what)} has a bad length`);
}

/** Length-prefixed bytes, as a view into the payload. */
function readChunk(r: Reader, what: string): Uint8Array {
  const n = readLength(r, what);
  need(r, n, what);
  const b = r.bytes.subarray(r.pos, r.pos + n);
  r.pos += n;
  return b;
}

function readString(r: Reader, what: string): string {
  const b = readChunk(r, what);
  try {
    return utf8Decode(b);
  } catch {
    throw contractError(BAD_UTF8, r.label, `${subject(what)} is not UTF-8`);
  }
}

/** A scalar whose bytes `need` has already checked. */
function readScalar(r: Reader, type: number, what: string): number | boolean {
  const { bytes, dv, pos } = r;
  r.pos = pos + SIZES[type]!;
  switch (type) {
    case T_BOOL: {
      const b = bytes[pos]!;
      if (b > 1) throw contractError(BAD_FIELD, r.label, `${subject(what)}: expected bool, got ${b}`);
      return b === 1;
    }
    case T_U8: return bytes[pos]!;
    case T_I8: return dv.getInt8(pos);
    case T_U16: return dv.getUint16(pos, true);
    case T_I16: return dv.getInt16(pos, true);
    case T_U32: return dv.getUint32(pos, true);
    case T_I32: return dv.getInt32(pos, true);
    case T_U64: {
      const hi = dv.getUint32(pos + 4, true);
      if (hi > 0x1fffff) throw contractError(BAD_FIELD, r.label, `${subject(what)} is over 2^53-1`);
      return hi * TWO_32 + dv.getUint32(pos, true);
    }
    case T_F32: case T_F64: case T_F32N: case T_F64N: {
      const v = type === T_F32 || type === T_F32N ? dv.getFloat32(pos, true) : dv.getFloat64(pos, true);
      if (v - v !== 0 && (type === T_F32 || type === T_F64)) {
        throw contractError(BAD_FIELD, r.label, `${subject(what)}: expected finite, got ${v}`);
      }
      return v;
    }
  }
  return 0;
}

function readField(r: Reader, f: Field): unknown {
  const what = f.name;
  if (f.type === T_STRING) return readString(r, what);
  if (f.type === T_BYTES) return readChunk(r, what).slice();
  if (f.count === 0) {
    need(r, SIZES[f.type]!, what);
    return readScalar(r, f.type, what);
  }
  need(r, SIZES[f.type]! * f.count, what);
  const out: (number | boolean)[] = [];
  for (let i = 0; i < f.count; i++) out.push(readScalar(r, f.type, what));
  return out;
}

/** Decodes a binary payload (first byte already known to be MAGIC). */
export function decodeBinary(c: Core, bytes: Uint8Array, out: Envelope | undefined): Record<string, unknown> {
  const label = c.layout.label;
  const r: Reader = { bytes, dv: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), label, pos: 0 };
  need(r, HEADER_SIZE, "the header");
  const flags = bytes[1]!;
  if (flags & F_RESERVED) throw contractError(BAD_FLAGS, label, "reserved flag bits set");
  const schemaId = r.dv.getUint32(2, true);
  if (schemaId !== c.layout.schemaId) {
    throw contractError(WRONG_SCHEMA, label, `schema id ${schemaId} is not ${c.layout.schemaId}`);
  }
  const version = r.dv.getUint16(6, true);
  const l = pickLayout(c, version, true)!;
  r.pos = HEADER_SIZE;
  let sender: string | undefined;
  let seq: number | undefined;
  let issuedAt: number | undefined;
  if (flags & F_SENDER) sender = readString(r, "envelope.sender");
  if (flags & F_SEQ) {
    need(r, 4, "envelope.seq");
    seq = readScalar(r, T_U32, "envelope.seq") as number;
  }
  if (flags & F_ISSUED_AT) {
    need(r, 8, "envelope.issuedAt");
    issuedAt = readScalar(r, T_U64, "envelope.issuedAt") as number;
  }
  const bitmap = r.pos;
  const bitmapSize = (l.optionals + 7) >> 3;
  need(r, bitmapSize, "the presence bitmap");
  r.pos += bitmapSize;
  if (l.optionals & 7 && bytes[r.pos - 1]! >> (l.optionals & 7)) {
    throw contractError(BAD_FLAGS, label, "unused presence bits set");
  }
  let value: Record<string, unknown> = {};
  const fields = l.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.bit >= 0 && (bytes[bitmap + (f.bit >> 3)]! & (1 << (f.bit & 7))) === 0) continue;
    value[f.name] = readField(r, f);
  }
  if (r.pos !== bytes.length) {
    throw contractError(TRAILING, label, `${bytes.length - r.pos} bytes after the last field`);
  }
  if (l !== c.layout) value = upgrade(c, version, value);
  if (out !== undefined) {
    out.sender = c.envelope ? sender : undefined;
    out.seq = c.envelope ? seq : undefined;
    out.issuedAt = c.envelope ? issuedAt : undefined;
  }
  return value;
}
