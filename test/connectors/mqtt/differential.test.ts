/**
 * Differential tests against mqtt-packet 9, the codec mqtt.js uses: for every packet type
 * of both versions, random packets from a seeded PRNG go both ways. Our bytes, fed to
 * mqtt-packet's parser in random chunks, give the same packet; mqtt-packet's generate()
 * bytes, fed to our parser in random chunks, give the same packet.
 *
 * mqtt-packet names fields differently (`cmd`, `messageId`, `returnCode`, `granted`,
 * `unsubscriptions`, `nl`/`rap`/`rh`) and groups user properties by name, so both sides
 * are mapped to one comparable form first.
 */
import mqttPacket from "mqtt-packet";
import { describe, expect, it } from "vitest";
import { MqttParser } from "../../../src/connectors/mqtt/decode.js";
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import type { Packet, Properties, ProtocolVersion } from "../../../src/connectors/mqtt/packets.js";
import { canon } from "./codec.suite.js";
import { packetTypes, randomPacket, Rng } from "./random.js";

const CASES = 300;
const CMD = ["reserved", "connect", "connack", "publish", "puback", "pubrec", "pubrel", "pubcomp", "subscribe", "suback", "unsubscribe", "unsuback", "pingreq", "pingresp", "disconnect", "auth"] as const;

type Loose = Record<string, any>; // mqtt-packet's packet objects

/** Our properties → mqtt-packet's: user properties grouped by name, bytes as Buffer. */
function toTheirProps(props: Properties | undefined): Loose | undefined {
  if (!props) return undefined;
  const out: Loose = {};
  for (const [k, v] of Object.entries(props)) {
    if (k === "userProperties") {
      const grouped: Record<string, string | string[]> = {};
      for (const [name, value] of v as [string, string][]) {
        const seen = grouped[name];
        grouped[name] = seen === undefined ? value : ([] as string[]).concat(seen, value);
      }
      out[k] = grouped;
    } else out[k] = v instanceof Uint8Array ? Buffer.from(v) : v;
  }
  return out;
}

/** Our packet → what mqtt-packet's generate() takes. */
function toTheirs(p: Packet, version: ProtocolVersion): Loose {
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

/** mqtt-packet's parsed packet → our shape. */
function fromTheirs(m: Loose, version: ProtocolVersion): Loose {
  const v5 = version === 5;
  const type = CMD.indexOf(m["cmd"]);
  const out: Loose = { type };
  if (m["properties"]) out["properties"] = m["properties"];
  switch (type) {
    case 1:
      Object.assign(out, { protocolVersion: m["protocolVersion"], clientId: m["clientId"], clean: m["clean"], keepalive: m["keepalive"] });
      if (m["username"] !== undefined) out["username"] = m["username"];
      if (m["password"] !== undefined) out["password"] = m["password"];
      if (m["will"]) out["will"] = m["will"];
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

/** One comparable text for both: user properties grouped, subscription identifiers as arrays, MQTT 5 defaults filled. */
function comparable(p: Loose): string {
  const norm = (props: Loose | undefined): Loose | undefined => {
    if (!props) return undefined;
    const out: Loose = {};
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined) continue;
      if (k === "userProperties") {
        const grouped: Record<string, string[]> = {};
        const pairs: [string, string][] = Array.isArray(v) ? v : Object.entries(v as Loose).flatMap(([n, x]) => ([] as string[]).concat(x).map((y) => [n, y] as [string, string]));
        for (const [n, x] of pairs) (grouped[n] ??= []).push(x);
        out[k] = grouped;
      } else if (k === "subscriptionIdentifier") out[k] = ([] as number[]).concat(v);
      else out[k] = v instanceof Uint8Array ? new Uint8Array(v) : v;
    }
    return Object.keys(out).length ? out : undefined;
  };
  const copy: Loose = { ...p, properties: norm(p["properties"]) };
  if (p["will"]) copy["will"] = { topic: p["will"].topic, payload: new Uint8Array(p["will"].payload), qos: p["will"].qos, retain: p["will"].retain, properties: norm(p["will"].properties) };
  for (const k of ["payload", "password"]) if (copy[k]) copy[k] = new Uint8Array(copy[k]);
  return canon(copy);
}

/** Splits `bytes` at up to three random points. */
function chunks(r: Rng, bytes: Uint8Array): Uint8Array[] {
  const cuts = Array.from({ length: r.int(0, 3) }, () => r.int(0, bytes.length)).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.subarray(at, c));
    at = c;
  }
  return out;
}

function parseWithTheirs(version: ProtocolVersion, parts: Uint8Array[]): Loose[] {
  const parser = mqttPacket.parser({ protocolVersion: version });
  const got: Loose[] = [];
  parser.on("packet", (p: Loose) => got.push(p));
  parser.on("error", (e: Error) => {
    throw e;
  });
  for (const part of parts) parser.parse(Buffer.from(part));
  return got;
}

function parseWithOurs(version: ProtocolVersion, parts: Uint8Array[]): string[] {
  const parser = new MqttParser({ version, maxPacketSize: 1 << 20 });
  const got: string[] = [];
  for (const part of parts) parser.feed(part, (p) => got.push(comparable(p)));
  return got;
}

for (const version of [4, 5] as const) {
  describe(`differential against mqtt-packet, MQTT ${version === 5 ? "5" : "3.1.1"}`, () => {
    for (const type of packetTypes(version)) {
      it(`mqtt-packet parses our ${CMD[type]!.toUpperCase()} packets into the same packets`, () => {
        const r = new Rng(0x5eed0000 + version * 100 + type);
        for (let i = 0; i < CASES; i++) {
          const packet = randomPacket(r, version, type);
          const bytes = encodePacket(packet, version);
          const theirs = parseWithTheirs(version, chunks(r, bytes));
          expect(theirs.length, `case ${i}: one packet`).toBe(1);
          expect(comparable(fromTheirs(theirs[0]!, version)), `case ${i}`).toBe(comparable(packet));
        }
      });

      it(`we parse mqtt-packet's ${CMD[type]!.toUpperCase()} packets into the same packets`, () => {
        const r = new Rng(0xfeed0000 + version * 100 + type);
        for (let i = 0; i < CASES; i++) {
          const packet = randomPacket(r, version, type);
          const bytes = new Uint8Array(mqttPacket.generate(toTheirs(packet, version) as mqttPacket.Packet, { protocolVersion: version }));
          const ours = parseWithOurs(version, chunks(r, bytes));
          expect(ours, `case ${i}`).toEqual([comparable(packet)]);
        }
      });
    }

    it("agrees with mqtt-packet on a stream of mixed packets split at random points", () => {
      const r = new Rng(0xabc000 + version);
      const types = packetTypes(version).filter((t) => t !== 1 && t !== 14); // mqtt-packet reads a DISCONNECT's reason code past its own end when more follows
      const packets = Array.from({ length: 400 }, () => randomPacket(r, version, r.pick(types)));
      const stream = Buffer.concat(packets.map((p) => encodePacket(p, version)));
      const want = packets.map(comparable);
      expect(parseWithOurs(version, chunks(r, stream)), "ours").toEqual(want);
      expect(parseWithTheirs(version, chunks(r, stream)).map((m) => comparable(fromTheirs(m, version))), "mqtt-packet's").toEqual(want);
    });
  });
}
