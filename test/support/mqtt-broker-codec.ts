/**
 * The broker side of MQTT 3.1.1 and MQTT 5, as much as the mini broker needs: a
 * streaming parser of what a client sends and encoders of what a broker answers.
 *
 * Packets that look the same in both directions (PUBLISH, the acknowledgements,
 * DISCONNECT, AUTH) go through the library's client codec: `MqttParser` decodes them
 * and `encodePacket` encodes them. CONNECT, SUBSCRIBE, UNSUBSCRIBE and PINGREQ are
 * decoded here, and CONNACK, SUBACK and PINGRESP encoded here. MQTT 5 properties of
 * decoded packets are skipped (except those the client codec reads); encoded ones
 * carry none. Portable: no Node API, so it runs inside XS as well.
 *
 * Malformed input throws a plain `Error`; the parser is then unusable.
 */
import { MqttParser } from "../../src/connectors/mqtt/decode.js";
import { encodePacket, varint } from "../../src/connectors/mqtt/encode.js";
import {
  AUTH, CONNACK, CONNECT, DISCONNECT, PINGREQ, PINGRESP, PUBCOMP, PUBLISH, SUBACK, SUBSCRIBE, UNSUBSCRIBE,
} from "../../src/connectors/mqtt/constants.js";
import type { AckPacket, ClientPacket, ConnectPacket, DisconnectPacket, ProtocolVersion, PublishPacket, QoS } from "../../src/connectors/mqtt/packets.js";
import { utf8Decode } from "../../src/core/utf8.js";

/** What a broker sends that the client codec cannot encode. */
export type BrokerReply =
  | { type: typeof CONNACK; sessionPresent: boolean; reasonCode: number }
  | { type: typeof SUBACK; packetId: number; reasonCodes: number[] }
  | { type: typeof PINGRESP };

/** What a broker sends: the reply packets above, or a PUBLISH, an acknowledgement or a DISCONNECT. */
export type BrokerOut = BrokerReply | PublishPacket | AckPacket | DisconnectPacket;

/** Encodes one packet a broker sends, for `version`. */
export function encodeBrokerPacket(p: BrokerOut, version: ProtocolVersion): Uint8Array {
  const v5 = version === 5;
  switch (p.type) {
    case CONNACK:
      return frame(CONNACK << 4, [p.sessionPresent ? 1 : 0, p.reasonCode, ...(v5 ? [0] : [])]);
    case SUBACK:
      return frame(SUBACK << 4, [p.packetId >> 8, p.packetId & 255, ...(v5 ? [0] : []), ...p.reasonCodes]);
    case PINGRESP:
      return frame(PINGRESP << 4, []);
    default:
      return encodePacket(p, version);
  }
}

function frame(first: number, body: number[]): Uint8Array {
  const head = [first];
  varint(head, body.length);
  return new Uint8Array([...head, ...body]);
}

/**
 * Reads a client's byte stream, split anywhere, into packets. The protocol version
 * comes from the CONNECT; until then packets are read as MQTT 5. Byte fields of a
 * packet (PUBLISH payload, will payload, password) are the packet's own copies.
 */
export class BrokerParser {
  version: ProtocolVersion;
  #pending = new Uint8Array(0);
  #client: MqttParser;

  /** `version` until a CONNECT says otherwise. */
  constructor(version: ProtocolVersion = 5) {
    this.version = version;
    this.#client = new MqttParser(version, Number.POSITIVE_INFINITY);
  }

  feed(chunk: Uint8Array, onPacket: (packet: ClientPacket) => void): void {
    const joined = new Uint8Array(this.#pending.length + chunk.length);
    joined.set(this.#pending);
    joined.set(chunk, this.#pending.length);
    let at = 0;
    for (;;) {
      const size = frameSize(joined, at);
      if (size === undefined || at + size > joined.length) break;
      onPacket(this.#decode(joined.slice(at, at + size)));
      at += size;
    }
    this.#pending = joined.slice(at);
  }

  #decode(bytes: Uint8Array): ClientPacket {
    const type = bytes[0]! >> 4;
    if ((type >= PUBLISH && type <= PUBCOMP) || type === DISCONNECT || type === AUTH) {
      // The same format both ways: the client parser reads it, with views into `bytes`.
      let packet: ClientPacket | undefined;
      this.#client.feed(bytes, (p) => (packet = p as ClientPacket));
      return packet!;
    }
    if (type !== CONNECT && type !== SUBSCRIBE && type !== UNSUBSCRIBE && type !== PINGREQ) throw new Error(`a client does not send type ${type}`);
    const r = new Reader(bytes);
    if ((bytes[0]! & 15) !== (type === SUBSCRIBE || type === UNSUBSCRIBE ? 2 : 0)) throw new Error(`bad flags on type ${type}`);
    let packet: ClientPacket;
    switch (type) {
      case CONNECT:
        packet = this.#connect(r);
        break;
      case SUBSCRIBE: {
        const packetId = r.u16();
        r.skipProperties(this.version);
        const subscriptions = [];
        while (r.more()) subscriptions.push({ topic: r.string(), qos: (r.u8() & 3) as QoS });
        if (!subscriptions.length) throw new Error("SUBSCRIBE without a subscription");
        packet = { type, packetId, subscriptions };
        break;
      }
      case UNSUBSCRIBE: {
        const packetId = r.u16();
        r.skipProperties(this.version);
        const topics = [];
        while (r.more()) topics.push(r.string());
        if (!topics.length) throw new Error("UNSUBSCRIBE without a topic");
        packet = { type, packetId, topics };
        break;
      }
      default:
        packet = { type: PINGREQ };
    }
    if (r.more()) throw new Error(`bytes left over in type ${type}`);
    return packet;
  }

  #connect(r: Reader): ConnectPacket {
    if (r.string() !== "MQTT") throw new Error("not MQTT");
    const version = r.u8();
    if (version !== 4 && version !== 5) throw new Error(`protocol version ${version}`);
    this.version = version;
    this.#client = new MqttParser(version, Number.POSITIVE_INFINITY);
    const flags = r.u8();
    const p: ConnectPacket = { type: CONNECT, protocolVersion: version, clientId: "", clean: (flags & 2) !== 0, keepalive: r.u16() };
    r.skipProperties(version);
    p.clientId = r.string();
    if (flags & 4) {
      r.skipProperties(version);
      const topic = r.string();
      p.will = { topic, payload: r.binary(), qos: ((flags >> 3) & 3) as QoS, retain: (flags & 32) !== 0 };
    }
    if (flags & 128) p.username = r.string();
    if (flags & 64) p.password = r.binary();
    return p;
  }
}

/** Bytes of the whole packet starting at `at`, or undefined while its length is incomplete. */
function frameSize(b: Uint8Array, at: number): number | undefined {
  let length = 0;
  for (let i = 1; i <= 4; i++) {
    if (at + i >= b.length) return undefined;
    const x = b[at + i]!;
    length += (x & 127) * 128 ** (i - 1);
    if (x < 128) return 1 + i + length;
  }
  throw new Error("remaining length over four bytes");
}

/** Reads the body of one whole packet (after its fixed header). */
class Reader {
  readonly #b: Uint8Array;
  #p: number;

  constructor(packet: Uint8Array) {
    this.#b = packet;
    this.#p = 1;
    while (packet[this.#p++]! & 128);
  }

  more(): boolean {
    return this.#p < this.#b.length;
  }

  #take(n: number): number {
    const p = this.#p;
    if (p + n > this.#b.length) throw new Error("truncated packet");
    this.#p = p + n;
    return p;
  }

  u8(): number {
    return this.#b[this.#take(1)]!;
  }

  u16(): number {
    const p = this.#take(2);
    return (this.#b[p]! << 8) | this.#b[p + 1]!;
  }

  binary(): Uint8Array {
    const n = this.u16();
    const p = this.#take(n);
    return this.#b.subarray(p, p + n);
  }

  string(): string {
    return utf8Decode(this.binary());
  }

  /** An MQTT 5 property block, skipped whole. */
  skipProperties(version: ProtocolVersion): void {
    if (version !== 5) return;
    let n = 0;
    for (let i = 0; ; i++) {
      const x = this.u8();
      n += (x & 127) * 128 ** i;
      if (x < 128) break;
      if (i === 3) throw new Error("property length over four bytes");
    }
    this.#take(n);
  }
}
