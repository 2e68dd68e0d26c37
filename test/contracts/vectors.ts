/**
 * Golden vectors for record contracts. Each gives a value, the exact binary payload and
 * the exact JSON text. Schema ids (FNV-1a of the name), float bit patterns and base64
 * strings were worked out apart from the codec (Python's struct and base64 modules).
 * Binary layout: magic c1 | flags | schemaId u32 LE | version u16 LE | envelope? |
 * presence bitmap | fields (docs/contracts.md).
 */
import { array, contract, optional, type Envelope, type Fields } from "../../src/index.js";
import { hex, text } from "./compare.js";

/** Any contract, with its value type widened (methods, so every Contract<F> fits). */
export interface AnyContract {
  readonly name: string;
  readonly version: number;
  readonly envelope: boolean;
  readonly fields: Fields;
  encode(value: unknown, envelope?: Envelope): Uint8Array;
  encodeJson(value: unknown, envelope?: Envelope): Uint8Array;
  decode(bytes: Uint8Array, envelopeOut?: Envelope): Record<string, unknown>;
}

export interface Vector {
  name: string;
  contract: AnyContract;
  value: Record<string, unknown>;
  envelope?: Envelope;
  bytes: Uint8Array;
  json: string;
}

export const Scalars = contract("test.scalars", 1, {
  b: "bool", u8: "u8", i8: "i8", u16: "u16", i16: "i16", u32: "u32", i32: "i32", u64: "u64", f32: "f32", f64: "f64",
});

export const Temperature = contract(
  "climate.temperature",
  2,
  {
    celsius: "f32", timestamp: "u64", station: "string", raw: "bytes", ok: "bool",
    note: optional("string"), samples: array("i16", 4),
  },
  { envelope: true },
);

export const Text = contract("test.text", 1, { s: "string", raw: "bytes" });

export const Optionals = contract("test.optionals", 1, {
  a: optional("u8"), b: "u8", c: optional("bool"), d: optional("bool"), e: optional("bool"),
  f: optional("bool"), g: optional("bool"), h: optional("bool"), i: optional("bool"), j: optional("u16"),
});

export const NonFinite = contract("test.nonfinite", 1, { x: "f32?nan", y: "f64?nan", z: array("f64?nan", 3) });

export const Arrays = contract("test.arrays", 1, { flags: array("bool", 3), u: array("u16", 2), f: array("f32", 2) });

export const OptionalArray = contract("test.optarray", 1, { a: optional(array("u8", 2)), n: optional("f64?nan") });

const range = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

export const vectors: Vector[] = [
  {
    name: "every scalar type at its limits",
    contract: Scalars,
    value: { b: true, u8: 255, i8: -128, u16: 65535, i16: -32768, u32: 4294967295, i32: -2147483648, u64: 9007199254740991, f32: 21.5, f64: -1.25e-300 },
    bytes: hex(
      "c1 00 06bc96bd 0100", // magic, no flags, schemaId 0xbd96bc06, v1
      "", //                    no optionals: no presence bitmap
      "01 ff 80", //            b true, u8 255, i8 -128
      "ffff 0080", //           u16 65535, i16 -32768
      "ffffffff 00000080", //   u32 2^32-1, i32 -2^31
      "ffffffffffff1f00", //    u64 2^53-1
      "0000ac41", //            f32 21.5
      "2f30b7b3a7c9aa81", //    f64 -1.25e-300
    ),
    json: '{"schema":"test.scalars","v":1,"data":{"b":true,"u8":255,"i8":-128,"u16":65535,"i16":-32768,"u32":4294967295,"i32":-2147483648,"u64":9007199254740991,"f32":21.5,"f64":-1.25e-300}}',
  },
  {
    name: "every scalar type near zero, with a negative zero float",
    contract: Scalars,
    value: { b: false, u8: 0, i8: 1, u16: 2, i16: -1, u32: 3, i32: 1, u64: 0, f32: -0, f64: 0.1 },
    bytes: hex(
      "c1 00 06bc96bd 0100", // header
      "00 00 01", //            b false, u8 0, i8 1
      "0200 ffff", //           u16 2, i16 -1
      "03000000 01000000", //   u32 3, i32 1
      "0000000000000000", //    u64 0
      "00000080", //            f32 -0 (sign bit kept)
      "9a9999999999b93f", //    f64 0.1
    ),
    json: '{"schema":"test.scalars","v":1,"data":{"b":false,"u8":0,"i8":1,"u16":2,"i16":-1,"u32":3,"i32":1,"u64":0,"f32":-0,"f64":0.1}}',
  },
  {
    name: "a temperature with a full envelope and every field present",
    contract: Temperature,
    value: { celsius: 21.5, timestamp: 1718000000000, station: "alpha", raw: hex("deadbeef"), ok: true, note: "calibrated", samples: [1, -2, 300, -32768] },
    envelope: { sender: "sensor-a", seq: 42, issuedAt: 1718000000123 },
    bytes: hex(
      "c1 07 24c04d51 0200", // magic, flags sender|seq|issuedAt, schemaId 0x514dc024, v2
      "08 73656e736f722d61", // envelope.sender "sensor-a"
      "2a000000", //            envelope.seq 42
      "7b9cc70090010000", //    envelope.issuedAt 1718000000123
      "01", //                  presence: note
      "0000ac41", //            celsius 21.5
      "009cc70090010000", //    timestamp 1718000000000
      "05 616c706861", //       station "alpha"
      "04 deadbeef", //         raw
      "01", //                  ok true
      "0a 63616c69627261746564", // note "calibrated"
      "0100 feff 2c01 0080", // samples 1, -2, 300, -32768
    ),
    json:
      '{"schema":"climate.temperature","v":2,"sender":"sensor-a","seq":42,"at":1718000000123,"data":{"celsius":21.5,' +
      '"timestamp":1718000000000,"station":"alpha","raw":"3q2+7w==","ok":true,"note":"calibrated","samples":[1,-2,300,-32768]}}',
  },
  {
    name: "a temperature with no envelope and its optional field absent",
    contract: Temperature,
    value: { celsius: -3.75, timestamp: 0, station: "", raw: hex(""), ok: false, samples: [0, 0, 0, 0] },
    bytes: hex(
      "c1 00 24c04d51 0200", // header, no envelope
      "00", //                  presence: none
      "000070c0", //            celsius -3.75
      "0000000000000000", //    timestamp 0
      "00 00 00", //            station "", raw empty, ok false
      "0000 0000 0000 0000", // samples
    ),
    json: '{"schema":"climate.temperature","v":2,"data":{"celsius":-3.75,"timestamp":0,"station":"","raw":"","ok":false,"samples":[0,0,0,0]}}',
  },
  {
    name: "a temperature whose envelope carries only seq, with an empty note",
    contract: Temperature,
    value: { celsius: 0.5, timestamp: 1, station: "b", raw: hex("00"), ok: true, note: "", samples: [-1, -1, -1, -1] },
    envelope: { seq: 4294967295 },
    bytes: hex(
      "c1 02 24c04d51 0200", // header, flags seq
      "ffffffff", //            envelope.seq 2^32-1
      "01", //                  presence: note
      "0000003f", //            celsius 0.5
      "0100000000000000", //    timestamp 1
      "01 62 01 00 01", //      station "b", raw 00, ok true
      "00", //                  note ""
      "ffff ffff ffff ffff", // samples
    ),
    json: '{"schema":"climate.temperature","v":2,"seq":4294967295,"data":{"celsius":0.5,"timestamp":1,"station":"b","raw":"AA==","ok":true,"note":"","samples":[-1,-1,-1,-1]}}',
  },
  {
    name: "empty text and empty bytes",
    contract: Text,
    value: { s: "", raw: hex("") },
    bytes: hex("c1 00 622d6919 0100", "00", "00"), // header; s length 0; raw length 0
    json: '{"schema":"test.text","v":1,"data":{"s":"","raw":""}}',
  },
  {
    name: "multi-byte UTF-8 text, counted in bytes",
    contract: Text,
    value: { s: "h€llo 😀", raw: hex("00ff") },
    bytes: hex(
      "c1 00 622d6919 0100", //      header
      "0c 68e282ac6c6c6f20f09f9880", // s: 12 bytes (€ is 3, 😀 is 4)
      "02 00ff", //                  raw
    ),
    json: '{"schema":"test.text","v":1,"data":{"s":"h€llo 😀","raw":"AP8="}}',
  },
  {
    name: "text that JSON must escape",
    contract: Text,
    value: { s: 'say "hi"\\\n\u0001', raw: hex("") },
    bytes: hex("c1 00 622d6919 0100", "0b 73617920226869225c0a01", "00"), // s: 11 bytes, raw empty
    json: '{"schema":"test.text","v":1,"data":{"s":"say \\"hi\\"\\\\\\n\\u0001","raw":""}}',
  },
  {
    name: "lengths of 128 and more take a two-byte varint",
    contract: Text,
    value: { s: "x".repeat(200), raw: range(130) },
    bytes: hex(
      "c1 00 622d6919 0100", //  header
      "c801", "78".repeat(200), // s: length 200 = c8 01
      "8201", //                 raw: length 130 = 82 01
      Array.from(range(130), (b) => (b < 16 ? "0" : "") + b.toString(16)).join(""),
    ),
    json:
      `{"schema":"test.text","v":1,"data":{"s":"${"x".repeat(200)}","raw":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+` +
      'P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgQ=="}}',
  },
  {
    name: "nine optional fields, all absent, take a two-byte bitmap",
    contract: Optionals,
    value: { b: 7 },
    bytes: hex("c1 00 7a11bd39 0100", "0000", "07"), // header; presence none; b 7
    json: '{"schema":"test.optionals","v":1,"data":{"b":7}}',
  },
  {
    name: "optional fields present in both bitmap bytes",
    contract: Optionals,
    value: { a: 1, b: 2, c: false, j: 513 },
    bytes: hex(
      "c1 00 7a11bd39 0100", // header
      "03 01", //               presence: a (bit 0), c (bit 1), j (bit 8)
      "01 02 00", //            a 1, b 2, c false
      "0102", //                j 513
    ),
    json: '{"schema":"test.optionals","v":1,"data":{"a":1,"b":2,"c":false,"j":513}}',
  },
  {
    name: "NaN and infinities in fields declared ?nan",
    contract: NonFinite,
    value: { x: NaN, y: -Infinity, z: [Infinity, -0, 1.5] },
    bytes: hex(
      "c1 00 8fc532f0 0100", // header
      "0000c07f", //            x: f32 quiet NaN
      "000000000000f0ff", //    y: -Infinity
      "000000000000f07f 0000000000000080 000000000000f83f", // z: Infinity, -0, 1.5
    ),
    json: '{"schema":"test.nonfinite","v":1,"data":{"x":"NaN","y":"-Infinity","z":["Infinity",-0,1.5]}}',
  },
  {
    name: "fixed-length arrays of bool, u16 and f32",
    contract: Arrays,
    value: { flags: [true, false, true], u: [1, 65535], f: [0.5, 2.25] },
    bytes: hex("c1 00 cbddda81 0100", "01 00 01", "0100 ffff", "0000003f 00001040"), // header; flags; u; f
    json: '{"schema":"test.arrays","v":1,"data":{"flags":[true,false,true],"u":[1,65535],"f":[0.5,2.25]}}',
  },
  {
    name: "an optional array present and an optional float absent",
    contract: OptionalArray,
    value: { a: [1, 2] },
    bytes: hex("c1 00 279a73af 0100", "01", "01 02"), // header (schemaId 0xaf739a27); presence: a; a
    json: '{"schema":"test.optarray","v":1,"data":{"a":[1,2]}}',
  },
];

// Migrations: v1 stored temperature in tenths of a degree; v2 in celsius with a unit;
// v3 renamed `station` to `site` and dropped the unit.
export const MigrateV1 = contract("test.migrate", 1, { tenths: "i16", station: "string" });
export const migrateV2Fields = { celsius: "f32", station: "string", unit: optional("string") } as const;
export const MigrateV3 = contract("test.migrate", 3, { celsius: "f32", site: "string" })
  .migrate(1, (old) => ({ celsius: old.tenths / 10, station: old.station, unit: "C" }), MigrateV1.fields)
  .migrate(2, (old) => ({ celsius: old.celsius, site: old.station }), migrateV2Fields);

export interface MigrationVector {
  name: string;
  contract: AnyContract;
  /** The older payload, in both formats. */
  bytes: Uint8Array;
  json: string;
  /** What the current contract decodes it to. */
  value: Record<string, unknown>;
}

export const migrationVectors: MigrationVector[] = [
  {
    name: "a v1 payload is migrated through v2 to v3",
    contract: MigrateV3,
    bytes: hex(
      "c1 00 82d05dc4 0100", // header: schemaId 0xc45dd082, v1
      "d700", //                tenths 215
      "05 616c706861", //       station "alpha"
    ),
    json: '{"schema":"test.migrate","v":1,"data":{"tenths":215,"station":"alpha"}}',
    value: { celsius: 21.5, site: "alpha" },
  },
  {
    name: "a v2 payload is migrated to v3",
    contract: MigrateV3,
    bytes: hex(
      "c1 00 82d05dc4 0200", // header, v2
      "01", //                  presence: unit
      "0000ac41", //            celsius 21.5
      "04 62657461", //         station "beta"
      "01 43", //               unit "C"
    ),
    json: '{"schema":"test.migrate","v":2,"data":{"celsius":21.5,"station":"beta","unit":"C"}}',
    value: { celsius: 21.5, site: "beta" },
  },
];

/** A payload `decode` must refuse, with the code it must carry. */
export interface ErrorVector {
  name: string;
  contract: AnyContract;
  bytes: Uint8Array;
  code: string;
}

const H = "c1 00 06bc96bd 0100"; // test.scalars v1 header
const SCALARS_BODY = "01 ff 80 ffff 0080 ffffffff 00000080 ffffffffffff1f00 0000ac41 2f30b7b3a7c9aa81";
const T = "c1 00 622d6919 0100"; // test.text v1 header
const json = text;
const textDoc = (data: string, extra = "") => json(`{"schema":"test.text","v":1${extra},"data":${data}}`);

export const decodeErrors: ErrorVector[] = [
  // Format and header
  { name: "an empty payload", contract: Scalars, bytes: hex(""), code: "CONTRACT_TRUNCATED" },
  { name: "a first byte that is neither binary nor JSON", contract: Scalars, bytes: hex("00"), code: "CONTRACT_BAD_FORMAT" },
  { name: "a JSON array", contract: Scalars, bytes: json("[1]"), code: "CONTRACT_BAD_FORMAT" },
  { name: "a header cut short", contract: Scalars, bytes: hex("c1 00 06bc96"), code: "CONTRACT_TRUNCATED" },
  { name: "reserved flag bits", contract: Scalars, bytes: hex("c1 08 06bc96bd 0100", SCALARS_BODY), code: "CONTRACT_BAD_FLAGS" },
  { name: "another contract's schema id", contract: Scalars, bytes: hex("c1 00 622d6919 0100", SCALARS_BODY), code: "CONTRACT_WRONG_SCHEMA" },
  { name: "a newer version", contract: Scalars, bytes: hex("c1 00 06bc96bd 0200", SCALARS_BODY), code: "CONTRACT_UNKNOWN_VERSION" },
  { name: "version zero", contract: Scalars, bytes: hex("c1 00 06bc96bd 0000", SCALARS_BODY), code: "CONTRACT_UNKNOWN_VERSION" },
  { name: "an older version with no migration", contract: Temperature, bytes: hex("c1 00 24c04d51 0100"), code: "CONTRACT_UNKNOWN_VERSION" },
  { name: "a byte after the last field", contract: Scalars, bytes: hex(H, SCALARS_BODY, "00"), code: "CONTRACT_TRAILING" },
  { name: "an envelope cut inside seq", contract: Temperature, bytes: hex("c1 02 24c04d51 0200 ffff"), code: "CONTRACT_TRUNCATED" },
  { name: "unused presence bits", contract: Optionals, bytes: hex("c1 00 7a11bd39 0100", "0002", "07"), code: "CONTRACT_BAD_FLAGS" },
  // Field values
  { name: "a bool byte of 2", contract: Scalars, bytes: hex(H, "02", SCALARS_BODY.slice(2)), code: "CONTRACT_BAD_FIELD" },
  { name: "a u64 over 2^53-1", contract: Scalars, bytes: hex(H, "01 ff 80 ffff 0080 ffffffff 00000080 0000000000002000 0000ac41 2f30b7b3a7c9aa81"), code: "CONTRACT_BAD_FIELD" },
  { name: "NaN in an f32 field", contract: Scalars, bytes: hex(H, "01 ff 80 ffff 0080 ffffffff 00000080 ffffffffffff1f00 0000c07f 2f30b7b3a7c9aa81"), code: "CONTRACT_BAD_FIELD" },
  { name: "Infinity in an f64 field", contract: Scalars, bytes: hex(H, "01 ff 80 ffff 0080 ffffffff 00000080 ffffffffffff1f00 0000ac41 000000000000f07f"), code: "CONTRACT_BAD_FIELD" },
  // Lengths
  { name: "a length not in its shortest varint form", contract: Text, bytes: hex(T, "8000", "00"), code: "CONTRACT_BAD_LENGTH" },
  { name: "a length over 65535", contract: Text, bytes: hex(T, "808004", "00"), code: "CONTRACT_BAD_LENGTH" },
  { name: "a four-byte length", contract: Text, bytes: hex(T, "ffffffff0f", "00"), code: "CONTRACT_BAD_LENGTH" },
  { name: "a length longer than the bytes left", contract: Text, bytes: hex(T, "ffff03", "616263"), code: "CONTRACT_TRUNCATED" },
  { name: "a varint cut short", contract: Text, bytes: hex(T, "ff"), code: "CONTRACT_TRUNCATED" },
  { name: "a string that is not UTF-8", contract: Text, bytes: hex(T, "02 c328", "00"), code: "CONTRACT_BAD_UTF8" },
  { name: "a UTF-8 surrogate", contract: Text, bytes: hex(T, "03 eda080", "00"), code: "CONTRACT_BAD_UTF8" },
  // JSON documents
  { name: "JSON text cut short", contract: Text, bytes: json('{"schema":"test.text"'), code: "CONTRACT_BAD_JSON" },
  { name: "JSON text that is not UTF-8", contract: Text, bytes: hex("7b 22 ff 22 7d"), code: "CONTRACT_BAD_UTF8" },
  { name: "a JSON document with no schema", contract: Text, bytes: json('{"v":1,"data":{}}'), code: "CONTRACT_BAD_JSON" },
  { name: "a JSON string document", contract: Text, bytes: json(' "x"'), code: "CONTRACT_BAD_JSON" },
  { name: "another contract's JSON", contract: Text, bytes: json('{"schema":"test.other","v":1,"data":{}}'), code: "CONTRACT_WRONG_SCHEMA" },
  { name: "a JSON version that is a string", contract: Text, bytes: json('{"schema":"test.text","v":"1","data":{}}'), code: "CONTRACT_BAD_JSON" },
  { name: "a newer JSON version", contract: Text, bytes: json('{"schema":"test.text","v":9,"data":{}}'), code: "CONTRACT_UNKNOWN_VERSION" },
  { name: "a JSON document with no data", contract: Text, bytes: json('{"schema":"test.text","v":1}'), code: "CONTRACT_BAD_JSON" },
  { name: "__proto__ at the top of a JSON document", contract: Text, bytes: textDoc('{"s":"","raw":""}', ',"__proto__":{"x":1}'), code: "CONTRACT_BAD_JSON" },
  { name: "__proto__ in data", contract: Text, bytes: textDoc('{"s":"","raw":"","__proto__":{"polluted":true}}'), code: "CONTRACT_UNKNOWN_FIELD" },
  { name: "constructor in data", contract: Text, bytes: textDoc('{"s":"","raw":"","constructor":{"prototype":{}}}'), code: "CONTRACT_UNKNOWN_FIELD" },
  { name: "an undeclared field in data", contract: Text, bytes: textDoc('{"s":"","raw":"","extra":1}'), code: "CONTRACT_UNKNOWN_FIELD" },
  { name: "a required field missing from data", contract: Text, bytes: textDoc('{"s":""}'), code: "CONTRACT_MISSING_FIELD" },
  { name: "a required field that is null", contract: Text, bytes: textDoc('{"s":null,"raw":""}'), code: "CONTRACT_MISSING_FIELD" },
  { name: "a number where a string is declared", contract: Text, bytes: textDoc('{"s":1,"raw":""}'), code: "CONTRACT_BAD_FIELD" },
  { name: "base64 of the wrong length", contract: Text, bytes: textDoc('{"s":"","raw":"AQI"}'), code: "CONTRACT_BAD_FIELD" },
  { name: "base64 with unused bits set", contract: Text, bytes: textDoc('{"s":"","raw":"AQJ="}'), code: "CONTRACT_BAD_FIELD" },
  { name: "base64 with a character outside the alphabet", contract: Text, bytes: textDoc('{"s":"","raw":"AQ-D"}'), code: "CONTRACT_BAD_FIELD" },
  { name: "a fraction in an integer field", contract: Optionals, bytes: json('{"schema":"test.optionals","v":1,"data":{"b":1.5}}'), code: "CONTRACT_BAD_FIELD" },
  { name: "256 in a u8 field", contract: Optionals, bytes: json('{"schema":"test.optionals","v":1,"data":{"b":256}}'), code: "CONTRACT_BAD_FIELD" },
  { name: "2^53 in a u64 field", contract: Scalars, bytes: json('{"schema":"test.scalars","v":1,"data":{"b":true,"u8":0,"i8":0,"u16":0,"i16":0,"u32":0,"i32":0,"u64":9007199254740992,"f32":0,"f64":0}}'), code: "CONTRACT_BAD_FIELD" },
  { name: '"NaN" in a finite float field', contract: Arrays, bytes: json('{"schema":"test.arrays","v":1,"data":{"flags":[true,true,true],"u":[0,0],"f":["NaN",0]}}'), code: "CONTRACT_BAD_FIELD" },
  { name: "a number too large for a float", contract: Scalars, bytes: json('{"schema":"test.scalars","v":1,"data":{"b":true,"u8":0,"i8":0,"u16":0,"i16":0,"u32":0,"i32":0,"u64":0,"f32":0,"f64":1e400}}'), code: "CONTRACT_BAD_FIELD" },
  { name: "an array of the wrong length", contract: Arrays, bytes: json('{"schema":"test.arrays","v":1,"data":{"flags":[true],"u":[0,0],"f":[0,0]}}'), code: "CONTRACT_BAD_FIELD" },
  { name: "a negative envelope seq", contract: Temperature, bytes: json('{"schema":"climate.temperature","v":2,"seq":-1,"data":{}}'), code: "CONTRACT_BAD_FIELD" },
  { name: "a fractional envelope time", contract: Temperature, bytes: json('{"schema":"climate.temperature","v":2,"at":1.5,"data":{}}'), code: "CONTRACT_BAD_FIELD" },
];

/** A value `encode` and `encodeJson` must refuse. */
export interface EncodeErrorVector {
  name: string;
  contract: AnyContract;
  value: unknown;
  envelope?: Envelope;
  code: string;
}

const temp = { celsius: 1, timestamp: 1, station: "", raw: new Uint8Array(0), ok: true, samples: [0, 0, 0, 0] };

export const encodeErrors: EncodeErrorVector[] = [
  { name: "a value that is not an object", contract: Text, value: null, code: "CONTRACT_BAD_VALUE" },
  { name: "a missing required field", contract: Text, value: { s: "" }, code: "CONTRACT_MISSING_FIELD" },
  { name: "NaN in a finite field", contract: Temperature, value: { ...temp, celsius: NaN }, code: "CONTRACT_BAD_FIELD" },
  { name: "Infinity in a finite field", contract: Temperature, value: { ...temp, celsius: -Infinity }, code: "CONTRACT_BAD_FIELD" },
  { name: "a finite number past the f32 range", contract: Temperature, value: { ...temp, celsius: 1e39 }, code: "CONTRACT_BAD_FIELD" },
  { name: "256 in a u8 field", contract: Optionals, value: { b: 256 }, code: "CONTRACT_BAD_FIELD" },
  { name: "-1 in an unsigned field", contract: Optionals, value: { b: -1 }, code: "CONTRACT_BAD_FIELD" },
  { name: "a fraction in an integer field", contract: Optionals, value: { b: 0.5 }, code: "CONTRACT_BAD_FIELD" },
  { name: "a u64 past 2^53-1", contract: Temperature, value: { ...temp, timestamp: 2 ** 53 }, code: "CONTRACT_BAD_FIELD" },
  { name: "a string for a number", contract: Optionals, value: { b: "1" }, code: "CONTRACT_BAD_FIELD" },
  { name: "a number for a bool", contract: Optionals, value: { b: 1, c: 1 }, code: "CONTRACT_BAD_FIELD" },
  { name: "an array for bytes", contract: Text, value: { s: "", raw: [1, 2] }, code: "CONTRACT_BAD_FIELD" },
  { name: "a string over 65535 UTF-8 bytes", contract: Text, value: { s: "é".repeat(32768), raw: new Uint8Array(0) }, code: "CONTRACT_BAD_FIELD" },
  { name: "bytes over 65535", contract: Text, value: { s: "", raw: new Uint8Array(65536) }, code: "CONTRACT_BAD_FIELD" },
  { name: "an array of the wrong length", contract: Temperature, value: { ...temp, samples: [1, 2, 3] }, code: "CONTRACT_BAD_FIELD" },
  { name: "an array element out of range", contract: Temperature, value: { ...temp, samples: [1, 2, 3, 40000] }, code: "CONTRACT_BAD_FIELD" },
  { name: "a negative envelope seq", contract: Temperature, value: temp, envelope: { seq: -1 }, code: "CONTRACT_BAD_FIELD" },
  { name: "an envelope time past 2^53-1", contract: Temperature, value: temp, envelope: { issuedAt: 2 ** 53 }, code: "CONTRACT_BAD_FIELD" },
  { name: "a sender that is not a string", contract: Temperature, value: temp, envelope: { sender: 7 as unknown as string }, code: "CONTRACT_BAD_FIELD" },
];

/** A declaration `contract()` or `migrate()` must refuse (all `CONTRACT_BAD_DEFINITION`). */
export const definitionErrors: { name: string; declare: () => unknown }[] = [
  { name: "an empty name", declare: () => contract("", 1, {}) },
  { name: "a name with a space", declare: () => contract("a b", 1, {}) },
  { name: "version 0", declare: () => contract("x", 0, {}) },
  { name: "version 65536", declare: () => contract("x", 65536, {}) },
  { name: "an unknown type", declare: () => contract("x", 1, { a: "u128" as "u8" }) },
  { name: "a __proto__ field", declare: () => contract("x", 1, JSON.parse('{"__proto__":"u8"}') as { a: "u8" }) },
  { name: "a constructor field", declare: () => contract("x", 1, { constructor: "u8" }) },
  { name: "a toString field", declare: () => contract("x", 1, { toString: "u8" }) },
  { name: "a field name that is not an identifier", declare: () => contract("x", 1, { "a-b": "u8" }) },
  { name: "an array of strings", declare: () => contract("x", 1, { a: array("string" as "u8", 2) }) },
  { name: "an array of length 0", declare: () => contract("x", 1, { a: array("u8", 0) }) },
  { name: "an optional optional", declare: () => contract("x", 1, { a: optional(optional("u8") as unknown as "u8") }) },
  { name: "a migration from the current version", declare: () => contract("x", 2, {}).migrate(2, (o) => o) },
  { name: "a migration declared twice", declare: () => contract("x", 2, {}).migrate(1, (o) => o).migrate(1, (o) => o) },
  { name: "a migration with bad old fields", declare: () => contract("x", 2, {}).migrate(1, (o) => o, { a: "nope" as "u8" }) },
];
