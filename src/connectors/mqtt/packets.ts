/**
 * MQTT packets as plain objects, one shape per control packet type, for MQTT 3.1.1
 * (protocol level 4) and MQTT 5 (level 5). Field names follow the specification
 * (`packetId`, `qos`, `reasonCode`); property names follow mqtt-packet.
 *
 * What the decoder fills in, so a decoded packet encodes back to the same packet:
 * - `properties` is present only when at least one property was on the wire (MQTT 5).
 * - MQTT 5 acknowledgements, DISCONNECT and AUTH always get `reasonCode` (0 when the
 *   wire form omitted it); MQTT 3.1.1 packets never do, except CONNACK, whose return
 *   code is `reasonCode`.
 * - MQTT 5 subscriptions always get `noLocal`, `retainAsPublished` and `retainHandling`;
 *   MQTT 3.1.1 ones never do. MQTT 5 UNSUBACK always gets `reasonCodes`.
 * - `subscriptionIdentifier` is a number, or an array when a PUBLISH carries several.
 *
 * Byte fields (`payload`, `password`, will `payload`, `correlationData`,
 * `authenticationData`) of a decoded packet are views into the parser's input: see
 * `MqttParser.feed`.
 */
import type {
  AUTH, CONNACK, CONNECT, DISCONNECT, PINGREQ, PINGRESP, PUBACK, PUBCOMP, PUBLISH, PUBREC, PUBREL,
  SUBACK, SUBSCRIBE, UNSUBACK, UNSUBSCRIBE,
} from "./constants.js";

/** 4 is MQTT 3.1.1, 5 is MQTT 5. */
export type ProtocolVersion = 4 | 5;

export type QoS = 0 | 1 | 2;

/** MQTT 5 properties (§2.2.2.2). Each packet type accepts only some of them. */
export interface Properties {
  sessionExpiryInterval?: number;
  receiveMaximum?: number;
  maximumPacketSize?: number;
  topicAliasMaximum?: number;
  topicAlias?: number;
  requestResponseInformation?: boolean;
  requestProblemInformation?: boolean;
  /** In wire order; a name may repeat. */
  userProperties?: [string, string][];
  authenticationMethod?: string;
  authenticationData?: Uint8Array;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Uint8Array;
  /** An array only in a PUBLISH that matched several subscriptions. */
  subscriptionIdentifier?: number | number[];
  willDelayInterval?: number;
  assignedClientIdentifier?: string;
  serverKeepAlive?: number;
  responseInformation?: string;
  serverReference?: string;
  reasonString?: string;
  maximumQoS?: number;
  retainAvailable?: boolean;
  wildcardSubscriptionAvailable?: boolean;
  subscriptionIdentifiersAvailable?: boolean;
  sharedSubscriptionAvailable?: boolean;
}

export interface Will {
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: Properties;
}

export interface ConnectPacket {
  type: typeof CONNECT;
  protocolVersion: ProtocolVersion;
  clientId: string;
  clean: boolean;
  /** Seconds; 0 turns keep-alive off. */
  keepalive: number;
  username?: string;
  password?: Uint8Array;
  will?: Will;
  properties?: Properties;
}

export interface ConnackPacket {
  type: typeof CONNACK;
  sessionPresent: boolean;
  /** MQTT 5 reason code, or the MQTT 3.1.1 return code. */
  reasonCode: number;
  properties?: Properties;
}

export interface PublishPacket {
  type: typeof PUBLISH;
  /** May be empty in MQTT 5 when `properties.topicAlias` names the topic. */
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Present exactly when qos > 0. */
  packetId?: number;
  properties?: Properties;
}

/** PUBACK, PUBREC, PUBREL, PUBCOMP. */
export interface AckPacket {
  type: typeof PUBACK | typeof PUBREC | typeof PUBREL | typeof PUBCOMP;
  packetId: number;
  /** MQTT 5 only; omitted means 0 (Success). */
  reasonCode?: number;
  properties?: Properties;
}

export interface Subscription {
  /** A topic filter: `+` and `#` allowed as whole levels, `#` last. */
  topic: string;
  qos: QoS;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
}

export interface SubscribePacket {
  type: typeof SUBSCRIBE;
  packetId: number;
  subscriptions: Subscription[];
  properties?: Properties;
}

export interface SubackPacket {
  type: typeof SUBACK;
  packetId: number;
  /** One per subscription, in order: the granted QoS, or a failure code (>= 0x80). */
  reasonCodes: number[];
  properties?: Properties;
}

export interface UnsubscribePacket {
  type: typeof UNSUBSCRIBE;
  packetId: number;
  topics: string[];
  properties?: Properties;
}

export interface UnsubackPacket {
  type: typeof UNSUBACK;
  packetId: number;
  /** MQTT 5 only: one per topic filter, in order. */
  reasonCodes?: number[];
  properties?: Properties;
}

export interface PingreqPacket {
  type: typeof PINGREQ;
}

export interface PingrespPacket {
  type: typeof PINGRESP;
}

export interface DisconnectPacket {
  type: typeof DISCONNECT;
  /** MQTT 5 only; omitted means 0 (Normal disconnection). */
  reasonCode?: number;
  properties?: Properties;
}

/** MQTT 5 only. */
export interface AuthPacket {
  type: typeof AUTH;
  /** Omitted means 0 (Success). */
  reasonCode?: number;
  properties?: Properties;
}

export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | AckPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket
  | AuthPacket;
