/** Checks the encoder and the decoder share, so what one refuses to write the other refuses to read. */
import { ProtocolError } from "../../core/errors.js";
import {
  CONNACK, DISCONNECT, PUBACK, PUBCOMP, PUBREC, PUBREL, SUBACK, UNSUBACK, REASONS_AUTH, REASONS_CONNACK,
  REASONS_CONNACK_3, REASONS_DISCONNECT, REASONS_PUBACK, REASONS_PUBREL, REASONS_SUBACK, REASONS_SUBACK_3,
  REASONS_UNSUBACK,
} from "./constants.js";

/** True when `code` is a reason code (or 3.1.1 return code) that packet `type` may carry in `version`. */
export function isReasonCode(type: number, version: number, code: number): boolean {
  const table =
    type === CONNACK ? (version === 5 ? REASONS_CONNACK : REASONS_CONNACK_3)
    : type === PUBACK || type === PUBREC ? REASONS_PUBACK
    : type === PUBREL || type === PUBCOMP ? REASONS_PUBREL
    : type === SUBACK ? (version === 5 ? REASONS_SUBACK : REASONS_SUBACK_3)
    : type === UNSUBACK ? REASONS_UNSUBACK
    : type === DISCONNECT ? REASONS_DISCONNECT
    : REASONS_AUTH;
  // `& 255` also turns away fractions, negatives, NaN and non-numbers.
  return (code & 255) === code && table.indexOf(String.fromCharCode(code)) >= 0;
}

/** A Topic Name carries no wildcard characters [MQTT-3.3.2-2], [MQTT-4.7.1-1]. */
export function hasWildcard(topic: string): boolean {
  return topic.indexOf("+") >= 0 || topic.indexOf("#") >= 0;
}

/** A codec error: "local" when this side would break the protocol (nothing is sent), "remote" when the broker did. */
export function protocolError(side: "local" | "remote", code: string, detail: string = code, reasonCode?: number): ProtocolError {
  return new ProtocolError(code, side, detail, reasonCode);
}
