import { describe, expect, it } from "vitest";
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import { encodePublish, topicBytes } from "../../../src/connectors/mqtt/publish.js";
import { Rng } from "../../support/rng.js";

describe("the PUBLISH fast path", () => {
  it("writes the same bytes as the general encoder for random publishes of both versions", () => {
    const r = new Rng(99);
    for (let n = 0; n < 2000; n++) {
      const version = r.bool() ? 5 : 4;
      const qos = r.bool() ? 1 : 0;
      const topic = Array.from({ length: r.int(1, 4) }, () => r.pick(["a", "weather", "ü", "😀", "x-1", ""])).join("/") || "t";
      const payload = r.bytes(0, r.pick([0, 10, 200, 20_000]));
      const retain = r.bool();
      const dup = qos === 1 && r.bool();
      const packetId = r.int(1, 0xffff);
      const fast = encodePublish(topicBytes(topic), payload, qos, retain, dup, packetId, version);
      const general = encodePacket({ type: 3, topic, payload, qos, retain, dup, packetId: qos ? packetId : undefined }, version);
      expect(fast).toEqual(general);
    }
  });

  it("refuses the topics the general encoder refuses, with the same codes", () => {
    for (const [topic, code] of [["a/+", "MQTT_BAD_TOPIC"], ["#", "MQTT_BAD_TOPIC"], ["", "MQTT_BAD_TOPIC"], ["a\u0000b", "MQTT_BAD_UTF8"], ["x".repeat(65536), "MQTT_TOO_LARGE"]] as const) {
      expect(() => topicBytes(topic)).toThrowError(expect.objectContaining({ code }));
      expect(() => encodePacket({ type: 3, topic, payload: new Uint8Array(), qos: 0, retain: false, dup: false }, 4)).toThrowError(expect.objectContaining({ code }));
    }
  });
});
