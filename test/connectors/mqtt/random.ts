/**
 * Seeded random MQTT packets for the differential and fuzz tests: packets a client sends
 * (`randomClientPacket`, for `encodePacket`) and packets a broker sends
 * (`randomBrokerPacket`, in the shape `MqttParser` yields), valid for the version asked
 * and within what both aimdb-ts and mqtt-packet accept. MQTT 5 properties are keyed by
 * property identifier.
 */
import type { BrokerPacket, ClientPacket, Properties, ProtocolVersion, PublishPacket, QoS } from "../../../src/connectors/mqtt/packets.js";
import { VECTORS } from "./vectors.js";

import { Rng } from "../../support/rng.js";

export { Rng };

// One- to four-byte UTF-8 characters; no wildcard, no U+0000.
const CHARS = ["a", "b", "z", "0", "-", "_", " ", "$", "é", "ß", "中", "€", "😀", "\u{10ffff}"];

export function text(r: Rng, min: number, max: number): string {
  let s = "";
  for (let n = r.int(min, max); n > 0; n--) s += r.pick(CHARS);
  return s;
}

export function topicName(r: Rng): string {
  const levels = r.int(1, 4);
  const out: string[] = [];
  for (let i = 0; i < levels; i++) out.push(text(r, i === 0 ? 1 : 0, 6));
  return out.join("/");
}

export function topicFilter(r: Rng): string {
  const levels = r.int(1, 4);
  const out: string[] = [];
  for (let i = 0; i < levels; i++) out.push(r.bool(0.2) ? "+" : text(r, 1, 5));
  if (r.bool(0.3)) out.push("#");
  return out.join("/");
}

const qos = (r: Rng): QoS => r.int(0, 2) as QoS;
const packetId = (r: Rng): number => (r.bool(0.1) ? r.pick([1, 65535]) : r.int(1, 65535));
const bit = (r: Rng) => r.int(0, 1);
const u16 = (r: Rng) => r.pick([0, 1, 255, 256, 65535, r.int(0, 65535)]);
const u16nz = (r: Rng) => r.pick([1, 65535, r.int(1, 65535)]);
const u32 = (r: Rng) => r.pick([0, 1, 0xffffffff, r.int(0, 0xffffffff)]);
const varint = (r: Rng) => r.pick([1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, r.int(1, 268435455)]);

/** Value generators by property identifier (§2.2.2.2); 0x26 User Property is drawn apart. */
const PROPS: Record<number, (r: Rng) => number | string | Uint8Array> = {
  0x01: bit, // payload format indicator
  0x02: u32, // message expiry interval
  0x03: (r) => text(r, 0, 8), // content type
  0x08: topicName, // response topic
  0x09: (r) => r.bytes(0, 8), // correlation data
  0x0b: varint, // subscription identifier
  0x11: u32, // session expiry interval
  0x12: (r) => text(r, 0, 8), // assigned client identifier
  0x13: u16, // server keep alive
  0x15: (r) => text(r, 1, 8), // authentication method
  0x16: (r) => r.bytes(0, 8), // authentication data
  0x17: bit, // request problem information
  0x18: u32, // will delay interval
  0x19: bit, // request response information
  0x1a: (r) => text(r, 0, 8), // response information
  0x1c: (r) => text(r, 0, 8), // server reference
  0x1f: (r) => text(r, 0, 12), // reason string
  0x21: u16nz, // receive maximum
  0x22: u16, // topic alias maximum
  0x23: u16nz, // topic alias
  0x24: bit, // maximum QoS
  0x25: bit, // retain available
  0x27: (r) => r.pick([1, 0xffffffff, r.int(1, 0xffffffff)]), // maximum packet size
  0x28: bit, // wildcard subscription available
  0x29: bit, // subscription identifiers available
  0x2a: bit, // shared subscription available
};

/** Some of the properties `ids`, and sometimes user properties; undefined when none was drawn. */
function props(r: Rng, ids: number[]): Properties | undefined {
  if (r.bool(0.25)) return undefined;
  const out: Properties = {};
  let any = false;
  for (const id of ids) {
    if (r.bool(0.4)) {
      out[id] = PROPS[id]!(r);
      any = true;
    }
  }
  if (r.bool(0.4)) {
    const pairs: [string, string][] = [];
    for (let n = r.int(1, 3); n > 0; n--) pairs.push([r.bool(0.3) ? "k" : text(r, 0, 4), text(r, 1, 6)]); // mqtt-packet drops an empty value when its name repeats
    out[0x26] = pairs;
    any = true;
  }
  return any ? out : undefined;
}

const REASONS: Record<number, number[]> = {
  2: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f],
  4: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  6: [0x00, 0x92],
  9: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  11: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  14: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2],
  15: [0x00, 0x18, 0x19],
};

/** The packet types a client sends in each version: CONNECT, PUBLISH, the acknowledgements, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT (and AUTH). */
export function clientTypes(version: ProtocolVersion): number[] {
  return version === 5 ? [1, 3, 4, 5, 6, 7, 8, 10, 12, 14, 15] : [1, 3, 4, 5, 6, 7, 8, 10, 12, 14];
}

/** The packet types a broker sends in each version, as the parser reads them: CONNACK, PUBLISH, the acknowledgements, SUBACK, UNSUBACK, PINGRESP, DISCONNECT (and AUTH). */
export function brokerTypes(version: ProtocolVersion): number[] {
  return version === 5 ? [2, 3, 4, 5, 6, 7, 9, 11, 13, 14, 15] : [2, 3, 4, 5, 6, 7, 9, 11, 13, 14];
}

type Shared = Extract<ClientPacket, BrokerPacket>;

/** PUBLISH, an acknowledgement, DISCONNECT or AUTH: the types both sides send. */
function sharedPacket(r: Rng, version: ProtocolVersion, type: number, fromBroker: boolean): Shared {
  const v5 = version === 5;
  const withProps = <T extends object>(p: T, ids: number[]): T => {
    const found = v5 ? props(r, ids) : undefined;
    return found ? { ...p, properties: found } : p;
  };
  switch (type) {
    case 3: {
      const q = qos(r);
      const p: PublishPacket = withProps(
        { type: 3 as const, topic: topicName(r), payload: r.bytes(0, r.bool(0.1) ? 300 : 30), qos: q, retain: r.bool(), dup: q > 0 && r.bool() },
        [0x01, 0x02, 0x03, 0x08, 0x09, 0x23],
      );
      if (q) p.packetId = packetId(r);
      // Subscription identifiers go from broker to client only [MQTT-3.3.4-6]; several when several subscriptions matched.
      if (v5 && fromBroker && r.bool(0.3)) {
        const ids = Array.from({ length: r.int(1, 3) }, () => varint(r));
        p.properties = { ...p.properties, 0x0b: ids.length === 1 ? ids[0]! : ids };
      }
      if (v5 && p.properties?.[0x23] !== undefined && r.bool(0.3)) p.topic = "";
      return p;
    }
    case 4: case 5: case 6: case 7: {
      const p = withProps({ type: type as 4, packetId: packetId(r) }, [0x1f]);
      return v5 ? { ...p, reasonCode: r.bool() ? 0 : r.pick(REASONS[type < 6 ? 4 : 6]!) } : p;
    }
    case 14: {
      const p = withProps({ type: 14 as const }, fromBroker ? [0x1f, 0x1c] : [0x11, 0x1f]);
      return v5 ? { ...p, reasonCode: r.bool() ? 0 : r.pick(REASONS[14]!) } : p;
    }
    case 15: {
      // AUTH always names its authentication method (§4.12); mqtt-packet also cannot parse an empty AUTH.
      const p: Shared = withProps({ type: 15 as const }, [0x16, 0x1f]);
      return { ...p, reasonCode: r.pick(REASONS[15]!), properties: { ...p.properties, 0x15: text(r, 1, 8) } };
    }
  }
  throw new Error(`type ${type} is not sent by both sides`);
}

/** A random valid packet of `type` that a client sends in `version`. */
export function randomClientPacket(r: Rng, version: ProtocolVersion, type: number): ClientPacket {
  const v5 = version === 5;
  const withProps = <T extends object>(p: T, ids: number[]): T => {
    const found = v5 ? props(r, ids) : undefined;
    return found ? { ...p, properties: found } : p;
  };
  switch (type) {
    case 1: {
      const clean = r.bool();
      const username = r.bool() ? text(r, 0, 8) : undefined;
      const p: ClientPacket & { type: 1 } = withProps(
        { type: 1 as const, protocolVersion: version, clientId: clean && r.bool(0.2) ? "" : text(r, 1, 12), clean, keepalive: u16(r) },
        [0x11, 0x21, 0x27, 0x22, 0x19, 0x17, 0x15, 0x16],
      );
      if (r.bool()) p.will = withProps({ topic: topicName(r), payload: r.bytes(0, 20), qos: qos(r), retain: r.bool() }, [0x18, 0x01, 0x02, 0x03, 0x08, 0x09]);
      if (username !== undefined) p.username = username;
      if (username !== undefined && r.bool()) p.password = r.bytes(0, 12);
      return p;
    }
    case 8: {
      const subscriptions = Array.from({ length: r.int(1, 4) }, () =>
        v5
          ? { topic: topicFilter(r), qos: qos(r), noLocal: r.bool(), retainAsPublished: r.bool(), retainHandling: r.int(0, 2) as 0 | 1 | 2 }
          : { topic: topicFilter(r), qos: qos(r) },
      );
      return withProps({ type: 8 as const, packetId: packetId(r), subscriptions }, [0x0b]);
    }
    case 10:
      return withProps({ type: 10 as const, packetId: packetId(r), topics: Array.from({ length: r.int(1, 4) }, () => topicFilter(r)) }, []);
    case 12:
      return { type: 12 };
    default:
      return sharedPacket(r, version, type, false);
  }
}

/** A random valid packet of `type` that a broker sends in `version`, in the shape the parser yields. */
export function randomBrokerPacket(r: Rng, version: ProtocolVersion, type: number): BrokerPacket {
  const v5 = version === 5;
  const withProps = <T extends object>(p: T, ids: number[]): T => {
    const found = v5 ? props(r, ids) : undefined;
    return found ? { ...p, properties: found } : p;
  };
  switch (type) {
    case 2: {
      const reasonCode = v5 ? (r.bool() ? 0 : r.pick(REASONS[2]!)) : r.int(0, 5);
      return withProps({ type: 2 as const, sessionPresent: reasonCode === 0 && r.bool(), reasonCode }, [
        0x11, 0x12, 0x13, 0x15, 0x16, 0x1a, 0x1c, 0x1f, 0x21, 0x22, 0x24, 0x25, 0x27, 0x28, 0x29, 0x2a,
      ]);
    }
    case 9: {
      const codes = v5 ? REASONS[9]! : [0, 1, 2, 0x80];
      return withProps({ type: 9 as const, packetId: packetId(r), reasonCodes: Array.from({ length: r.int(1, 5) }, () => r.pick(codes)) }, [0x1f]);
    }
    case 11: {
      const p = withProps({ type: 11 as const, packetId: packetId(r) }, [0x1f]);
      return v5 ? { ...p, reasonCodes: Array.from({ length: r.int(1, 4) }, () => r.pick(REASONS[11]!)) } : p;
    }
    case 13:
      return { type: 13 };
    default:
      return sharedPacket(r, version, type, true);
  }
}

/** Valid broker bytes to mutate: the golden vectors the parser reads. */
export const SEEDS: { version: ProtocolVersion; bytes: Uint8Array }[] = VECTORS.filter((v) => v.sender !== "client").map((v) => ({ version: v.version, bytes: new Uint8Array(v.bytes) }));
