/**
 * MQTT 3.1.1 and MQTT 5 golden vectors: a packet and its exact bytes, with a comment per
 * field. Every packet type appears in both versions, MQTT 5 with properties (keyed by
 * property identifier) and reason codes. The bytes were checked against mqtt-packet and
 * Wireshark's MQTT dissector.
 *
 * The codec is a client's, so each vector says who sends it:
 * - "client": `encodePacket(packet)` writes exactly `bytes`;
 * - "broker": `MqttParser` reads `bytes` as exactly `packet`;
 * - "both" (PUBLISH, the acknowledgements, DISCONNECT, AUTH): both hold, so `bytes` is
 *   the canonical encoding and decoding gives the packet back.
 * A "broker" vector of a type both sides send holds a wire form the encoder does not
 * write (a longer legal form, or what only a broker puts in it).
 *
 * Runs under vitest and inside XS: no Buffer, no TextEncoder.
 */
import type { AckPacket, BrokerPacket, ClientPacket, DisconnectPacket, Properties, ProtocolVersion, PublishPacket } from "../../../src/connectors/mqtt/packets.js";

interface VectorBase {
  name: string;
  version: ProtocolVersion;
  bytes: number[];
}

export type Vector =
  | (VectorBase & { sender: "client"; packet: ClientPacket })
  | (VectorBase & { sender: "broker"; packet: BrokerPacket })
  | (VectorBase & { sender: "both"; packet: PublishPacket | AckPacket | DisconnectPacket });

/** A vector the encoder checks: a client's packet and its exact bytes. */
export type ClientVector = Extract<Vector, { sender: "client" | "both" }>;

/** A vector the parser checks: bytes and the broker's packet they hold. */
export type BrokerVector = Extract<Vector, { sender: "broker" | "both" }>;

export const sentByClient = (v: Vector): v is ClientVector => v.sender !== "broker";
export const sentByBroker = (v: Vector): v is BrokerVector => v.sender !== "client";

export interface DecodeErrorVector {
  name: string;
  version: ProtocolVersion;
  bytes: number[];
  code: string;
  /** The MQTT 5 reason code the error carries. */
  reasonCode: number;
  maxPacketSize?: number;
}

export interface EncodeErrorVector {
  name: string;
  version: ProtocolVersion;
  /** A few are typed as one only by a cast: what a careless caller might pass. */
  packet: ClientPacket;
  code: string;
}

/** ASCII text as bytes. */
export function ascii(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
  return out;
}

const u8 = (bytes: number[]) => new Uint8Array(bytes);
const PAYLOAD_200 = Array.from({ length: 200 }, (_, i) => i);

export const VECTORS: Vector[] = [
  // ---------------------------------------------------------------- MQTT 3.1.1
  {
    name: "a minimal 3.1.1 CONNECT",
    version: 4,
    sender: "client",
    packet: { type: 1, protocolVersion: 4, clientId: "a", clean: true, keepalive: 60 },
    bytes: [
      0x10, 0x0d, // CONNECT, remaining length 13
      0x00, 0x04, ...ascii("MQTT"), // protocol name
      0x04, // protocol level 4 (3.1.1)
      0x02, // connect flags: clean session
      0x00, 0x3c, // keep alive 60 s
      0x00, 0x01, ...ascii("a"), // client identifier
    ],
  },
  {
    name: "a 3.1.1 CONNECT with a will, a user name and a password",
    version: 4,
    sender: "client",
    packet: {
      type: 1, protocolVersion: 4, clientId: "sensor-a", clean: false, keepalive: 30,
      will: { topic: "status/sensor-a", payload: u8(ascii("offline")), qos: 1, retain: true },
      username: "user", password: u8(ascii("pass")),
    },
    bytes: [
      0x10, 0x3a, // CONNECT, remaining length 58
      0x00, 0x04, ...ascii("MQTT"), // protocol name
      0x04, // protocol level 4
      0xec, // flags: user name, password, will retain, will QoS 1, will; no clean session
      0x00, 0x1e, // keep alive 30 s
      0x00, 0x08, ...ascii("sensor-a"), // client identifier
      0x00, 0x0f, ...ascii("status/sensor-a"), // will topic
      0x00, 0x07, ...ascii("offline"), // will payload
      0x00, 0x04, ...ascii("user"), // user name
      0x00, 0x04, ...ascii("pass"), // password
    ],
  },
  {
    name: "a 3.1.1 CONNACK accepting with a session present",
    version: 4,
    sender: "broker",
    packet: { type: 2, sessionPresent: true, reasonCode: 0 },
    bytes: [
      0x20, 0x02, // CONNACK, remaining length 2
      0x01, // acknowledge flags: session present
      0x00, // return code 0: accepted
    ],
  },
  {
    name: "a 3.1.1 CONNACK refusing as not authorized",
    version: 4,
    sender: "broker",
    packet: { type: 2, sessionPresent: false, reasonCode: 5 },
    bytes: [
      0x20, 0x02, // CONNACK, remaining length 2
      0x00, // acknowledge flags: none
      0x05, // return code 5: not authorized
    ],
  },
  {
    name: "a 3.1.1 retained QoS 0 PUBLISH",
    version: 4,
    sender: "both",
    packet: { type: 3, topic: "a/b", payload: u8(ascii("hi")), qos: 0, retain: true, dup: false },
    bytes: [
      0x31, // PUBLISH, QoS 0, retain
      0x07, // remaining length 7
      0x00, 0x03, ...ascii("a/b"), // topic name
      ...ascii("hi"), // payload
    ],
  },
  {
    name: "a 3.1.1 QoS 1 PUBLISH sent again (DUP)",
    version: 4,
    sender: "both",
    packet: { type: 3, topic: "t", payload: u8([1, 2, 3]), qos: 1, retain: false, dup: true, packetId: 10 },
    bytes: [
      0x3a, // PUBLISH, DUP, QoS 1
      0x08, // remaining length 8
      0x00, 0x01, ...ascii("t"), // topic name
      0x00, 0x0a, // packet identifier 10
      0x01, 0x02, 0x03, // payload
    ],
  },
  {
    name: "a 3.1.1 QoS 2 PUBLISH with a multi-byte UTF-8 topic and an empty payload",
    version: 4,
    sender: "both",
    packet: { type: 3, topic: "\u00e9/\u{1f600}", payload: u8([]), qos: 2, retain: false, dup: false, packetId: 65535 },
    bytes: [
      0x34, // PUBLISH, QoS 2
      0x0b, // remaining length 11
      0x00, 0x07, // topic name, 7 bytes:
      0xc3, 0xa9, 0x2f, 0xf0, 0x9f, 0x98, 0x80, // "é" (2 bytes), "/", U+1F600 (4 bytes)
      0xff, 0xff, // packet identifier 65535
      // no payload
    ],
  },
  {
    name: "a 3.1.1 PUBLISH whose remaining length takes two bytes",
    version: 4,
    sender: "both",
    packet: { type: 3, topic: "big", payload: u8(PAYLOAD_200), qos: 0, retain: false, dup: false },
    bytes: [
      0x30, // PUBLISH, QoS 0
      0xcd, 0x01, // remaining length 205 = 0x4d + 1 * 128
      0x00, 0x03, ...ascii("big"), // topic name
      ...PAYLOAD_200, // payload: bytes 0 to 199
    ],
  },
  {
    name: "a 3.1.1 PUBACK",
    version: 4,
    sender: "both",
    packet: { type: 4, packetId: 10 },
    bytes: [0x40, 0x02, /* PUBACK, remaining length 2 */ 0x00, 0x0a /* packet identifier 10 */],
  },
  {
    name: "a 3.1.1 PUBREC",
    version: 4,
    sender: "both",
    packet: { type: 5, packetId: 11 },
    bytes: [0x50, 0x02, /* PUBREC, remaining length 2 */ 0x00, 0x0b /* packet identifier 11 */],
  },
  {
    name: "a 3.1.1 PUBREL",
    version: 4,
    sender: "both",
    packet: { type: 6, packetId: 11 },
    bytes: [0x62, 0x02, /* PUBREL with its reserved flags 0010, remaining length 2 */ 0x00, 0x0b /* packet identifier 11 */],
  },
  {
    name: "a 3.1.1 PUBCOMP",
    version: 4,
    sender: "both",
    packet: { type: 7, packetId: 11 },
    bytes: [0x70, 0x02, /* PUBCOMP, remaining length 2 */ 0x00, 0x0b /* packet identifier 11 */],
  },
  {
    name: "a 3.1.1 SUBSCRIBE to two filters",
    version: 4,
    sender: "client",
    packet: { type: 8, packetId: 1, subscriptions: [{ topic: "a/+", qos: 0 }, { topic: "b/#", qos: 2 }] },
    bytes: [
      0x82, 0x0e, // SUBSCRIBE with reserved flags 0010, remaining length 14
      0x00, 0x01, // packet identifier 1
      0x00, 0x03, ...ascii("a/+"), 0x00, // filter "a/+", QoS 0
      0x00, 0x03, ...ascii("b/#"), 0x02, // filter "b/#", QoS 2
    ],
  },
  {
    name: "a 3.1.1 SUBACK granting and refusing",
    version: 4,
    sender: "broker",
    packet: { type: 9, packetId: 1, reasonCodes: [0, 2, 0x80] },
    bytes: [
      0x90, 0x05, // SUBACK, remaining length 5
      0x00, 0x01, // packet identifier 1
      0x00, 0x02, 0x80, // granted QoS 0, granted QoS 2, failure
    ],
  },
  {
    name: "a 3.1.1 UNSUBSCRIBE from two filters",
    version: 4,
    sender: "client",
    packet: { type: 10, packetId: 2, topics: ["a/+", "b/#"] },
    bytes: [
      0xa2, 0x0c, // UNSUBSCRIBE with reserved flags 0010, remaining length 12
      0x00, 0x02, // packet identifier 2
      0x00, 0x03, ...ascii("a/+"), // filter
      0x00, 0x03, ...ascii("b/#"), // filter
    ],
  },
  {
    name: "a 3.1.1 UNSUBACK",
    version: 4,
    sender: "broker",
    packet: { type: 11, packetId: 2 },
    bytes: [0xb0, 0x02, /* UNSUBACK, remaining length 2 */ 0x00, 0x02 /* packet identifier 2 */],
  },
  { name: "a 3.1.1 PINGREQ", version: 4, sender: "client", packet: { type: 12 }, bytes: [0xc0, 0x00 /* PINGREQ, remaining length 0 */] },
  { name: "a 3.1.1 PINGRESP", version: 4, sender: "broker", packet: { type: 13 }, bytes: [0xd0, 0x00 /* PINGRESP, remaining length 0 */] },
  { name: "a 3.1.1 DISCONNECT", version: 4, sender: "both", packet: { type: 14 }, bytes: [0xe0, 0x00 /* DISCONNECT, remaining length 0 */] }, // only clients send it in 3.1.1; the parser reads it too

  // ---------------------------------------------------------------- MQTT 5
  {
    name: "a minimal MQTT 5 CONNECT with an empty client identifier",
    version: 5,
    sender: "client",
    packet: { type: 1, protocolVersion: 5, clientId: "", clean: true, keepalive: 0 },
    bytes: [
      0x10, 0x0d, // CONNECT, remaining length 13
      0x00, 0x04, ...ascii("MQTT"), // protocol name
      0x05, // protocol level 5
      0x02, // connect flags: clean start
      0x00, 0x00, // keep alive off
      0x00, // property length 0
      0x00, 0x00, // client identifier "" (the server assigns one)
    ],
  },
  {
    name: "an MQTT 5 CONNECT with properties, a will with properties and a password alone",
    version: 5,
    sender: "client",
    packet: {
      type: 1, protocolVersion: 5, clientId: "c1", clean: true, keepalive: 10,
      properties: {
        0x11: 3600, // session expiry interval
        0x15: "m", // authentication method
        0x16: u8([1, 2]), // authentication data
        0x17: 0, // request problem information: no
        0x19: 1, // request response information: yes
        0x21: 20, // receive maximum
        0x22: 5, // topic alias maximum
        0x26: [["k", "v"]], // user properties
        0x27: 1024, // maximum packet size
      },
      will: {
        topic: "w", payload: u8(ascii("x")), qos: 2, retain: false,
        properties: {
          0x01: 1, // payload format indicator: UTF-8
          0x02: 60, // message expiry interval
          0x03: "t", // content type
          0x08: "r", // response topic
          0x09: u8([9]), // correlation data
          0x18: 5, // will delay interval
          0x26: [["a", "1"], ["a", "2"]], // user properties
        },
      },
      password: u8(ascii("p")),
    },
    bytes: [
      0x10, 0x63, // CONNECT, remaining length 99
      0x00, 0x04, ...ascii("MQTT"), // protocol name
      0x05, // protocol level 5
      0x56, // flags: password, will QoS 2, will, clean start
      0x00, 0x0a, // keep alive 10 s
      0x24, // property length 36
      0x11, 0x00, 0x00, 0x0e, 0x10, // session expiry interval 3600
      0x15, 0x00, 0x01, ...ascii("m"), // authentication method "m"
      0x16, 0x00, 0x02, 0x01, 0x02, // authentication data 01 02
      0x17, 0x00, // request problem information: no
      0x19, 0x01, // request response information: yes
      0x21, 0x00, 0x14, // receive maximum 20
      0x22, 0x00, 0x05, // topic alias maximum 5
      0x26, 0x00, 0x01, ...ascii("k"), 0x00, 0x01, ...ascii("v"), // user property k=v
      0x27, 0x00, 0x00, 0x04, 0x00, // maximum packet size 1024
      0x00, 0x02, ...ascii("c1"), // client identifier
      0x26, // will property length 38
      0x01, 0x01, // payload format indicator: UTF-8
      0x02, 0x00, 0x00, 0x00, 0x3c, // message expiry interval 60
      0x03, 0x00, 0x01, ...ascii("t"), // content type "t"
      0x08, 0x00, 0x01, ...ascii("r"), // response topic "r"
      0x09, 0x00, 0x01, 0x09, // correlation data 09
      0x18, 0x00, 0x00, 0x00, 0x05, // will delay interval 5
      0x26, 0x00, 0x01, ...ascii("a"), 0x00, 0x01, ...ascii("1"), // user property a=1
      0x26, 0x00, 0x01, ...ascii("a"), 0x00, 0x01, ...ascii("2"), // user property a=2 (names may repeat)
      0x00, 0x01, ...ascii("w"), // will topic
      0x00, 0x01, ...ascii("x"), // will payload
      0x00, 0x01, ...ascii("p"), // password (MQTT 5 allows one without a user name)
    ],
  },
  {
    name: "an MQTT 5 CONNACK with every server property",
    version: 5,
    sender: "broker",
    packet: {
      type: 2, sessionPresent: false, reasonCode: 0,
      properties: {
        0x11: 0xffffffff, // session expiry interval
        0x12: "auto-1", // assigned client identifier
        0x13: 120, // server keep alive
        0x1a: "ri", // response information
        0x1c: "s2", // server reference
        0x1f: "ok", // reason string
        0x21: 10, // receive maximum
        0x22: 8, // topic alias maximum
        0x24: 1, // maximum QoS
        0x25: 0, // retain available: no
        0x26: [["x", "y"]], // user properties
        0x27: 65536, // maximum packet size
        0x28: 1, // wildcard subscription available
        0x29: 1, // subscription identifiers available
        0x2a: 0, // shared subscription available: no
      },
    },
    bytes: [
      0x20, 0x3f, // CONNACK, remaining length 63
      0x00, // acknowledge flags: no session present
      0x00, // reason code 0: success
      0x3c, // property length 60
      0x11, 0xff, 0xff, 0xff, 0xff, // session expiry interval: never
      0x12, 0x00, 0x06, ...ascii("auto-1"), // assigned client identifier
      0x13, 0x00, 0x78, // server keep alive 120
      0x1a, 0x00, 0x02, ...ascii("ri"), // response information
      0x1c, 0x00, 0x02, ...ascii("s2"), // server reference
      0x1f, 0x00, 0x02, ...ascii("ok"), // reason string
      0x21, 0x00, 0x0a, // receive maximum 10
      0x22, 0x00, 0x08, // topic alias maximum 8
      0x24, 0x01, // maximum QoS 1
      0x25, 0x00, // retain available: no
      0x26, 0x00, 0x01, ...ascii("x"), 0x00, 0x01, ...ascii("y"), // user property x=y
      0x27, 0x00, 0x01, 0x00, 0x00, // maximum packet size 65536
      0x28, 0x01, // wildcard subscriptions available
      0x29, 0x01, // subscription identifiers available
      0x2a, 0x00, // shared subscriptions not available
    ],
  },
  {
    name: "an MQTT 5 CONNACK refusing as not authorized",
    version: 5,
    sender: "broker",
    packet: { type: 2, sessionPresent: false, reasonCode: 0x87 },
    bytes: [
      0x20, 0x03, // CONNACK, remaining length 3
      0x00, // acknowledge flags: none
      0x87, // reason code 0x87: not authorized
      0x00, // property length 0
    ],
  },
  {
    name: "an MQTT 5 QoS 1 PUBLISH with message properties and two subscription identifiers",
    version: 5,
    sender: "broker", // a client's PUBLISH carries no subscription identifier [MQTT-3.3.4-6]
    packet: {
      type: 3, topic: "s/t", payload: u8(ascii("{}")), qos: 1, retain: false, dup: false, packetId: 7,
      properties: {
        0x01: 1, // payload format indicator: UTF-8
        0x02: 30, // message expiry interval
        0x03: "application/json", // content type
        0x08: "r/t", // response topic
        0x09: u8([0xde, 0xad]), // correlation data
        0x0b: [1, 300], // subscription identifiers (a list: more than one)
        0x23: 3, // topic alias
        0x26: [["z", "1"], ["a", "2"]], // user properties, in wire order
      },
    },
    bytes: [
      0x32, // PUBLISH, QoS 1
      0x45, // remaining length 69
      0x00, 0x03, ...ascii("s/t"), // topic name
      0x00, 0x07, // packet identifier 7
      0x3b, // property length 59
      0x01, 0x01, // payload format indicator: UTF-8
      0x02, 0x00, 0x00, 0x00, 0x1e, // message expiry interval 30
      0x03, 0x00, 0x10, ...ascii("application/json"), // content type
      0x08, 0x00, 0x03, ...ascii("r/t"), // response topic
      0x09, 0x00, 0x02, 0xde, 0xad, // correlation data
      0x0b, 0x01, // subscription identifier 1
      0x0b, 0xac, 0x02, // subscription identifier 300 (variable byte integer 0x2c + 2 * 128)
      0x23, 0x00, 0x03, // topic alias 3
      0x26, 0x00, 0x01, ...ascii("z"), 0x00, 0x01, ...ascii("1"), // user property z=1
      0x26, 0x00, 0x01, ...ascii("a"), 0x00, 0x01, ...ascii("2"), // user property a=2 (wire order kept)
      ...ascii("{}"), // payload
    ],
  },
  {
    name: "an MQTT 5 PUBLISH naming its topic by alias only",
    version: 5,
    sender: "both",
    packet: { type: 3, topic: "", payload: u8(ascii("1")), qos: 0, retain: false, dup: false, properties: { 0x23: 3 } },
    bytes: [
      0x30, 0x07, // PUBLISH QoS 0, remaining length 7
      0x00, 0x00, // topic name "" (the alias stands in)
      0x03, // property length 3
      0x23, 0x00, 0x03, // topic alias 3
      ...ascii("1"), // payload
    ],
  },
  {
    name: "an MQTT 5 PUBACK in its short form (success, no properties)",
    version: 5,
    sender: "both",
    packet: { type: 4, packetId: 7, reasonCode: 0 },
    bytes: [0x40, 0x02, /* PUBACK, remaining length 2 */ 0x00, 0x07 /* packet identifier 7; reason code 0 left out */],
  },
  {
    name: "an MQTT 5 PUBACK in its long form with an empty property block",
    version: 5,
    sender: "broker", // legal, but the encoder writes the short form above
    packet: { type: 4, packetId: 7, reasonCode: 0 },
    bytes: [
      0x40, 0x04, // PUBACK, remaining length 4
      0x00, 0x07, // packet identifier 7
      0x00, // reason code 0: success
      0x00, // property length 0
    ],
  },
  {
    name: "an MQTT 5 PUBACK with a reason code and no properties",
    version: 5,
    sender: "both",
    packet: { type: 4, packetId: 7, reasonCode: 0x10 },
    bytes: [
      0x40, 0x03, // PUBACK, remaining length 3
      0x00, 0x07, // packet identifier 7
      0x10, // reason code 0x10: no matching subscribers (property length left out)
    ],
  },
  {
    name: "an MQTT 5 PUBREC refusing with a reason string",
    version: 5,
    sender: "both",
    packet: { type: 5, packetId: 8, reasonCode: 0x80, properties: { 0x1f: "quota" } },
    bytes: [
      0x50, 0x0c, // PUBREC, remaining length 12
      0x00, 0x08, // packet identifier 8
      0x80, // reason code 0x80: unspecified error
      0x08, // property length 8
      0x1f, 0x00, 0x05, ...ascii("quota"), // reason string
    ],
  },
  {
    name: "an MQTT 5 PUBREL for an unknown packet identifier",
    version: 5,
    sender: "both",
    packet: { type: 6, packetId: 8, reasonCode: 0x92 },
    bytes: [
      0x62, 0x03, // PUBREL with reserved flags 0010, remaining length 3
      0x00, 0x08, // packet identifier 8
      0x92, // reason code 0x92: packet identifier not found
    ],
  },
  {
    name: "an MQTT 5 PUBCOMP with a user property",
    version: 5,
    sender: "both",
    packet: { type: 7, packetId: 8, reasonCode: 0, properties: { 0x26: [["k", "v"]] } },
    bytes: [
      0x70, 0x0b, // PUBCOMP, remaining length 11
      0x00, 0x08, // packet identifier 8
      0x00, // reason code 0: success (written because properties follow)
      0x07, // property length 7
      0x26, 0x00, 0x01, ...ascii("k"), 0x00, 0x01, ...ascii("v"), // user property k=v
    ],
  },
  {
    name: "an MQTT 5 SUBSCRIBE with a subscription identifier and subscription options",
    version: 5,
    sender: "client",
    packet: {
      type: 8, packetId: 3,
      properties: { 0x0b: 5, 0x26: [["k", "v"]] },
      subscriptions: [
        { topic: "a/b", qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 },
        { topic: "$share/g/c/#", qos: 0, noLocal: false, retainAsPublished: false, retainHandling: 1 },
      ],
    },
    bytes: [
      0x82, 0x21, // SUBSCRIBE with reserved flags 0010, remaining length 33
      0x00, 0x03, // packet identifier 3
      0x09, // property length 9
      0x0b, 0x05, // subscription identifier 5
      0x26, 0x00, 0x01, ...ascii("k"), 0x00, 0x01, ...ascii("v"), // user property k=v
      0x00, 0x03, ...ascii("a/b"), // filter
      0x2d, // options: retain handling 2, retain as published, no local, QoS 1
      0x00, 0x0c, ...ascii("$share/g/c/#"), // shared subscription filter
      0x10, // options: retain handling 1, QoS 0
    ],
  },
  {
    name: "an MQTT 5 SUBACK with granted and refused subscriptions",
    version: 5,
    sender: "broker",
    packet: { type: 9, packetId: 3, reasonCodes: [0x01, 0x00, 0x87, 0xa2], properties: { 0x1f: "no" } },
    bytes: [
      0x90, 0x0c, // SUBACK, remaining length 12
      0x00, 0x03, // packet identifier 3
      0x05, // property length 5
      0x1f, 0x00, 0x02, ...ascii("no"), // reason string
      0x01, 0x00, // granted QoS 1, granted QoS 0
      0x87, 0xa2, // not authorized, wildcard subscriptions not supported
    ],
  },
  {
    name: "an MQTT 5 UNSUBSCRIBE",
    version: 5,
    sender: "client",
    packet: { type: 10, packetId: 4, topics: ["a/b", "c/#"] },
    bytes: [
      0xa2, 0x0d, // UNSUBSCRIBE with reserved flags 0010, remaining length 13
      0x00, 0x04, // packet identifier 4
      0x00, // property length 0
      0x00, 0x03, ...ascii("a/b"), // filter
      0x00, 0x03, ...ascii("c/#"), // filter
    ],
  },
  {
    name: "an MQTT 5 UNSUBACK",
    version: 5,
    sender: "broker",
    packet: { type: 11, packetId: 4, reasonCodes: [0x00, 0x11] },
    bytes: [
      0xb0, 0x05, // UNSUBACK, remaining length 5
      0x00, 0x04, // packet identifier 4
      0x00, // property length 0
      0x00, 0x11, // success, no subscription existed
    ],
  },
  { name: "an MQTT 5 PINGREQ", version: 5, sender: "client", packet: { type: 12 }, bytes: [0xc0, 0x00 /* PINGREQ, remaining length 0 */] },
  { name: "an MQTT 5 PINGRESP", version: 5, sender: "broker", packet: { type: 13 }, bytes: [0xd0, 0x00 /* PINGRESP, remaining length 0 */] },
  {
    name: "an MQTT 5 DISCONNECT in its short form",
    version: 5,
    sender: "both",
    packet: { type: 14, reasonCode: 0 },
    bytes: [0xe0, 0x00 /* DISCONNECT, remaining length 0: normal disconnection, no properties */],
  },
  {
    name: "an MQTT 5 DISCONNECT with a reason code alone",
    version: 5,
    sender: "broker", // 0x8e is a server's reason code (§3.14.2.1)
    packet: { type: 14, reasonCode: 0x8e },
    bytes: [
      0xe0, 0x01, // DISCONNECT, remaining length 1
      0x8e, // reason code 0x8e: session taken over (property length left out)
    ],
  },
  {
    name: "an MQTT 5 DISCONNECT sending the client to another server",
    version: 5,
    sender: "broker", // 0x9c is a server's reason code (§3.14.2.1)
    packet: { type: 14, reasonCode: 0x9c, properties: { 0x1c: "b2", 0x1f: "move" } },
    bytes: [
      0xe0, 0x0e, // DISCONNECT, remaining length 14
      0x9c, // reason code 0x9c: use another server
      0x0c, // property length 12
      0x1c, 0x00, 0x02, ...ascii("b2"), // server reference
      0x1f, 0x00, 0x04, ...ascii("move"), // reason string
    ],
  },
  {
    name: "an MQTT 5 DISCONNECT with will that ends the session",
    version: 5,
    sender: "client", // 0x04 is a client's reason code (§3.14.2.1)
    packet: { type: 14, reasonCode: 0x04, properties: { 0x11: 0 } },
    bytes: [
      0xe0, 0x07, // DISCONNECT, remaining length 7
      0x04, // reason code 0x04: disconnect with will message
      0x05, // property length 5
      0x11, 0x00, 0x00, 0x00, 0x00, // session expiry interval 0
    ],
  },
  {
    name: "an MQTT 5 AUTH continuing a SCRAM exchange",
    version: 5,
    sender: "both",
    packet: { type: 15, reasonCode: 0x18, properties: { 0x15: "SCRAM", 0x16: u8([1, 2, 3]) } },
    bytes: [
      0xf0, 0x10, // AUTH, remaining length 16
      0x18, // reason code 0x18: continue authentication
      0x0e, // property length 14
      0x15, 0x00, 0x05, ...ascii("SCRAM"), // authentication method
      0x16, 0x00, 0x03, 0x01, 0x02, 0x03, // authentication data
    ],
  },
  {
    name: "an MQTT 5 AUTH in its short form",
    version: 5,
    sender: "both",
    packet: { type: 15, reasonCode: 0 },
    bytes: [0xf0, 0x00 /* AUTH, remaining length 0: success, no properties */],
  },
];

/** Input the parser must refuse, with the code and MQTT 5 reason code it must give. */
export const DECODE_ERRORS: DecodeErrorVector[] = [
  // Remaining Length (§1.5.5, §2.1.4)
  { name: "a remaining length of five bytes", version: 4, bytes: [0x30, 0xff, 0xff, 0xff, 0xff, 0x7f], code: "MQTT_BAD_LENGTH", reasonCode: 0x81 },
  { name: "a remaining length not in its shortest form", version: 4, bytes: [0xd0, 0x80, 0x00], code: "MQTT_BAD_LENGTH", reasonCode: 0x81 },
  { name: "a declared length over maxPacketSize", version: 5, bytes: [0x30, 0xe8, 0x07], code: "MQTT_TOO_LARGE", reasonCode: 0x95, maxPacketSize: 100 },
  { name: "a PINGRESP with a body", version: 4, bytes: [0xd0, 0x01, 0x00], code: "MQTT_MALFORMED", reasonCode: 0x81 },
  { name: "a 3.1.1 PUBACK with a third byte", version: 4, bytes: [0x40, 0x03, 0x00, 0x01, 0x00], code: "MQTT_MALFORMED", reasonCode: 0x81 },
  { name: "a topic length running past the packet", version: 4, bytes: [0x30, 0x03, 0x00, 0x05, 0x61], code: "MQTT_MALFORMED", reasonCode: 0x81 },
  { name: "a QoS 1 PUBLISH too short for its packet identifier", version: 4, bytes: [0x32, 0x04, 0x00, 0x01, 0x61, 0x00], code: "MQTT_MALFORMED", reasonCode: 0x81 },
  // Packet types: reserved, MQTT 5 only, or sent by clients only (§2.1.2)
  { name: "packet type 0", version: 4, bytes: [0x00, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "an AUTH packet in MQTT 3.1.1", version: 4, bytes: [0xf0, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "a 3.1.1 CONNECT (only a client sends it)", version: 4, bytes: [0x10, 0x0d, 0x00, 0x04, ...ascii("MQTT"), 0x04, 0x02, 0x00, 0x3c, 0x00, 0x01, 0x61], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "an MQTT 5 CONNECT (only a client sends it)", version: 5, bytes: [0x10, 0x0d, 0x00, 0x04, ...ascii("MQTT"), 0x05, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "a CONNECT with the 3.1 protocol name MQIsdp, refused for its type", version: 4, bytes: [0x10, 0x0e, 0x00, 0x06, ...ascii("MQIsdp"), 0x03, 0x02, 0x00, 0x3c, 0x00, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "a SUBSCRIBE (only a client sends it)", version: 4, bytes: [0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "a SUBSCRIBE with flags 0000, refused for its type", version: 4, bytes: [0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "an UNSUBSCRIBE (only a client sends it)", version: 5, bytes: [0xa2, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 0x61], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "an UNSUBSCRIBE with flags 0011, refused for its type", version: 5, bytes: [0xa3, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "a 3.1.1 PINGREQ (only a client sends it)", version: 4, bytes: [0xc0, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  { name: "an MQTT 5 PINGREQ (only a client sends it)", version: 5, bytes: [0xc0, 0x00], code: "MQTT_UNKNOWN_TYPE", reasonCode: 0x82 },
  // Fixed header flags [MQTT-2.2.2-1], [MQTT-3.3.1-2], [MQTT-3.3.1-4]
  { name: "a PUBREL with flags 0000", version: 4, bytes: [0x60, 0x02, 0x00, 0x01], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "a PUBACK with flags 0010", version: 4, bytes: [0x42, 0x02, 0x00, 0x01], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "a SUBACK with flags 0010", version: 4, bytes: [0x92, 0x03, 0x00, 0x01, 0x00], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "an UNSUBACK with flags 0001", version: 5, bytes: [0xb1, 0x04, 0x00, 0x01, 0x00, 0x00], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "a PINGRESP with flags 1000", version: 5, bytes: [0xd8, 0x00], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "a CONNACK with flags 0001", version: 4, bytes: [0x21, 0x02, 0x00, 0x00], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "a DISCONNECT with flags 0100", version: 5, bytes: [0xe4, 0x00], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "an AUTH with flags 0001", version: 5, bytes: [0xf1, 0x00], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "a PUBLISH with QoS 3", version: 4, bytes: [0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01], code: "MQTT_BAD_QOS", reasonCode: 0x81 },
  { name: "a QoS 0 PUBLISH with DUP set", version: 4, bytes: [0x38, 0x03, 0x00, 0x01, 0x61], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "CONNACK acknowledge flags with reserved bits", version: 4, bytes: [0x20, 0x02, 0x02, 0x00], code: "MQTT_BAD_FLAGS", reasonCode: 0x81 },
  { name: "a refusing CONNACK with a session present", version: 4, bytes: [0x20, 0x02, 0x01, 0x05], code: "MQTT_BAD_FLAGS", reasonCode: 0x82 },
  { name: "a refusing MQTT 5 CONNACK with a session present", version: 5, bytes: [0x20, 0x03, 0x01, 0x87, 0x00], code: "MQTT_BAD_FLAGS", reasonCode: 0x82 },
  // Strings and topics [MQTT-1.5.4-1], [MQTT-1.5.4-2], [MQTT-3.3.2-2]
  { name: "a PUBLISH topic that is not UTF-8", version: 4, bytes: [0x30, 0x04, 0x00, 0x02, 0xc3, 0x28], code: "MQTT_BAD_UTF8", reasonCode: 0x81 },
  { name: "a PUBLISH topic with an overlong UTF-8 encoding", version: 4, bytes: [0x30, 0x04, 0x00, 0x02, 0xc0, 0xaf], code: "MQTT_BAD_UTF8", reasonCode: 0x81 },
  { name: "a PUBLISH topic with an encoded surrogate", version: 5, bytes: [0x30, 0x06, 0x00, 0x03, 0xed, 0xa0, 0x80, 0x00], code: "MQTT_BAD_UTF8", reasonCode: 0x81 },
  { name: "a PUBLISH topic with U+0000", version: 4, bytes: [0x30, 0x05, 0x00, 0x03, 0x61, 0x00, 0x62], code: "MQTT_BAD_UTF8", reasonCode: 0x81 },
  { name: "a reason string that is not UTF-8", version: 5, bytes: [0x40, 0x08, 0x00, 0x01, 0x80, 0x04, 0x1f, 0x00, 0x01, 0xff], code: "MQTT_BAD_UTF8", reasonCode: 0x81 },
  { name: "a user property name with U+0000", version: 5, bytes: [0x90, 0x0b, 0x00, 0x01, 0x07, 0x26, 0x00, 0x01, 0x00, 0x00, 0x01, 0x61, 0x00], code: "MQTT_BAD_UTF8", reasonCode: 0x81 },
  { name: "a wildcard + in a PUBLISH topic from the broker", version: 4, bytes: [0x30, 0x05, 0x00, 0x03, 0x61, 0x2f, 0x2b], code: "MQTT_BAD_TOPIC", reasonCode: 0x90 },
  { name: "a wildcard # in a PUBLISH topic from the broker", version: 5, bytes: [0x30, 0x04, 0x00, 0x01, 0x23, 0x00], code: "MQTT_BAD_TOPIC", reasonCode: 0x90 },
  { name: "an empty 3.1.1 PUBLISH topic", version: 4, bytes: [0x30, 0x02, 0x00, 0x00], code: "MQTT_BAD_TOPIC", reasonCode: 0x82 },
  { name: "an empty MQTT 5 PUBLISH topic without a topic alias", version: 5, bytes: [0x30, 0x03, 0x00, 0x00, 0x00], code: "MQTT_BAD_TOPIC", reasonCode: 0x82 },
  // Packet identifiers [MQTT-2.3.1-1]
  { name: "a QoS 1 PUBLISH with packet identifier 0", version: 4, bytes: [0x32, 0x05, 0x00, 0x01, 0x61, 0x00, 0x00], code: "MQTT_BAD_PACKET_ID", reasonCode: 0x82 },
  { name: "a PUBACK with packet identifier 0", version: 5, bytes: [0x40, 0x02, 0x00, 0x00], code: "MQTT_BAD_PACKET_ID", reasonCode: 0x82 },
  { name: "a PUBREL with packet identifier 0", version: 4, bytes: [0x62, 0x02, 0x00, 0x00], code: "MQTT_BAD_PACKET_ID", reasonCode: 0x82 },
  { name: "a SUBACK with packet identifier 0", version: 4, bytes: [0x90, 0x03, 0x00, 0x00, 0x00], code: "MQTT_BAD_PACKET_ID", reasonCode: 0x82 },
  { name: "an UNSUBACK with packet identifier 0", version: 4, bytes: [0xb0, 0x02, 0x00, 0x00], code: "MQTT_BAD_PACKET_ID", reasonCode: 0x82 },
  // Reason codes
  { name: "a 3.1.1 CONNACK return code 6", version: 4, bytes: [0x20, 0x02, 0x00, 0x06], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "a 3.1.1 CONNACK with MQTT 5 reason code 0x87", version: 4, bytes: [0x20, 0x02, 0x00, 0x87], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "an MQTT 5 CONNACK with 3.1.1 return code 5", version: 5, bytes: [0x20, 0x03, 0x00, 0x05, 0x00], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "a 3.1.1 SUBACK with MQTT 5 reason code 0x87", version: 4, bytes: [0x90, 0x03, 0x00, 0x01, 0x87], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "a 3.1.1 SUBACK granting QoS 3", version: 4, bytes: [0x90, 0x03, 0x00, 0x01, 0x03], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "an MQTT 5 SUBACK with QoS 3", version: 5, bytes: [0x90, 0x04, 0x00, 0x01, 0x00, 0x03], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "an MQTT 5 PUBACK with the PUBREL code 0x92", version: 5, bytes: [0x40, 0x03, 0x00, 0x01, 0x92], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "an MQTT 5 PUBCOMP with the PUBACK code 0x10", version: 5, bytes: [0x70, 0x03, 0x00, 0x01, 0x10], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "an MQTT 5 UNSUBACK with a SUBACK code", version: 5, bytes: [0xb0, 0x04, 0x00, 0x01, 0x00, 0x02], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "an MQTT 5 DISCONNECT with reason code 0x05", version: 5, bytes: [0xe0, 0x01, 0x05], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  { name: "an MQTT 5 AUTH with reason code 0x01", version: 5, bytes: [0xf0, 0x02, 0x01, 0x00], code: "MQTT_BAD_REASON", reasonCode: 0x82 },
  // Properties (§2.2.2)
  { name: "an unknown property identifier", version: 5, bytes: [0x30, 0x06, 0x00, 0x01, 0x61, 0x02, 0x05, 0x00], code: "MQTT_BAD_PROPERTY", reasonCode: 0x81 },
  { name: "a property of another packet (session expiry in PUBLISH)", version: 5, bytes: [0x30, 0x09, 0x00, 0x01, 0x61, 0x05, 0x11, 0x00, 0x00, 0x00, 0x01], code: "MQTT_BAD_PROPERTY", reasonCode: 0x81 },
  { name: "a will-only property in CONNACK", version: 5, bytes: [0x20, 0x08, 0x00, 0x00, 0x05, 0x18, 0x00, 0x00, 0x00, 0x01], code: "MQTT_BAD_PROPERTY", reasonCode: 0x81 },
  { name: "a CONNECT-only property in CONNACK (request problem information)", version: 5, bytes: [0x20, 0x05, 0x00, 0x00, 0x02, 0x17, 0x01], code: "MQTT_BAD_PROPERTY", reasonCode: 0x81 },
  { name: "a subscription identifier in SUBACK", version: 5, bytes: [0x90, 0x06, 0x00, 0x01, 0x02, 0x0b, 0x01, 0x00], code: "MQTT_BAD_PROPERTY", reasonCode: 0x81 },
  { name: "a property repeated (topic alias twice)", version: 5, bytes: [0x30, 0x0a, 0x00, 0x01, 0x61, 0x06, 0x23, 0x00, 0x01, 0x23, 0x00, 0x02], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a reason string twice in SUBACK", version: 5, bytes: [0x90, 0x0a, 0x00, 0x01, 0x06, 0x1f, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a payload format indicator of 2", version: 5, bytes: [0x30, 0x06, 0x00, 0x01, 0x61, 0x02, 0x01, 0x02], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a maximum QoS of 2", version: 5, bytes: [0x20, 0x05, 0x00, 0x00, 0x02, 0x24, 0x02], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a retain available of 2", version: 5, bytes: [0x20, 0x05, 0x00, 0x00, 0x02, 0x25, 0x02], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a topic alias of 0", version: 5, bytes: [0x30, 0x07, 0x00, 0x01, 0x61, 0x03, 0x23, 0x00, 0x00], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a receive maximum of 0", version: 5, bytes: [0x20, 0x06, 0x00, 0x00, 0x03, 0x21, 0x00, 0x00], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a maximum packet size of 0", version: 5, bytes: [0x20, 0x08, 0x00, 0x00, 0x05, 0x27, 0x00, 0x00, 0x00, 0x00], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a subscription identifier of 0", version: 5, bytes: [0x30, 0x06, 0x00, 0x01, 0x61, 0x02, 0x0b, 0x00], code: "MQTT_BAD_PROPERTY", reasonCode: 0x82 },
  { name: "a property length running past the packet", version: 5, bytes: [0x30, 0x05, 0x00, 0x01, 0x61, 0x09, 0x01], code: "MQTT_MALFORMED", reasonCode: 0x81 },
  { name: "a property running past its block", version: 5, bytes: [0x30, 0x08, 0x00, 0x01, 0x61, 0x02, 0x23, 0x00, 0x01, 0x00], code: "MQTT_MALFORMED", reasonCode: 0x81 },
  { name: "a subscription identifier of five bytes", version: 5, bytes: [0x30, 0x0a, 0x00, 0x01, 0x61, 0x06, 0x0b, 0x80, 0x80, 0x80, 0x80, 0x01], code: "MQTT_MALFORMED", reasonCode: 0x81 },
  { name: "a subscription identifier not in its shortest form", version: 5, bytes: [0x30, 0x07, 0x00, 0x01, 0x61, 0x03, 0x0b, 0x81, 0x00], code: "MQTT_MALFORMED", reasonCode: 0x81 },
  // SUBACK and UNSUBACK payloads (§3.9.3, §3.11.3)
  { name: "a SUBACK without reason codes", version: 4, bytes: [0x90, 0x02, 0x00, 0x01], code: "MQTT_MALFORMED", reasonCode: 0x82 },
  { name: "an MQTT 5 SUBACK without reason codes", version: 5, bytes: [0x90, 0x03, 0x00, 0x01, 0x00], code: "MQTT_MALFORMED", reasonCode: 0x82 },
  { name: "an MQTT 5 UNSUBACK without reason codes", version: 5, bytes: [0xb0, 0x03, 0x00, 0x01, 0x00], code: "MQTT_MALFORMED", reasonCode: 0x82 },
  { name: "a 3.1.1 UNSUBACK with a reason code", version: 4, bytes: [0xb0, 0x03, 0x00, 0x01, 0x00], code: "MQTT_MALFORMED", reasonCode: 0x81 },
];

const LONG_TOPIC = "a".repeat(65536);
const PUB = { type: 3, payload: u8([]), retain: false, dup: false } as const;
/** What a careless caller might pass where a client packet is expected. */
const notClient = (packet: object) => packet as unknown as ClientPacket;
/** Property values of the wrong type, past the type checker. */
const illTyped = (properties: object) => properties as unknown as Properties;

/** Packets `encodePacket` must refuse to write. */
export const ENCODE_ERRORS: EncodeErrorVector[] = [
  // Types a client never sends (§2.1.2)
  { name: "a 3.1.1 CONNACK (only a broker sends it)", version: 4, packet: notClient({ type: 2, sessionPresent: false, reasonCode: 0 }), code: "MQTT_UNKNOWN_TYPE" },
  { name: "an MQTT 5 CONNACK (only a broker sends it)", version: 5, packet: notClient({ type: 2, sessionPresent: false, reasonCode: 0 }), code: "MQTT_UNKNOWN_TYPE" },
  { name: "a SUBACK (only a broker sends it)", version: 4, packet: notClient({ type: 9, packetId: 1, reasonCodes: [0] }), code: "MQTT_UNKNOWN_TYPE" },
  { name: "an UNSUBACK (only a broker sends it)", version: 5, packet: notClient({ type: 11, packetId: 1, reasonCodes: [0] }), code: "MQTT_UNKNOWN_TYPE" },
  { name: "a 3.1.1 PINGRESP (only a broker sends it)", version: 4, packet: notClient({ type: 13 }), code: "MQTT_UNKNOWN_TYPE" },
  { name: "an MQTT 5 PINGRESP (only a broker sends it)", version: 5, packet: notClient({ type: 13 }), code: "MQTT_UNKNOWN_TYPE" },
  { name: "packet type 0", version: 5, packet: notClient({ type: 0 }), code: "MQTT_UNKNOWN_TYPE" },
  { name: "an AUTH in MQTT 3.1.1", version: 4, packet: { type: 15, reasonCode: 0x18 }, code: "MQTT_UNKNOWN_TYPE" },
  // Properties are keyed by identifier; a client sends no Subscription Identifier in a PUBLISH [MQTT-3.3.4-6]
  { name: "a property keyed by name", version: 5, packet: { ...PUB, topic: "a", qos: 0, properties: { topicAlias: 3 } as never }, code: "MQTT_BAD_PROPERTY" },
  { name: "a property keyed by a hex string", version: 5, packet: { type: 4, packetId: 1, properties: { "0x1f": "x" } as never }, code: "MQTT_BAD_PROPERTY" },
  { name: "a subscription identifier in a client PUBLISH", version: 5, packet: { ...PUB, topic: "a", qos: 0, properties: { 0x0b: 5 } }, code: "MQTT_BAD_PROPERTY" },
  // Protocol version
  { name: "a CONNECT for protocol level 3", version: 4, packet: { type: 1, protocolVersion: 3 as 4, clientId: "a", clean: true, keepalive: 0 }, code: "MQTT_BAD_VERSION" },
  { name: "a PUBLISH for protocol level 3", version: 3 as 4, packet: { ...PUB, topic: "a", qos: 0 }, code: "MQTT_BAD_VERSION" },
  // PUBLISH (§3.3)
  { name: "a PUBLISH topic with a + wildcard", version: 4, packet: { ...PUB, topic: "a/+", qos: 0 }, code: "MQTT_BAD_TOPIC" },
  { name: "a PUBLISH topic with a # wildcard", version: 5, packet: { ...PUB, topic: "a/#", qos: 0 }, code: "MQTT_BAD_TOPIC" },
  { name: "an empty 3.1.1 PUBLISH topic", version: 4, packet: { ...PUB, topic: "", qos: 0 }, code: "MQTT_BAD_TOPIC" },
  { name: "an empty MQTT 5 PUBLISH topic without an alias", version: 5, packet: { ...PUB, topic: "", qos: 0 }, code: "MQTT_BAD_TOPIC" },
  { name: "a QoS 1 PUBLISH without a packet identifier", version: 4, packet: { ...PUB, topic: "a", qos: 1 }, code: "MQTT_BAD_PACKET_ID" },
  { name: "a QoS 2 PUBLISH with packet identifier 0", version: 5, packet: { ...PUB, topic: "a", qos: 2, packetId: 0 }, code: "MQTT_BAD_PACKET_ID" },
  { name: "a PUBLISH with QoS 3", version: 4, packet: { ...PUB, topic: "a", qos: 3 as 0, packetId: 1 }, code: "MQTT_BAD_QOS" },
  { name: "a QoS 0 PUBLISH with DUP", version: 4, packet: { ...PUB, topic: "a", qos: 0, dup: true }, code: "MQTT_BAD_FLAGS" },
  { name: "a topic over 65535 bytes", version: 4, packet: { ...PUB, topic: LONG_TOPIC, qos: 0 }, code: "MQTT_TOO_LARGE" },
  { name: "a topic with U+0000", version: 5, packet: { ...PUB, topic: "a\u0000", qos: 0 }, code: "MQTT_BAD_UTF8" },
  // Acknowledgements, DISCONNECT, AUTH
  { name: "a PUBACK with packet identifier 65536", version: 4, packet: { type: 4, packetId: 65536 }, code: "MQTT_BAD_PACKET_ID" },
  { name: "a PUBREL with packet identifier 0", version: 5, packet: { type: 6, packetId: 0 }, code: "MQTT_BAD_PACKET_ID" },
  { name: "an MQTT 5 PUBACK with reason code 0x92", version: 5, packet: { type: 4, packetId: 1, reasonCode: 0x92 }, code: "MQTT_BAD_REASON" },
  { name: "an MQTT 5 PUBREL with reason code 0x10", version: 5, packet: { type: 6, packetId: 1, reasonCode: 0x10 }, code: "MQTT_BAD_REASON" },
  { name: "an MQTT 5 DISCONNECT with reason code 0x05", version: 5, packet: { type: 14, reasonCode: 0x05 }, code: "MQTT_BAD_REASON" },
  { name: "an MQTT 5 AUTH with reason code 0x01", version: 5, packet: { type: 15, reasonCode: 0x01 }, code: "MQTT_BAD_REASON" },
  // CONNECT (§3.1)
  { name: "a client identifier with U+0000", version: 4, packet: { type: 1, protocolVersion: 4, clientId: "a\u0000b", clean: true, keepalive: 0 }, code: "MQTT_BAD_UTF8" },
  { name: "a keep alive over 65535", version: 4, packet: { type: 1, protocolVersion: 4, clientId: "a", clean: true, keepalive: 70000 }, code: "MQTT_MALFORMED" },
  { name: "a negative keep alive", version: 5, packet: { type: 1, protocolVersion: 5, clientId: "a", clean: true, keepalive: -1 }, code: "MQTT_MALFORMED" },
  { name: "a 3.1.1 CONNECT with a password but no user name", version: 4, packet: { type: 1, protocolVersion: 4, clientId: "a", clean: true, keepalive: 0, password: u8([1]) }, code: "MQTT_BAD_FLAGS" },
  { name: "a password over 65535 bytes", version: 5, packet: { type: 1, protocolVersion: 5, clientId: "a", clean: true, keepalive: 0, password: new Uint8Array(65536) }, code: "MQTT_TOO_LARGE" },
  { name: "a will with QoS 3", version: 4, packet: { type: 1, protocolVersion: 4, clientId: "a", clean: true, keepalive: 0, will: { topic: "w", payload: u8([]), qos: 3 as 0, retain: false } }, code: "MQTT_BAD_QOS" },
  { name: "a will topic with a wildcard", version: 4, packet: { type: 1, protocolVersion: 4, clientId: "a", clean: true, keepalive: 0, will: { topic: "w/#", payload: u8([]), qos: 0, retain: false } }, code: "MQTT_BAD_TOPIC" },
  // SUBSCRIBE and UNSUBSCRIBE (§3.8, §3.10)
  { name: "a SUBSCRIBE without subscriptions", version: 4, packet: { type: 8, packetId: 1, subscriptions: [] }, code: "MQTT_MALFORMED" },
  { name: "an UNSUBSCRIBE without filters", version: 5, packet: { type: 10, packetId: 1, topics: [] }, code: "MQTT_MALFORMED" },
  { name: "a filter with # before its last level", version: 4, packet: { type: 8, packetId: 1, subscriptions: [{ topic: "a/#/b", qos: 0 }] }, code: "MQTT_BAD_TOPIC" },
  { name: "a filter with + inside a level", version: 5, packet: { type: 10, packetId: 1, topics: ["a+/b"] }, code: "MQTT_BAD_TOPIC" },
  { name: "an empty filter", version: 4, packet: { type: 10, packetId: 1, topics: [""] }, code: "MQTT_BAD_TOPIC" },
  { name: "retain handling 3", version: 5, packet: { type: 8, packetId: 1, subscriptions: [{ topic: "a", qos: 0, retainHandling: 3 as 0 }] }, code: "MQTT_MALFORMED" },
  { name: "a subscription with QoS 3", version: 4, packet: { type: 8, packetId: 1, subscriptions: [{ topic: "a", qos: 3 as 0 }] }, code: "MQTT_BAD_QOS" },
  { name: "a SUBSCRIBE with packet identifier 0", version: 4, packet: { type: 8, packetId: 0, subscriptions: [{ topic: "a", qos: 0 }] }, code: "MQTT_BAD_PACKET_ID" },
  // Properties (§2.2.2), keyed by identifier
  { name: "a session expiry interval in PUBLISH", version: 5, packet: { ...PUB, topic: "a", qos: 0, properties: { 0x11: 1 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a CONNACK-only property in CONNECT (maximum QoS)", version: 5, packet: { type: 1, protocolVersion: 5, clientId: "a", clean: true, keepalive: 0, properties: { 0x24: 1 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a will delay interval among the CONNECT properties", version: 5, packet: { type: 1, protocolVersion: 5, clientId: "a", clean: true, keepalive: 0, properties: { 0x18: 5 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a session expiry interval among the will properties", version: 5, packet: { type: 1, protocolVersion: 5, clientId: "a", clean: true, keepalive: 0, will: { topic: "w", payload: u8([]), qos: 0, retain: false, properties: { 0x11: 5 } } }, code: "MQTT_BAD_PROPERTY" },
  { name: "an unknown property identifier", version: 5, packet: { type: 14, reasonCode: 0, properties: { 0x05: 1 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a topic alias of 0", version: 5, packet: { ...PUB, topic: "a", qos: 0, properties: { 0x23: 0 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a receive maximum over 65535", version: 5, packet: { type: 1, protocolVersion: 5, clientId: "a", clean: true, keepalive: 0, properties: { 0x21: 70000 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a message expiry interval over 2^32 - 1", version: 5, packet: { ...PUB, topic: "a", qos: 0, properties: { 0x02: 2 ** 32 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a payload format indicator of 2", version: 5, packet: { ...PUB, topic: "a", qos: 0, properties: { 0x01: 2 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a one-byte property given as a boolean", version: 5, packet: { type: 1, protocolVersion: 5, clientId: "a", clean: true, keepalive: 0, properties: illTyped({ 0x17: true }) }, code: "MQTT_BAD_PROPERTY" },
  { name: "a string property given a number", version: 5, packet: { ...PUB, topic: "a", qos: 0, properties: { 0x03: 5 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a user property that is one pair, not a list", version: 5, packet: { type: 4, packetId: 1, properties: illTyped({ 0x26: ["k", "v"] }) }, code: "MQTT_BAD_PROPERTY" },
  { name: "a user property that is a string", version: 5, packet: { type: 4, packetId: 1, properties: illTyped({ 0x26: "k" }) }, code: "MQTT_BAD_PROPERTY" },
  { name: "two subscription identifiers in SUBSCRIBE", version: 5, packet: { type: 8, packetId: 1, subscriptions: [{ topic: "a", qos: 0 }], properties: { 0x0b: [1, 2] } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a subscription identifier of 0", version: 5, packet: { type: 8, packetId: 1, subscriptions: [{ topic: "a", qos: 0 }], properties: { 0x0b: 0 } }, code: "MQTT_BAD_PROPERTY" },
  { name: "a subscription identifier over 268435455", version: 5, packet: { type: 8, packetId: 1, subscriptions: [{ topic: "a", qos: 0 }], properties: { 0x0b: 268435456 } }, code: "MQTT_BAD_PROPERTY" },
];
