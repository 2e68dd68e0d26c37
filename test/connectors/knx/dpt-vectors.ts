/**
 * Datapoint type vectors (KNX 3.7.2): a value, the APDU form it travels in and its data
 * bytes. `decoded` is what the bytes decode to when it differs from `value` (scaled
 * types round to their step). `encodeOnly` and `decodeOnly` mark one-way vectors.
 *
 * Runs under vitest and inside XS: no Buffer, no TextEncoder.
 */
import type { AnyDptValue } from "../../../src/connectors/knx/dpt.js";
import { ascii } from "./vectors.js";

export interface DptVector {
  dpt: string;
  value: AnyDptValue;
  short: boolean;
  data: number[];
  decoded?: AnyDptValue;
  why: string;
}

export interface DptErrorVector {
  dpt: string;
  value: unknown;
  code: string;
  why: string;
}

export interface DptDecodeErrorVector {
  dpt: string;
  data: number[];
  short: boolean;
  code: string;
  why: string;
}

export const DPT_VECTORS: DptVector[] = [
  { dpt: "1.001", value: true, short: true, data: [0x01], why: "switch on: bit 0 in the APCI octet" },
  { dpt: "1.001", value: false, short: true, data: [0x00], why: "switch off" },
  { dpt: "1.008", value: true, short: true, data: [0x01], why: "up/down: 1 = down" },
  { dpt: "2.001", value: { control: true, value: false }, short: true, data: [0x02], why: "c = bit 1, v = bit 0" },
  { dpt: "3.007", value: { increase: true, step: 3 }, short: true, data: [0x0b], why: "dimming: c = bit 3 (increase), step code 3" },
  { dpt: "3.007", value: { increase: false, step: 0 }, short: true, data: [0x00], why: "dimming: decrease, step code 0 = break" },
  { dpt: "3.008", value: { down: true, step: 7 }, short: true, data: [0x0f], why: "blinds: c = bit 3 (down), step code 7" },
  { dpt: "5.001", value: 50, short: false, data: [0x80], decoded: 50.2, why: "50 % × 255 / 100 = 127.5, rounded to 128; 128 reads back as 50.2 %" },
  { dpt: "5.001", value: 100, short: false, data: [0xff], why: "100 % is 255" },
  { dpt: "5.001", value: 0, short: false, data: [0x00], why: "0 % is 0, still in the long form" },
  { dpt: "5.001", value: 0.4, short: false, data: [0x01], why: "the smallest step, 100/255 %" },
  { dpt: "5.003", value: 180, short: false, data: [0x80], decoded: 180.7, why: "180° × 255 / 360 = 127.5, rounded to 128" },
  { dpt: "5.003", value: 360, short: false, data: [0xff], why: "360° is 255" },
  { dpt: "5.010", value: 7, short: false, data: [0x07], why: "a counter value that fits 6 bits still takes the long form" },
  { dpt: "5.010", value: 255, short: false, data: [0xff], why: "the largest 5.010 value" },
  { dpt: "6.010", value: -128, short: false, data: [0x80], why: "int8 minimum" },
  { dpt: "6.001", value: -1, short: false, data: [0xff], why: "two's complement" },
  { dpt: "7.001", value: 65535, short: false, data: [0xff, 0xff], why: "uint16 maximum" },
  { dpt: "7.013", value: 1000, short: false, data: [0x03, 0xe8], why: "1000 lux, big-endian" },
  { dpt: "7.003", value: 1230, short: false, data: [0x00, 0x7b], why: "1230 ms in steps of 10 ms: 123" },
  { dpt: "7.004", value: 6553500, short: false, data: [0xff, 0xff], why: "the longest 100 ms period" },
  { dpt: "8.001", value: -32768, short: false, data: [0x80, 0x00], why: "int16 minimum" },
  { dpt: "8.010", value: -12.34, short: false, data: [0xfb, 0x2e], why: "-12.34 % in steps of 0.01 %: -1234" },
  { dpt: "8.003", value: -10, short: false, data: [0xff, 0xff], why: "-10 ms in steps of 10 ms: -1" },
  { dpt: "9.001", value: 21.5, short: false, data: [0x0c, 0x33], why: "E = 1, M = 1075: 0.01 × 1075 × 2¹" },
  { dpt: "9.001", value: -30, short: false, data: [0x8a, 0x24], why: "E = 1, M = -1500 (A24h in 12-bit two's complement)" },
  { dpt: "9.001", value: 0, short: false, data: [0x00, 0x00], why: "zero" },
  { dpt: "9.001", value: 0.01, short: false, data: [0x00, 0x01], why: "the smallest positive step" },
  { dpt: "9.001", value: -0.01, short: false, data: [0x87, 0xff], why: "M = -1, E = 0" },
  { dpt: "9.001", value: -273, short: false, data: [0xa1, 0x56], decoded: -272.96, why: "the lower end of 9.001: E = 4, M = -1706.25 rounded to -1706 (956h)" },
  { dpt: "9.002", value: -671088.64, short: false, data: [0xf8, 0x00], why: "the 9.x minimum: E = 15, M = -2048" },
  { dpt: "9.002", value: 670433.28, short: false, data: [0x7f, 0xfe], why: "the largest value that is not 7FFFh: E = 15, M = 2046" },
  { dpt: "9.004", value: 1000, short: false, data: [0x36, 0x1b], decoded: 1000.32, why: "1000 lux: E = 6, M = 1562.5 rounded half away from zero to 1563" },
  { dpt: "9.007", value: 55.2, short: false, data: [0x15, 0x64], why: "55.2 % relative humidity: E = 2, M = 1380" },
  { dpt: "9.001", value: NaN, short: false, data: [0x7f, 0xff], why: "7FFFh denotes invalid data (3.7.2 DPT 9); NaN stands for it" },
  { dpt: "12.001", value: 4294967295, short: false, data: [0xff, 0xff, 0xff, 0xff], why: "uint32 maximum" },
  { dpt: "12.001", value: 305419896, short: false, data: [0x12, 0x34, 0x56, 0x78], why: "big-endian" },
  { dpt: "13.001", value: -2147483648, short: false, data: [0x80, 0x00, 0x00, 0x00], why: "int32 minimum" },
  { dpt: "13.010", value: -1, short: false, data: [0xff, 0xff, 0xff, 0xff], why: "-1 Wh" },
  { dpt: "13.002", value: 1.2345, short: false, data: [0x00, 0x00, 0x30, 0x39], why: "1.2345 m³/h in steps of 0.0001: 12345" },
  { dpt: "14.056", value: 1234.5, short: false, data: [0x44, 0x9a, 0x50, 0x00], why: "IEEE 754: 1234.5 W" },
  { dpt: "14.068", value: -40.5, short: false, data: [0xc2, 0x22, 0x00, 0x00], why: "IEEE 754: -40.5 °C" },
  { dpt: "14.019", value: 0, short: false, data: [0x00, 0x00, 0x00, 0x00], why: "IEEE 754 zero" },
  { dpt: "16.000", value: "KNX is OK", short: false, data: ascii("KNX is OK", 14), why: "ASCII, padded with 0 to 14 bytes" },
  { dpt: "16.000", value: "", short: false, data: ascii("", 14), why: "the empty string is 14 zero bytes" },
  { dpt: "16.000", value: "Fourteen chars", short: false, data: ascii("Fourteen chars"), why: "14 characters fill the field, no terminator" },
  { dpt: "16.001", value: "Gr\u00fc\u00dfe", short: false, data: [0x47, 0x72, 0xfc, 0xdf, 0x65, ...ascii("", 9)], why: "ISO 8859-1: ü = FCh, ß = DFh" },
  { dpt: "17.001", value: 63, short: false, data: [0x3f], why: "the last scene number; 1 octet, so the long form" },
  { dpt: "18.001", value: { learn: true, scene: 5 }, short: false, data: [0x85], why: "learn = bit 7, scene number in bits 5–0" },
  { dpt: "20.102", value: 3, short: false, data: [0x03], why: "HVAC mode 3: economy" },
  { dpt: "232.600", value: { r: 255, g: 128, b: 0 }, short: false, data: [0xff, 0x80, 0x00], why: "red, green, blue" },
];

export const DPT_ENCODE_ERRORS: DptErrorVector[] = [
  { dpt: "1.001", value: 1, code: "KNX_DPT_RANGE", why: "1.x takes a boolean, not a number" },
  { dpt: "2.001", value: { value: true }, code: "KNX_DPT_RANGE", why: "control is missing" },
  { dpt: "3.007", value: { increase: true, step: 8 }, code: "KNX_DPT_RANGE", why: "a step code has 3 bits" },
  { dpt: "3.008", value: { increase: true, step: 1 }, code: "KNX_DPT_RANGE", why: "3.008 says down, not increase" },
  { dpt: "5.001", value: 100.1, code: "KNX_DPT_RANGE", why: "over 100 %" },
  { dpt: "5.001", value: -0.1, code: "KNX_DPT_RANGE", why: "under 0 %" },
  { dpt: "5.003", value: 361, code: "KNX_DPT_RANGE", why: "over 360°" },
  { dpt: "5.010", value: 256, code: "KNX_DPT_RANGE", why: "over 8 bits" },
  { dpt: "5.010", value: 1.5, code: "KNX_DPT_RANGE", why: "not an integer" },
  { dpt: "5.010", value: "7", code: "KNX_DPT_RANGE", why: "a string is not a number" },
  { dpt: "6.010", value: 128, code: "KNX_DPT_RANGE", why: "over int8" },
  { dpt: "7.001", value: -1, code: "KNX_DPT_RANGE", why: "under uint16" },
  { dpt: "7.001", value: 65536, code: "KNX_DPT_RANGE", why: "over uint16" },
  { dpt: "7.003", value: 655351, code: "KNX_DPT_RANGE", why: "over 655350 ms" },
  { dpt: "8.001", value: 32768, code: "KNX_DPT_RANGE", why: "over int16" },
  { dpt: "8.010", value: 327.68, code: "KNX_DPT_RANGE", why: "over 327.67 %" },
  { dpt: "9.001", value: 670760.96, code: "KNX_DPT_RANGE", why: "the nominal 9.x maximum encodes as 7FFFh, reserved for invalid data" },
  { dpt: "9.001", value: 670600, code: "KNX_DPT_RANGE", why: "rounds to M = 2047, E = 15: 7FFFh" },
  { dpt: "9.001", value: 670761, code: "KNX_DPT_RANGE", why: "over the 9.x maximum" },
  { dpt: "9.001", value: -671088.65, code: "KNX_DPT_RANGE", why: "under the 9.x minimum, though it would round to it" },
  { dpt: "9.001", value: Infinity, code: "KNX_DPT_RANGE", why: "not finite" },
  { dpt: "9.001", value: "21.5", code: "KNX_DPT_RANGE", why: "a string is not a number" },
  { dpt: "12.001", value: 4294967296, code: "KNX_DPT_RANGE", why: "over uint32" },
  { dpt: "13.001", value: 2147483648, code: "KNX_DPT_RANGE", why: "over int32" },
  { dpt: "14.056", value: 3.5e38, code: "KNX_DPT_RANGE", why: "over the largest float32" },
  { dpt: "14.056", value: NaN, code: "KNX_DPT_RANGE", why: "NaN is not a measurement" },
  { dpt: "16.000", value: "caf\u00e9", code: "KNX_DPT_RANGE", why: "é is not ASCII" },
  { dpt: "16.000", value: "Fifteen chars!!", code: "KNX_DPT_RANGE", why: "15 characters" },
  { dpt: "16.000", value: "a\u0000b", code: "KNX_DPT_RANGE", why: "NUL would end the string early" },
  { dpt: "16.001", value: "5 \u20ac", code: "KNX_DPT_RANGE", why: "€ is not in ISO 8859-1" },
  { dpt: "16.001", value: "\u{1F600}", code: "KNX_DPT_RANGE", why: "an astral character is not in ISO 8859-1" },
  { dpt: "17.001", value: 64, code: "KNX_DPT_RANGE", why: "scene numbers are 0–63" },
  { dpt: "18.001", value: { learn: false, scene: 64 }, code: "KNX_DPT_RANGE", why: "scene numbers are 0–63" },
  { dpt: "20.102", value: 5, code: "KNX_DPT_RANGE", why: "HVAC modes are 0–4" },
  { dpt: "232.600", value: { r: 256, g: 0, b: 0 }, code: "KNX_DPT_RANGE", why: "a colour component is one octet" },
  { dpt: "232.600", value: null, code: "KNX_DPT_RANGE", why: "not an object" },
  { dpt: "9", value: 1, code: "KNX_DPT_UNKNOWN", why: "a subtype is required" },
  { dpt: "9.1", value: 1, code: "KNX_DPT_UNKNOWN", why: "subtypes have 3 digits" },
  { dpt: "99.001", value: 1, code: "KNX_DPT_UNKNOWN", why: "no such main type here" },
  { dpt: "3.001", value: 1, code: "KNX_DPT_UNKNOWN", why: "only 3.007 and 3.008 of the 3.x family" },
  { dpt: "DPT9.001", value: 1, code: "KNX_DPT_UNKNOWN", why: "ids are written main.sub" },
  { dpt: "6.020", value: 1, code: "KNX_DPT_UNKNOWN", why: "6.020 is a status byte with a mode, not an int8" },
];

export const DPT_DECODE_ERRORS: DptDecodeErrorVector[] = [
  { dpt: "5.001", data: [0x20], short: true, code: "KNX_DPT_LENGTH", why: "an 8-bit type never travels in the short form" },
  { dpt: "9.001", data: [0x0c], short: false, code: "KNX_DPT_LENGTH", why: "9.x takes 2 bytes" },
  { dpt: "9.001", data: [0x0c, 0x33, 0x00], short: false, code: "KNX_DPT_LENGTH", why: "9.x takes exactly 2 bytes" },
  { dpt: "1.001", data: [0x01, 0x00], short: false, code: "KNX_DPT_LENGTH", why: "a 1-bit type takes one byte in either form" },
  { dpt: "14.056", data: [], short: false, code: "KNX_DPT_LENGTH", why: "no data" },
  { dpt: "16.000", data: ascii("short", 13), short: false, code: "KNX_DPT_LENGTH", why: "16.x takes 14 bytes" },
  { dpt: "16.000", data: [0x41, 0x80, ...ascii("", 12)], short: false, code: "KNX_DPT_RANGE", why: "80h is not ASCII" },
  { dpt: "20.102", data: [0x05], short: false, code: "KNX_DPT_RANGE", why: "HVAC mode 5 is not defined" },
  { dpt: "7.x", data: [0x00, 0x01], short: false, code: "KNX_DPT_UNKNOWN", why: "not an id" },
];

/** One id per supported family and scale, for the range checks. */
export const RANGE_IDS = [
  "5.001", "5.003", "5.004", "5.010", "6.001", "6.010", "7.001", "7.003", "7.004", "8.001", "8.003", "8.004", "8.010",
  "9.001", "9.004", "12.001", "13.001", "13.002", "13.010", "14.056", "17.001", "20.102",
];
