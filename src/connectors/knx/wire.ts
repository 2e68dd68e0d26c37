/**
 * Reading and writing the fields KNXnet/IP frames are made of: big-endian integers,
 * IPv4 addresses, ISO 8859-1 text and hex identifiers.
 *
 * A `Cursor` reads `b[p..e]`; a read past `e` throws ProtocolError (side "remote") with
 * the cursor's shortfall code `t` (KNX_TRUNCATED for a datagram, KNX_BAD_CEMI inside a
 * cEMI frame). A `Sink` writes at `p` into `o`; the encoders first run with an empty `o`,
 * where a typed array drops every store, to measure, then again into one array of the
 * exact size.
 */
import { ProtocolError } from "../../core/errors.js";
import { KNX_BAD_VALUE } from "./constants.js";

export interface Cursor {
  b: Uint8Array;
  p: number;
  e: number;
  /** Error code for a read past `e`. */
  t: string;
}

export interface Sink {
  o: Uint8Array;
  p: number;
}

export function remote(code: string, detail: string): ProtocolError {
  return new ProtocolError(code, "remote", detail);
}

export function local(code: string, detail: string): ProtocolError {
  return new ProtocolError(code, "local", detail);
}

/** Throws unless `n` more bytes are there to read. */
export function need(c: Cursor, n: number, what: string): void {
  if (c.p + n > c.e) throw remote(c.t, `${what}: ${n} bytes needed, ${c.e - c.p} left`);
}

export function u8(c: Cursor, what: string): number {
  need(c, 1, what);
  return c.b[c.p++]!;
}

export function u16(c: Cursor, what: string): number {
  need(c, 2, what);
  const v = (c.b[c.p]! << 8) | c.b[c.p + 1]!;
  c.p += 2;
  return v;
}

/** `n` bytes as a view into the cursor's array. */
export function view(c: Cursor, n: number, what: string): Uint8Array {
  need(c, n, what);
  c.p += n;
  return c.b.subarray(c.p - n, c.p);
}

export function ipv4(c: Cursor, what: string): string {
  need(c, 4, what);
  const b = c.b;
  const p = c.p;
  c.p += 4;
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

const HEX = "0123456789abcdef";

/** `n` bytes as lower-case hex, joined by `sep`. */
export function hexText(c: Cursor, n: number, sep: string, what: string): string {
  need(c, n, what);
  let out = "";
  for (let i = 0; i < n; i++) {
    const v = c.b[c.p++]!;
    out += (i ? sep : "") + HEX[v >> 4]! + HEX[v & 15]!;
  }
  return out;
}

/** A fixed field of `n` bytes of ISO 8859-1 text, ended by the first 0 byte or the field's end. */
export function latin1(c: Cursor, n: number, what: string): string {
  const bytes = view(c, n, what);
  let end = bytes.indexOf(0);
  if (end < 0) end = n;
  return String.fromCharCode.apply(null, Array.from(bytes.subarray(0, end)));
}

export function byte(w: Sink, v: number): void {
  w.o[w.p++] = v;
}

export function word(w: Sink, v: number): void {
  w.o[w.p++] = v >> 8;
  w.o[w.p++] = v;
}

export function put(w: Sink, bytes: Uint8Array): void {
  if (w.p + bytes.length <= w.o.length) w.o.set(bytes, w.p);
  w.p += bytes.length;
}

/** Checks that `v` is an integer in [0, max]; `what` names the field for the error. */
export function checkInt(v: unknown, max: number, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) throw local(KNX_BAD_VALUE, `${what} ${String(v)} is not an integer in 0–${max}`);
  return v;
}

/** Parses `count` numbers in [0, 255] from text `sep`-separated, in base `radix`; undefined if it does not parse. */
function parts(text: string, sep: string, count: number, radix: number): number[] | undefined {
  const items = text.split(sep);
  if (items.length !== count) return undefined;
  const out: number[] = [];
  for (const item of items) {
    const digits = radix === 10 ? /^(?:0|[1-9]\d{0,2})$/ : /^[0-9a-fA-F]{2}$/;
    if (!digits.test(item)) return undefined;
    const v = parseInt(item, radix);
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

/** Writes a dotted IPv4 address (`192.168.1.10`). */
export function writeIpv4(w: Sink, address: string, what: string): void {
  const bytes = typeof address === "string" ? parts(address, ".", 4, 10) : undefined;
  if (!bytes) throw local(KNX_BAD_VALUE, `${what} "${String(address)}" is not a dotted IPv4 address`);
  for (const b of bytes) byte(w, b);
}

/** Writes a MAC address (`00:24:6d:01:02:03`). */
export function writeMac(w: Sink, mac: string): void {
  const bytes = typeof mac === "string" ? parts(mac, ":", 6, 16) : undefined;
  if (!bytes) throw local(KNX_BAD_VALUE, `MAC address "${String(mac)}" is not six hex pairs joined by ":"`);
  for (const b of bytes) byte(w, b);
}

/** Writes 12 hex digits (a KNX serial number) as 6 bytes. */
export function writeSerial(w: Sink, serial: string): void {
  const ok = typeof serial === "string" && /^[0-9a-fA-F]{12}$/.test(serial);
  if (!ok) throw local(KNX_BAD_VALUE, `serial number "${String(serial)}" is not 12 hex digits`);
  for (let i = 0; i < 12; i += 2) byte(w, parseInt(serial.slice(i, i + 2), 16));
}

/**
 * Writes `text` as ISO 8859-1 into a field of `n` bytes padded with 0. Refuses text
 * longer than the field, characters above U+00FF (or above `max`) and U+0000, which
 * would end the text early.
 */
export function writeLatin1(w: Sink, text: string, n: number, max: number, what: string, code: string): void {
  if (typeof text !== "string") throw local(code, `${what} is not a string`);
  // Every character is checked before the length is: once all are ≤ U+00FF, `length`
  // counts characters on every engine (XS on a device indexes strings by code point).
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (cp === 0 || cp > max) throw local(code, `${what} holds U+${cp.toString(16).padStart(4, "0")}, outside 1–${max}`);
  }
  if (text.length > n) throw local(code, `${what} has ${text.length} characters, more than ${n}`);
  for (let i = 0; i < n; i++) byte(w, i < text.length ? text.charCodeAt(i) : 0);
}
