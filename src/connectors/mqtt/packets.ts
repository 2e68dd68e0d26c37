/**
 * MQTT packets as plain objects, one shape per control packet type, for MQTT 3.1.1
 * (protocol level 4) and MQTT 5 (level 5): the packets a client sends (`ClientPacket`)
 * and the packets a broker sends (`BrokerPacket`). Field names follow the specification.
 *
 * What the decoder fills in, so a decoded packet compares equal to the one encoded:
 * - `properties` only when at least one property was on the wire (MQTT 5), keyed by
 *   property identifier (§2.2.2.2): 0x26 User Property is a list of pairs in wire order;
 *   0x0b Subscription Identifier is a list only in a PUBLISH that carries several;
 *   one-byte properties are the numbers 0 and 1.
 * - MQTT 5 acknowledgements, DISCONNECT and AUTH always get `reasonCode` (0 when the wire
 *   form left it out); MQTT 3.1.1 ones never do. CONNACK's return code is `reasonCode`.
 * - MQTT 5 UNSUBACK always gets `reasonCodes`.
 *
 * Byte fields of a decoded packet are views into the parser's input: see `MqttParser.feed`.
 */
import type {
  AUTH, CONNACK, CONNECT, DISCONNECT, PINGREQ, PINGRESP, PUBACK, PUBCOMP, PUBLISH, PUBREC, PUBREL,
  SUBACK, SUBSCRIBE, UNSUBACK, UNSUBSCRIBE,
} from "./constants.js";

/** 4 is MQTT 3.1.1, 5 is MQTT 5. */
export type ProtocolVersion = 4 | 5;

export type QoS = 0 | 1 | 2;

/** MQTT 5 properties by identifier (§2.2.2.2); each packet type accepts only some. */
export type Properties = { [id: number]: number | string | Uint8Array | number[] | [string, string][] | undefined };

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
  /** May be empty in MQTT 5 when property 0x23 (Topic Alias) names the topic. */
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  /** Present exactly when qos > 0. */
  packetId?: number;
  properties?: Properties;
  /** MQTT 3.1.1: the Remaining Length of a PUBLISH over the maximum packet size, read past; topic and payload are then empty. */
  tooLarge?: number;
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
  /** MQTT 5 subscription options (§3.8.3.1). */
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

/** PINGREQ or PINGRESP. */
export interface PingPacket {
  type: typeof PINGREQ | typeof PINGRESP;
}

/** DISCONNECT, or AUTH (MQTT 5 only). */
export interface DisconnectPacket {
  type: typeof DISCONNECT | typeof AUTH;
  /** MQTT 5 only; omitted means 0. */
  reasonCode?: number;
  properties?: Properties;
}

/** What a client sends: `encodePacket` takes these. */
export type ClientPacket = ConnectPacket | PublishPacket | AckPacket | SubscribePacket | UnsubscribePacket | PingPacket | DisconnectPacket;

/** What a broker sends: `MqttParser` yields these. */
export type BrokerPacket = ConnackPacket | PublishPacket | AckPacket | SubackPacket | UnsubackPacket | PingPacket | DisconnectPacket;
