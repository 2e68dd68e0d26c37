/**
 * Field types of a record contract: how a user spells them, the TypeScript type each one
 * infers, and the compiled layout that both codecs walk.
 *
 * A contract's fields are compiled once, when it is declared, into a frozen `Layout`:
 * one entry per field in declaration order, with an integer type code, the fixed element
 * count of an array (0 for a scalar) and the presence bit of an optional field (-1 when
 * required). Codecs switch on the integer codes; nothing is looked up by string on the
 * hot path, and nothing here holds state.
 *
 * The value checks below are shared by the binary encoder, the JSON decoder and the
 * migration output check, so a value means the same thing in every codec: integers are
 * range-checked, u64 stops at 2^53-1 (a JS number stays exact), f32 values are rounded
 * to float32 the way the wire stores them, NaN and ±Infinity are refused unless the field
 * is declared with `?nan`, and strings and bytes hold at most MAX_LENGTH bytes.
 */
import { AimDbError } from "../core/errors.js";
import { utf8Encode } from "../core/utf8.js";

/** Numeric field types. `f32?nan`/`f64?nan` also accept NaN and ±Infinity. */
export type NumberType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "u64" | "f32" | "f64" | "f32?nan" | "f64?nan";
/** Types an `array()` may hold. */
export type ScalarType = "bool" | NumberType;
/** Every field type spelled as a string. */
export type FieldType = ScalarType | "string" | "bytes";

/** A fixed-length array of a scalar type, made by `array()`. */
export interface ArrayField<E extends ScalarType = ScalarType> {
  readonly array: E;
  readonly length: number;
}

/** A field that may be absent, made by `optional()`. */
export interface OptionalField<S extends FieldType | ArrayField = FieldType | ArrayField> {
  readonly optional: S;
}

export type FieldSpec = FieldType | ArrayField | OptionalField;
export type Fields = { readonly [name: string]: FieldSpec };

type ValueOf<S> = S extends "bool"
  ? boolean
  : S extends NumberType
    ? number
    : S extends "string"
      ? string
      : S extends "bytes"
        ? Uint8Array
        : S extends ArrayField<infer E>
          ? E extends "bool"
            ? boolean[]
            : number[]
          : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value type a field list describes: optional fields become optional properties. */
export type Infer<F extends Fields> = Simplify<
  { -readonly [K in keyof F as F[K] extends OptionalField ? never : K]: ValueOf<F[K]> } & {
    -readonly [K in keyof F as F[K] extends OptionalField ? K : never]?: F[K] extends OptionalField<infer S> ? ValueOf<S> : never;
  }
>;

/** Metadata a contract may carry beside its value. */
export interface Envelope {
  /** Who sent the value (UTF-8, at most MAX_LENGTH bytes). */
  sender?: string | undefined;
  /** Sender's sequence number, 0 to 2^32-1. */
  seq?: number | undefined;
  /** When the value was issued, Unix milliseconds, 0 to 2^53-1. */
  issuedAt?: number | undefined;
}

/** Longest string or byte field, in bytes (the varint length prefix is at most 3 bytes). */
export const MAX_LENGTH = 65535;
/** Longest fixed array. */
export const MAX_ARRAY_LENGTH = 1024;
/** Most fields a contract may declare. */
export const MAX_FIELDS = 255;

// Type codes, in the order of TYPE_NAMES. Scalars first, so `type <= T_F64N` means scalar.
export const T_BOOL = 0;
export const T_U8 = 1;
export const T_I8 = 2;
export const T_U16 = 3;
export const T_I16 = 4;
export const T_U32 = 5;
export const T_I32 = 6;
export const T_U64 = 7;
export const T_F32 = 8;
export const T_F64 = 9;
export const T_F32N = 10;
export const T_F64N = 11;
export const T_STRING = 12;
export const T_BYTES = 13;

const TYPE_NAMES: readonly string[] = Object.freeze([
  "bool", "u8", "i8", "u16", "i16", "u32", "i32", "u64", "f32", "f64", "f32?nan", "f64?nan", "string", "bytes",
]);
/** Wire size of each scalar type, by code. */
export const SIZES: readonly number[] = Object.freeze([1, 1, 1, 2, 2, 4, 4, 8, 4, 8, 4, 8]);
const INT_MIN: readonly number[] = Object.freeze([0, 0, -128, 0, -32768, 0, -2147483648, 0]);
const INT_MAX: readonly number[] = Object.freeze([1, 255, 127, 65535, 32767, 4294967295, 2147483647, Number.MAX_SAFE_INTEGER]);

/** One compiled field. */
export interface Field {
  readonly name: string;
  readonly type: number;
  /** Element count of an array field; 0 for a scalar, string or bytes field. */
  readonly count: number;
  /** Presence bit of an optional field; -1 for a required one. */
  readonly bit: number;
}

/** A compiled field list for one version of one contract. */
export interface Layout {
  readonly name: string;
  readonly version: number;
  readonly schemaId: number;
  /** `name vN`, the prefix of every error message. */
  readonly label: string;
  readonly fields: readonly Field[];
  /** Number of optional fields, i.e. bits in the presence bitmap. */
  readonly optionals: number;
}

/** Declares a field that may be absent. */
export function optional<const S extends FieldType | ArrayField>(of: S): OptionalField<S> {
  return Object.freeze({ optional: of });
}

/** Declares a fixed-length array of a scalar type (bool or a number type). */
export function array<const E extends ScalarType>(of: E, length: number): ArrayField<E> {
  return Object.freeze({ array: of, length });
}

// Error codes (stable; tests and callers compare these, never messages).
export const BAD_DEFINITION = "CONTRACT_BAD_DEFINITION";
export const BAD_VALUE = "CONTRACT_BAD_VALUE";
export const BAD_FIELD = "CONTRACT_BAD_FIELD";
export const MISSING_FIELD = "CONTRACT_MISSING_FIELD";
export const UNKNOWN_FIELD = "CONTRACT_UNKNOWN_FIELD";
export const UNKNOWN_VERSION = "CONTRACT_UNKNOWN_VERSION";
export const MIGRATION_FAILED = "CONTRACT_MIGRATION_FAILED";
export const BAD_FORMAT = "CONTRACT_BAD_FORMAT";
export const TRUNCATED = "CONTRACT_TRUNCATED";
export const TRAILING = "CONTRACT_TRAILING";
export const BAD_FLAGS = "CONTRACT_BAD_FLAGS";
export const BAD_LENGTH = "CONTRACT_BAD_LENGTH";
export const BAD_UTF8 = "CONTRACT_BAD_UTF8";
export const WRONG_SCHEMA = "CONTRACT_WRONG_SCHEMA";
export const BAD_JSON = "CONTRACT_BAD_JSON";

/** `label: message`, where label is `name vN`. */
export function contractError(code: string, label: string, message: string): AimDbError {
  return new AimDbError(code, `${label}: ${message}`);
}

/** `label: field "name" message`. */
export function fieldError(code: string, label: string, name: string, message: string): AimDbError {
  return contractError(code, label, `field "${name}" ${message}`);
}

/** `CONTRACT_BAD_FIELD`: field "name" expected X, got Y. */
export function wrong(label: string, name: string, expected: string, v: unknown): AimDbError {
  return fieldError(BAD_FIELD, label, name, `expected ${expected}, got ${describe(v)}`);
}

export function missing(label: string, name: string): AimDbError {
  return fieldError(MISSING_FIELD, label, name, "is required");
}

/** `CONTRACT_BAD_VALUE`: the value as a whole is not an object. */
export function notObject(label: string, v: unknown): AimDbError {
  return contractError(BAD_VALUE, label, `expected an object, got ${describe(v)}`);
}

function definitionError(label: string, message: string): AimDbError {
  return contractError(BAD_DEFINITION, label, message);
}

/** What `v` is, for messages. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Uint8Array) return "a Uint8Array";
  if (typeof v === "number") return v !== v ? "NaN" : String(v);
  if (typeof v === "string") return "a string";
  return `a ${typeof v}`;
}

/**
 * A field name is an ASCII identifier that is not a property of Object.prototype:
 * assigning `constructor` or `toString` on a plain object throws once the prototype is
 * frozen (as on a device), and `__proto__` would change the prototype.
 */
export function isFieldName(name: string): boolean {
  const n = name.length;
  if (n === 0 || n > 64 || Object.prototype.hasOwnProperty.call(Object.prototype, name)) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}

/** Contract names: 1 to 255 characters of `A-Z a-z 0-9 _ . -`. */
function isContractName(name: unknown): name is string {
  if (typeof name !== "string" || name.length === 0 || name.length > 255) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45)) return false;
  }
  return true;
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of the contract name. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of utf8Encode(text)) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/** Checks a declaration and compiles it. Throws `CONTRACT_BAD_DEFINITION`. */
export function compile(name: unknown, version: unknown, fields: unknown): Layout {
  if (!isContractName(name)) throw definitionError(String(name), "bad contract name");
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1 || version > 65535) {
    throw definitionError(name, `bad version ${describe(version)}`);
  }
  const label = `${name} v${version}`;
  if (!isRecord(fields)) throw notObject(label, fields);
  const names = Object.keys(fields);
  if (names.length > MAX_FIELDS) throw definitionError(label, `over ${MAX_FIELDS} fields`);
  const out: Field[] = [];
  let optionals = 0;
  for (const fieldName of names) {
    if (!isFieldName(fieldName)) throw definitionError(label, `bad field name "${fieldName}"`);
    let spec = (fields as Record<string, unknown>)[fieldName];
    let bit = -1;
    if (spec !== null && typeof spec === "object" && "optional" in spec) {
      spec = (spec as OptionalField).optional;
      bit = optionals++;
    }
    let type: number;
    let count = 0;
    if (typeof spec === "string") {
      type = TYPE_NAMES.indexOf(spec);
    } else if (spec !== null && typeof spec === "object" && "array" in spec) {
      const a = spec as ArrayField;
      type = TYPE_NAMES.indexOf(a.array);
      count = a.length;
      if (type > T_F64N) type = -1;
      if (!Number.isInteger(count) || count < 1 || count > MAX_ARRAY_LENGTH) {
        throw definitionError(label, `field "${fieldName}" has a bad array length`);
      }
    } else {
      type = -1;
    }
    if (type < 0) throw definitionError(label, `field "${fieldName}" has an unknown type`);
    out.push(Object.freeze({ name: fieldName, type, count, bit }));
  }
  return Object.freeze({ name, version, schemaId: fnv1a(name), label, fields: Object.freeze(out), optionals });
}

/**
 * Checks a bool or number against its type and returns the value as the wire holds it:
 * f32 rounded to float32, -0 as 0 for integers.
 */
export function checkScalar(label: string, name: string, type: number, v: unknown): number | boolean {
  if (type === T_BOOL) {
    if (typeof v !== "boolean") throw wrong(label, name, "bool", v);
    return v;
  }
  const typeName = TYPE_NAMES[type]!;
  if (typeof v !== "number") throw wrong(label, name, typeName, v);
  if (type >= T_F32) {
    const r = type === T_F32 || type === T_F32N ? Math.fround(v) : v;
    // Finite but past the f32 range, or non-finite in a field that refuses it.
    if (r - r !== 0 && (v - v === 0 || type < T_F32N)) throw wrong(label, name, `finite ${typeName} (or ${typeName}?nan)`, v);
    return r;
  }
  if (!Number.isInteger(v) || v < INT_MIN[type]! || v > INT_MAX[type]!) throw wrong(label, name, typeName, v);
  return v === 0 ? 0 : v;
}

/** Checks a string's UTF-8 length without encoding it when it is obviously short. */
export function checkString(label: string, name: string, v: unknown): string {
  if (typeof v !== "string") throw wrong(label, name, "string", v);
  // At most 4 UTF-8 bytes per UTF-16 unit or per code point, whichever way the engine counts.
  if (v.length > MAX_LENGTH / 4 && utf8Encode(v).length > MAX_LENGTH) throw tooLong(label, name);
  return v;
}

export function tooLong(label: string, name: string): AimDbError {
  return fieldError(BAD_FIELD, label, name, `is over ${MAX_LENGTH} bytes`);
}

/** Checks any field value; returns it normalized (arrays are copied). */
export function checkField(label: string, f: Field, v: unknown): unknown {
  if (f.count > 0) {
    if (!Array.isArray(v) || v.length !== f.count) throw wrong(label, f.name, `${TYPE_NAMES[f.type]}[${f.count}]`, v);
    const out: unknown[] = [];
    for (let i = 0; i < f.count; i++) out.push(checkScalar(label, `${f.name}[${i}]`, f.type, v[i]));
    return out;
  }
  if (f.type === T_STRING) return checkString(label, f.name, v);
  if (f.type === T_BYTES) {
    if (!(v instanceof Uint8Array)) throw wrong(label, f.name, "Uint8Array", v);
    if (v.length > MAX_LENGTH) throw tooLong(label, f.name);
    return v;
  }
  return checkScalar(label, f.name, f.type, v);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Rebuilds `obj` as a plain object holding only the declared fields, each checked.
 * Unknown keys are refused, so a migration that forgets to drop a field is caught.
 * `null` and `undefined` both mean absent.
 */
export function sanitize(l: Layout, obj: unknown, when: string): Record<string, unknown> {
  const label = `${l.label} (${when})`;
  if (!isRecord(obj)) throw notObject(label, obj);
  let seen = 0;
  const out: Record<string, unknown> = {};
  for (const f of l.fields) {
    const v = obj[f.name];
    if (Object.prototype.hasOwnProperty.call(obj, f.name)) seen++;
    if (v === undefined || v === null) {
      if (f.bit < 0) throw missing(label, f.name);
    } else {
      out[f.name] = checkField(label, f, v);
    }
  }
  const keys = Object.keys(obj);
  if (keys.length !== seen) throw unknownField(l, label, keys);
  return out;
}

/** The error for the first key of `keys` that `l` does not declare. */
export function unknownField(l: Layout, label: string, keys: readonly string[]): AimDbError {
  const key = keys.find((k) => !l.fields.some((f) => f.name === k)) ?? "?";
  return fieldError(UNKNOWN_FIELD, label, key, "is not declared");
}

export function checkSender(label: string, v: unknown): string {
  return checkString(label, "envelope.sender", v);
}

export function checkSeq(label: string, v: unknown): number {
  return checkScalar(label, "envelope.seq", T_U32, v) as number;
}

export function checkIssuedAt(label: string, v: unknown): number {
  return checkScalar(label, "envelope.issuedAt", T_U64, v) as number;
}
