/**
 * Differential tests against mqtt-packet 9, the codec mqtt.js uses, for both protocol
 * versions. Random client packets from a seeded PRNG go through our encodePacket; the
 * bytes, fed to mqtt-packet's parser in random chunks, give the same packet. Random
 * broker packets go through mqtt-packet's generate(); the bytes, fed to our MqttParser
 * in random chunks, give the same packet. mqtt-packet-map.ts translates between the two
 * shapes (field names, named versus numbered properties, booleans versus 0 and 1).
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { MqttParser } from "../../../src/connectors/mqtt/decode.js";
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import type { ProtocolVersion } from "../../../src/connectors/mqtt/packets.js";
import { CMD, comparable, fromTheirProps, fromTheirs, generate, parseWithTheirs, PROPERTY_NAMES, toTheirProps } from "./mqtt-packet-map.js";
import { brokerTypes, clientTypes, randomBrokerPacket, randomClientPacket, Rng } from "./random.js";

const CASES = 300;

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

function parseWithOurs(version: ProtocolVersion, parts: Uint8Array[]): string[] {
  const parser = new MqttParser(version, 1 << 20);
  const got: string[] = [];
  for (const part of parts) parser.feed(part, (p) => got.push(comparable(p)));
  return got;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

describe("the property table used to talk to mqtt-packet", () => {
  it("names each identifier as mqtt-packet does, and covers all of mqtt-packet's properties", () => {
    const constants = createRequire(import.meta.url)("mqtt-packet/constants.js") as { properties: Record<string, number>; propertiesTypes: Record<string, string> };
    const ours = Object.fromEntries(PROPERTY_NAMES.map(([id, name]) => [name, id]));
    expect(ours).toEqual(constants.properties);
    for (const [, name, boolean] of PROPERTY_NAMES) expect(boolean, name).toBe(constants.propertiesTypes[name] === "byte");
  });

  it("translates every property both ways", () => {
    const ours = {
      0x01: 1, 0x17: 0, 0x24: 1, 0x0b: 300, 0x09: new Uint8Array([1, 2]), 0x1f: "r",
      0x26: [["a", "1"], ["b", "2"], ["a", "3"]] as [string, string][],
    };
    const theirs = toTheirProps(ours)!;
    expect(theirs).toEqual({
      payloadFormatIndicator: true, requestProblemInformation: false, maximumQoS: 1, subscriptionIdentifier: 300,
      correlationData: Buffer.from([1, 2]), reasonString: "r", userProperties: { a: ["1", "3"], b: "2" },
    });
    expect(fromTheirProps(theirs)).toEqual({ ...ours, 0x09: Buffer.from([1, 2]), 0x26: [["a", "1"], ["a", "3"], ["b", "2"]] });
  });
});

for (const version of [4, 5] as const) {
  const name = version === 5 ? "MQTT 5" : "MQTT 3.1.1";

  describe(`differential against mqtt-packet, ${name}`, () => {
    for (const type of clientTypes(version)) {
      it(`mqtt-packet parses our ${CMD[type]!.toUpperCase()} packets into the same packets`, () => {
        const r = new Rng(0x5eed0000 + version * 100 + type);
        for (let i = 0; i < CASES; i++) {
          const packet = randomClientPacket(r, version, type);
          expect(packet.type).toBe(type);
          const bytes = encodePacket(packet, version);
          const theirs = parseWithTheirs(version, chunks(r, bytes));
          expect(theirs.length, `case ${i}: one packet`).toBe(1);
          expect(comparable(fromTheirs(theirs[0]!, version)), `case ${i}`).toBe(comparable(packet));
        }
      });
    }

    for (const type of brokerTypes(version)) {
      it(`we parse mqtt-packet's ${CMD[type]!.toUpperCase()} packets into the same packets`, () => {
        const r = new Rng(0xfeed0000 + version * 100 + type);
        for (let i = 0; i < CASES; i++) {
          const packet = randomBrokerPacket(r, version, type);
          expect(packet.type).toBe(type);
          const bytes = generate(packet, version);
          expect(parseWithOurs(version, chunks(r, bytes)), `case ${i}`).toEqual([comparable(packet)]);
        }
      });
    }

    it("mqtt-packet parses a stream of our mixed client packets split at random points", () => {
      const r = new Rng(0xabc000 + version);
      const types = clientTypes(version).filter((t) => t !== 14); // mqtt-packet reads a DISCONNECT's reason code past its own end when more follows
      const packets = Array.from({ length: 400 }, () => randomClientPacket(r, version, r.pick(types)));
      const stream = concat(packets.map((p) => encodePacket(p, version)));
      expect(parseWithTheirs(version, chunks(r, stream)).map((m) => comparable(fromTheirs(m, version)))).toEqual(packets.map(comparable));
    });

    it("we parse a stream of mqtt-packet's mixed broker packets split at random points", () => {
      const r = new Rng(0xdef000 + version);
      const packets = Array.from({ length: 400 }, () => randomBrokerPacket(r, version, r.pick(brokerTypes(version))));
      const stream = concat(packets.map((p) => generate(p, version)));
      expect(parseWithOurs(version, chunks(r, stream))).toEqual(packets.map(comparable));
    });
  });
}
