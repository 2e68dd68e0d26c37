/**
 * MQTT 3.1.1 and MQTT 5.0 wire constants: packet types, header and option bits, reason
 * codes, property identifiers, and the frozen tables the encoder and the decoder both
 * check against. Everything here is an integer, a string or a frozen array, so the
 * module holds no state once preloaded.
 *
 * Citations: [MQTT-x.y.z-n] is a conformance statement of MQTT 3.1.1 (OASIS, 2014), the
 * numbering mqtt-packet and most brokers quote; "5:" marks MQTT 5.0's number (OASIS,
 * 2019) where it differs or where only MQTT 5 has the rule. § numbers are MQTT 5.0
 * sections.
 */

// Control packet types: fixed header bits 7-4 (MQTT 5 §2.1.2). AUTH exists in MQTT 5 only.
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

// Protocol levels carried in CONNECT (§3.1.2.2).
export const MQTT_3_1_1 = 4;
export const MQTT_5 = 5;

// Fixed header flags, bits 3-0 (§2.1.3). PUBREL, SUBSCRIBE and UNSUBSCRIBE carry 0b0010,
// every other type but PUBLISH carries 0b0000 [MQTT-2.2.2-1] (5: [MQTT-2.1.3-1]).
export const FLAGS_RESERVED_0010 = 0x02;
export const PUBLISH_DUP = 0x08;
export const PUBLISH_QOS_SHIFT = 1;
export const PUBLISH_RETAIN = 0x01;

// CONNECT flags (§3.1.2.3).
export const CONNECT_USERNAME = 0x80;
export const CONNECT_PASSWORD = 0x40;
export const CONNECT_WILL_RETAIN = 0x20;
export const CONNECT_WILL_QOS_SHIFT = 3;
export const CONNECT_WILL = 0x04;
export const CONNECT_CLEAN = 0x02;
export const CONNECT_RESERVED = 0x01;

// CONNACK acknowledge flags (§3.2.2.1).
export const CONNACK_SESSION_PRESENT = 0x01;

// SUBSCRIBE options byte (§3.8.3.1); 3.1.1 uses only the QoS bits.
export const SUBSCRIBE_QOS_MASK = 0x03;
export const SUBSCRIBE_NO_LOCAL = 0x04;
export const SUBSCRIBE_RETAIN_AS_PUBLISHED = 0x08;
export const SUBSCRIBE_RETAIN_HANDLING_SHIFT = 4;

// Codes of the ProtocolError the codec throws (`side` says who broke the protocol).
export const MQTT_BAD_LENGTH = "MQTT_BAD_LENGTH"; // Remaining Length over four bytes, or not in its shortest form
export const MQTT_TOO_LARGE = "MQTT_TOO_LARGE"; // packet over maxPacketSize, or a field over 65535 bytes
export const MQTT_UNKNOWN_TYPE = "MQTT_UNKNOWN_TYPE"; // reserved packet type, or AUTH in 3.1.1
export const MQTT_BAD_FLAGS = "MQTT_BAD_FLAGS"; // reserved or inconsistent flag bits
export const MQTT_BAD_QOS = "MQTT_BAD_QOS"; // QoS 3
export const MQTT_BAD_UTF8 = "MQTT_BAD_UTF8"; // ill-formed UTF-8, or U+0000
export const MQTT_BAD_TOPIC = "MQTT_BAD_TOPIC"; // wildcard in a topic name, misplaced wildcard, empty topic
export const MQTT_BAD_PACKET_ID = "MQTT_BAD_PACKET_ID"; // packet identifier 0 (or over 65535)
export const MQTT_BAD_REASON = "MQTT_BAD_REASON"; // reason code the packet may not carry in this version
export const MQTT_BAD_PROPERTY = "MQTT_BAD_PROPERTY"; // unknown, misplaced, repeated or out-of-range property
export const MQTT_BAD_VERSION = "MQTT_BAD_VERSION"; // protocol name or level other than MQTT 4 or 5
export const MQTT_BAD_VALUE = "MQTT_BAD_VALUE"; // a number out of its field's range (encoding only)
export const MQTT_MALFORMED = "MQTT_MALFORMED"; // truncated field, bytes left over, empty payload

/** Largest Variable Byte Integer (§1.5.5): four bytes of seven bits. */
export const MAX_VARINT = 268_435_455;
/** Largest UTF-8 string or binary field: a two-byte length (§1.5.4, §1.5.6). */
export const MAX_FIELD = 65_535;

// MQTT 3.1.1 CONNACK return codes (3.1.1 §3.2.2.3). 0 is accepted.
export const CONNACK_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
export const CONNACK_IDENTIFIER_REJECTED = 0x02;
export const CONNACK_SERVER_UNAVAILABLE = 0x03;
export const CONNACK_BAD_USERNAME_OR_PASSWORD = 0x04;
export const CONNACK_NOT_AUTHORIZED = 0x05;
/** MQTT 3.1.1 SUBACK failure return code (3.1.1 §3.9.3). */
export const SUBACK_FAILURE = 0x80;

// MQTT 5 reason codes (§2.4).
export const SUCCESS = 0x00;
export const GRANTED_QOS_0 = 0x00;
export const GRANTED_QOS_1 = 0x01;
export const GRANTED_QOS_2 = 0x02;
export const DISCONNECT_WITH_WILL = 0x04;
export const NO_MATCHING_SUBSCRIBERS = 0x10;
export const NO_SUBSCRIPTION_EXISTED = 0x11;
export const CONTINUE_AUTHENTICATION = 0x18;
export const REAUTHENTICATE = 0x19;
export const UNSPECIFIED_ERROR = 0x80;
export const MALFORMED_PACKET = 0x81;
export const PROTOCOL_ERROR = 0x82;
export const IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
export const UNSUPPORTED_PROTOCOL_VERSION = 0x84;
export const CLIENT_IDENTIFIER_NOT_VALID = 0x85;
export const BAD_USER_NAME_OR_PASSWORD = 0x86;
export const NOT_AUTHORIZED = 0x87;
export const SERVER_UNAVAILABLE = 0x88;
export const SERVER_BUSY = 0x89;
export const BANNED = 0x8a;
export const SERVER_SHUTTING_DOWN = 0x8b;
export const BAD_AUTHENTICATION_METHOD = 0x8c;
export const KEEP_ALIVE_TIMEOUT = 0x8d;
export const SESSION_TAKEN_OVER = 0x8e;
export const TOPIC_FILTER_INVALID = 0x8f;
export const TOPIC_NAME_INVALID = 0x90;
export const PACKET_IDENTIFIER_IN_USE = 0x91;
export const PACKET_IDENTIFIER_NOT_FOUND = 0x92;
export const RECEIVE_MAXIMUM_EXCEEDED = 0x93;
export const TOPIC_ALIAS_INVALID = 0x94;
export const PACKET_TOO_LARGE = 0x95;
export const MESSAGE_RATE_TOO_HIGH = 0x96;
export const QUOTA_EXCEEDED = 0x97;
export const ADMINISTRATIVE_ACTION = 0x98;
export const PAYLOAD_FORMAT_INVALID = 0x99;
export const RETAIN_NOT_SUPPORTED = 0x9a;
export const QOS_NOT_SUPPORTED = 0x9b;
export const USE_ANOTHER_SERVER = 0x9c;
export const SERVER_MOVED = 0x9d;
export const SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9e;
export const CONNECTION_RATE_EXCEEDED = 0x9f;
export const MAXIMUM_CONNECT_TIME = 0xa0;
export const SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED = 0xa1;
export const WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xa2;

/**
 * The reason codes each packet may carry, one character per code (the char code is the
 * reason code): MQTT 5 §3.2.2.2, §3.4.2.1, §3.5.2.1, §3.6.2.1, §3.7.2.1, §3.9.3,
 * §3.11.3, §3.14.2.1, §3.15.2.1; MQTT 3.1.1 §3.2.2.3 and §3.9.3.
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

// MQTT 5 property identifiers (§2.2.2.2).
export const PAYLOAD_FORMAT_INDICATOR = 0x01;
export const MESSAGE_EXPIRY_INTERVAL = 0x02;
export const CONTENT_TYPE = 0x03;
export const RESPONSE_TOPIC = 0x08;
export const CORRELATION_DATA = 0x09;
export const SUBSCRIPTION_IDENTIFIER = 0x0b;
export const SESSION_EXPIRY_INTERVAL = 0x11;
export const ASSIGNED_CLIENT_IDENTIFIER = 0x12;
export const SERVER_KEEP_ALIVE = 0x13;
export const AUTHENTICATION_METHOD = 0x15;
export const AUTHENTICATION_DATA = 0x16;
export const REQUEST_PROBLEM_INFORMATION = 0x17;
export const WILL_DELAY_INTERVAL = 0x18;
export const REQUEST_RESPONSE_INFORMATION = 0x19;
export const RESPONSE_INFORMATION = 0x1a;
export const SERVER_REFERENCE = 0x1c;
export const REASON_STRING = 0x1f;
export const RECEIVE_MAXIMUM = 0x21;
export const TOPIC_ALIAS_MAXIMUM = 0x22;
export const TOPIC_ALIAS = 0x23;
export const MAXIMUM_QOS = 0x24;
export const RETAIN_AVAILABLE = 0x25;
export const USER_PROPERTY = 0x26;
export const MAXIMUM_PACKET_SIZE = 0x27;
export const WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
export const SUBSCRIPTION_IDENTIFIERS_AVAILABLE = 0x29;
export const SHARED_SUBSCRIPTION_AVAILABLE = 0x2a;

// Property value types (§2.2.2.2, data representations of §1.5), bits 0-3 of a kind.
export const VALUE_BOOL = 1; // Byte, 0 or 1, as a boolean
export const VALUE_BYTE = 2; // Byte, 0 or 1, as a number (Maximum QoS)
export const VALUE_U16 = 3; // Two Byte Integer
export const VALUE_U32 = 4; // Four Byte Integer
export const VALUE_VARINT = 5; // Variable Byte Integer
export const VALUE_STRING = 6; // UTF-8 Encoded String
export const VALUE_BINARY = 7; // Binary Data
export const VALUE_PAIR = 8; // UTF-8 String Pair
/** Bit 4 of a kind: the value 0 is a Protocol Error (§3.1.2.11.3, §3.1.2.11.4, §3.3.2.3.4, §3.3.2.3.8). */
export const VALUE_NONZERO = 0x10;
/** A kind holds the value type in bits 0-4 and, from this bit up, where the property may appear. */
export const PLACES_SHIFT = 5;

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

/** The property names of `Properties`, indexed by property identifier (mqtt-packet's names). */
export const PROPERTY_NAMES: readonly (string | undefined)[] = Object.freeze([
  ,
  "payloadFormatIndicator", // 0x01
  "messageExpiryInterval", // 0x02
  "contentType", // 0x03
  , , , ,
  "responseTopic", // 0x08
  "correlationData", // 0x09
  ,
  "subscriptionIdentifier", // 0x0b
  , , , , ,
  "sessionExpiryInterval", // 0x11
  "assignedClientIdentifier", // 0x12
  "serverKeepAlive", // 0x13
  ,
  "authenticationMethod", // 0x15
  "authenticationData", // 0x16
  "requestProblemInformation", // 0x17
  "willDelayInterval", // 0x18
  "requestResponseInformation", // 0x19
  "responseInformation", // 0x1a
  ,
  "serverReference", // 0x1c
  , ,
  "reasonString", // 0x1f
  ,
  "receiveMaximum", // 0x21
  "topicAliasMaximum", // 0x22
  "topicAlias", // 0x23
  "maximumQoS", // 0x24
  "retainAvailable", // 0x25
  "userProperties", // 0x26
  "maximumPacketSize", // 0x27
  "wildcardSubscriptionAvailable", // 0x28
  "subscriptionIdentifiersAvailable", // 0x29
  "sharedSubscriptionAvailable", // 0x2a
]);

/** Value type and allowed places of each property, indexed by identifier (MQTT 5 §2.2.2.2, Table 2-4). */
export const PROPERTY_KINDS: readonly (number | undefined)[] = Object.freeze([
  ,
  VALUE_BOOL | ((P | W) << PLACES_SHIFT), // 0x01 Payload Format Indicator
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
  VALUE_BOOL | (C << PLACES_SHIFT), // 0x17 Request Problem Information
  VALUE_U32 | (W << PLACES_SHIFT), // 0x18 Will Delay Interval
  VALUE_BOOL | (C << PLACES_SHIFT), // 0x19 Request Response Information
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
  VALUE_BOOL | (CA << PLACES_SHIFT), // 0x25 Retain Available
  VALUE_PAIR | ((W | C | CA | P | ACKS | S | SA | U | UA | D | A) << PLACES_SHIFT), // 0x26 User Property
  VALUE_U32 | VALUE_NONZERO | ((C | CA) << PLACES_SHIFT), // 0x27 Maximum Packet Size
  VALUE_BOOL | (CA << PLACES_SHIFT), // 0x28 Wildcard Subscription Available
  VALUE_BOOL | (CA << PLACES_SHIFT), // 0x29 Subscription Identifiers Available
  VALUE_BOOL | (CA << PLACES_SHIFT), // 0x2a Shared Subscription Available
]);
