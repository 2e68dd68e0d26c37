/**
 * Reading the fields of one packet off a cursor: integers, strings, binary data and MQTT 5
 * property blocks (§1.5, §2.2.2). A read never passes the cursor's end; anything
 * malformed throws `ProtocolError` with side "remote" and the MQTT 5 reason code to send.
 */
import { ProtocolError } from "../../core/errors.js";
import { utf8Decode } from "../../core/utf8.js";
import {
  PUBLISH, MALFORMED_PACKET, PLACES_SHIFT, PROPERTY_KINDS, PROPERTY_NAMES, PROTOCOL_ERROR, SUBSCRIPTION_IDENTIFIER,
  USER_PROPERTY, VALUE_BINARY, VALUE_BOOL, VALUE_BYTE, VALUE_NONZERO, VALUE_STRING, VALUE_U16, VALUE_U32,
  VALUE_VARINT, MQTT_BAD_PROPERTY, MQTT_BAD_UTF8, MQTT_MALFORMED,
} from "./constants.js";
import type { Properties, ProtocolVersion } from "./packets.js";

/**
 * The packet being decoded: bytes `b`, read position `p`, end `e` (of the packet, or of
 * the property block being read), protocol version `v`. One per parser, reused.
 */
export interface Cursor {
  b: Uint8Array;
  p: number;
  e: number;
  v: ProtocolVersion;
}

export function remote(code: string, reasonCode: number, detail?: string): ProtocolError {
  return new ProtocolError(code, "remote", detail ?? code, reasonCode);
}

export function addProps(c: Cursor, p: { properties?: Properties }, place: number): void {
  const found = props(c, place);
  if (found) p.properties = found;
}

/** An MQTT 5 property block (§2.2.2); undefined when empty, and always in MQTT 3.1.1. */
export function props(c: Cursor, place: number): Properties | undefined {
  if (c.v === 4) return undefined;
  const length = varint(c);
  const outer = c.e;
  const end = c.p + length;
  if (end > outer) throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "property length");
  c.e = end; // a property may not run past its block
  let found: Record<string, unknown> | undefined;
  while (c.p < end) {
    const id = u8(c);
    const name = PROPERTY_NAMES[id];
    const kind = PROPERTY_KINDS[id] ?? 0;
    // §2.2.2.2: an identifier that is unknown or not valid for this packet is a Malformed Packet.
    if (!name || !((kind >> PLACES_SHIFT) & (1 << place))) throw remote(MQTT_BAD_PROPERTY, MALFORMED_PACKET, `property ${id}`);
    const type = kind & 15;
    let value: unknown;
    if (type === VALUE_BOOL || type === VALUE_BYTE) {
      const b = u8(c);
      // §3.1.2.11.6, §3.1.2.11.7, §3.2.2.3.4, §3.2.2.3.5, §3.3.2.3.2 …: 0 or 1, else a Protocol Error.
      if (b > 1) throw remote(MQTT_BAD_PROPERTY, PROTOCOL_ERROR, name);
      value = type === VALUE_BOOL ? b === 1 : b;
    } else if (type === VALUE_U16) value = u16(c);
    else if (type === VALUE_U32) value = (u16(c) * 0x10000) + u16(c);
    else if (type === VALUE_VARINT) value = varint(c);
    else if (type === VALUE_STRING) value = string(c);
    else if (type === VALUE_BINARY) value = binary(c);
    else value = [string(c), string(c)];
    if (kind & VALUE_NONZERO && !value) throw remote(MQTT_BAD_PROPERTY, PROTOCOL_ERROR, name);
    found ??= {};
    const seen = found[name];
    if (id === USER_PROPERTY) ((seen ?? (found[name] = [])) as unknown[]).push(value);
    else if (seen === undefined) found[name] = value;
    // §3.3.2.3.8: a PUBLISH may carry several Subscription Identifiers; any other repeat is a Protocol Error.
    else if (id === SUBSCRIPTION_IDENTIFIER && place === PUBLISH) found[name] = ([] as unknown[]).concat(seen, value);
    else throw remote(MQTT_BAD_PROPERTY, PROTOCOL_ERROR, name);
  }
  c.e = outer;
  return found as Properties | undefined;
}

/** Advances over `n` bytes and returns where they start; refuses to pass the end. */
export function need(c: Cursor, n: number): number {
  const p = c.p;
  if (p + n > c.e) throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "truncated");
  c.p = p + n;
  return p;
}

export function u8(c: Cursor): number {
  return c.b[need(c, 1)]!;
}

export function u16(c: Cursor): number {
  const p = need(c, 2);
  return (c.b[p]! << 8) | c.b[p + 1]!;
}

/** Variable Byte Integer (§1.5.5). */
export function varint(c: Cursor): number {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const b = u8(c);
    value |= (b & 127) << (7 * i);
    if (b < 128) {
      // 5: [MQTT-1.5.5-1] the fewest bytes that hold the value.
      if (i && !b) break;
      return value;
    }
  }
  throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "variable byte integer");
}

/** Binary Data (§1.5.6): a view into the input. */
export function binary(c: Cursor): Uint8Array {
  const n = u16(c);
  const p = need(c, n);
  return c.b.subarray(p, p + n);
}

/** UTF-8 Encoded String (§1.5.4): well-formed [MQTT-1.5.3-1], without U+0000 [MQTT-1.5.3-2] (5: [MQTT-1.5.4-1], [MQTT-1.5.4-2]). */
export function string(c: Cursor): string {
  const bytes = binary(c);
  if (bytes.indexOf(0) < 0) {
    try {
      return utf8Decode(bytes);
    } catch {
      // reported below
    }
  }
  throw remote(MQTT_BAD_UTF8, MALFORMED_PACKET);
}
