/**
 * PUBLISH on the hot path: a client's PUBLISH without properties (§3.3), written straight
 * into the caller's buffer. The topic comes checked and encoded once (`topicBytes`), so
 * every message to the same topic reuses it. Bytes equal `encodePacket`'s.
 */
import { utf8Encode } from "../../core/utf8.js";
import { MAX_VARINT, MQTT_BAD_TOPIC, MQTT_BAD_UTF8, MQTT_TOO_LARGE } from "./constants.js";
import { hasWildcard, protocolError } from "./rules.js";

/** A Topic Name as bytes: no wildcards [MQTT-3.3.2-2], not empty [MQTT-4.7.3-1], no U+0000, at most 65535 bytes. */
export function topicBytes(topic: string): Uint8Array {
  const bytes = utf8Encode(topic);
  const code = hasWildcard(topic) || !topic ? MQTT_BAD_TOPIC : bytes.indexOf(0) >= 0 ? MQTT_BAD_UTF8 : bytes.length > 0xffff ? MQTT_TOO_LARGE : "";
  if (code) throw protocolError("local", code, `topic "${topic}"`);
  return bytes;
}

/** Bytes of a PUBLISH with no properties; throws when over the 256 MB limit. */
export function publishSize(topicLength: number, payloadLength: number, qos: number, v5: boolean): number {
  const remaining = 2 + topicLength + (qos ? 2 : 0) + (v5 ? 1 : 0) + payloadLength;
  if (remaining > MAX_VARINT) throw protocolError("local", MQTT_TOO_LARGE, "PUBLISH over 256 MB");
  return 1 + (remaining < 0x80 ? 1 : remaining < 0x4000 ? 2 : remaining < 0x200000 ? 3 : 4) + remaining;
}

/** Writes that PUBLISH at `out[at]` (the caller made room with `publishSize`); returns where it ends. */
export function writePublish(out: Uint8Array, at: number, topic: Uint8Array, payload: Uint8Array, qos: number, retain: boolean, dup: boolean, packetId: number, v5: boolean): number {
  let n = 2 + topic.length + (qos ? 2 : 0) + (v5 ? 1 : 0) + payload.length;
  out[at++] = 0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0);
  do {
    const b = n & 127;
    n >>>= 7;
    out[at++] = n ? b | 128 : b;
  } while (n);
  out[at++] = topic.length >> 8;
  out[at++] = topic.length & 255;
  out.set(topic, at);
  at += topic.length;
  if (qos) {
    out[at++] = packetId >> 8;
    out[at++] = packetId & 255;
  }
  if (v5) out[at++] = 0; // an empty property block
  out.set(payload, at);
  return at + payload.length;
}
