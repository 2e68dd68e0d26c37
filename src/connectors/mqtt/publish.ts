/**
 * PUBLISH on the hot path: a client's PUBLISH without properties, written straight into
 * one Uint8Array whose length is computed, not measured by a first pass (§3.3). The topic
 * comes already checked and encoded (`topicBytes`), so a session can reuse it for every
 * message to the same topic. Bytes equal `encodePacket`'s for the same packet.
 */
import { ProtocolError } from "../../core/errors.js";
import { utf8Encode } from "../../core/utf8.js";
import { MAX_FIELD, MAX_VARINT, MQTT_BAD_TOPIC, MQTT_BAD_UTF8, MQTT_TOO_LARGE } from "./constants.js";
import type { ProtocolVersion } from "./packets.js";
import { hasWildcard } from "./rules.js";

/** A Topic Name as bytes: no wildcards [MQTT-3.3.2-2], not empty [MQTT-4.7.3-1], no U+0000 [MQTT-1.5.4-2]. */
export function topicBytes(topic: string): Uint8Array {
  if (hasWildcard(topic) || !topic) throw new ProtocolError(MQTT_BAD_TOPIC, "local", `topic "${topic}"`);
  const bytes = utf8Encode(topic);
  if (bytes.indexOf(0) >= 0) throw new ProtocolError(MQTT_BAD_UTF8, "local", "U+0000");
  if (bytes.length > MAX_FIELD) throw new ProtocolError(MQTT_TOO_LARGE, "local", "topic over 65535 bytes");
  return bytes;
}

/** Encodes a PUBLISH with no properties; `packetId` is used for QoS 1. */
export function encodePublish(topic: Uint8Array, payload: Uint8Array, qos: 0 | 1, retain: boolean, dup: boolean, packetId: number, version: ProtocolVersion): Uint8Array {
  const remaining = 2 + topic.length + (qos ? 2 : 0) + (version === 5 ? 1 : 0) + payload.length;
  if (remaining > MAX_VARINT) throw new ProtocolError(MQTT_TOO_LARGE, "local", "PUBLISH over 256 MB");
  const out = new Uint8Array(1 + (remaining < 0x80 ? 1 : remaining < 0x4000 ? 2 : remaining < 0x200000 ? 3 : 4) + remaining);
  let i = 0;
  out[i++] = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
  let n = remaining;
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out[i++] = n ? b | 0x80 : b;
  } while (n);
  out[i++] = topic.length >> 8;
  out[i++] = topic.length & 0xff;
  out.set(topic, i);
  i += topic.length;
  if (qos) {
    out[i++] = packetId >> 8;
    out[i++] = packetId & 0xff;
  }
  if (version === 5) out[i++] = 0; // an empty property block
  out.set(payload, i);
  return out;
}
