/**
 * The MQTT codec contract, for a client's codec. Every vector a client sends encodes to
 * its exact bytes; every vector a broker sends decodes to its exact packet, whole, split
 * at every offset and one byte at a time; packets both sides send round-trip. A packet
 * only a broker sends is refused by the encoder, one only a client sends by the parser.
 * Every error vector is refused with its code; the parser stays within maxPacketSize,
 * refuses input after an error until reset(), and never keeps a view into a chunk it
 * has returned from. The same file runs under vitest and inside XS, so it uses neither
 * Buffer nor TextEncoder.
 */
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import { MqttParser } from "../../../src/connectors/mqtt/decode.js";
import type { AckPacket, BrokerPacket, DisconnectPacket, ProtocolVersion, PublishPacket } from "../../../src/connectors/mqtt/packets.js";
import { canon, eq, fail, hex, ok, throwsCode } from "../../support/check.js";
import type { Suite } from "../../support/suite.js";
import { DECODE_ERRORS, ENCODE_ERRORS, VECTORS, sentByBroker, sentByClient, type BrokerVector } from "./vectors.js";

export { canon, hex };

/** Packet types only a client sends (CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ) and only a broker sends. */
const CLIENT_ONLY = [1, 8, 10, 12];
const BROKER_ONLY = [2, 9, 11, 13];

/** PUBLISH, the acknowledgements, DISCONNECT and AUTH: what both sides send. */
const sentByBoth = (p: BrokerPacket): p is PublishPacket | AckPacket | DisconnectPacket => p.type !== 2 && p.type !== 9 && p.type !== 11 && p.type !== 13;

type CodecError = Error & { side?: string; reasonCode?: number };

/** Feeds `chunks` to a fresh parser and returns each packet as canonical text (taken during onPacket, while views are valid). */
export function decodeChunks(version: ProtocolVersion, chunks: Uint8Array[], maxPacketSize?: number): string[] {
  const parser = new MqttParser(version, maxPacketSize);
  const out: string[] = [];
  for (const chunk of chunks) parser.feed(chunk, (p) => out.push(canon(p)));
  return out;
}

/**
 * Like decodeChunks, but each chunk is a copy that is overwritten once `feed` returns:
 * a parser that kept a view into an earlier chunk would decode garbage.
 */
function decodeClobbered(version: ProtocolVersion, chunks: Uint8Array[]): string[] {
  const parser = new MqttParser(version);
  const out: string[] = [];
  for (const chunk of chunks) {
    const copy = chunk.slice();
    parser.feed(copy, (p) => out.push(canon(p)));
    copy.fill(0xee);
  }
  return out;
}

function decodeOne(v: BrokerVector, chunks: Uint8Array[]): string {
  const got = decodeClobbered(v.version, chunks);
  eq(got.length, 1, "the bytes of one packet decode to exactly one packet");
  return got[0]!;
}

/** Feeds `bytes` in chunks of `size` and returns the error the parser throws (failing if it throws none). */
function refusal(version: ProtocolVersion, bytes: Uint8Array, size: number, maxPacketSize?: number): CodecError {
  const parser = new MqttParser(version, maxPacketSize);
  for (let at = 0; at < bytes.length; at += size) {
    try {
      parser.feed(bytes.subarray(at, at + size), () => fail("nothing may be emitted from a refused packet"));
    } catch (err) {
      return err as CodecError;
    }
  }
  return fail("the parser refuses the bytes", "nothing was thrown");
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

/** A Remaining Length as its Variable Byte Integer bytes. */
function lengthBytes(n: number): number[] {
  const out: number[] = [];
  do {
    const digit = n % 128;
    n = Math.floor(n / 128);
    out.push(n ? digit | 128 : digit);
  } while (n);
  return out;
}

/** A QoS 0 PUBLISH to topic "a" of exactly `total` bytes, fixed header included. */
function publishOfSize(total: number): Uint8Array {
  let remaining = total - 2;
  while (1 + lengthBytes(remaining).length + remaining > total) remaining--;
  const head = [0x30, ...lengthBytes(remaining)];
  const out = new Uint8Array(head.length + remaining);
  out.set(head);
  out.set([0x00, 0x01, 0x61], head.length); // topic "a"; the rest is payload
  return out;
}

const versionName = (v: ProtocolVersion) => (v === 5 ? "MQTT 5" : "MQTT 3.1.1");

export const mqttCodecSuite: Suite = (t) => {
  for (const v of VECTORS) {
    const bytes = new Uint8Array(v.bytes);

    if (sentByClient(v)) {
      t.test(`encodes ${v.name}`, () => {
        eq(hex(encodePacket(v.packet, v.version)), hex(bytes), "encoding the vector's packet gives the vector's bytes");
      });
    }

    if (sentByBroker(v)) {
      const expected = canon(v.packet);
      t.test(`decodes ${v.name}`, () => {
        eq(decodeChunks(v.version, [bytes]).join("\n"), expected, "decoding the vector's bytes gives the vector's packet, once");
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

    if (v.sender === "both") {
      t.test(`round-trips ${v.name}`, () => {
        const encoded = encodePacket(v.packet, v.version);
        eq(decodeChunks(v.version, [encoded]).join("\n"), canon(v.packet), "decode(encode(packet)) is the packet");
        let again = "";
        new MqttParser(v.version).feed(bytes, (p) => {
          if (sentByBoth(p)) again = hex(encodePacket(p, v.version));
        });
        eq(again, hex(bytes), "encode(decode(bytes)) is the canonical encoding");
      });
    }

    if (CLIENT_ONLY.indexOf(v.packet.type) >= 0) {
      t.test(`the parser refuses ${v.name}, a packet only a client sends`, () => {
        for (const size of [bytes.length, 1]) {
          const err = refusal(v.version, bytes, size);
          eq((err as { code?: unknown }).code, "MQTT_UNKNOWN_TYPE", "a client's packet is an unknown type to a client");
          eq(err.side, "remote", "the broker broke the protocol");
          eq(err.reasonCode, 0x82, "the error carries Protocol Error");
        }
        throwsCode(() => new MqttParser(v.version).feed(bytes.subarray(0, 1), () => fail("nothing is emitted")), "MQTT_UNKNOWN_TYPE", "the first byte alone is refused");
      });
    }

    if (BROKER_ONLY.indexOf(v.packet.type) >= 0) {
      t.test(`the encoder refuses ${v.name}, a packet only a broker sends`, () => {
        const err = throwsCode(() => encodePacket(v.packet as never, v.version), "MQTT_UNKNOWN_TYPE", "a broker's packet is not encoded") as CodecError;
        eq(err.side, "local", "we were asked to send something invalid");
      });
    }
  }

  for (const e of DECODE_ERRORS) {
    t.test(`refuses ${e.name} with ${e.code}`, () => {
      const bytes = new Uint8Array(e.bytes);
      for (const size of [bytes.length, 1]) {
        const err = refusal(e.version, bytes, size, e.maxPacketSize);
        const how = size === 1 ? "fed one byte at a time" : "fed whole";
        eq((err as { code?: unknown }).code, e.code, `the parser refuses ${e.name}, ${how}`);
        eq(err.name, "ProtocolError", "the error is a ProtocolError");
        eq(err.side, "remote", "the peer broke the protocol");
        eq(err.reasonCode, e.reasonCode, "the error carries the MQTT 5 reason code to answer with");
      }
    });
  }

  for (const e of ENCODE_ERRORS) {
    t.test(`will not encode ${e.name}`, () => {
      const err = throwsCode(() => encodePacket(e.packet, e.version), e.code, `encodePacket refuses ${e.name}`) as CodecError;
      eq(err.name, "ProtocolError", "the error is a ProtocolError");
      eq(err.side, "local", "we were asked to send something invalid");
    });
  }

  for (const version of [4, 5] as const) {
    t.test(`decodes every ${versionName(version)} broker vector fed in one chunk, in order`, () => {
      const vectors = VECTORS.filter((v) => v.version === version && sentByBroker(v));
      ok(vectors.length > 10, "the stream holds many packets");
      const got = decodeChunks(version, [concat(vectors.map((v) => new Uint8Array(v.bytes)))]);
      eq(got.join("\n"), vectors.map((v) => canon(v.packet)).join("\n"), "every packet comes out once, in order");
    });
  }

  t.test("emits nothing for a packet truncated at the end of the input", () => {
    const v = VECTORS.find((x) => x.name.includes("two bytes"))!;
    const bytes = new Uint8Array(v.bytes);
    const parser = new MqttParser(4);
    const got: string[] = [];
    parser.feed(bytes.subarray(0, bytes.length - 1), (p) => got.push(canon(p)));
    eq(got.length, 0, "an incomplete packet is not emitted");
    parser.feed(bytes.subarray(bytes.length - 1), (p) => got.push(canon(p)));
    eq(got.join("\n"), canon(v.packet), "the last byte completes it");
  });

  t.test("refuses a packet over maxPacketSize from its header alone, and takes one of exactly that size", () => {
    const parser = new MqttParser(5, 64);
    // PUBLISH whose remaining length says 63 bytes: 1 + 1 + 63 = 65 > 64.
    const err = throwsCode(() => parser.feed(new Uint8Array([0x30, 0x3f]), () => fail("nothing may be emitted")), "MQTT_TOO_LARGE", "a declared 65-byte packet exceeds 64") as CodecError;
    eq(err.reasonCode, 0x95, "the error carries Packet Too Large");
    const exact = publishOfSize(64);
    eq(exact.length, 64, "the test packet is 64 bytes");
    const fits = new MqttParser(5, 64);
    const sizes: number[] = [];
    fits.feed(exact.subarray(0, 10), (p) => sizes.push((p as { payload: Uint8Array }).payload.length));
    fits.feed(exact.subarray(10), (p) => sizes.push((p as { payload: Uint8Array }).payload.length));
    eq(sizes.join(","), "58", "a packet of exactly maxPacketSize bytes is accepted, even split");
  });

  t.test("defaults maxPacketSize to 65536 bytes", () => {
    const exact = publishOfSize(65536);
    const got: number[] = [];
    new MqttParser(4).feed(exact, (p) => got.push((p as { payload: Uint8Array }).payload.length));
    eq(got.join(","), String(65536 - 7), "a 65536-byte packet is accepted");
    const over = publishOfSize(65537);
    eq(over.length, 65537, "the test packet is 65537 bytes");
    throwsCode(() => new MqttParser(5).feed(over.subarray(0, 4), () => fail("nothing may be emitted")), "MQTT_TOO_LARGE", "a 65537-byte packet is refused from its header");
  });

  t.test("MQTT 3.1.1: a PUBLISH over maxPacketSize is read past and reported with its packet id, however it is split", () => {
    const big = encodePacket({ type: 3, topic: "big/t", payload: new Uint8Array(300).fill(7), qos: 1, retain: true, dup: false, packetId: 0x1234 }, 4);
    const next = encodePacket({ type: 3, topic: "n", payload: Uint8Array.of(111, 107), qos: 0, retain: false, dup: false }, 4);
    const stream = new Uint8Array([...big, ...next]);
    const expected = [
      canon({ type: 3, topic: "", payload: new Uint8Array(0), qos: 1, retain: true, dup: false, tooLarge: big.length - 3, packetId: 0x1234 }),
      canon({ type: 3, topic: "n", payload: Uint8Array.of(111, 107), qos: 0, retain: false, dup: false }),
    ];
    for (const size of [1, 2, 5, 64, stream.length]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      eq(decodeChunks(4, chunks, 64).join("\n"), expected.join("\n"), `the big one reported, the next decoded (chunks of ${size})`);
    }
    const cut = new Uint8Array([0x32, 70, 0, 80, ...new Array<number>(68).fill(0)]); // its topic runs past its end
    throwsCode(() => new MqttParser(4, 64).feed(cut, () => fail("nothing may be emitted")), "MQTT_MALFORMED", "a topic length past the packet's end is malformed");
    const suback = new Uint8Array([0x90, 70, 0, 1, ...new Array<number>(68).fill(0)]);
    throwsCode(() => new MqttParser(4, 64).feed(suback, () => fail("nothing may be emitted")), "MQTT_TOO_LARGE", "any other packet over the maximum is an error");
  });

  t.test("decodes a long stream within maxPacketSize fed 3 bytes at a time", () => {
    const max = 80;
    const vectors = VECTORS.filter((v) => v.version === 5 && sentByBroker(v) && v.bytes.length <= max);
    const stream = concat(vectors.map((v) => new Uint8Array(v.bytes)));
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i += 3) chunks.push(stream.subarray(i, i + 3));
    ok(vectors.length > 10, "the stream holds many packets");
    eq(decodeChunks(5, chunks, max).join("\n"), vectors.map((v) => canon(v.packet)).join("\n"), "every packet that fits is decoded, in order");
  });

  t.test("refuses every later chunk after an error until reset()", () => {
    const parser = new MqttParser(4);
    throwsCode(() => parser.feed(new Uint8Array([0x60, 0x02, 0x00, 0x01]), () => {}), "MQTT_BAD_FLAGS", "PUBREL with flags 0000 is refused");
    throwsCode(() => parser.feed(new Uint8Array([0xd0, 0x00]), () => fail("a failed parser emits nothing")), "MQTT_BAD_FLAGS", "the same error comes back");
    parser.reset();
    let emitted = 0;
    parser.feed(new Uint8Array([0xd0, 0x00]), () => emitted++);
    eq(emitted, 1, "after reset() the parser decodes again");
  });

  t.test("forgets a partial packet on reset()", () => {
    const parser = new MqttParser(5);
    const got: BrokerPacket["type"][] = [];
    parser.feed(new Uint8Array([0x30, 0x10, 0x00, 0x01]), (p) => got.push(p.type)); // a PUBLISH cut short
    parser.reset();
    parser.feed(new Uint8Array([0xd0, 0x00, 0x40, 0x02, 0x00, 0x07]), (p) => got.push(p.type));
    eq(got.join(","), "13,4", "the bytes after reset() start a new packet");
  });

  t.test("rethrows an error thrown by onPacket and stops", () => {
    const parser = new MqttParser(4);
    const boom = new Error("consumer failed");
    let calls = 0;
    let thrown: unknown;
    try {
      parser.feed(new Uint8Array([0xd0, 0x00, 0xd0, 0x00]), () => {
        calls++;
        throw boom;
      });
    } catch (err) {
      thrown = err;
    }
    ok(thrown === boom, "the consumer's error propagates unchanged");
    eq(calls, 1, "no packet is emitted after the consumer failed");
    let again: unknown;
    try {
      parser.feed(new Uint8Array([0xd0, 0x00]), () => fail("nothing is emitted after a consumer error"));
    } catch (err) {
      again = err;
    }
    ok(again === boom, "the parser refuses input until reset()");
  });

  t.test("reads only the fields of the version it was made for", () => {
    const puback5 = new Uint8Array([0x40, 0x04, 0x00, 0x07, 0x00, 0x00]); // reason code and property length: MQTT 5 only
    eq(decodeChunks(5, [puback5]).join(), canon({ type: 4, packetId: 7, reasonCode: 0 }), "MQTT 5 reads the reason code");
    throwsCode(() => decodeChunks(4, [puback5]), "MQTT_MALFORMED", "3.1.1 finds bytes left over");
    const connack5 = new Uint8Array(VECTORS.find((v) => v.version === 5 && v.packet.type === 2)!.bytes);
    throwsCode(() => decodeChunks(4, [connack5]), "MQTT_MALFORMED", "3.1.1 has no CONNACK properties");
    eq(decodeChunks(5, [new Uint8Array([0xf0, 0x00])]).join(), canon({ type: 15, reasonCode: 0 }), "MQTT 5 reads AUTH");
    throwsCode(() => decodeChunks(4, [new Uint8Array([0xf0, 0x00])]), "MQTT_UNKNOWN_TYPE", "3.1.1 has no AUTH");
  });

  t.test("decodes a payload in place when the packet lies within one chunk", () => {
    const v = VECTORS.find((x) => x.name.includes("two bytes"))!;
    const chunk = new Uint8Array(v.bytes);
    let payload: Uint8Array | undefined;
    new MqttParser(4).feed(chunk, (p) => {
      if (p.type === 3) payload = p.payload;
    });
    ok(payload !== undefined && payload.buffer === chunk.buffer, "the payload is a view into the chunk, not a copy");
    eq(payload!.byteOffset, 8, "the view starts after the header, topic length and topic");
    eq(payload!.length, 200, "the view ends with the packet");
  });

  t.test("encodes a CONNECT for its own protocol version, whatever version it is given", () => {
    for (const v of VECTORS) {
      if (v.packet.type !== 1) continue;
      const other = v.version === 5 ? 4 : 5;
      eq(hex(encodePacket(v.packet, other)), hex(new Uint8Array(v.bytes)), `${v.name} encoded with version ${other}`);
    }
  });

  t.test("leaves MQTT 5 fields out of 3.1.1 packets", () => {
    eq(hex(encodePacket({ type: 4, packetId: 1, reasonCode: 0x10, properties: { 0x1f: "x" } }, 4)), "40 02 00 01", "a 3.1.1 PUBACK has no reason code or properties");
    eq(hex(encodePacket({ type: 14, reasonCode: 0x04, properties: { 0x11: 1 } }, 4)), "e0 00", "a 3.1.1 DISCONNECT is empty");
    eq(
      hex(encodePacket({ type: 8, packetId: 1, subscriptions: [{ topic: "a", qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 }], properties: { 0x0b: 9 } }, 4)),
      "82 06 00 01 00 01 61 01",
      "3.1.1 subscription options hold the QoS alone, and no properties",
    );
    eq(
      hex(encodePacket({ type: 3, topic: "a", payload: new Uint8Array([7]), qos: 0, retain: false, dup: false, properties: { 0x23: 1 } }, 4)),
      "30 04 00 01 61 07",
      "a 3.1.1 PUBLISH has no property block",
    );
  });

  t.test("writes a user property's pairs in the order given, names repeating", () => {
    const bytes = encodePacket({ type: 4, packetId: 1, properties: { 0x26: [["b", "1"], ["a", "2"], ["b", "3"]] } }, 5);
    eq(hex(bytes), "40 19 00 01 00 15 26 00 01 62 00 01 31 26 00 01 61 00 01 32 26 00 01 62 00 01 33", "three pairs in order");
    eq(decodeChunks(5, [bytes]).join(), canon({ type: 4, packetId: 1, reasonCode: 0, properties: { 0x26: [["b", "1"], ["a", "2"], ["b", "3"]] } }), "and read back in order");
  });
};
