/**
 * Bytes → MQTT packets, for MQTT 3.1.1 and MQTT 5: a resumable, bounded parser.
 *
 * Theory of operation: `feed` runs one loop over three states. HEADER takes the first
 * byte and checks the packet type and its flags at once; LENGTH takes the Remaining
 * Length one byte at a time and refuses a length over `maxPacketSize` before anything
 * is stored; BODY waits for the rest of the packet. A body that lies wholly inside the
 * chunk being fed is decoded where it is. A body split across chunks is copied into one
 * buffer of `maxPacketSize` bytes, allocated the first time it is needed and reused for
 * every later packet. Bytes may therefore arrive split at any offset, and memory stays
 * bounded by `maxPacketSize` whatever the peer sends.
 *
 * Each packet is decoded by reading fields off a cursor that never goes past the
 * packet's end, then checked for bytes left over. Any violation throws
 * `ProtocolError` with side "remote" and the MQTT 5 reason code a DISCONNECT (or
 * CONNACK) should carry; the parser then refuses all input until `reset()`.
 *
 * It decodes what a broker sends to a client (CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL,
 * PUBCOMP, SUBACK, UNSUBACK, PINGRESP, DISCONNECT, AUTH) and what a client sends to a
 * broker (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ). A CONNECT switches the parser to
 * the protocol version it announces, as a broker's parser must.
 */
import {
  AUTH, CONNACK, CONNECT, DISCONNECT, PINGREQ, PINGRESP, PUBACK, PUBCOMP, PUBLISH, PUBREC, PUBREL, SUBACK,
  SUBSCRIBE, UNSUBACK, UNSUBSCRIBE, CONNECT_CLEAN, CONNECT_PASSWORD, CONNECT_RESERVED, CONNECT_USERNAME,
  CONNECT_WILL, CONNECT_WILL_QOS_SHIFT, CONNECT_WILL_RETAIN, FLAGS_RESERVED_0010, IN_WILL, MALFORMED_PACKET,
  PACKET_TOO_LARGE, PROTOCOL_ERROR, PUBLISH_DUP, PUBLISH_RETAIN, SUBSCRIBE_NO_LOCAL, SUBSCRIBE_QOS_MASK,
  SUBSCRIBE_RETAIN_AS_PUBLISHED, SUBSCRIBE_RETAIN_HANDLING_SHIFT, TOPIC_NAME_INVALID,
  UNSUPPORTED_PROTOCOL_VERSION, PUBLISH_QOS_SHIFT, MQTT_BAD_FLAGS, MQTT_BAD_LENGTH, MQTT_BAD_PACKET_ID,
  MQTT_BAD_QOS, MQTT_BAD_REASON, MQTT_BAD_TOPIC, MQTT_BAD_VERSION, MQTT_MALFORMED, MQTT_TOO_LARGE,
  MQTT_UNKNOWN_TYPE,
} from "./constants.js";
import type {
  AckPacket, ConnectPacket, DisconnectPacket, Packet, Properties, ProtocolVersion, PublishPacket, QoS,
  SubscribePacket, Subscription, UnsubackPacket,
} from "./packets.js";
import { addProps, binary, props, remote, string, u16, u8, type Cursor } from "./reader.js";
import { hasWildcard, isReasonCode } from "./rules.js";

// Parser states.
const HEADER = 0;
const LENGTH = 1;
const BODY = 2;

export interface MqttParserOptions {
  /** The protocol version of the connection; a decoded CONNECT replaces it. */
  version: ProtocolVersion;
  /** Largest whole packet accepted, fixed header included; default 65536. It sizes the one internal buffer. */
  maxPacketSize?: number;
}

export class MqttParser {
  readonly #max: number;
  readonly #version: ProtocolVersion;
  readonly #c: Cursor;
  /** Holds the body of a packet split across chunks; allocated once, on first need. */
  #buffer: Uint8Array | undefined;
  #state = HEADER;
  #first = 0;
  #length = 0;
  #lengthBytes = 0;
  /** Body bytes copied into #buffer so far. */
  #have = 0;
  #failed = false;
  #error: unknown;

  constructor(options: MqttParserOptions) {
    this.#version = options.version;
    this.#max = options.maxPacketSize ?? 65536;
    this.#c = { b: new Uint8Array(0), p: 0, e: 0, v: options.version };
  }

  /** Bytes of an incomplete packet held in the internal buffer (never more than `maxPacketSize`). */
  get buffered(): number {
    return this.#state === BODY ? this.#have : 0;
  }

  /**
   * Feeds bytes, split anywhere, and calls `onPacket` for each whole packet, in order.
   *
   * Byte fields of a packet (`payload`, `password`, will `payload`, `correlationData`,
   * `authenticationData`) are views into `chunk` or into the internal buffer: they are
   * valid only during the `onPacket` call. Copy them (`slice()`) to keep them. Do not
   * call `feed` from inside `onPacket`.
   *
   * Throws `ProtocolError` (side "remote") on malformed input. After any exception,
   * including one thrown by `onPacket`, the parser rethrows it on every `feed` until
   * `reset()`.
   */
  feed(chunk: Uint8Array, onPacket: (packet: Packet) => void): void {
    if (this.#failed) throw this.#error;
    try {
      this.#run(chunk, onPacket);
    } catch (err) {
      this.#failed = true;
      this.#error = err;
      throw err;
    }
  }

  /** Forgets any partial packet and a failure, and returns to the version given at construction. */
  reset(): void {
    this.#state = HEADER;
    this.#have = 0;
    this.#failed = false;
    this.#error = undefined;
    this.#c.v = this.#version;
  }

  #run(chunk: Uint8Array, onPacket: (packet: Packet) => void): void {
    const n = chunk.length;
    const c = this.#c;
    let i = 0;
    for (;;) {
      if (this.#state === BODY) {
        const length = this.#length;
        c.b = chunk;
        c.p = i;
        if (this.#have === 0 && n - i >= length) i += length; // wholly inside this chunk: decode in place
        else {
          const buffer = (this.#buffer ??= new Uint8Array(this.#max));
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
        this.#length = this.#lengthBytes = 0;
        this.#state = LENGTH;
        continue;
      }
      // LENGTH: the Remaining Length, a Variable Byte Integer of at most four bytes (§2.1.4, §1.5.5).
      this.#length |= (b & 127) << (7 * this.#lengthBytes++);
      if (b & 128) {
        if (this.#lengthBytes === 4) throw remote(MQTT_BAD_LENGTH, MALFORMED_PACKET, "length over 4 bytes");
        continue;
      }
      // 5: [MQTT-1.5.5-1] the fewest bytes that hold the value.
      if (!b && this.#lengthBytes > 1) throw remote(MQTT_BAD_LENGTH, MALFORMED_PACKET, "overlong length");
      if (1 + this.#lengthBytes + this.#length > this.#max) throw remote(MQTT_TOO_LARGE, PACKET_TOO_LARGE);
      this.#have = 0;
      this.#state = BODY;
    }
  }
}

/** Packet type and fixed header flags (§2.1.2, §2.1.3), checked before the length is read. */
function checkHeader(b: number, v: ProtocolVersion): void {
  const type = b >> 4;
  const flags = b & 15;
  // §2.1.2: type 0 is reserved; 15 is AUTH in MQTT 5 and reserved in 3.1.1.
  if (!type || (type === AUTH && v === 4)) throw remote(MQTT_UNKNOWN_TYPE, MALFORMED_PACKET, `type ${type}`);
  if (type === PUBLISH) {
    // [MQTT-3.3.1-4] both QoS bits set.
    if ((flags & 6) === 6) throw remote(MQTT_BAD_QOS, MALFORMED_PACKET);
    // [MQTT-3.3.1-2] DUP on a QoS 0 message.
    if (flags & PUBLISH_DUP && !(flags & 6)) throw remote(MQTT_BAD_FLAGS, MALFORMED_PACKET, "DUP on QoS 0");
  } else if (flags !== (type === PUBREL || type === SUBSCRIBE || type === UNSUBSCRIBE ? FLAGS_RESERVED_0010 : 0)) {
    // [MQTT-2.2.2-1], [MQTT-2.2.2-2] (5: [MQTT-2.1.3-1]): reserved flags as listed, else close the connection.
    throw remote(MQTT_BAD_FLAGS, MALFORMED_PACKET, `flags of type ${type}`);
  }
}

/** Decodes the body `c.b[c.p..c.e]` of a packet whose first byte is `first`. */
function decodePacket(c: Cursor, first: number): Packet {
  const type = first >> 4;
  const v5 = c.v === 5;
  const end = c.e;
  let packet: Packet;
  switch (type) {
    case CONNECT:
      packet = connect(c);
      break;
    case CONNACK: {
      const flags = u8(c);
      // 5: [MQTT-3.2.2-1] (3.1.1 §3.2.2.1) acknowledge flags bits 7-1 are reserved.
      if (flags > 1) throw remote(MQTT_BAD_FLAGS, MALFORMED_PACKET, "CONNACK flags");
      const reasonCode = reason(c, CONNACK);
      // [MQTT-3.2.2-4] (5: [MQTT-3.2.2-6]): a refusal never reports a session.
      if (flags && reasonCode) throw remote(MQTT_BAD_FLAGS, PROTOCOL_ERROR, "session present on refusal");
      packet = { type, sessionPresent: flags === 1, reasonCode };
      addProps(c, packet, CONNACK);
      break;
    }
    case PUBLISH: {
      const qos = ((first >> PUBLISH_QOS_SHIFT) & 3) as QoS;
      const p: PublishPacket = { type, topic: string(c), payload: c.b, qos, retain: (first & PUBLISH_RETAIN) !== 0, dup: (first & PUBLISH_DUP) !== 0 };
      if (qos) p.packetId = packetId(c);
      addProps(c, p, PUBLISH);
      checkTopicName(p.topic, p.properties?.topicAlias !== undefined);
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
      // §3.4.2.1, §3.4.2.2.1: the reason code may be left out (0), then the properties.
      if (v5) reasonAndProps(c, p, type);
      packet = p;
      break;
    }
    case SUBSCRIBE: {
      const p: SubscribePacket = { type, packetId: packetId(c), subscriptions: [] };
      addProps(c, p, SUBSCRIBE);
      nonEmpty(c); // [MQTT-3.8.3-3] (5: [MQTT-3.8.3-2]) at least one subscription
      while (c.p < end) {
        const topic = string(c);
        const o = u8(c);
        // [MQTT-3-8.3-4] bits 7-2 reserved (5: [MQTT-3.8.3-5] bits 7-6); Retain Handling 3 is malformed (§3.8.3.1).
        if (o & (v5 ? 0xc0 : 0xfc) || (o & 0x30) === 0x30) throw remote(MQTT_BAD_FLAGS, MALFORMED_PACKET, "subscription options");
        // [MQTT-3-8.3-4] QoS 3.
        if ((o & SUBSCRIBE_QOS_MASK) === 3) throw remote(MQTT_BAD_QOS, MALFORMED_PACKET);
        const s: Subscription = { topic, qos: (o & SUBSCRIBE_QOS_MASK) as QoS };
        if (v5) {
          s.noLocal = (o & SUBSCRIBE_NO_LOCAL) !== 0;
          s.retainAsPublished = (o & SUBSCRIBE_RETAIN_AS_PUBLISHED) !== 0;
          s.retainHandling = (o >> SUBSCRIBE_RETAIN_HANDLING_SHIFT) as 0 | 1 | 2;
        }
        p.subscriptions.push(s);
      }
      packet = p;
      break;
    }
    case SUBACK:
      packet = { type, packetId: packetId(c), reasonCodes: [] };
      addProps(c, packet, SUBACK);
      codes(c, SUBACK, packet.reasonCodes);
      break;
    case UNSUBSCRIBE:
      packet = { type, packetId: packetId(c), topics: [] };
      addProps(c, packet, UNSUBSCRIBE);
      nonEmpty(c); // [MQTT-3.10.3-2] at least one topic filter
      while (c.p < end) packet.topics.push(string(c));
      break;
    case UNSUBACK: {
      const p: UnsubackPacket = { type, packetId: packetId(c) };
      if (v5) {
        addProps(c, p, UNSUBACK);
        codes(c, UNSUBACK, (p.reasonCodes = []));
      }
      packet = p;
      break;
    }
    case PINGREQ:
    case PINGRESP:
      packet = { type };
      break;
    default: {
      // DISCONNECT, or AUTH (MQTT 5 only, checked with the header).
      const p: DisconnectPacket = { type: type as typeof DISCONNECT };
      // §3.14.2.1, §3.15.2.1: an empty body means reason code 0 and no properties.
      if (v5) reasonAndProps(c, p, type);
      packet = p;
    }
  }
  // The Remaining Length must match the fields exactly (§2.1.4).
  if (c.p !== end) throw remote(MQTT_MALFORMED, MALFORMED_PACKET, "bytes left over");
  return packet;
}

function connect(c: Cursor): ConnectPacket {
  // [MQTT-3.1.2-1] Protocol Name "MQTT"; [MQTT-3.1.2-2] Protocol Level 4 or 5 (3.1's "MQIsdp" is refused).
  if (u16(c) !== 4 || u16(c) !== 0x4d51 || u16(c) !== 0x5454) throw remote(MQTT_BAD_VERSION, UNSUPPORTED_PROTOCOL_VERSION, "protocol name");
  const level = u8(c);
  if (level !== 4 && level !== 5) throw remote(MQTT_BAD_VERSION, UNSUPPORTED_PROTOCOL_VERSION, `protocol level ${level}`);
  c.v = level;
  const flags = u8(c);
  const will = flags & CONNECT_WILL;
  const willQos = (flags >> CONNECT_WILL_QOS_SHIFT) & 3;
  // [MQTT-3.1.2-3] reserved bit; [MQTT-3.1.2-13], [MQTT-3.1.2-15] will QoS and retain need the will flag;
  // [MQTT-3.1.2-14] will QoS 3; [MQTT-3.1.2-22] (3.1.1 only) a password needs a user name.
  if (flags & CONNECT_RESERVED || (!will && flags & 0x38) || willQos === 3 || (level === 4 && (flags & 0xc0) === CONNECT_PASSWORD)) {
    throw remote(MQTT_BAD_FLAGS, MALFORMED_PACKET, "CONNECT flags");
  }
  const p: ConnectPacket = { type: CONNECT, protocolVersion: level, clientId: "", clean: (flags & CONNECT_CLEAN) !== 0, keepalive: u16(c) };
  addProps(c, p, CONNECT);
  p.clientId = string(c);
  if (will) {
    const properties = props(c, IN_WILL);
    const topic = string(c);
    checkTopicName(topic, false);
    p.will = { topic, payload: binary(c), qos: willQos as QoS, retain: (flags & CONNECT_WILL_RETAIN) !== 0 };
    if (properties) p.will.properties = properties;
  }
  if (flags & CONNECT_USERNAME) p.username = string(c);
  if (flags & CONNECT_PASSWORD) p.password = binary(c);
  return p;
}

/** A Topic Name has no wildcards [MQTT-3.3.2-2] and is not empty [MQTT-4.7.3-1] unless a Topic Alias stands in (§3.3.2.3.4). */
function checkTopicName(topic: string, aliased: boolean): void {
  if (hasWildcard(topic)) throw remote(MQTT_BAD_TOPIC, TOPIC_NAME_INVALID, `topic "${topic}"`);
  if (!topic && !aliased) throw remote(MQTT_BAD_TOPIC, PROTOCOL_ERROR, "empty topic");
}

/** The MQTT 5 tail of acknowledgements, DISCONNECT and AUTH: each part may be left out. */
function reasonAndProps(c: Cursor, p: { reasonCode?: number; properties?: Properties }, type: number): void {
  p.reasonCode = c.p < c.e ? reason(c, type) : 0;
  if (c.p < c.e) addProps(c, p, type);
}

function reason(c: Cursor, type: number): number {
  const code = u8(c);
  if (!isReasonCode(type, c.v, code)) throw remote(MQTT_BAD_REASON, PROTOCOL_ERROR, `reason code ${code}`);
  return code;
}

/** SUBACK and UNSUBACK payloads: the rest of the packet, one code per byte, at least one. */
function codes(c: Cursor, type: number, into: number[]): void {
  nonEmpty(c);
  while (c.p < c.e) into.push(reason(c, type));
}

function nonEmpty(c: Cursor): void {
  if (c.p === c.e) throw remote(MQTT_MALFORMED, PROTOCOL_ERROR, "empty payload");
}

function packetId(c: Cursor): number {
  const id = u16(c);
  // [MQTT-2.3.1-1] Packet Identifiers are non-zero.
  if (!id) throw remote(MQTT_BAD_PACKET_ID, PROTOCOL_ERROR);
  return id;
}
