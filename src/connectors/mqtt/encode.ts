/**
 * Client packets → bytes, for MQTT 3.1.1 and MQTT 5: CONNECT, PUBLISH, the four
 * acknowledgements, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT and AUTH.
 *
 * The body is collected in a plain array of bytes (these packets are small and rare;
 * a PUBLISH payload is appended as is, and the session's PUBLISH hot path is
 * publish.ts), then the fixed header is put in front. Invalid input throws
 * `ProtocolError` with side "local": nothing may be sent. MQTT 5 fields (properties,
 * reason codes, subscription options) are ignored for MQTT 3.1.1. Acknowledgements,
 * DISCONNECT and AUTH take the shortest form MQTT 5 allows: reason code and properties
 * are left out when the code is 0 and there are no properties (§3.4.2.1, §3.14.2.1).
 */
import { utf8Encode } from "../../core/utf8.js";
import {
  AUTH, CONNECT, DISCONNECT, IN_WILL, MAX_VARINT, PINGREQ, PLACES_SHIFT, PROPERTY_KINDS, PUBACK, PUBCOMP,
  PUBLISH, PUBREC, PUBREL, SUBSCRIBE, SUBSCRIPTION_IDENTIFIER, TOPIC_ALIAS, UNSUBSCRIBE, USER_PROPERTY,
  VALUE_BINARY, VALUE_BYTE, VALUE_NONZERO, VALUE_PAIR, VALUE_STRING, VALUE_U16, VALUE_U32, MQTT_BAD_FLAGS,
  MQTT_BAD_PACKET_ID, MQTT_BAD_PROPERTY, MQTT_BAD_QOS, MQTT_BAD_REASON, MQTT_BAD_TOPIC, MQTT_BAD_UTF8,
  MQTT_BAD_VERSION, MQTT_MALFORMED, MQTT_TOO_LARGE, MQTT_UNKNOWN_TYPE,
} from "./constants.js";
import type {
  AckPacket, ClientPacket, ConnectPacket, DisconnectPacket, Properties, ProtocolVersion, PublishPacket, QoS, SubscribePacket,
  UnsubscribePacket,
} from "./packets.js";
import { hasWildcard, isReasonCode, protocolError } from "./rules.js";

const local = (code: string, detail?: string) => protocolError("local", code, detail);

/** Encodes one client packet for `version` (a CONNECT uses its own `protocolVersion`). */
export function encodePacket(p: ClientPacket, version: ProtocolVersion): Uint8Array {
  switch (p.type) {
    case CONNECT:
      return encodeConnect(p);
    case PUBLISH:
      return encodePublishPacket(p, version);
    case PUBACK:
    case PUBREC:
    case PUBREL:
    case PUBCOMP:
      return encodeAck(p, version);
    case SUBSCRIBE:
      return encodeSubscribe(p, version);
    case UNSUBSCRIBE:
      return encodeUnsubscribe(p, version);
    case PINGREQ:
      is5(version);
      return frame(PINGREQ, 0, []);
    case DISCONNECT:
    case AUTH:
      return encodeDisconnect(p, version);
    default:
      throw local(MQTT_UNKNOWN_TYPE, `a client does not send type ${(p as { type: unknown }).type}`);
  }
}

export function encodeConnect(p: ConnectPacket): Uint8Array {
  const v = p.protocolVersion;
  const v5 = is5(v);
  const { will, username, password } = p;
  const b: number[] = [];
  // [MQTT-3.1.2-22] MQTT 3.1.1 allows a password only with a user name.
  if (password && username === undefined && !v5) throw local(MQTT_BAD_FLAGS, "password without user name");
  // Protocol Name "MQTT" [MQTT-3.1.2-1], level, flags (§3.1.2.3).
  b.push(0, 4, 77, 81, 84, 84, v, (p.clean ? 2 : 0) | (username !== undefined ? 128 : 0) | (password ? 64 : 0) | (will ? 4 | (qos(will.qos) << 3) | (will.retain ? 32 : 0) : 0));
  u16(b, p.keepalive);
  props(b, v5, p.properties, CONNECT);
  string(b, p.clientId);
  if (will) {
    props(b, v5, will.properties, IN_WILL);
    topicName(b, will.topic, false);
    binary(b, will.payload);
  }
  if (username !== undefined) string(b, username);
  if (password) binary(b, password);
  return frame(CONNECT, 0, b);
}

/** A PUBLISH with any fields; the session's hot path without properties is publish.ts. */
export function encodePublishPacket(p: PublishPacket, version: ProtocolVersion): Uint8Array {
  const v5 = is5(version);
  const b: number[] = [];
  // [MQTT-3.3.1-2] a QoS 0 message never has DUP set.
  if (p.dup && !p.qos) throw local(MQTT_BAD_FLAGS, "DUP on QoS 0");
  topicName(b, p.topic, v5 && p.properties?.[TOPIC_ALIAS] !== undefined);
  if (p.qos) packetId(b, p.packetId);
  props(b, v5, p.properties, PUBLISH);
  return frame(PUBLISH, (p.dup ? 8 : 0) | (qos(p.qos) << 1) | (p.retain ? 1 : 0), b, p.payload);
}

/** PUBACK, PUBREC, PUBREL or PUBCOMP. */
export function encodeAck(p: AckPacket, version: ProtocolVersion): Uint8Array {
  const v5 = is5(version);
  const b: number[] = [];
  packetId(b, p.packetId);
  reasonTail(b, v5, p.type, p.reasonCode, p.properties);
  return frame(p.type, p.type === PUBREL ? 2 : 0, b);
}

export function encodeSubscribe(p: SubscribePacket, version: ProtocolVersion): Uint8Array {
  const v5 = is5(version);
  const b: number[] = [];
  packetId(b, p.packetId);
  props(b, v5, p.properties, SUBSCRIBE);
  // [MQTT-3.8.3-3] at least one subscription.
  if (!p.subscriptions.length) throw local(MQTT_MALFORMED, "no subscription");
  for (const s of p.subscriptions) {
    topicFilter(b, s.topic);
    const rh = s.retainHandling ?? 0;
    // §3.8.3.1: Retain Handling 3 is a Protocol Error.
    if (rh !== 0 && rh !== 1 && rh !== 2) throw local(MQTT_MALFORMED, "retain handling");
    b.push(qos(s.qos) | (v5 ? (s.noLocal ? 4 : 0) | (s.retainAsPublished ? 8 : 0) | (rh << 4) : 0));
  }
  return frame(SUBSCRIBE, 2, b);
}

export function encodeUnsubscribe(p: UnsubscribePacket, version: ProtocolVersion): Uint8Array {
  const v5 = is5(version);
  const b: number[] = [];
  packetId(b, p.packetId);
  props(b, v5, p.properties, UNSUBSCRIBE);
  // [MQTT-3.10.3-2] at least one topic filter.
  if (!p.topics.length) throw local(MQTT_MALFORMED, "no topic filter");
  for (const topic of p.topics) topicFilter(b, topic);
  return frame(UNSUBSCRIBE, 2, b);
}

/** DISCONNECT, or AUTH (MQTT 5 only). */
export function encodeDisconnect(p: DisconnectPacket, version: ProtocolVersion): Uint8Array {
  const v5 = is5(version);
  if (p.type === AUTH && !v5) throw local(MQTT_UNKNOWN_TYPE, "AUTH in MQTT 3.1.1");
  const b: number[] = [];
  reasonTail(b, v5, p.type, p.reasonCode, p.properties);
  return frame(p.type, 0, b);
}

function is5(version: number): boolean {
  if (version !== 4 && version !== 5) throw local(MQTT_BAD_VERSION, `protocol version ${version}`);
  return version === 5;
}

/** The fixed header (type, flags, Remaining Length) in front of the body and an optional payload. */
function frame(type: number, flags: number, body: number[], tail?: Uint8Array): Uint8Array {
  const length = body.length + (tail ? tail.length : 0);
  if (length > MAX_VARINT) throw local(MQTT_TOO_LARGE);
  const head = [(type << 4) | flags];
  varint(head, length);
  const out = new Uint8Array(head.length + length);
  out.set(head);
  out.set(body, head.length);
  if (tail) out.set(tail, head.length + body.length);
  return out;
}

/** The MQTT 5 tail of acknowledgements, DISCONNECT and AUTH, in its shortest form. */
function reasonTail(b: number[], v5: boolean, type: number, code = 0, properties: Properties | undefined): void {
  if (!v5) return;
  if (!isReasonCode(type, 5, code)) throw local(MQTT_BAD_REASON, `reason code ${code}`);
  let present = false;
  for (const id in properties) present ||= properties[id as unknown as number] !== undefined;
  if (code || present) b.push(code);
  if (present) props(b, v5, properties, type);
}

function qos(q: QoS): QoS {
  // [MQTT-3.3.1-4], [MQTT-3.1.2-14]: QoS is 0, 1 or 2.
  if (q !== 0 && q !== 1 && q !== 2) throw local(MQTT_BAD_QOS, `QoS ${q}`);
  return q;
}

function packetId(b: number[], id: number | undefined): void {
  // [MQTT-2.3.1-1] a non-zero 16-bit Packet Identifier.
  if (!id || (id & 0xffff) !== id) throw local(MQTT_BAD_PACKET_ID, `packet id ${id}`);
  u16(b, id);
}

/** A Topic Name: no wildcards [MQTT-3.3.2-2], not empty [MQTT-4.7.3-1] unless a Topic Alias stands in. */
function topicName(b: number[], topic: string, aliased: boolean): void {
  if (hasWildcard(topic) || (!topic && !aliased)) throw local(MQTT_BAD_TOPIC, `topic "${topic}"`);
  string(b, topic);
}

/** A Topic Filter: not empty; `#` only as the whole last level, `+` only as a whole level [MQTT-4.7.1-2, -3]. */
function topicFilter(b: number[], filter: string): void {
  const levels = filter.split("/");
  const last = levels.length - 1;
  for (let i = 0; i <= last; i++) {
    const level = levels[i]!;
    if (!filter || (level !== "+" && (level !== "#" || i < last) && hasWildcard(level))) throw local(MQTT_BAD_TOPIC, `filter "${filter}"`);
  }
  string(b, filter);
}

/** A property block: its length, then each property, by identifier (§2.2.2). */
function props(b: number[], v5: boolean, properties: Properties | undefined, place: number): void {
  if (!v5) return;
  const block: number[] = [];
  for (const key in properties) {
    const value = properties[key as unknown as number];
    if (value === undefined) continue;
    // Keys are identifiers (an array index takes only their canonical form); a client never sends a Subscription Identifier in a PUBLISH [MQTT-3.3.4-6].
    const kind = PROPERTY_KINDS[key as unknown as number] ?? 0;
    const id = Number(key);
    if (!((kind >> PLACES_SHIFT) & (1 << place)) || (id === SUBSCRIPTION_IDENTIFIER && place === PUBLISH)) throw local(MQTT_BAD_PROPERTY, `property ${key}`);
    // A User Property is a list of pairs.
    if (id !== USER_PROPERTY) prop(block, id, kind, value);
    else if (Array.isArray(value)) for (const pair of value) prop(block, id, kind, pair);
    else throw local(MQTT_BAD_PROPERTY, `property ${key}`);
  }
  varint(b, block.length);
  for (const x of block) b.push(x);
}

function prop(b: number[], id: number, kind: number, value: unknown): void {
  const type = kind & 7;
  const n = value as number;
  const valid =
    type === VALUE_STRING ? typeof value === "string"
    : type === VALUE_BINARY ? value instanceof Uint8Array
    : type === VALUE_PAIR ? Array.isArray(value) && typeof value[0] === "string" && typeof value[1] === "string"
    : n === (type === VALUE_BYTE ? n & 1 : type === VALUE_U16 ? n & 0xffff : type === VALUE_U32 ? n >>> 0 : n & MAX_VARINT) && !(kind & VALUE_NONZERO && !n);
  if (!valid) throw local(MQTT_BAD_PROPERTY, `property ${id}`);
  b.push(id);
  if (type === VALUE_STRING) string(b, value as string);
  else if (type === VALUE_BINARY) binary(b, value as Uint8Array);
  else if (type === VALUE_PAIR) {
    string(b, (value as string[])[0]!);
    string(b, (value as string[])[1]!);
  } else if (type === VALUE_BYTE) b.push(n);
  else if (type === VALUE_U16) u16(b, n);
  else if (type === VALUE_U32) b.push(n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255);
  else varint(b, n);
}

/** A UTF-8 Encoded String (§1.5.4) without U+0000 [MQTT-1.5.3-2]. */
function string(b: number[], text: string): void {
  const encoded = utf8Encode(text);
  if (encoded.indexOf(0) >= 0) throw local(MQTT_BAD_UTF8, "U+0000");
  binary(b, encoded);
}

/** Binary Data (§1.5.6): a two-byte length, then the bytes. */
function binary(b: number[], data: Uint8Array): void {
  if (data.length > 0xffff) throw local(MQTT_TOO_LARGE, "field over 65535 bytes");
  u16(b, data.length);
  for (const x of data) b.push(x);
}

function u16(b: number[], n: number): void {
  if ((n & 0xffff) !== n) throw local(MQTT_MALFORMED, `${n} is not a two-byte integer`);
  b.push(n >> 8, n & 255);
}

/** Variable Byte Integer (§1.5.5); callers keep it within MAX_VARINT. */
export function varint(b: number[], n: number): void {
  do {
    const digit = n & 127;
    n >>>= 7;
    b.push(n ? digit | 128 : digit);
  } while (n);
}
