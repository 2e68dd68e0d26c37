/**
 * MQTT 3.1.1 and MQTT 5.0 wire constants a client needs: packet types, error codes, the
 * reason codes each packet may carry and the MQTT 5 property table. Integers, strings
 * and frozen arrays only, so the module holds no state once preloaded.
 *
 * Citations: [MQTT-x.y.z-n] is a conformance statement of MQTT 3.1.1 (OASIS, 2014);
 * "5:" marks MQTT 5.0's number where it differs; § numbers are MQTT 5.0 sections.
 */

// Control packet types: fixed header bits 7-4 (§2.1.2). AUTH exists in MQTT 5 only.
export const CONNECT = 1;
export const CONNACK = 2;
export const PUBLISH = 3;
export const PUBACK = 4;
export const PUBREC = 5;
export const PUBREL = 6;
export const PUBCOMP = 7;
export const SUBSCRIBE = 8;
export const SUBACK = 9;
export const UNSUBSCRIBE = 10;
export const UNSUBACK = 11;
export const PINGREQ = 12;
export const PINGRESP = 13;
export const DISCONNECT = 14;
export const AUTH = 15;

// Codes of the ProtocolError the codec throws (`side` says who broke the protocol).
export const MQTT_BAD_LENGTH = "MQTT_BAD_LENGTH"; // Remaining Length over four bytes, or not in its shortest form
export const MQTT_TOO_LARGE = "MQTT_TOO_LARGE"; // packet over maxPacketSize, or a field over 65535 bytes
export const MQTT_UNKNOWN_TYPE = "MQTT_UNKNOWN_TYPE"; // reserved type, AUTH in 3.1.1, or a type the other side never sends
export const MQTT_BAD_FLAGS = "MQTT_BAD_FLAGS"; // reserved or inconsistent flag bits
export const MQTT_BAD_QOS = "MQTT_BAD_QOS"; // QoS 3
export const MQTT_BAD_UTF8 = "MQTT_BAD_UTF8"; // ill-formed UTF-8, or U+0000
export const MQTT_BAD_TOPIC = "MQTT_BAD_TOPIC"; // wildcard in a topic name, misplaced wildcard, empty topic
export const MQTT_BAD_PACKET_ID = "MQTT_BAD_PACKET_ID"; // packet identifier 0 (or over 65535)
export const MQTT_BAD_REASON = "MQTT_BAD_REASON"; // reason code the packet may not carry in this version
export const MQTT_BAD_PROPERTY = "MQTT_BAD_PROPERTY"; // unknown, misplaced, repeated or out-of-range property
export const MQTT_BAD_VERSION = "MQTT_BAD_VERSION"; // protocol version other than 4 or 5
export const MQTT_MALFORMED = "MQTT_MALFORMED"; // truncated field, bytes left over, empty payload, bad number

// MQTT 5 reason codes a client sends in DISCONNECT (§2.4).
export const MALFORMED_PACKET = 0x81;
export const PROTOCOL_ERROR = 0x82;
export const TOPIC_NAME_INVALID = 0x90;
export const TOPIC_ALIAS_INVALID = 0x94;
export const PACKET_TOO_LARGE = 0x95;
export const QOS_NOT_SUPPORTED = 0x9b;

/** Largest Variable Byte Integer (§1.5.5): four bytes of seven bits. */
export const MAX_VARINT = 268_435_455;

/**
 * The reason codes each packet may carry, one character per code: MQTT 5 §3.2.2.2,
 * §3.4.2.1, §3.5.2.1, §3.6.2.1, §3.7.2.1, §3.9.3, §3.11.3, §3.14.2.1, §3.15.2.1; MQTT
 * 3.1.1 §3.2.2.3 and §3.9.3 (the `_3` tables).
 */
export const REASONS_CONNACK_3 = "\x00\x01\x02\x03\x04\x05";
export const REASONS_SUBACK_3 = "\x00\x01\x02\x80";
export const REASONS_CONNACK = "\x00\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8c\x90\x95\x97\x99\x9a\x9b\x9c\x9d\x9f";
export const REASONS_PUBACK = "\x00\x10\x80\x83\x87\x90\x91\x97\x99"; // PUBACK and PUBREC
export const REASONS_PUBREL = "\x00\x92"; // PUBREL and PUBCOMP
export const REASONS_SUBACK = "\x00\x01\x02\x80\x83\x87\x8f\x91\x97\x9e\xa1\xa2";
export const REASONS_UNSUBACK = "\x00\x11\x80\x83\x87\x8f\x91";
export const REASONS_DISCONNECT = "\x00\x04\x80\x81\x82\x83\x87\x89\x8b\x8d\x8e\x8f\x90\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xa0\xa1\xa2";
export const REASONS_AUTH = "\x00\x18\x19";

// MQTT 5 property identifiers the client reads or repeats (§2.2.2.2).
export const SUBSCRIPTION_IDENTIFIER = 0x0b;
export const SESSION_EXPIRY_INTERVAL = 0x11;
export const ASSIGNED_CLIENT_IDENTIFIER = 0x12;
export const SERVER_KEEP_ALIVE = 0x13;
export const REASON_STRING = 0x1f;
export const RECEIVE_MAXIMUM = 0x21;
export const TOPIC_ALIAS = 0x23;
export const MAXIMUM_QOS = 0x24;
export const RETAIN_AVAILABLE = 0x25;
export const USER_PROPERTY = 0x26;
export const MAXIMUM_PACKET_SIZE = 0x27;

// Property value types, bits 0-2 of a kind (§2.2.2.2 with the representations of §1.5).
export const VALUE_BYTE = 1; // Byte, 0 or 1
export const VALUE_U16 = 2; // Two Byte Integer
export const VALUE_U32 = 3; // Four Byte Integer
export const VALUE_VARINT = 4; // Variable Byte Integer
export const VALUE_STRING = 5; // UTF-8 Encoded String
export const VALUE_BINARY = 6; // Binary Data
export const VALUE_PAIR = 7; // UTF-8 String Pair
/** Bit 3 of a kind: the value 0 is a Protocol Error (§3.1.2.11.3, §3.1.2.11.4, §3.3.2.3.4, §3.3.2.3.8). */
export const VALUE_NONZERO = 8;
/** A kind holds the value type in bits 0-3 and, from this bit up, where the property may appear. */
export const PLACES_SHIFT = 4;

/** Where a property may appear: bit n for packet type n; bit 0 for the will properties of a CONNECT. */
export const IN_WILL = 0;
const W = 1 << IN_WILL;
const C = 1 << CONNECT;
const CA = 1 << CONNACK;
const P = 1 << PUBLISH;
const ACKS = (1 << PUBACK) | (1 << PUBREC) | (1 << PUBREL) | (1 << PUBCOMP);
const S = 1 << SUBSCRIBE;
const SA = 1 << SUBACK;
const U = 1 << UNSUBSCRIBE;
const UA = 1 << UNSUBACK;
const D = 1 << DISCONNECT;
const A = 1 << AUTH;

/** Value type and allowed places of each property, indexed by identifier (§2.2.2.2, Table 2-4). */
export const PROPERTY_KINDS: readonly (number | undefined)[] = Object.freeze([
  ,
  VALUE_BYTE | ((P | W) << PLACES_SHIFT), // 0x01 Payload Format Indicator
  VALUE_U32 | ((P | W) << PLACES_SHIFT), // 0x02 Message Expiry Interval
  VALUE_STRING | ((P | W) << PLACES_SHIFT), // 0x03 Content Type
  , , , ,
  VALUE_STRING | ((P | W) << PLACES_SHIFT), // 0x08 Response Topic
  VALUE_BINARY | ((P | W) << PLACES_SHIFT), // 0x09 Correlation Data
  ,
  VALUE_VARINT | VALUE_NONZERO | ((P | S) << PLACES_SHIFT), // 0x0b Subscription Identifier
  , , , , ,
  VALUE_U32 | ((C | CA | D) << PLACES_SHIFT), // 0x11 Session Expiry Interval
  VALUE_STRING | (CA << PLACES_SHIFT), // 0x12 Assigned Client Identifier
  VALUE_U16 | (CA << PLACES_SHIFT), // 0x13 Server Keep Alive
  ,
  VALUE_STRING | ((C | CA | A) << PLACES_SHIFT), // 0x15 Authentication Method
  VALUE_BINARY | ((C | CA | A) << PLACES_SHIFT), // 0x16 Authentication Data
  VALUE_BYTE | (C << PLACES_SHIFT), // 0x17 Request Problem Information
  VALUE_U32 | (W << PLACES_SHIFT), // 0x18 Will Delay Interval
  VALUE_BYTE | (C << PLACES_SHIFT), // 0x19 Request Response Information
  VALUE_STRING | (CA << PLACES_SHIFT), // 0x1a Response Information
  ,
  VALUE_STRING | ((CA | D) << PLACES_SHIFT), // 0x1c Server Reference
  , ,
  VALUE_STRING | ((CA | ACKS | SA | UA | D | A) << PLACES_SHIFT), // 0x1f Reason String
  ,
  VALUE_U16 | VALUE_NONZERO | ((C | CA) << PLACES_SHIFT), // 0x21 Receive Maximum
  VALUE_U16 | ((C | CA) << PLACES_SHIFT), // 0x22 Topic Alias Maximum
  VALUE_U16 | VALUE_NONZERO | (P << PLACES_SHIFT), // 0x23 Topic Alias
  VALUE_BYTE | (CA << PLACES_SHIFT), // 0x24 Maximum QoS
  VALUE_BYTE | (CA << PLACES_SHIFT), // 0x25 Retain Available
  VALUE_PAIR | ((W | C | CA | P | ACKS | S | SA | U | UA | D | A) << PLACES_SHIFT), // 0x26 User Property
  VALUE_U32 | VALUE_NONZERO | ((C | CA) << PLACES_SHIFT), // 0x27 Maximum Packet Size
  VALUE_BYTE | (CA << PLACES_SHIFT), // 0x28 Wildcard Subscription Available
  VALUE_BYTE | (CA << PLACES_SHIFT), // 0x29 Subscription Identifiers Available
  VALUE_BYTE | (CA << PLACES_SHIFT), // 0x2a Shared Subscription Available
]);
