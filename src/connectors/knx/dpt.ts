/**
 * Datapoint types (KNX 3.7.2): values ↔ the data of a group value APDU.
 *
 * `dptInfo(dpt)` resolves an id such as "9.001" to its format, or throws KNX_DPT_UNKNOWN
 * listing what is supported; connectors call it when the database is built.
 * `encodeDpt(dpt, value)` checks the value's range (KNX_DPT_RANGE, side "local") and
 * returns the data with the APDU form it must travel in: `short` for the types of at most
 * 6 bits (1.x, 2.x, 3.x), whose value goes in the 6 low bits of the APCI octet; the long
 * form for every other type, including the 1-octet ones (5.x, 6.x, 17.001, 18.001,
 * 20.102), whatever their value. The form follows the type, never the value.
 * `decodeDpt(dpt, data, short)` reads data received in either form; data of the wrong
 * size, or an 8-bit or wider type in the short form, throws KNX_DPT_LENGTH (side
 * "remote"), a value the type does not define throws KNX_DPT_RANGE. Reserved bits are
 * written as 0 and ignored when read.
 *
 * Numbers with a resolution other than 1 are scaled: 5.001 percent (0–100 % ↔ 0–255,
 * 50 % = 0x80), 5.003 angle (0–360°), 7.003/7.004 and 8.003/8.004 time in ms (steps of
 * 10 ms and 100 ms), 8.010 percent (steps of 0.01 %), 13.002 flow in m³/h (steps of
 * 0.0001). They are rounded to the nearest step when encoded; 5.001 and 5.003 decode to
 * one decimal, enough to encode back to the same octet.
 */
import { ProtocolError } from "../../core/errors.js";
import { KNX_DPT_LENGTH, KNX_DPT_RANGE, KNX_DPT_UNKNOWN } from "./constants.js";
import { decodeF16, decodeF32, encodeF16, encodeF32, F16_LARGEST, F16_MAX, F16_MIN } from "./dpt-float.js";

// Formats (3.7.2 "Datapoint Types"), by main number.
const B1 = 1; // 1.x: boolean
const B2 = 2; // 2.x: control and value
const B1U3 = 3; // 3.007, 3.008: direction and step code
const U8 = 5; // 5.x
const V8 = 6; // 6.x but 6.020
const U16 = 7; // 7.x
const V16 = 8; // 8.x
const F16 = 9; // 9.x: 2-octet KNX float
const U32 = 12; // 12.x
const V32 = 13; // 13.x
const F32 = 14; // 14.x: IEEE 754 single precision
const STRING = 16; // 16.000 ASCII, 16.001 ISO 8859-1: 14 octets
const SCENE = 17; // 17.001: scene number 0–63
const SCENE_CONTROL = 18; // 18.001: learn flag and scene number
const HVAC_MODE = 20; // 20.102: 0–4
const RGB = 232; // 232.600: three octets

/** The ids `dptInfo` accepts; `n.xxx` stands for any 3-digit subtype of n. */
export const SUPPORTED_DPTS =
  "1.xxx, 2.xxx, 3.007, 3.008, 5.001, 5.003, 5.xxx, 6.xxx but 6.020, 7.xxx, 8.xxx, 9.xxx, 12.xxx, 13.xxx, 14.xxx, 16.000, 16.001, 17.001, 18.001, 20.102, 232.600";

export interface DptInfo {
  /** The id, `main.sub`. */
  readonly dpt: string;
  /** Format number: the main number, which names the encoding. */
  readonly format: number;
  /** Whether the value travels in the short (6-bit APCI) form. */
  readonly short: boolean;
  /** Bytes of data: 1 for a short type (the 6-bit field), else the octets after the APCI. */
  readonly size: number;
  /** Value range of a number type, in the value's units; undefined otherwise. */
  readonly min?: number;
  readonly max?: number;
}

export interface Dpt2Value { control: boolean; value: boolean }
export interface DimmingValue { increase: boolean; step: number }
export interface BlindsValue { down: boolean; step: number }
export interface SceneControlValue { learn: boolean; scene: number }
export interface RgbValue { r: number; g: number; b: number }
export type AnyDptValue = boolean | number | string | Dpt2Value | DimmingValue | BlindsValue | SceneControlValue | RgbValue;

/** The value type of a datapoint type id; `AnyDptValue` when the id is not a literal. */
export type DptValue<D extends string = string> = string extends D ? AnyDptValue
  : D extends `1.${string}` ? boolean
  : D extends `2.${string}` ? Dpt2Value
  : D extends "3.007" ? DimmingValue
  : D extends "3.008" ? BlindsValue
  : D extends `16.${string}` ? string
  : D extends "18.001" ? SceneControlValue
  : D extends "232.600" ? RgbValue
  : number;

/** Encoded data and the APDU form it goes in. */
export interface DptData {
  short: boolean;
  data: Uint8Array;
}

/** Largest finite float32. */
const F32_MAX = 3.4028234663852886e38;

/** Resolved type: format, scale `value = raw * num / den` rounded to `digits`, raw range. */
interface Format extends DptInfo {
  readonly num: number;
  readonly den: number;
  readonly digits: number;
  readonly rawMin: number;
  readonly rawMax: number;
}

function format(dpt: string, f: number, size: number, rawMin = 0, rawMax = 0, num = 1, den = 1, digits = 0): Format {
  const number = rawMin !== rawMax || f === F16 || f === F32;
  const short = f === B1 || f === B2 || f === B1U3;
  return {
    dpt, format: f, short, size, num, den, digits, rawMin, rawMax,
    min: number ? (f === F16 ? F16_MIN : f === F32 ? -F32_MAX : (rawMin * num) / den) : undefined,
    max: number ? (f === F16 ? F16_LARGEST : f === F32 ? F32_MAX : (rawMax * num) / den) : undefined,
  };
}

function resolve(dpt: string): Format {
  const m = typeof dpt === "string" ? /^([1-9]\d{0,2})\.(\d{3})$/.exec(dpt) : null;
  const main = m ? parseInt(m[1]!, 10) : 0;
  const sub = m ? parseInt(m[2]!, 10) : -1;
  switch (main) {
    case B1: return format(dpt, B1, 1);
    case B2: return format(dpt, B2, 1);
    case B1U3: if (sub === 7 || sub === 8) return format(dpt, B1U3, 1); break;
    case U8:
      if (sub === 1) return format(dpt, U8, 1, 0, 255, 100, 255, 1);
      if (sub === 3) return format(dpt, U8, 1, 0, 255, 360, 255, 1);
      return format(dpt, U8, 1, 0, 255);
    case V8: if (sub !== 20) return format(dpt, V8, 1, -128, 127); break; // 6.020 is a status byte, not a number
    case U16: return format(dpt, U16, 2, 0, 0xffff, sub === 3 ? 10 : sub === 4 ? 100 : 1);
    case V16: return format(dpt, V16, 2, -0x8000, 0x7fff, sub === 3 ? 10 : sub === 4 ? 100 : 1, sub === 10 ? 100 : 1, sub === 10 ? 2 : 0);
    case F16: return format(dpt, F16, 2);
    case U32: return format(dpt, U32, 4, 0, 0xffffffff);
    case V32: return format(dpt, V32, 4, -0x80000000, 0x7fffffff, 1, sub === 2 ? 10000 : 1, sub === 2 ? 4 : 0);
    case F32: return format(dpt, F32, 4);
    case STRING: if (sub <= 1) return format(dpt, STRING, 14); break;
    case SCENE: if (sub === 1) return format(dpt, SCENE, 1, 0, 63); break;
    case SCENE_CONTROL: if (sub === 1) return format(dpt, SCENE_CONTROL, 1); break;
    case HVAC_MODE: if (sub === 102) return format(dpt, HVAC_MODE, 1, 0, 4); break;
    case RGB: if (sub === 600) return format(dpt, RGB, 3); break;
  }
  throw new ProtocolError(KNX_DPT_UNKNOWN, "local", `unknown datapoint type "${String(dpt)}"; supported: ${SUPPORTED_DPTS}`);
}

/** Describes a datapoint type, or throws KNX_DPT_UNKNOWN (side "local") listing the supported ones. */
export function dptInfo(dpt: string): DptInfo {
  const f = resolve(dpt);
  return { dpt: f.dpt, format: f.format, short: f.short, size: f.size, min: f.min, max: f.max };
}

function range(dpt: string, detail: string, side: "local" | "remote" = "local"): ProtocolError {
  return new ProtocolError(KNX_DPT_RANGE, side, `DPT ${dpt}: ${detail}`);
}

function show(v: unknown): string {
  return typeof v === "string" ? `"${v}"` : typeof v === "object" && v ? `{${Object.keys(v).join(", ")}}` : String(v);
}

function flag(dpt: string, v: unknown, name: string): number {
  if (typeof v !== "boolean") throw range(dpt, `${name} must be a boolean, got ${show(v)}`);
  return v ? 1 : 0;
}

function int(dpt: string, v: unknown, max: number, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) throw range(dpt, `${name} must be an integer in 0–${max}, got ${show(v)}`);
  return v;
}

function fields(dpt: string, v: unknown, names: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null) throw range(dpt, `expects {${names}}, got ${show(v)}`);
  return v as Record<string, unknown>;
}

/** Encodes `value` for datapoint type `dpt`; throws KNX_DPT_UNKNOWN or KNX_DPT_RANGE (side "local"). */
export function encodeDpt<D extends string>(dpt: D, value: DptValue<D>): DptData {
  const f = resolve(dpt);
  const out = new Uint8Array(f.size);
  const v: unknown = value;
  switch (f.format) {
    case B1:
      out[0] = flag(dpt, v, "the value");
      break;
    case B2: {
      const o = fields(dpt, v, "control, value");
      out[0] = (flag(dpt, o["control"], "control") << 1) | flag(dpt, o["value"], "value");
      break;
    }
    case B1U3: {
      const up = dpt === "3.007" ? "increase" : "down";
      const o = fields(dpt, v, `${up}, step`);
      out[0] = (flag(dpt, o[up], up) << 3) | int(dpt, o["step"], 7, "step");
      break;
    }
    case F16: {
      const raw = encodeF16(v);
      if (raw === -2) throw range(dpt, `${show(v)} would encode as 7FFFh, which 3.7.2 reserves for invalid data (send NaN for that); the largest value is ${F16_LARGEST}`);
      if (raw < 0) throw range(dpt, `${show(v)} is outside ${F16_MIN}–${F16_MAX}`);
      out[0] = raw >> 8;
      out[1] = raw;
      break;
    }
    case F32:
      if (!encodeF32(v, out)) throw range(dpt, `${show(v)} is not a finite float32`);
      break;
    case STRING: {
      const max = dpt === "16.000" ? 0x7f : 0xff;
      if (typeof v !== "string") throw range(dpt, `expects a string, got ${show(v)}`);
      // Every character is checked before the length is: once all are ≤ U+00FF, `length` counts
      // characters on every engine (XS on a device indexes strings by code point).
      for (let i = 0; i < v.length; i++) {
        const cp = v.charCodeAt(i);
        if (cp === 0 || cp > max) throw range(dpt, `character U+${cp.toString(16).padStart(4, "0")} is not in ${max === 0x7f ? "ASCII" : "ISO 8859-1"} (or is NUL)`);
      }
      if (v.length > 14) throw range(dpt, `${v.length} characters, more than 14`);
      for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i); // the rest stays 0 (3.7.2 DPT 16)
      break;
    }
    case SCENE_CONTROL: {
      const o = fields(dpt, v, "learn, scene");
      out[0] = (flag(dpt, o["learn"], "learn") << 7) | int(dpt, o["scene"], 63, "scene");
      break;
    }
    case RGB: {
      const o = fields(dpt, v, "r, g, b");
      out[0] = int(dpt, o["r"], 255, "r");
      out[1] = int(dpt, o["g"], 255, "g");
      out[2] = int(dpt, o["b"], 255, "b");
      break;
    }
    default: {
      // Integers, scaled or not: 5.x, 6.x, 7.x, 8.x, 12.x, 13.x, 17.001, 20.102.
      if (typeof v !== "number" || !(v >= f.min! && v <= f.max!)) throw range(dpt, `${show(v)} is outside ${f.min}–${f.max}`);
      const scaled = f.num !== 1 || f.den !== 1;
      if (!scaled && !Number.isInteger(v)) throw range(dpt, `${v} is not an integer`);
      const raw = scaled ? Math.round((v * f.den) / f.num) : v;
      for (let i = f.size - 1, r = raw; i >= 0; i--, r = Math.floor(r / 256)) out[i] = r & 0xff;
    }
  }
  return { short: f.short, data: out };
}

/**
 * Decodes the data of a group value APDU for datapoint type `dpt`. `short` says which
 * form it came in (LData `short`). Throws KNX_DPT_UNKNOWN (local), KNX_DPT_LENGTH or
 * KNX_DPT_RANGE (remote).
 */
export function decodeDpt<D extends string>(dpt: D, data: Uint8Array, short: boolean): DptValue<D> {
  const f = resolve(dpt);
  // A type of at most 6 bits is read from either form; a wider one only from the long form.
  if ((short && !f.short) || data.length !== f.size) {
    throw new ProtocolError(KNX_DPT_LENGTH, "remote", `DPT ${dpt} takes ${f.size} byte${f.size > 1 ? "s" : ""} in the ${f.short ? "short or long" : "long"} form; got ${data.length} in the ${short ? "short" : "long"} form`);
  }
  const d0 = data[0]!;
  let value: AnyDptValue;
  switch (f.format) {
    case B1:
      value = (d0 & 1) === 1;
      break;
    case B2:
      value = { control: (d0 & 2) !== 0, value: (d0 & 1) !== 0 };
      break;
    case B1U3:
      value = dpt === "3.007" ? { increase: (d0 & 8) !== 0, step: d0 & 7 } : { down: (d0 & 8) !== 0, step: d0 & 7 };
      break;
    case F16:
      value = decodeF16((d0 << 8) | data[1]!);
      break;
    case F32:
      value = decodeF32(data);
      // The encoder refuses NaN and the infinities (they measure nothing), so the decoder does too.
      if (!Number.isFinite(value)) throw range(dpt, `${value} is not a finite number`, "remote");
      break;
    case STRING: {
      let end = data.indexOf(0);
      if (end < 0) end = 14;
      const text = data.subarray(0, end);
      if (dpt === "16.000" && text.some((b) => b > 0x7f)) throw range(dpt, "a byte above 7Fh in an ASCII string", "remote");
      value = String.fromCharCode.apply(null, Array.from(text));
      break;
    }
    case SCENE_CONTROL:
      value = { learn: (d0 & 0x80) !== 0, scene: d0 & 63 };
      break;
    case RGB:
      value = { r: d0, g: data[1]!, b: data[2]! };
      break;
    default: {
      let raw = 0;
      for (let i = 0; i < f.size; i++) raw = raw * 256 + data[i]!;
      if (f.rawMin < 0 && raw > f.rawMax) raw -= f.rawMax - f.rawMin + 1; // two's complement
      if (f.format === SCENE) raw &= 63; // bits 7 and 6 are reserved
      if (raw > f.rawMax) throw range(dpt, `${raw} is not defined (0–${f.rawMax})`, "remote");
      if (f.num === 1 && f.den === 1) value = raw;
      else {
        const p = 10 ** f.digits;
        value = Math.round(((raw * f.num) / f.den) * p) / p;
      }
    }
  }
  return value as DptValue<D>;
}
