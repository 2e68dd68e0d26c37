/**
 * Fuzzing the parser: random byte streams and mutated streams of valid broker packets,
 * fed in random chunks to a parser with a random maxPacketSize. The parser either emits
 * packets or throws ProtocolError, never anything else, and returns from every feed; it
 * emits the same packets and throws the same error however the stream is split. Every
 * packet it emits is valid: one both sides send is accepted by our encoder and decodes
 * back to itself; one only a broker sends is accepted by mqtt-packet's generate() and
 * decodes back to itself. Valid streams decode to exactly the packets that made them.
 */
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../../src/core/errors.js";
import { MqttParser } from "../../../src/connectors/mqtt/decode.js";
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import type { BrokerPacket, ProtocolVersion } from "../../../src/connectors/mqtt/packets.js";
import { canon } from "./codec.suite.js";
import { comparable, generate } from "./mqtt-packet-map.js";
import { brokerTypes, clientTypes, randomBrokerPacket, randomClientPacket, Rng, SEEDS } from "./random.js";

const STREAMS = 6000;
const HEADERS = [0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3a, 0x3b, 0x3c, 0x3d, 0x40, 0x50, 0x62, 0x70, 0x90, 0xb0, 0xd0, 0xe0, 0xf0];
/** Every code the parser may throw (MQTT_BAD_VERSION belongs to the encoder alone). */
const PARSER_CODES = ["MQTT_BAD_LENGTH", "MQTT_TOO_LARGE", "MQTT_UNKNOWN_TYPE", "MQTT_BAD_FLAGS", "MQTT_BAD_QOS", "MQTT_BAD_UTF8", "MQTT_BAD_TOPIC", "MQTT_BAD_PACKET_ID", "MQTT_BAD_REASON", "MQTT_BAD_PROPERTY", "MQTT_MALFORMED"];

/** Bytes of one valid packet a broker sends: a golden vector, or a random packet written by mqtt-packet or by our encoder. */
function validBrokerBytes(r: Rng, version: ProtocolVersion): { bytes: Uint8Array; packet?: BrokerPacket } {
  switch (r.int(0, 2)) {
    case 0:
      return { bytes: r.pick(SEEDS.filter((s) => s.version === version)).bytes };
    case 1: {
      const packet = randomBrokerPacket(r, version, r.pick(brokerTypes(version)));
      return { bytes: generate(packet, version), packet };
    }
    default: {
      // A type both sides send, the way a client writes it.
      const packet = randomClientPacket(r, version, r.pick(clientTypes(version).filter((t) => t !== 1 && t !== 8 && t !== 10 && t !== 12)));
      return { bytes: encodePacket(packet, version), packet: packet as BrokerPacket };
    }
  }
}

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
      // valid packets (now and then one only a client sends), concatenated, then mutated
      const parts: number[] = [];
      for (let n = r.int(1, 4); n > 0; n--) {
        if (r.bool(0.1)) parts.push(...encodePacket(randomClientPacket(r, version, r.pick([1, 8, 10, 12])), version));
        else parts.push(...validBrokerBytes(r, version).bytes);
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

/** What a parser made of a stream: each packet as text, then the code of the error that stopped it, if any. */
interface Outcome {
  packets: string[];
  error?: string;
}

/** Feeds `chunks` to a fresh parser; only a ProtocolError from the peer may stop it. */
function run(version: ProtocolVersion, max: number, chunks: Uint8Array[], onPacket: (p: BrokerPacket) => void = () => {}): Outcome {
  const parser = new MqttParser(version, max);
  const out: Outcome = { packets: [] };
  try {
    for (const chunk of chunks) {
      parser.feed(chunk, (p) => {
        out.packets.push(canon(p));
        onPacket(p);
      });
    }
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    expect(err.side, "the broker broke the protocol").toBe("remote");
    expect([0x81, 0x82, 0x90, 0x95], "the error carries a DISCONNECT reason code").toContain(err.reasonCode);
    out.error = err.code;
  }
  return out;
}

/** An emitted packet must be valid: written back by an encoder, it decodes to itself. */
function checkEmitted(p: BrokerPacket, version: ProtocolVersion): void {
  if (p.type === 3 && p.tooLarge !== undefined) {
    // Read past, not decoded: only its flags, size and packet id are known.
    expect([version, p.topic, p.payload.length, p.tooLarge > 0, (p.packetId ?? 1) > 0, p.qos > 0 === (p.packetId !== undefined)]).toEqual([4, "", 0, true, true, true]);
    return;
  }
  // Packets a client also sends go through our encoder; the rest (and a PUBLISH with the broker-only Subscription Identifier) through mqtt-packet.
  const shared = p.type !== 2 && p.type !== 9 && p.type !== 11 && p.type !== 13 && !(p.type === 3 && p.properties?.[0x0b] !== undefined);
  let again: string[] = [];
  try {
    const bytes = shared ? encodePacket(p as Parameters<typeof encodePacket>[0], version) : generate(p, version);
    const parser = new MqttParser(version, 1 << 20);
    parser.feed(bytes, (q) => again.push(comparable(q)));
  } catch (err) {
    throw new Error(`an emitted packet does not go back through ${shared ? "our encoder" : "mqtt-packet"}: ${(err as Error).message} in ${canon(p)}`);
  }
  expect(again, "an emitted packet encodes and decodes back to itself").toEqual([comparable(p)]);
}

function split(r: Rng, stream: Uint8Array, most: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < stream.length; ) {
    const n = r.int(1, most);
    chunks.push(stream.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

describe("fuzzing the MQTT parser", () => {
  it(`survives ${STREAMS} random and mutated streams, the same however they are split`, () => {
    const r = new Rng(0xf022);
    const outcomes = { packets: 0, errors: 0, clean: 0 };
    const codes = new Set<string>();
    const types = new Set<number>();
    const started = Date.now();
    for (let s = 0; s < STREAMS; s++) {
      const version: ProtocolVersion = r.bool() ? 5 : 4;
      const max = r.pick([16, 64, 256, 100_000]);
      const stream = randomStream(r, version);
      let split1: Outcome;
      try {
        split1 = run(version, max, split(r, stream, 24), (p) => {
          checkEmitted(p, version);
          types.add(p.type);
        });
      } catch (err) {
        throw new Error(`stream ${s} (version ${version}, max ${max}) threw ${String(err)}: ${Array.from(stream).join(",")}`);
      }
      expect(run(version, max, [stream]), `stream ${s} fed whole`).toEqual(split1);
      expect(run(version, max, split(r, stream, 3)), `stream ${s} fed in small chunks`).toEqual(split1);
      outcomes.packets += split1.packets.length;
      if (split1.error) {
        codes.add(split1.error);
        outcomes.errors++;
      } else outcomes.clean++;
    }
    expect(Date.now() - started, "the whole run stays quick (no pathological inputs)").toBeLessThan(30_000);
    // The corpus must reach both outcomes and many checks, or it tests nothing.
    expect(outcomes.packets).toBeGreaterThan(1500);
    expect(outcomes.errors).toBeGreaterThan(2500);
    expect(outcomes.clean).toBeGreaterThan(500);
    for (const code of PARSER_CODES) expect(codes, `the fuzz corpus reaches ${code}`).toContain(code);
    expect([...types].sort((a, b) => a - b), "every broker packet type is emitted").toEqual([2, 3, 4, 5, 6, 7, 9, 11, 13, 14, 15]);
  }, 90_000);

  for (const version of [4, 5] as const) {
    it(`decodes valid MQTT ${version === 5 ? "5" : "3.1.1"} broker streams split anywhere into exactly their packets`, () => {
      const r = new Rng(0x5711 + version);
      for (let s = 0; s < 300; s++) {
        const parts = Array.from({ length: r.int(1, 12) }, () => validBrokerBytes(r, version));
        const stream = new Uint8Array(parts.reduce((n, p) => n + p.bytes.length, 0));
        parts.reduce((at, p) => (stream.set(p.bytes, at), at + p.bytes.length), 0);
        const want = run(version, 1 << 20, [stream]);
        expect(want.error, `stream ${s}: valid packets are not refused`).toBeUndefined();
        expect(want.packets.length, `stream ${s}: one packet per part`).toBe(parts.length);
        // Where the packet that made the bytes is known, the decoded one equals it.
        const got: string[] = [];
        run(version, 1 << 20, [stream], (p) => got.push(comparable(p)));
        parts.forEach((part, i) => {
          if (part.packet) expect(got[i], `stream ${s}, packet ${i}`).toBe(comparable(part.packet));
        });
        for (const most of [1, 2, 7, 64]) expect(run(version, 1 << 20, split(r, stream, most)), `stream ${s} in chunks of up to ${most} bytes`).toEqual(want);
      }
    });
  }
});
