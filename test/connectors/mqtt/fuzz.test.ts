/**
 * Fuzzing the parser: random byte streams and mutated valid packets, fed in random
 * chunks to a parser with a random maxPacketSize. The parser either emits packets or
 * throws ProtocolError, never anything else; it returns from every feed; it never holds
 * more than maxPacketSize bytes. Every packet it emits is one the encoder accepts and
 * that decodes back to itself: what one side refuses to write, the other refuses to read.
 */
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../../src/core/errors.js";
import { MqttParser } from "../../../src/connectors/mqtt/decode.js";
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import type { Packet, ProtocolVersion } from "../../../src/connectors/mqtt/packets.js";
import { canon } from "./codec.suite.js";
import { packetTypes, randomPacket, Rng, SEEDS } from "./random.js";

const STREAMS = 6000;
const HEADERS = [0x10, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3a, 0x3b, 0x3c, 0x3d, 0x40, 0x50, 0x62, 0x70, 0x82, 0x90, 0xa2, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0];

function randomStream(r: Rng, version: ProtocolVersion): Uint8Array {
  switch (r.int(0, 3)) {
    case 0:
      return r.bytes(0, r.pick([4, 40, 400])); // noise
    case 1: {
      // a plausible header and length, then noise
      const body = r.bytes(0, 60);
      return new Uint8Array([r.pick(HEADERS), body.length, ...body]);
    }
    default: {
      // valid packets, concatenated, then mutated
      const parts: number[] = [];
      for (let n = r.int(1, 4); n > 0; n--) {
        if (r.bool()) parts.push(...r.pick(SEEDS.filter((s) => s.version === version)).bytes);
        else parts.push(...encodePacket(randomPacket(r, version, r.pick(packetTypes(version))), version));
      }
      for (let m = r.int(1, 4); m > 0 && parts.length; m--) {
        const at = r.int(0, parts.length - 1);
        switch (r.int(0, 5)) {
          case 0: parts[at] = parts[at]! ^ (1 << r.int(0, 7)); break; // flip a bit
          case 1: parts[at] = r.int(0, 255); break; // replace a byte
          case 2: parts.splice(at, 0, r.int(0, 255)); break; // insert a byte
          case 3: parts.splice(at, 1); break; // delete a byte
          case 4: parts.length = at; break; // truncate
          default: parts.splice(at, 0, ...parts.slice(at, at + r.int(1, 8))); // repeat a run
        }
      }
      return new Uint8Array(parts);
    }
  }
}

function checkEmitted(p: Packet, version: ProtocolVersion): void {
  let bytes: Uint8Array;
  try {
    bytes = encodePacket(p, version);
  } catch (err) {
    // The decoder leaves topic filters to the server to judge (§3.9.3: SUBACK 0x8F); the encoder checks them.
    if ((p.type === 8 || p.type === 10) && (err as ProtocolError).code === "MQTT_BAD_TOPIC") return;
    throw new Error(`the encoder refuses a packet the decoder accepted: ${(err as Error).message} in ${canon(p)}`);
  }
  let again = "";
  new MqttParser({ version, maxPacketSize: 1 << 20 }).feed(bytes, (q) => (again = canon(q)));
  expect(again, "an emitted packet encodes and decodes back to itself").toBe(canon(p));
}

describe("fuzzing the MQTT parser", () => {
  it(`survives ${STREAMS} random and mutated streams fed in random chunks`, () => {
    const r = new Rng(0xf022);
    const outcomes = { packets: 0, errors: 0, clean: 0 };
    const codes = new Set<string>();
    const started = Date.now();
    for (let s = 0; s < STREAMS; s++) {
      let version: ProtocolVersion = r.bool() ? 5 : 4;
      const max = r.pick([16, 64, 256, 100_000]);
      const parser = new MqttParser({ version, maxPacketSize: max });
      const stream = randomStream(r, version);
      let failed = false;
      try {
        for (let at = 0; at < stream.length; ) {
          const n = r.int(1, 24);
          parser.feed(stream.subarray(at, at + n), (p) => {
            if (p.type === 1) version = p.protocolVersion;
            checkEmitted(p, version);
            outcomes.packets++;
          });
          at += n;
          expect(parser.buffered, "the parser never holds more than maxPacketSize bytes").toBeLessThanOrEqual(max);
        }
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw new Error(`stream ${s} threw ${String(err)}: ${Array.from(stream).join(",")}`);
        expect(err.side).toBe("remote");
        expect(typeof err.reasonCode).toBe("number");
        codes.add(err.code);
        failed = true;
      }
      if (failed) outcomes.errors++;
      else outcomes.clean++;
    }
    expect(Date.now() - started, "the whole run stays quick (no pathological inputs)").toBeLessThan(20_000);
    // The corpus must reach both outcomes and many checks, or it tests nothing.
    expect(outcomes.packets).toBeGreaterThan(1500);
    expect(outcomes.errors).toBeGreaterThan(1000);
    expect(outcomes.clean).toBeGreaterThan(500);
    const all = ["MQTT_BAD_LENGTH", "MQTT_TOO_LARGE", "MQTT_UNKNOWN_TYPE", "MQTT_BAD_FLAGS", "MQTT_BAD_QOS", "MQTT_BAD_UTF8", "MQTT_BAD_TOPIC", "MQTT_BAD_PACKET_ID", "MQTT_BAD_REASON", "MQTT_BAD_PROPERTY", "MQTT_BAD_VERSION", "MQTT_MALFORMED"];
    for (const code of all) {
      expect(codes, `the fuzz corpus reaches ${code}`).toContain(code);
    }
  }, 60_000);
});
