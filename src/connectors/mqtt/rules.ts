/**
 * Rules the encoder and the decoder both enforce, so that what one refuses to write the
 * other refuses to read.
 */
import {
  CONNACK, DISCONNECT, PUBACK, PUBCOMP, PUBREC, PUBREL, SUBACK, UNSUBACK,
  REASONS_AUTH, REASONS_CONNACK, REASONS_CONNACK_3, REASONS_DISCONNECT, REASONS_PUBACK, REASONS_PUBREL,
  REASONS_SUBACK, REASONS_SUBACK_3, REASONS_UNSUBACK,
} from "./constants.js";
import type { ProtocolVersion } from "./packets.js";

/** True when `code` is a reason code (or 3.1.1 return code) that packet `type` may carry in `version`. */
export function isReasonCode(type: number, version: ProtocolVersion, code: number): boolean {
  let table: string;
  switch (type) {
    case CONNACK: table = version === 5 ? REASONS_CONNACK : REASONS_CONNACK_3; break;
    case PUBACK: case PUBREC: table = REASONS_PUBACK; break;
    case PUBREL: case PUBCOMP: table = REASONS_PUBREL; break;
    case SUBACK: table = version === 5 ? REASONS_SUBACK : REASONS_SUBACK_3; break;
    case UNSUBACK: table = REASONS_UNSUBACK; break;
    case DISCONNECT: table = REASONS_DISCONNECT; break;
    default: table = REASONS_AUTH;
  }
  // `& 255` also turns away fractions, negatives, NaN and non-numbers.
  return (code & 255) === code && table.indexOf(String.fromCharCode(code)) >= 0;
}

/** A Topic Name carries no wildcard characters [MQTT-3.3.2-2], [MQTT-4.7.1-1]. */
export function hasWildcard(topic: string): boolean {
  return topic.indexOf("+") >= 0 || topic.indexOf("#") >= 0;
}
