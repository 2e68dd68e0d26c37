/**
 * Broker packets ← bytes, for MQTT 3.1.1 and MQTT 5: a resumable, bounded parser of
 * CONNACK, PUBLISH, the four acknowledgements, SUBACK, UNSUBACK, PINGRESP, DISCONNECT
 * and AUTH. A packet only a client sends is refused like a reserved type.
 *
 * `feed` runs one loop over three states. HEADER takes the first byte and checks the
 * type and its flags at once; LENGTH takes the Remaining Length a byte at a time and
 * refuses one over `maxPacketSize` before anything is stored; BODY waits for the rest.
 * A body wholly inside the chunk being fed is decoded where it is; one split across
 * chunks is copied into a single buffer, made when first needed and grown (doubling, up
 * to `maxPacketSize`) only for a larger split packet. Bytes may arrive split anywhere,
 * and memory stays bounded by `maxPacketSize` whatever the peer sends.
 *
 * Fields are read off a cursor that never passes the packet's end, and a packet with
 * bytes left over is refused. Any violation throws `ProtocolError` with side "remote"
 * and the MQTT 5 reason code a DISCONNECT should carry; the parser then refuses all
 * input until `reset()`.
 */
import { utf8Decode } from "../../core/utf8.js";
import {
  AUTH, CONNACK, PINGRESP, PUBACK, PUBCOMP, PUBLISH, PUBREC, PUBREL, SUBACK, SUBSCRIPTION_IDENTIFIER, TOPIC_ALIAS,
  UNSUBACK, USER_PROPERTY, MALFORMED_PACKET, PACKET_TOO_LARGE, PLACES_SHIFT, PROPERTY_KINDS, PROTOCOL_ERROR,
  TOPIC_NAME_INVALID, VALUE_BINARY, VALUE_BYTE, VALUE_NONZERO, VALUE_STRING, VALUE_U16, VALUE_U32, VALUE_VARINT,
  MQTT_BAD_FLAGS, MQTT_BAD_LENGTH, MQTT_BAD_PACKET_ID, MQTT_BAD_PROPERTY, MQTT_BAD_QOS, MQTT_BAD_REASON,
  MQTT_BAD_TOPIC, MQTT_BAD_UTF8, MQTT_MALFORMED, MQTT_TOO_LARGE, MQTT_UNKNOWN_TYPE, DISCONNECT,
} from "./constants.js";
import type { AckPacket, BrokerPacket, DisconnectPacket, Properties, ProtocolVersion, PublishPacket, QoS } from "./packets.js";
import { hasWildcard, isReasonCode, protocolError } from "./rules.js";

const remote = (code: string, reasonCode: number, detail?: string) => protocolError("remote", code, detail, reasonCode);

// Parser states.
const HEADER = 0;
const LENGTH = 1;
const BODY = 2;
const EMPTY = Object.freeze(new Uint8Array(0)) as Uint8Array;
/** Reading past an MQTT 3.1.1 PUBLISH over the maximum packet size, keeping only its packet id. */
const SKIP = 3;

/** The packet being read: bytes `b`, position `p`, end `e` (of the packet or of a property block), version `v`. */
interface Cursor {
  b: Uint8Array;
  p: number;
  e: number;
  v: ProtocolVersion;
}

export class MqttParser {
  readonly #max: number;
  readonly #c: Cursor;
  /** Holds the body of a packet split across chunks; grown as needed, at most `maxPacketSize`. */
  #buffer: Uint8Array | undefined;
  #state = HEADER;
  #first = 0;
  #length = 0;
  #lengthBytes = 0;
  /** Body bytes copied into #buffer (or skipped) so far. */
  #have = 0;
  #skipTopic = 0;
  #skipId = 0;
  #error: unknown;

  /** `maxPacketSize`: the largest whole packet accepted, fixed header included (default 65536). */
  constructor(version: ProtocolVersion, maxPacketSize = 65536) {
    this.#max = maxPacketSize;
    this.#c = { b: new Uint8Array(0), p: 0, e: 0, v: version };
  }

  /**
   * Feeds bytes, split anywhere, and calls `onPacket` for each whole packet, in order.
   * Byte fields of a packet are views into `chunk` or the internal buffer, valid only
   * during the call. Throws `ProtocolError` on malformed input; after any exception,
   * including one from `onPacket`, it rethrows it on every `feed` until `reset()`.
   */
  feed(chunk: Uint8Array, onPacket: (packet: BrokerPacket) => void): void {
    if (this.#error !== undefined) throw this.#error;
    try {
      this.#run(chunk, onPacket);
    } catch (err) {
      this.#error = err;
      throw err;
    }
  }

  /** Forgets any partial packet and a failure. */
  reset(): void {
    this.#state = HEADER;
    this.#error = undefined;
  }

  #run(chunk: Uint8Array, onPacket: (packet: BrokerPacket) => void): void {
    const n = chunk.length;
    const c = this.#c;
    let i = 0;
    for (;;) {
      if (this.#state === SKIP) {
        i = this.#skip(chunk, i, onPacket);
        if (this.#state === SKIP) return;
        continue;
      }
      if (this.#state === BODY) {
        const length = this.#length;
        c.b = chunk;
        c.p = i;
        if (this.#have === 0 && n - i >= length) i += length; // wholly inside this chunk: decode in place
        else {
          // Sized when a split packet starts: its length or twice the last size, at most the maximum.
          if (this.#have === 0 && (this.#buffer?.length ?? 0) < length) {
            this.#buffer = new Uint8Array(Math.min(this.#max, Math.max(length, 2 * (this.#buffer?.length ?? 32))));
          }
          const buffer = this.#buffer!;
          const take = Math.min(length - this.#have, n - i);
          buffer.set(chunk.subarray(i, i + take), this.#have);
          this.#have += take;
          i += take;
          if (this.#have < length) return;
          c.b = buffer;
          c.p = 0;
        }
        c.e = c.p + length;
        this.#state = HEADER;
        onPacket(decodePacket(c, this.#first));
        continue;
      }
      if (i === n) return;
      const b = chunk[i++]!;
      if (this.#state === HEADER) {
        checkHeader(b, c.v);
        this.#first = b;
        this.#length = this.#lengthBytes = this.#have = 0;
        this.#state = LENGTH;
        continue;
      }
      // The Remaining Length: a Variable Byte Integer of at most four bytes (§2.1.4, §1.5.5).
      this.#length |= (b & 127) << (7 * this.#lengthBytes++);
      if (b & 128) {
        if (this.#lengthBytes === 4) throw remote(MQTT_BAD_LENGTH, MALFORMED_PACKET, "length over 4 bytes");
        continue;
      }
      // 5: [MQTT-1.5.5-1] the fewest bytes that hold the value.
      if (!b && this.#lengthBytes > 1) throw remote(MQTT_BAD_LENGTH, MALFORMED_PACKET, "overlong length");
      this.#state = BODY;
      if (1 + this.#lengthBytes + this.#length > this.#max) {
        // MQTT 5 told the broker the limit, so this is its error. 3.1.1 has no way to: a PUBLISH
        // over it is read past and reported, so one big retained message cannot loop the session.
        if (c.v === 5 || this.#first >> 4 !== PUBLISH) throw remote(MQTT_TOO_LARGE, PACKET_TOO_LARGE);
        this.#state = SKIP;
        this.#skipTopic = this.#skipId = 0;
      }
    }
  }

  /** Skips bytes of an oversized PUBLISH from `chunk[i]`; returns where it stopped. At its end, reports it. */
  #skip(chunk: Uint8Array, i: number, onPacket: (packet: BrokerPacket) => void): number {
    const length = this.#length;
    const first = this.#first;
    const qos = ((first >> 1) & 3) as QoS;
    while (i < chunk.length && this.#have < length) {
      const k = this.#have;
      const idAt = 2 + this.#skipTopic; // the topic's length, then the topic, then the packet id
      if (k < 2 || (qos && k >= idAt && k < idAt + 2)) {
        const b = chunk[i++]!;
        this.#have++;
        if (k >= 2) this.#skipId = ((this.#skipId << 8) | b) & 0xffff;
        else {
          this.#skipTopic = (this.#skipTopic << 8) | b;
          if (k === 1 && 2 + this.#skipTopic + (qos ? 2 : 0) > length) throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "truncated");
        }
        continue;
      }
      const take = Math.min((qos && k < idAt ? idAt : length) - k, chunk.length - i);
      this.#have += take;
      i += take;
    }
    if (this.#have === length) {
      this.#state = HEADER;
      const p: PublishPacket = { type: PUBLISH, topic: "", payload: EMPTY, qos, retain: (first & 1) !== 0, dup: (first & 8) !== 0, tooLarge: length };
      if (qos && !(p.packetId = this.#skipId)) throw remote(MQTT_BAD_PACKET_ID, PROTOCOL_ERROR); // [MQTT-2.3.1-1]
      onPacket(p);
    }
    return i;
  }
}

/** Packet type and fixed header flags (§2.1.2, §2.1.3), checked before the length is read. */
function checkHeader(b: number, v: ProtocolVersion): void {
  const type = b >> 4;
  const flags = b & 15;
  // Types a broker sends: 2-7, 9, 11, 13, 14, and 15 (AUTH) in MQTT 5 only.
  if (!((0x6afc >> type) & 1) && !(type === AUTH && v === 5)) throw remote(MQTT_UNKNOWN_TYPE, PROTOCOL_ERROR, `type ${type}`);
  if (type === PUBLISH) {
    // [MQTT-3.3.1-4] both QoS bits set; [MQTT-3.3.1-2] DUP on a QoS 0 message.
    if ((flags & 6) === 6) throw remote(MQTT_BAD_QOS, MALFORMED_PACKET);
    if (flags & 8 && !(flags & 6)) throw remote(MQTT_BAD_FLAGS, MALFORMED_PACKET, "DUP on QoS 0");
  } else if (flags !== (type === PUBREL ? 2 : 0)) {
    // [MQTT-2.2.2-1], [MQTT-2.2.2-2] (5: [MQTT-2.1.3-1]) reserved flags.
    throw remote(MQTT_BAD_FLAGS, MALFORMED_PACKET, `flags of type ${type}`);
  }
}

/** Decodes the body `c.b[c.p..c.e]` of a packet whose first byte is `first`. */
function decodePacket(c: Cursor, first: number): BrokerPacket {
  const type = first >> 4;
  const v5 = c.v === 5;
  const end = c.e;
  let packet: BrokerPacket;
  switch (type) {
    case CONNACK: {
      const flags = u8(c);
      // [MQTT-3.2.2-1] acknowledge flags bits 7-1 are reserved.
      if (flags > 1) throw remote(MQTT_BAD_FLAGS, MALFORMED_PACKET, "CONNACK flags");
      const reasonCode = reason(c, CONNACK);
      // [MQTT-3.2.2-4] (5: [MQTT-3.2.2-6]): a refusal never reports a session.
      if (flags && reasonCode) throw remote(MQTT_BAD_FLAGS, PROTOCOL_ERROR, "session present on refusal");
      packet = { type, sessionPresent: flags === 1, reasonCode };
      addProps(c, packet, CONNACK);
      break;
    }
    case PUBLISH: {
      const qos = ((first >> 1) & 3) as QoS;
      const p: PublishPacket = { type, topic: string(c), payload: c.b, qos, retain: (first & 1) !== 0, dup: (first & 8) !== 0 };
      if (qos) p.packetId = packetId(c);
      addProps(c, p, PUBLISH);
      // [MQTT-3.3.2-2] no wildcards; [MQTT-4.7.3-1] not empty unless a Topic Alias stands in.
      if (hasWildcard(p.topic)) throw remote(MQTT_BAD_TOPIC, TOPIC_NAME_INVALID, `topic "${p.topic}"`);
      if (!p.topic && p.properties?.[TOPIC_ALIAS] === undefined) throw remote(MQTT_BAD_TOPIC, PROTOCOL_ERROR, "empty topic");
      p.payload = c.b.subarray(c.p, end);
      c.p = end;
      packet = p;
      break;
    }
    case PUBACK:
    case PUBREC:
    case PUBREL:
    case PUBCOMP: {
      const p: AckPacket = { type, packetId: packetId(c) };
      if (v5) reasonTail(c, p, type);
      packet = p;
      break;
    }
    case SUBACK:
    case UNSUBACK: {
      const p: { type: number; packetId: number; reasonCodes?: number[]; properties?: Properties } = { type, packetId: packetId(c) };
      // A 3.1.1 UNSUBACK is the packet id alone; otherwise properties and one code per filter, at least one (§3.9.3, §3.11.3).
      if (type === SUBACK || v5) {
        addProps(c, p, type);
        if (c.p === end) throw remote(MQTT_MALFORMED, PROTOCOL_ERROR, "no reason code");
        const codes: number[] = (p.reasonCodes = []);
        while (c.p < end) codes.push(reason(c, type));
      }
      packet = p as BrokerPacket;
      break;
    }
    case PINGRESP:
      packet = { type };
      break;
    default: {
      // DISCONNECT, or AUTH (checked with the header). §3.14.2.1: an empty body means reason 0.
      const p: DisconnectPacket = { type: type as typeof DISCONNECT };
      if (v5) reasonTail(c, p, type);
      packet = p;
    }
  }
  // The Remaining Length must match the fields exactly (§2.1.4).
  if (c.p !== end) throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "bytes left over");
  return packet;
}

/** The MQTT 5 tail of acknowledgements, DISCONNECT and AUTH: each part may be left out. */
function reasonTail(c: Cursor, p: { reasonCode?: number; properties?: Properties }, type: number): void {
  p.reasonCode = c.p < c.e ? reason(c, type) : 0;
  if (c.p < c.e) addProps(c, p, type);
}

function reason(c: Cursor, type: number): number {
  const code = u8(c);
  if (!isReasonCode(type, c.v, code)) throw remote(MQTT_BAD_REASON, PROTOCOL_ERROR, `reason code ${code}`);
  return code;
}

function packetId(c: Cursor): number {
  const id = u16(c);
  // [MQTT-2.3.1-1] Packet Identifiers are non-zero.
  if (!id) throw remote(MQTT_BAD_PACKET_ID, PROTOCOL_ERROR);
  return id;
}

/** An MQTT 5 property block (§2.2.2), set as `p.properties` when not empty. */
function addProps(c: Cursor, p: { properties?: Properties }, place: number): void {
  if (c.v === 4) return;
  const outer = c.e;
  const end = varint(c) + c.p;
  if (end > outer) throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "property length");
  c.e = end; // a property may not run past its block
  let found: Properties | undefined;
  while (c.p < end) {
    const id = u8(c);
    const kind = PROPERTY_KINDS[id] ?? 0;
    // §2.2.2.2: an identifier unknown or not valid for this packet is a Malformed Packet.
    if (!((kind >> PLACES_SHIFT) & (1 << place))) throw remote(MQTT_BAD_PROPERTY, MALFORMED_PACKET, `property ${id}`);
    const type = kind & 7;
    const value =
      type === VALUE_BYTE ? u8(c)
      : type === VALUE_U16 ? u16(c)
      : type === VALUE_U32 ? u16(c) * 65536 + u16(c)
      : type === VALUE_VARINT ? varint(c)
      : type === VALUE_STRING ? string(c)
      : type === VALUE_BINARY ? binary(c)
      : ([string(c), string(c)] as [string, string]);
    if ((type === VALUE_BYTE && (value as number) > 1) || (kind & VALUE_NONZERO && !value)) throw remote(MQTT_BAD_PROPERTY, PROTOCOL_ERROR, `property ${id}`);
    found ??= {};
    const seen = found[id];
    if (id === USER_PROPERTY) ((seen ?? (found[id] = [])) as [string, string][]).push(value as [string, string]);
    else if (seen === undefined) found[id] = value as number;
    // §3.3.2.3.8: a PUBLISH may carry several Subscription Identifiers; any other repeat is a Protocol Error.
    else if (id === SUBSCRIPTION_IDENTIFIER && place === PUBLISH) found[id] = ([] as number[]).concat(seen as number, value as number);
    else throw remote(MQTT_BAD_PROPERTY, PROTOCOL_ERROR, `property ${id} repeated`);
  }
  c.e = outer;
  if (found) p.properties = found;
}

/** Advances over `n` bytes and returns where they start; refuses to pass the end. */
function need(c: Cursor, n: number): number {
  const p = c.p;
  if (p + n > c.e) throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "truncated");
  c.p = p + n;
  return p;
}

function u8(c: Cursor): number {
  return c.b[need(c, 1)]!;
}

function u16(c: Cursor): number {
  const p = need(c, 2);
  return (c.b[p]! << 8) | c.b[p + 1]!;
}

/** Variable Byte Integer (§1.5.5), in its shortest form. */
function varint(c: Cursor): number {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const b = u8(c);
    value |= (b & 127) << (7 * i);
    if (b < 128 && !(i && !b)) return value;
    if (b < 128) break;
  }
  throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "variable byte integer");
}

/** Binary Data (§1.5.6): a view into the input. */
function binary(c: Cursor): Uint8Array {
  const n = u16(c);
  const p = need(c, n);
  return c.b.subarray(p, p + n);
}

/** UTF-8 Encoded String (§1.5.4): well-formed, without U+0000 [MQTT-1.5.3-1, -2]. */
function string(c: Cursor): string {
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
