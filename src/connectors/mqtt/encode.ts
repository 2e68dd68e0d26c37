/**
 * MQTT packet → bytes, for MQTT 3.1.1 and MQTT 5.
 *
 * Theory of operation: `encodePacket` runs the same writer code over the packet twice.
 * The first pass writes into an empty Uint8Array, where stores are dropped (a typed
 * array ignores writes past its end), so it only advances the position: it measures the
 * packet, checks every field, encodes each string once and notes the length of each
 * property block. The second pass replays those notes into one Uint8Array of the exact
 * size. Nothing is concatenated or grown.
 *
 * Invalid input throws `ProtocolError` with side "local": nothing may be sent. MQTT 5
 * fields (properties, reason codes, subscription options) are ignored when encoding for
 * MQTT 3.1.1, except AUTH, which 3.1.1 lacks. Acknowledgements, DISCONNECT and AUTH use
 * the shortest form MQTT 5 allows: reason code and properties are left out when the
 * code is 0 and there are no properties (§3.4.2.1, §3.14.2.1, §3.15.2.1).
 */
import { ProtocolError } from "../../core/errors.js";
import { utf8Encode } from "../../core/utf8.js";
import {
  AUTH, CONNACK, CONNECT, DISCONNECT, PUBACK, PUBCOMP, PUBLISH, PUBREC, PUBREL, SUBACK, SUBSCRIBE, UNSUBACK,
  UNSUBSCRIBE, CONNECT_CLEAN, CONNECT_PASSWORD, CONNECT_USERNAME, CONNECT_WILL, CONNECT_WILL_QOS_SHIFT,
  CONNECT_WILL_RETAIN, FLAGS_RESERVED_0010, IN_WILL, MAX_FIELD, MAX_VARINT, PLACES_SHIFT, PROPERTY_KINDS,
  PROPERTY_NAMES, PUBLISH_DUP, PUBLISH_QOS_SHIFT, PUBLISH_RETAIN, SUBSCRIBE_NO_LOCAL,
  SUBSCRIBE_RETAIN_AS_PUBLISHED, SUBSCRIBE_RETAIN_HANDLING_SHIFT, USER_PROPERTY, VALUE_BINARY, VALUE_BOOL,
  VALUE_BYTE, VALUE_NONZERO, VALUE_PAIR, VALUE_STRING, VALUE_U16, VALUE_U32, MQTT_BAD_FLAGS,
  MQTT_BAD_PACKET_ID, MQTT_BAD_PROPERTY, MQTT_BAD_QOS, MQTT_BAD_REASON, MQTT_BAD_TOPIC, MQTT_BAD_UTF8,
  MQTT_BAD_VALUE, MQTT_BAD_VERSION, MQTT_MALFORMED, MQTT_TOO_LARGE, MQTT_UNKNOWN_TYPE,
} from "./constants.js";
import type { Packet, Properties, ProtocolVersion, QoS } from "./packets.js";
import { hasWildcard, isReasonCode } from "./rules.js";

/**
 * Encodes one packet for `version` (a CONNECT uses its own `protocolVersion`). Strings
 * go through `encodeUtf8`, by default the portable codec of src/core/utf8.ts.
 * Throws `ProtocolError` (side "local") when the packet is not valid MQTT.
 */
export function encodePacket(
  packet: Packet,
  version: ProtocolVersion,
  encodeUtf8: (text: string) => Uint8Array = utf8Encode,
): Uint8Array {
  const v = packet.type === CONNECT ? packet.protocolVersion : version;
  if (v !== 4 && v !== 5) throw local(MQTT_BAD_VERSION, `protocol version ${v}`);
  const w: Sink = { o: new Uint8Array(0), p: 0, n: [], i: 0, v, u: encodeUtf8 };
  const first = header(w, packet);
  body(w, packet);
  const length = w.p;
  if (length > MAX_VARINT) throw local(MQTT_TOO_LARGE);
  w.o = new Uint8Array(1 + varintSize(length) + length);
  w.p = 0;
  byte(w, first);
  varint(w, length);
  body(w, packet);
  return w.o;
}

/**
 * Writer state: output `o` (empty while measuring), position `p`, notes `n` taken while
 * measuring (encoded strings, property block lengths) and the next one to replay `i`,
 * protocol version `v`, UTF-8 encoder `u`.
 */
interface Sink {
  o: Uint8Array;
  p: number;
  n: (Uint8Array | number)[];
  i: number;
  v: ProtocolVersion;
  u: (text: string) => Uint8Array;
}

function local(code: string, detail?: string): ProtocolError {
  return new ProtocolError(code, "local", detail ?? code);
}

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : 4;
}

/** The fixed header's first byte (§2.1.2). */
function header(w: Sink, p: Packet): number {
  const type = p.type;
  if (type === PUBLISH) {
    // [MQTT-3.3.1-2] a QoS 0 message never has DUP set.
    if (p.dup && !p.qos) throw local(MQTT_BAD_FLAGS, "DUP on QoS 0");
    return (PUBLISH << 4) | (p.dup ? PUBLISH_DUP : 0) | (qos(p.qos) << PUBLISH_QOS_SHIFT) | (p.retain ? PUBLISH_RETAIN : 0);
  }
  if ((type & 15) !== type || !type || (type === AUTH && w.v === 4)) throw local(MQTT_UNKNOWN_TYPE, `type ${type}`);
  // [MQTT-2.2.2-1] (5: [MQTT-2.1.3-1]) reserved flags.
  return (type << 4) | (type === PUBREL || type === SUBSCRIBE || type === UNSUBSCRIBE ? FLAGS_RESERVED_0010 : 0);
}

/** Variable header and payload. */
function body(w: Sink, p: Packet): void {
  const v5 = w.v === 5;
  switch (p.type) {
    case CONNECT: {
      const { will, username, password } = p;
      // [MQTT-3.1.2-22] MQTT 3.1.1 allows a password only with a user name; MQTT 5 dropped the rule.
      if (password && username === undefined && !v5) throw local(MQTT_BAD_FLAGS, "password without user name");
      u16(w, 4); // Protocol Name "MQTT" [MQTT-3.1.2-1]
      u16(w, 0x4d51);
      u16(w, 0x5454);
      byte(w, w.v);
      let flags = (p.clean ? CONNECT_CLEAN : 0) | (username !== undefined ? CONNECT_USERNAME : 0) | (password ? CONNECT_PASSWORD : 0);
      if (will) flags |= CONNECT_WILL | (qos(will.qos) << CONNECT_WILL_QOS_SHIFT) | (will.retain ? CONNECT_WILL_RETAIN : 0);
      byte(w, flags);
      u16(w, p.keepalive);
      props(w, p.properties, CONNECT);
      string(w, p.clientId);
      if (will) {
        props(w, will.properties, IN_WILL);
        topicName(w, will.topic, false);
        binary(w, will.payload);
      }
      if (username !== undefined) string(w, username);
      if (password) binary(w, password);
      return;
    }
    case CONNACK:
      checkReason(w, CONNACK, p.reasonCode);
      // [MQTT-3.2.2-4] (5: [MQTT-3.2.2-6]): a refusal never reports a session.
      if (p.sessionPresent && p.reasonCode) throw local(MQTT_BAD_FLAGS, "session present on refusal");
      byte(w, p.sessionPresent ? 1 : 0);
      byte(w, p.reasonCode);
      props(w, p.properties, CONNACK);
      return;
    case PUBLISH:
      topicName(w, p.topic, v5 && p.properties?.topicAlias !== undefined);
      if (p.qos) packetId(w, p.packetId);
      props(w, p.properties, PUBLISH);
      bytes(w, p.payload);
      return;
    case PUBACK:
    case PUBREC:
    case PUBREL:
    case PUBCOMP:
      packetId(w, p.packetId);
      reasonAndProps(w, p.type, p.reasonCode, p.properties);
      return;
    case SUBSCRIBE:
      packetId(w, p.packetId);
      props(w, p.properties, SUBSCRIBE);
      // [MQTT-3.8.3-3] (5: [MQTT-3.8.3-2]) at least one subscription.
      if (!p.subscriptions.length) throw local(MQTT_MALFORMED, "no subscription");
      for (const s of p.subscriptions) {
        topicFilter(w, s.topic);
        let options = qos(s.qos);
        if (v5) {
          const rh = s.retainHandling ?? 0;
          // §3.8.3.1: Retain Handling 3 is a Protocol Error.
          if (rh !== 0 && rh !== 1 && rh !== 2) throw local(MQTT_MALFORMED, "retain handling");
          options |= (s.noLocal ? SUBSCRIBE_NO_LOCAL : 0) | (s.retainAsPublished ? SUBSCRIBE_RETAIN_AS_PUBLISHED : 0) | (rh << SUBSCRIBE_RETAIN_HANDLING_SHIFT);
        }
        byte(w, options);
      }
      return;
    case SUBACK:
      packetId(w, p.packetId);
      props(w, p.properties, SUBACK);
      codes(w, SUBACK, p.reasonCodes);
      return;
    case UNSUBSCRIBE:
      packetId(w, p.packetId);
      props(w, p.properties, UNSUBSCRIBE);
      // [MQTT-3.10.3-2] at least one topic filter.
      if (!p.topics.length) throw local(MQTT_MALFORMED, "no topic filter");
      for (const topic of p.topics) topicFilter(w, topic);
      return;
    case UNSUBACK:
      packetId(w, p.packetId);
      if (!v5) return;
      props(w, p.properties, UNSUBACK);
      codes(w, UNSUBACK, p.reasonCodes ?? []);
      return;
    case DISCONNECT:
    case AUTH:
      reasonAndProps(w, p.type, p.reasonCode, p.properties);
  }
}

/** The MQTT 5 tail of acknowledgements, DISCONNECT and AUTH, in its shortest form. */
function reasonAndProps(w: Sink, type: number, code = 0, properties: Properties | undefined): void {
  if (w.v === 4) return;
  checkReason(w, type, code);
  let present = false;
  for (const name in properties) present ||= (properties as Record<string, unknown>)[name] !== undefined;
  if (code || present) byte(w, code);
  if (present) props(w, properties, type);
}

function checkReason(w: Sink, type: number, code: number): void {
  if (!isReasonCode(type, w.v, code)) throw local(MQTT_BAD_REASON, `reason code ${code}`);
}

/** SUBACK and UNSUBACK payloads: one code per topic filter, at least one. */
function codes(w: Sink, type: number, list: number[]): void {
  if (!list.length) throw local(MQTT_MALFORMED, "no reason code");
  for (const code of list) {
    checkReason(w, type, code);
    byte(w, code);
  }
}

function qos(q: QoS): QoS {
  // [MQTT-3.3.1-4], [MQTT-3.1.2-14], [MQTT-3-8.3-4]: QoS is 0, 1 or 2.
  if (q !== 0 && q !== 1 && q !== 2) throw local(MQTT_BAD_QOS, `QoS ${q}`);
  return q;
}

function packetId(w: Sink, id: number | undefined): void {
  // [MQTT-2.3.1-1] a non-zero 16-bit Packet Identifier.
  if (!id || (id & 0xffff) !== id) throw local(MQTT_BAD_PACKET_ID, `packet id ${id}`);
  u16(w, id);
}

/** A Topic Name: no wildcards [MQTT-3.3.2-2], not empty [MQTT-4.7.3-1] unless a Topic Alias stands in (§3.3.2.3.4). */
function topicName(w: Sink, topic: string, aliased: boolean): void {
  if (hasWildcard(topic) || (!topic && !aliased)) throw local(MQTT_BAD_TOPIC, `topic "${topic}"`);
  string(w, topic);
}

/** A Topic Filter: not empty [MQTT-4.7.3-1]; `#` only as the whole last level [MQTT-4.7.1-2], `+` only as a whole level [MQTT-4.7.1-3]. */
function topicFilter(w: Sink, filter: string): void {
  const levels = filter.split("/");
  const last = levels.length - 1;
  for (let i = 0; i <= last; i++) {
    const level = levels[i]!;
    if (!filter || (level !== "+" && (level !== "#" || i < last) && hasWildcard(level))) throw local(MQTT_BAD_TOPIC, `filter "${filter}"`);
  }
  string(w, filter);
}

/** A property block: its length, then each property present, by identifier (§2.2.2). */
function props(w: Sink, properties: Properties | undefined, place: number): void {
  if (w.v === 4) return;
  if (w.o.length) {
    varint(w, w.n[w.i++] as number);
    propList(w, properties, place);
    return;
  }
  const slot = w.n.push(0) - 1;
  const start = w.p;
  propList(w, properties, place);
  const length = w.p - start;
  w.n[slot] = length;
  w.p += varintSize(length);
}

function propList(w: Sink, properties: Properties | undefined, place: number): void {
  if (!properties) return;
  for (let id = 1; id < PROPERTY_NAMES.length; id++) {
    const name = PROPERTY_NAMES[id];
    const value: unknown = name && (properties as Record<string, unknown>)[name];
    if (value === undefined || !name) continue;
    const kind = PROPERTY_KINDS[id]!;
    if (!((kind >> PLACES_SHIFT) & (1 << place))) throw local(MQTT_BAD_PROPERTY, name);
    if (!Array.isArray(value)) prop(w, id, name, kind, value);
    // A User Property may repeat; a Subscription Identifier only in PUBLISH (§3.3.2.3.8, §3.8.2.1.2).
    else if (id === USER_PROPERTY || place === PUBLISH) for (const item of value) prop(w, id, name, kind, item);
    else throw local(MQTT_BAD_PROPERTY, name);
  }
}

function prop(w: Sink, id: number, name: string, kind: number, value: unknown): void {
  const type = kind & 15;
  let valid = true;
  byte(w, id);
  if (type === VALUE_BOOL) {
    valid = typeof value === "boolean";
    byte(w, value ? 1 : 0);
  } else if (type === VALUE_BYTE) {
    valid = value === 0 || value === 1;
    byte(w, value as number);
  } else if (type === VALUE_STRING) string(w, value as string);
  else if (type === VALUE_BINARY) binary(w, value as Uint8Array);
  else if (type === VALUE_PAIR) {
    string(w, (value as [string, string])[0]);
    string(w, (value as [string, string])[1]);
  } else {
    const n = value as number;
    valid = n === (type === VALUE_U16 ? n & 0xffff : type === VALUE_U32 ? n >>> 0 : n & MAX_VARINT) && !(kind & VALUE_NONZERO && !n);
    if (!valid) {
      // reported below
    } else if (type === VALUE_U16) u16(w, n);
    else if (type === VALUE_U32) {
      u16(w, n >>> 16);
      u16(w, n & 0xffff);
    } else varint(w, n);
  }
  if (!valid) throw local(MQTT_BAD_PROPERTY, name);
}

/** A UTF-8 Encoded String (§1.5.4), encoded once, while measuring. */
function string(w: Sink, text: string): void {
  let encoded: Uint8Array;
  if (w.o.length) encoded = w.n[w.i++] as Uint8Array;
  else {
    encoded = w.u(text);
    // [MQTT-1.5.3-2] (5: [MQTT-1.5.4-2]) no U+0000.
    if (encoded.indexOf(0) >= 0) throw local(MQTT_BAD_UTF8, "U+0000");
    w.n.push(encoded);
  }
  binary(w, encoded);
}

/** Binary Data (§1.5.6): a two-byte length, then the bytes. */
function binary(w: Sink, data: Uint8Array): void {
  if (data.length > MAX_FIELD) throw local(MQTT_TOO_LARGE);
  u16(w, data.length);
  bytes(w, data);
}

function bytes(w: Sink, data: Uint8Array): void {
  if (w.o.length) w.o.set(data, w.p);
  w.p += data.length;
}

function byte(w: Sink, b: number): void {
  w.o[w.p++] = b;
}

function u16(w: Sink, n: number): void {
  if ((n & 0xffff) !== n) throw local(MQTT_BAD_VALUE, `${n}`);
  byte(w, n >> 8);
  byte(w, n & 255);
}

/** Variable Byte Integer (§1.5.5); callers keep it within MAX_VARINT. */
function varint(w: Sink, n: number): void {
  do {
    const digit = n & 127;
    n >>>= 7;
    byte(w, n ? digit | 128 : digit);
  } while (n);
}
