/**
 * The MQTT codec contract: every golden vector decodes, encodes, round-trips and decodes
 * split at every offset; every error vector is refused with its code; the parser stays
 * bounded and refuses input after an error. The same file runs under vitest and inside
 * XS, so it uses neither Buffer nor TextEncoder.
 */
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import { MqttParser } from "../../../src/connectors/mqtt/decode.js";
import type { Packet, ProtocolVersion } from "../../../src/connectors/mqtt/packets.js";
import { canon, eq, fail, hex, ok, throwsCode } from "../../support/check.js";
import type { Suite } from "../../support/suite.js";
import { DECODE_ERRORS, ENCODE_ERRORS, VECTORS, type Vector } from "./vectors.js";

export { canon, hex };

/** Feeds `chunks` to a fresh parser and returns each packet as canonical text (taken during onPacket, while views are valid). */
export function decodeChunks(version: ProtocolVersion, chunks: Uint8Array[], maxPacketSize?: number): string[] {
  const parser = new MqttParser({ version, maxPacketSize });
  const out: string[] = [];
  for (const chunk of chunks) parser.feed(chunk, (p) => out.push(canon(p)));
  return out;
}

function decodeOne(v: Vector, chunks: Uint8Array[]): string {
  const got = decodeChunks(v.version, chunks);
  eq(got.length, 1, "the bytes of one packet decode to exactly one packet");
  return got[0]!;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const CONNECT_V4 = new Uint8Array(VECTORS[0]!.bytes);

export const mqttCodecSuite: Suite = (t) => {
  for (const v of VECTORS) {
    const bytes = new Uint8Array(v.bytes);
    const expected = canon(v.packet);

    t.test(`decodes ${v.name}`, () => {
      eq(decodeOne(v, [bytes]), expected, "decoding the vector's bytes gives the vector's packet");
    });

    if (!v.decodeOnly) {
      t.test(`encodes ${v.name}`, () => {
        eq(hex(encodePacket(v.packet, v.version)), hex(bytes), "encoding the vector's packet gives the vector's bytes");
      });
    }

    t.test(`round-trips ${v.name}`, () => {
      const encoded = encodePacket(v.packet, v.version);
      eq(decodeOne(v, [encoded]), expected, "decode(encode(packet)) is the packet");
      let again = "";
      new MqttParser({ version: v.version }).feed(bytes, (p) => (again = hex(encodePacket(p, v.version))));
      eq(again, hex(encoded), "encode(decode(bytes)) is the canonical encoding");
    });

    t.test(`decodes ${v.name} split at every offset`, () => {
      for (let at = 0; at <= bytes.length; at++) {
        eq(decodeOne(v, [bytes.subarray(0, at), bytes.subarray(at)]), expected, `a split at byte ${at} decodes the same`);
      }
      const single: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
      eq(decodeOne(v, single), expected, "one byte at a time decodes the same");
    });
  }

  for (const e of DECODE_ERRORS) {
    t.test(`refuses ${e.name} with ${e.code}`, () => {
      const parser = new MqttParser({ version: e.version, maxPacketSize: e.maxPacketSize });
      let emitted = 0;
      const err = throwsCode(() => parser.feed(new Uint8Array(e.bytes), () => emitted++), e.code, `the parser refuses ${e.name}`) as Error & {
        side?: string;
        reasonCode?: number;
        name: string;
      };
      eq(err.name, "ProtocolError", "the error is a ProtocolError");
      eq(err.side, "remote", "the peer broke the protocol");
      eq(err.reasonCode, e.reasonCode, "the error carries the MQTT 5 reason code to answer with");
      eq(emitted, 0, "nothing is emitted from a refused packet");
    });
  }

  for (const e of ENCODE_ERRORS) {
    t.test(`will not encode ${e.name}`, () => {
      const err = throwsCode(() => encodePacket(e.packet, e.version), e.code, `encodePacket refuses ${e.name}`) as Error & { side?: string };
      eq(err.side, "local", "we were asked to send something invalid");
    });
  }

  t.test("decodes several packets fed in one chunk, in order", () => {
    const parts = VECTORS.filter((v) => v.version === 5 && v.packet.type !== 1).map((v) => new Uint8Array(v.bytes));
    const got = decodeChunks(5, [concat(parts)]);
    const want = VECTORS.filter((v) => v.version === 5 && v.packet.type !== 1).map((v) => canon(v.packet));
    eq(got.join("\n"), want.join("\n"), "every packet comes out once, in order");
  });

  t.test("emits nothing for a packet truncated at the end of the input", () => {
    const parser = new MqttParser({ version: 4 });
    let emitted = 0;
    parser.feed(CONNECT_V4.subarray(0, CONNECT_V4.length - 1), () => emitted++);
    eq(emitted, 0, "an incomplete packet is not emitted");
    eq(parser.buffered, CONNECT_V4.length - 3, "its body so far is held");
    parser.feed(CONNECT_V4.subarray(CONNECT_V4.length - 1), () => emitted++);
    eq(emitted, 1, "the last byte completes it");
    eq(parser.buffered, 0, "nothing is held after a whole packet");
  });

  t.test("refuses an oversized declared length before buffering anything", () => {
    const parser = new MqttParser({ version: 5, maxPacketSize: 64 });
    // PUBLISH whose remaining length says 63 bytes: 1 + 1 + 63 = 65 > 64.
    throwsCode(() => parser.feed(new Uint8Array([0x30, 0x3f]), () => fail("nothing may be emitted")), "MQTT_TOO_LARGE", "a declared 65-byte packet exceeds 64");
    eq(parser.buffered, 0, "no body byte was stored");
    const fits = new MqttParser({ version: 5, maxPacketSize: 64 });
    const body = new Uint8Array(64);
    body.set([0x30, 0x3e, 0x00, 0x01, 0x61, 0x00]);
    let emitted = 0;
    fits.feed(body.subarray(0, 10), () => emitted++);
    fits.feed(body.subarray(10), () => emitted++);
    eq(emitted, 1, "a packet of exactly maxPacketSize bytes is accepted, even split");
  });

  t.test("refuses every later chunk after an error until reset()", () => {
    const parser = new MqttParser({ version: 4 });
    throwsCode(() => parser.feed(new Uint8Array([0x60, 0x02, 0x00, 0x01]), () => {}), "MQTT_BAD_FLAGS", "PUBREL with flags 0000 is refused");
    throwsCode(() => parser.feed(new Uint8Array([0xd0, 0x00]), () => fail("a failed parser emits nothing")), "MQTT_BAD_FLAGS", "the same error comes back");
    parser.reset();
    let emitted = 0;
    parser.feed(new Uint8Array([0xd0, 0x00]), () => emitted++);
    eq(emitted, 1, "after reset() the parser decodes again");
  });

  t.test("rethrows an error thrown by onPacket and stops", () => {
    const parser = new MqttParser({ version: 4 });
    const boom = new Error("consumer failed");
    let thrown: unknown;
    try {
      parser.feed(new Uint8Array([0xd0, 0x00, 0xd0, 0x00]), () => {
        throw boom;
      });
    } catch (err) {
      thrown = err;
    }
    ok(thrown === boom, "the consumer's error propagates unchanged");
    let again: unknown;
    try {
      parser.feed(new Uint8Array([0xd0, 0x00]), () => fail("nothing is emitted after a consumer error"));
    } catch (err) {
      again = err;
    }
    ok(again === boom, "the parser refuses input until reset()");
  });

  t.test("switches to the protocol version a CONNECT announces, and back on reset()", () => {
    const parser = new MqttParser({ version: 4 });
    const connect5 = new Uint8Array(VECTORS.find((v) => v.version === 5 && v.packet.type === 1)!.bytes);
    const got: Packet[] = [];
    parser.feed(connect5, (p) => got.push(p));
    parser.feed(new Uint8Array([0xf0, 0x00]), (p) => got.push(p)); // AUTH exists only in MQTT 5
    eq(got.map((p) => p.type).join(","), "1,15", "after an MQTT 5 CONNECT, AUTH is accepted");
    parser.reset();
    throwsCode(() => parser.feed(new Uint8Array([0xf0, 0x00]), () => {}), "MQTT_UNKNOWN_TYPE", "after reset() the parser speaks 3.1.1 again");
  });

  t.test("decodes a payload in place when the packet lies within one chunk", () => {
    const v = VECTORS.find((x) => x.name.includes("two bytes"))!;
    const chunk = new Uint8Array(v.bytes);
    let payload: Uint8Array | undefined;
    new MqttParser({ version: 4 }).feed(chunk, (p) => {
      if (p.type === 3) payload = p.payload;
    });
    ok(payload !== undefined && payload.buffer === chunk.buffer, "the payload is a view into the chunk, not a copy");
  });

  t.test("never holds more than maxPacketSize bytes, whatever the split", () => {
    const max = 80;
    const parser = new MqttParser({ version: 5, maxPacketSize: max });
    const stream = concat(VECTORS.filter((v) => v.version === 5 && v.bytes.length <= max && v.packet.type !== 1).map((v) => new Uint8Array(v.bytes)));
    let emitted = 0;
    for (let i = 0; i < stream.length; i += 3) {
      parser.feed(stream.subarray(i, i + 3), () => emitted++);
      ok(parser.buffered <= max, "the buffered part of a packet stays within maxPacketSize");
    }
    ok(emitted > 10, "the packets that fit are decoded");
  });

  t.test("encodes the bytes of strings through the UTF-8 encoder it is given", () => {
    const calls: string[] = [];
    const encoded = encodePacket({ type: 10, packetId: 1, topics: ["x/y"] }, 4, (s) => {
      calls.push(s);
      return new Uint8Array([0x7a]);
    });
    eq(calls.join(","), "x/y", "each string is encoded once");
    eq(hex(encoded), "a2 05 00 01 00 01 7a", "the encoder's bytes are written");
  });
};
