/**
 * The PUBLISH fast path (publish.ts) against the general encoder: `writePublish` puts
 * the very bytes `encodePacket` returns into the caller's buffer at the offset given,
 * touching nothing else, and `publishSize` is their length; `topicBytes` refuses the
 * topics `encodePacket` refuses, with the same codes.
 */
import { describe, expect, it } from "vitest";
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import type { QoS } from "../../../src/connectors/mqtt/packets.js";
import { publishSize, topicBytes, writePublish } from "../../../src/connectors/mqtt/publish.js";
import { hex } from "../../support/check.js";
import { Rng } from "../../support/rng.js";

const SENTINEL = 0xa5;

describe("the PUBLISH fast path", () => {
  it("writes the same bytes as the general encoder for random publishes of both versions", () => {
    const r = new Rng(99);
    for (let n = 0; n < 2000; n++) {
      const version = r.bool() ? 5 : 4;
      const qos = r.int(0, 2) as QoS;
      const topic = Array.from({ length: r.int(1, 4) }, () => r.pick(["a", "weather", "ü", "😀", "x-1", ""])).join("/") || "t";
      const payload = r.bytes(0, r.pick([0, 10, 200, 20_000]));
      const retain = r.bool();
      const dup = qos > 0 && r.bool();
      const packetId = r.int(1, 0xffff);
      const general = encodePacket({ type: 3, topic, payload, qos, retain, dup, packetId: qos ? packetId : undefined }, version);

      const bytes = topicBytes(topic);
      const size = publishSize(bytes.length, payload.length, qos, version === 5);
      expect(size, `case ${n}: publishSize is the encoded length`).toBe(general.length);
      const at = r.int(0, 9);
      const out = new Uint8Array(at + size + r.int(0, 9)).fill(SENTINEL);
      const end = writePublish(out, at, bytes, payload, qos, retain, dup, packetId, version === 5);
      expect(end, `case ${n}: writePublish returns where the packet ends`).toBe(at + size);
      expect(hex(out.subarray(at, end)), `case ${n}`).toBe(hex(general));
      expect(out.subarray(0, at).every((b) => b === SENTINEL), `case ${n}: nothing written before the offset`).toBe(true);
      expect(out.subarray(end).every((b) => b === SENTINEL), `case ${n}: nothing written after the packet`).toBe(true);
    }
  });

  it("writes packets back to back into one buffer", () => {
    const topic = topicBytes("a/b");
    const payloads = [new Uint8Array([1]), new Uint8Array(300).fill(2), new Uint8Array(0)];
    const sizes = payloads.map((p, i) => publishSize(topic.length, p.length, i % 2, true));
    const out = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    payloads.forEach((p, i) => (at = writePublish(out, at, topic, p, i % 2, false, false, i + 1, true)));
    expect(at).toBe(out.length);
    const general = payloads.map((p, i) => encodePacket({ type: 3, topic: "a/b", payload: p, qos: (i % 2) as QoS, retain: false, dup: false, packetId: i % 2 ? i + 1 : undefined }, 5));
    expect(hex(out)).toBe(general.map(hex).join(" "));
  });

  it("sizes the remaining length at each Variable Byte Integer boundary", () => {
    // Remaining length of a QoS 0 3.1.1 PUBLISH to "t": 3 + payload.
    for (const [remaining, lengthBytes] of [[127, 1], [128, 2], [16383, 2], [16384, 3], [2097151, 3], [2097152, 4], [268435455, 4]] as const) {
      expect(publishSize(1, remaining - 3, 0, false), `remaining length ${remaining}`).toBe(1 + lengthBytes + remaining);
    }
    for (const [remaining, bytes] of [[127, "7f"], [128, "80 01"], [16384, "80 80 01"]] as const) {
      const payload = new Uint8Array(remaining - 3);
      const out = new Uint8Array(publishSize(1, payload.length, 0, false));
      writePublish(out, 0, topicBytes("t"), payload, 0, false, false, 0, false);
      expect(hex(out.subarray(1, 1 + bytes.split(" ").length)), `remaining length ${remaining}`).toBe(bytes);
    }
  });

  it("refuses a PUBLISH over the 256 MB limit", () => {
    expect(() => publishSize(1, 268435455 - 3, 0, false)).not.toThrow();
    expect(() => publishSize(1, 268435455 - 2, 0, false)).toThrowError(expect.objectContaining({ code: "MQTT_TOO_LARGE", side: "local" }));
    expect(() => publishSize(1, 268435455 - 6, 1, true)).not.toThrow();
    expect(() => publishSize(1, 268435455 - 5, 1, true)).toThrowError(expect.objectContaining({ code: "MQTT_TOO_LARGE", side: "local" }));
  });

  it("refuses the topics the general encoder refuses, with the same codes", () => {
    for (const [topic, code] of [["a/+", "MQTT_BAD_TOPIC"], ["#", "MQTT_BAD_TOPIC"], ["+", "MQTT_BAD_TOPIC"], ["", "MQTT_BAD_TOPIC"], ["a\u0000b", "MQTT_BAD_UTF8"], ["x".repeat(65536), "MQTT_TOO_LARGE"]] as const) {
      expect(() => topicBytes(topic), topic.slice(0, 8)).toThrowError(expect.objectContaining({ code, side: "local" }));
      for (const version of [4, 5] as const) {
        expect(() => encodePacket({ type: 3, topic, payload: new Uint8Array(), qos: 0, retain: false, dup: false }, version)).toThrowError(expect.objectContaining({ code }));
      }
    }
    expect(topicBytes("x".repeat(65535)).length, "a topic of exactly 65535 bytes is allowed").toBe(65535);
    expect(hex(topicBytes("é/😀")), "the topic is UTF-8").toBe("c3 a9 2f f0 9f 98 80");
  });
});
