/**
 * Our packets ↔ mqtt-packet 9's (the codec mqtt.js uses), for the differential and fuzz
 * tests; Node only. mqtt-packet names fields differently (`cmd`, `messageId`,
 * `returnCode`, `granted`, `unsubscriptions`, `nl`/`rap`/`rh`), names MQTT 5 properties
 * where we use identifiers, holds most one-byte properties as booleans, and groups user
 * properties by name. `comparable` turns a packet of either shape into one text.
 */
import mqttPacket from "mqtt-packet";
import type { BrokerPacket, ClientPacket, Properties, ProtocolVersion } from "../../../src/connectors/mqtt/packets.js";
import { canon } from "../../support/check.js";

export const CMD = ["reserved", "connect", "connack", "publish", "puback", "pubrec", "pubrel", "pubcomp", "subscribe", "suback", "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect", "auth"] as const;

export type Loose = Record<string, any>; // mqtt-packet's packet objects

/** Each property identifier, mqtt-packet's name for it, and whether mqtt-packet holds its value as a boolean. */
export const PROPERTY_NAMES: readonly (readonly [id: number, name: string, boolean: boolean])[] = [
  [0x01, "payloadFormatIndicator", true],
  [0x02, "messageExpiryInterval", false],
  [0x03, "contentType", false],
  [0x08, "responseTopic", false],
  [0x09, "correlationData", false],
  [0x0b, "subscriptionIdentifier", false],
  [0x11, "sessionExpiryInterval", false],
  [0x12, "assignedClientIdentifier", false],
  [0x13, "serverKeepAlive", false],
  [0x15, "authenticationMethod", false],
  [0x16, "authenticationData", false],
  [0x17, "requestProblemInformation", true],
  [0x18, "willDelayInterval", false],
  [0x19, "requestResponseInformation", true],
  [0x1a, "responseInformation", false],
  [0x1c, "serverReference", false],
  [0x1f, "reasonString", false],
  [0x21, "receiveMaximum", false],
  [0x22, "topicAliasMaximum", false],
  [0x23, "topicAlias", false],
  [0x24, "maximumQoS", false], // a number in mqtt-packet too
  [0x25, "retainAvailable", true],
  [0x26, "userProperties", false],
  [0x27, "maximumPacketSize", false],
  [0x28, "wildcardSubscriptionAvailable", true],
  [0x29, "subscriptionIdentifiersAvailable", true],
  [0x2a, "sharedSubscriptionAvailable", true],
];

const BY_ID = new Map(PROPERTY_NAMES.map((row) => [row[0], row] as const));
const BY_NAME = new Map(PROPERTY_NAMES.map((row) => [row[1], row] as const));

/** Our properties → mqtt-packet's: named, booleans where mqtt-packet wants them, user properties grouped by name, bytes as Buffer. */
export function toTheirProps(props: Properties | undefined): Loose | undefined {
  if (!props) return undefined;
  const out: Loose = {};
  for (const [key, value] of Object.entries(props)) {
    const row = BY_ID.get(Number(key));
    if (!row) throw new Error(`no mqtt-packet name for property ${key}`);
    const [id, name, boolean] = row;
    if (id === 0x26) {
      const grouped: Record<string, string | string[]> = {};
      for (const [n, v] of value as [string, string][]) {
        const seen = grouped[n];
        grouped[n] = seen === undefined ? v : ([] as string[]).concat(seen, v);
      }
      out[name] = grouped;
    } else if (boolean) out[name] = value === 1;
    else out[name] = value instanceof Uint8Array ? Buffer.from(value) : value;
  }
  return out;
}

/** mqtt-packet's properties → ours: numbered, booleans as 0 and 1, user properties as pairs (grouped by name, as mqtt-packet keeps them). */
export function fromTheirProps(props: Loose | undefined): Properties | undefined {
  if (!props) return undefined;
  const out: Properties = {};
  for (const [name, value] of Object.entries(props)) {
    const row = BY_NAME.get(name);
    if (!row) throw new Error(`mqtt-packet property ${name} has no identifier here`);
    const [id, , boolean] = row;
    if (id === 0x26) out[id] = Object.entries(value as Loose).flatMap(([n, x]) => ([] as string[]).concat(x).map((y) => [n, y] as [string, string]));
    else if (boolean) {
      if (typeof value !== "boolean") throw new Error(`mqtt-packet gave ${name} as ${typeof value}`);
      out[id] = value ? 1 : 0;
    } else out[id] = value;
  }
  return out;
}

/** Our packet (either direction) → what mqtt-packet's generate() takes. */
export function toTheirs(p: ClientPacket | BrokerPacket, version: ProtocolVersion): Loose {
  const v5 = version === 5;
  const out: Loose = { cmd: CMD[p.type] };
  const q = p as Loose;
  if (q["packetId"] !== undefined) out["messageId"] = q["packetId"];
  if (q["properties"]) out["properties"] = toTheirProps(q["properties"]);
  switch (p.type) {
    case 1:
      Object.assign(out, { protocolId: "MQTT", protocolVersion: p.protocolVersion, clientId: p.clientId, clean: p.clean, keepalive: p.keepalive });
      if (p.username !== undefined) out["username"] = p.username;
      if (p.password) out["password"] = Buffer.from(p.password);
      if (p.will) out["will"] = { ...p.will, payload: Buffer.from(p.will.payload), properties: toTheirProps(p.will.properties) };
      break;
    case 2:
      Object.assign(out, { sessionPresent: p.sessionPresent, [v5 ? "reasonCode" : "returnCode"]: p.reasonCode });
      break;
    case 3:
      Object.assign(out, { topic: p.topic, payload: Buffer.from(p.payload), qos: p.qos, retain: p.retain, dup: p.dup });
      break;
    case 8:
      out["subscriptions"] = p.subscriptions.map((s) => ({ topic: s.topic, qos: s.qos, nl: s.noLocal, rap: s.retainAsPublished, rh: s.retainHandling }));
      break;
    case 9:
      out["granted"] = p.reasonCodes;
      break;
    case 10:
      out["unsubscriptions"] = p.topics;
      break;
    case 11:
      if (v5) out["granted"] = p.reasonCodes;
      break;
    case 4: case 5: case 6: case 7: case 14: case 15:
      if (v5) out["reasonCode"] = p.reasonCode ?? 0;
  }
  return out;
}

/** mqtt-packet's parsed packet → our shape (either direction). */
export function fromTheirs(m: Loose, version: ProtocolVersion): Loose {
  const v5 = version === 5;
  const type = CMD.indexOf(m["cmd"]);
  const out: Loose = { type };
  if (m["properties"]) out["properties"] = fromTheirProps(m["properties"]);
  switch (type) {
    case 1:
      Object.assign(out, { protocolVersion: m["protocolVersion"], clientId: m["clientId"], clean: m["clean"], keepalive: m["keepalive"] });
      if (m["username"] !== undefined) out["username"] = m["username"];
      if (m["password"] !== undefined) out["password"] = m["password"];
      if (m["will"]) out["will"] = { ...m["will"], properties: fromTheirProps(m["will"]["properties"]) };
      break;
    case 2:
      Object.assign(out, { sessionPresent: m["sessionPresent"], reasonCode: v5 ? m["reasonCode"] : m["returnCode"] });
      break;
    case 3:
      Object.assign(out, { topic: m["topic"], payload: m["payload"], qos: m["qos"], retain: m["retain"], dup: m["dup"] });
      if (m["qos"] > 0) out["packetId"] = m["messageId"];
      break;
    case 8:
      out["packetId"] = m["messageId"];
      out["subscriptions"] = m["subscriptions"].map((s: Loose) =>
        v5 ? { topic: s["topic"], qos: s["qos"], noLocal: s["nl"], retainAsPublished: s["rap"], retainHandling: s["rh"] } : { topic: s["topic"], qos: s["qos"] },
      );
      break;
    case 9:
      Object.assign(out, { packetId: m["messageId"], reasonCodes: m["granted"] });
      break;
    case 10:
      Object.assign(out, { packetId: m["messageId"], topics: m["unsubscriptions"] });
      break;
    case 11:
      out["packetId"] = m["messageId"];
      if (v5) out["reasonCodes"] = m["granted"];
      break;
    case 4: case 5: case 6: case 7:
      out["packetId"] = m["messageId"];
      if (v5) out["reasonCode"] = m["reasonCode"];
      break;
    case 14: case 15:
      if (v5) out["reasonCode"] = m["reasonCode"];
  }
  return out;
}

/**
 * One text for a packet in our shape, whoever produced it: user properties grouped by
 * name (mqtt-packet keeps no order across names), a subscription identifier always a
 * list, byte fields as plain Uint8Array, empty property sets left out.
 */
export function comparable(p: Loose): string {
  const norm = (props: Loose | undefined): Loose | undefined => {
    if (!props) return undefined;
    const out: Loose = {};
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined) continue;
      if (Number(k) === 0x26) {
        const grouped: Record<string, string[]> = {};
        for (const [n, x] of v as [string, string][]) (grouped[n] ??= []).push(x);
        out[k] = grouped;
      } else if (Number(k) === 0x0b) out[k] = ([] as number[]).concat(v);
      else out[k] = v instanceof Uint8Array ? new Uint8Array(v) : v;
    }
    return Object.keys(out).length ? out : undefined;
  };
  const copy: Loose = { ...p, properties: norm(p["properties"]) };
  if (p["will"]) copy["will"] = { topic: p["will"].topic, payload: new Uint8Array(p["will"].payload), qos: p["will"].qos, retain: p["will"].retain, properties: norm(p["will"].properties) };
  for (const k of ["payload", "password"]) if (copy[k]) copy[k] = new Uint8Array(copy[k]);
  return canon(copy);
}

/** mqtt-packet's bytes for one of our packets. */
export function generate(p: ClientPacket | BrokerPacket, version: ProtocolVersion): Uint8Array {
  return new Uint8Array(mqttPacket.generate(toTheirs(p, version) as mqttPacket.Packet, { protocolVersion: version }));
}

/** Feeds `parts` to mqtt-packet's parser; any error it reports is thrown. */
export function parseWithTheirs(version: ProtocolVersion, parts: Uint8Array[]): Loose[] {
  const parser = mqttPacket.parser({ protocolVersion: version });
  const got: Loose[] = [];
  parser.on("packet", (p: Loose) => got.push(p));
  parser.on("error", (e: Error) => {
    throw e;
  });
  for (const part of parts) parser.parse(Buffer.from(part));
  return got;
}
