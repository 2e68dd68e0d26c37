/**
 * Seeded random MQTT packets for the differential and fuzz tests: valid for the version
 * asked, within what both aimdb-ts and mqtt-packet accept.
 */
import type { Packet, Properties, ProtocolVersion, QoS } from "../../../src/connectors/mqtt/packets.js";
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
const u16 = (r: Rng) => r.pick([0, 1, 255, 256, 65535, r.int(0, 65535)]);
const u16nz = (r: Rng) => r.pick([1, 65535, r.int(1, 65535)]);
const u32 = (r: Rng) => r.pick([0, 1, 0xffffffff, r.int(0, 0xffffffff)]);
const varint = (r: Rng) => r.pick([1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, r.int(1, 268435455)]);

/** Property generators by name; only the ones `names` lists are drawn. */
const PROPS: Record<string, (r: Rng) => unknown> = {
  payloadFormatIndicator: (r) => r.bool(),
  messageExpiryInterval: u32,
  contentType: (r) => text(r, 0, 8),
  responseTopic: topicName,
  correlationData: (r) => r.bytes(0, 8),
  subscriptionIdentifier: varint,
  sessionExpiryInterval: u32,
  assignedClientIdentifier: (r) => text(r, 0, 8),
  serverKeepAlive: u16,
  authenticationMethod: (r) => text(r, 1, 8),
  authenticationData: (r) => r.bytes(0, 8),
  requestProblemInformation: (r) => r.bool(),
  willDelayInterval: u32,
  requestResponseInformation: (r) => r.bool(),
  responseInformation: (r) => text(r, 0, 8),
  serverReference: (r) => text(r, 0, 8),
  reasonString: (r) => text(r, 0, 12),
  receiveMaximum: u16nz,
  topicAliasMaximum: u16,
  topicAlias: u16nz,
  maximumQoS: (r) => r.int(0, 1),
  retainAvailable: (r) => r.bool(),
  maximumPacketSize: (r) => r.pick([1, 0xffffffff, r.int(1, 0xffffffff)]),
  wildcardSubscriptionAvailable: (r) => r.bool(),
  subscriptionIdentifiersAvailable: (r) => r.bool(),
  sharedSubscriptionAvailable: (r) => r.bool(),
};

function props(r: Rng, names: string[]): Properties | undefined {
  if (r.bool(0.25)) return undefined;
  const out: Record<string, unknown> = {};
  for (const name of names) if (r.bool(0.4)) out[name] = PROPS[name]!(r);
  if (r.bool(0.4)) {
    const pairs: [string, string][] = [];
    for (let n = r.int(1, 3); n > 0; n--) pairs.push([r.bool(0.3) ? "k" : text(r, 0, 4), text(r, 1, 6)]); // mqtt-packet drops an empty value when its name repeats
    out["userProperties"] = pairs;
  }
  return Object.keys(out).length ? (out as Properties) : undefined;
}

const REASONS: Record<number, number[]> = {
  4: [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99],
  6: [0x00, 0x92],
  9: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
  11: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
  14: [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2],
  15: [0x00, 0x18, 0x19],
  2: [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f],
};

/** The packet types each version has. */
export function packetTypes(version: ProtocolVersion): number[] {
  return version === 5 ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
}

/** A random valid packet of `type` for `version`, in the shape the decoder produces. */
export function randomPacket(r: Rng, version: ProtocolVersion, type: number): Packet {
  const v5 = version === 5;
  const withProps = <T extends object>(p: T, names: string[]): T => {
    const found = v5 ? props(r, names) : undefined;
    return found ? { ...p, properties: found } : p;
  };
  switch (type) {
    case 1: {
      const clean = r.bool();
      const username = r.bool() ? text(r, 0, 8) : undefined;
      const p: Packet = withProps(
        { type: 1 as const, protocolVersion: version, clientId: clean && r.bool(0.2) ? "" : text(r, 1, 12), clean, keepalive: u16(r) },
        ["sessionExpiryInterval", "receiveMaximum", "maximumPacketSize", "topicAliasMaximum", "requestResponseInformation", "requestProblemInformation", "authenticationMethod", "authenticationData"],
      );
      if (r.bool()) {
        p.will = withProps({ topic: topicName(r), payload: r.bytes(0, 20), qos: qos(r), retain: r.bool() }, [
          "willDelayInterval", "payloadFormatIndicator", "messageExpiryInterval", "contentType", "responseTopic", "correlationData",
        ]);
      }
      if (username !== undefined) p.username = username;
      if (username !== undefined && r.bool()) p.password = r.bytes(0, 12);
      return p;
    }
    case 2: {
      const reasonCode = v5 ? (r.bool() ? 0 : r.pick(REASONS[2]!)) : r.int(0, 5);
      return withProps({ type: 2 as const, sessionPresent: reasonCode === 0 && r.bool(), reasonCode }, [
        "sessionExpiryInterval", "assignedClientIdentifier", "serverKeepAlive", "authenticationMethod", "authenticationData",
        "responseInformation", "serverReference", "reasonString", "receiveMaximum", "topicAliasMaximum", "maximumQoS",
        "retainAvailable", "maximumPacketSize", "wildcardSubscriptionAvailable", "subscriptionIdentifiersAvailable",
        "sharedSubscriptionAvailable",
      ]);
    }
    case 3: {
      const q = qos(r);
      const p = withProps(
        { type: 3 as const, topic: topicName(r), payload: r.bytes(0, r.bool(0.1) ? 300 : 30), qos: q, retain: r.bool(), dup: q > 0 && r.bool() } as Packet & { type: 3 },
        ["payloadFormatIndicator", "messageExpiryInterval", "contentType", "responseTopic", "correlationData", "topicAlias"],
      );
      if (q) p.packetId = packetId(r);
      if (v5 && r.bool(0.3)) {
        const ids = Array.from({ length: r.int(1, 3) }, () => varint(r));
        p.properties = { ...p.properties, subscriptionIdentifier: ids.length === 1 ? ids[0]! : ids };
      }
      if (v5 && p.properties?.topicAlias !== undefined && r.bool(0.3)) p.topic = "";
      return p;
    }
    case 4: case 5: case 6: case 7: {
      const p = withProps({ type: type as 4, packetId: packetId(r) }, ["reasonString"]);
      return v5 ? { ...p, reasonCode: r.bool() ? 0 : r.pick(REASONS[type < 6 ? 4 : 6]!) } : p;
    }
    case 8: {
      const subscriptions = Array.from({ length: r.int(1, 4) }, () =>
        v5
          ? { topic: topicFilter(r), qos: qos(r), noLocal: r.bool(), retainAsPublished: r.bool(), retainHandling: r.int(0, 2) as 0 | 1 | 2 }
          : { topic: topicFilter(r), qos: qos(r) },
      );
      return withProps({ type: 8 as const, packetId: packetId(r), subscriptions }, ["subscriptionIdentifier"]);
    }
    case 9: {
      const codes = v5 ? REASONS[9]! : [0, 1, 2, 0x80];
      return withProps({ type: 9 as const, packetId: packetId(r), reasonCodes: Array.from({ length: r.int(1, 5) }, () => r.pick(codes)) }, ["reasonString"]);
    }
    case 10:
      return withProps({ type: 10 as const, packetId: packetId(r), topics: Array.from({ length: r.int(1, 4) }, () => topicFilter(r)) }, []);
    case 11: {
      const p = withProps({ type: 11 as const, packetId: packetId(r) }, ["reasonString"]);
      return v5 ? { ...p, reasonCodes: Array.from({ length: r.int(1, 4) }, () => r.pick(REASONS[11]!)) } : p;
    }
    case 12:
    case 13:
      return { type };
    case 14: {
      const p = withProps({ type: 14 as const }, ["sessionExpiryInterval", "reasonString", "serverReference"]);
      return v5 ? { ...p, reasonCode: r.bool() ? 0 : r.pick(REASONS[14]!) } : p;
    }
    default: {
      // AUTH always names its authentication method (§4.12); mqtt-packet also cannot parse an empty AUTH.
      const p: { type: 15; properties?: Properties } = withProps({ type: 15 as const }, ["authenticationData", "reasonString"]);
      return { ...p, reasonCode: r.pick(REASONS[15]!), properties: { ...p.properties, authenticationMethod: text(r, 1, 8) } };
    }
  }
}

/** Valid encoded packets to mutate: the golden vectors. */
export const SEEDS: { version: ProtocolVersion; bytes: Uint8Array }[] = VECTORS.map((v) => ({ version: v.version, bytes: new Uint8Array(v.bytes) }));
