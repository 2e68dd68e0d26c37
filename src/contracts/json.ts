/**
 * The JSON codec: UTF-8 JSON text in a Uint8Array.
 *
 *   {"schema":"climate.temperature","v":2,"sender":"a","seq":7,"at":1718000000000,"data":{…}}
 *
 * `sender`, `seq` and `at` appear only when the envelope carries them. In `data`, numbers
 * are JSON numbers (u64 too: safe integers only), `bytes` are base64 strings, arrays are
 * arrays, an absent optional field is left out (`null` is also read as absent), and a
 * non-finite value of a `?nan` field is the string "NaN", "Infinity" or "-Infinity"
 * (the spelling of the protobuf JSON mapping). f32 values are written rounded to
 * float32, so both codecs decode a value to the same number.
 *
 * The text is built by hand, with JSON.stringify only to quote strings: no object the
 * caller passed is ever serialized. Decoding uses JSON.parse, then accepts only the
 * keys above at the top and only declared fields in `data` (so `__proto__`,
 * `constructor` and friends are refused as unknown), and builds the value from the
 * declared field names alone.
 */
import { utf8Decode, utf8Encode } from "../core/utf8.js";
import { base64Decode, base64Encode } from "./base64.js";
import {
  BAD_JSON, BAD_UTF8, checkField, checkIssuedAt, checkSender, checkSeq, contractError, describe, isRecord, missing, notObject,
  unknownField, WRONG_SCHEMA, wrong,
  T_BYTES, T_F32N, T_F64N, T_STRING,
  type Envelope, type Field, type Layout,
} from "./fields.js";
import { looseData, pickLayout, upgrade, type Core } from "./versions.js";

function jsonScalar(v: number | boolean): string {
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v - v === 0) return v === 0 && 1 / v < 0 ? "-0" : String(v);
  return v !== v ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
}

function jsonField(f: Field, v: unknown): string {
  if (f.count > 0) {
    let s = "[";
    for (let i = 0; i < f.count; i++) s += (i > 0 ? "," : "") + jsonScalar((v as (number | boolean)[])[i]!);
    return s + "]";
  }
  if (f.type === T_STRING) return JSON.stringify(v as string);
  if (f.type === T_BYTES) return `"${base64Encode(v as Uint8Array)}"`;
  return jsonScalar(v as number | boolean);
}

/** Encodes `value` (and the envelope, if the contract carries one) as UTF-8 JSON. */
export function encodeJson(c: Core, value: unknown, env: Envelope | undefined): Uint8Array {
  const l = c.layout;
  if (!isRecord(value)) throw notObject(l.label, value);
  let s = `{"schema":"${l.name}","v":${l.version}`;
  if (c.envelope && env != null) {
    if (env.sender != null) s += `,"sender":${JSON.stringify(checkSender(l.label, env.sender))}`;
    if (env.seq != null) s += `,"seq":${checkSeq(l.label, env.seq)}`;
    if (env.issuedAt != null) s += `,"at":${checkIssuedAt(l.label, env.issuedAt)}`;
  }
  s += ',"data":{';
  let first = true;
  for (const f of l.fields) {
    const raw = value[f.name];
    if (raw == null) {
      if (f.bit < 0) throw missing(l.label, f.name);
      continue;
    }
    s += `${first ? "" : ","}"${f.name}":${jsonField(f, checkField(l.label, f, raw))}`;
    first = false;
  }
  return utf8Encode(s + "}}");
}

/** A `?nan` field's JSON spelling of a non-finite value, or `v` unchanged. */
function fromJsonScalar(type: number, v: unknown): unknown {
  if ((type === T_F32N || type === T_F64N) && typeof v === "string") {
    if (v === "NaN") return NaN;
    if (v === "Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
  }
  return v;
}

/** Reads `data` against a layout: declared fields only, each converted and checked. */
function readData(l: Layout, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let seen = 0;
  for (const f of l.fields) {
    // Field names are never properties of Object.prototype, so this reads own keys only.
    let v = data[f.name];
    if (v !== undefined) seen++;
    if (v == null) {
      if (f.bit < 0) throw missing(l.label, f.name);
      continue;
    }
    if (f.type === T_BYTES) {
      const b = typeof v === "string" ? base64Decode(v) : undefined;
      if (b === undefined) throw wrong(l.label, f.name, "base64", v);
      v = b;
    } else if (f.type === T_F32N || f.type === T_F64N) {
      v = Array.isArray(v) ? v.map((e) => fromJsonScalar(f.type, e)) : fromJsonScalar(f.type, v);
    }
    out[f.name] = checkField(l.label, f, v);
  }
  const keys = Object.keys(data);
  if (keys.length !== seen) throw unknownField(l, l.label, keys);
  return out;
}

function badJson(label: string, what: string, expected: string, v: unknown) {
  return contractError(BAD_JSON, label, `${what}: expected ${expected}, got ${describe(v)}`);
}

/** Decodes a JSON payload (first byte already known to be `{` or whitespace). */
export function decodeJson(c: Core, bytes: Uint8Array, out: Envelope | undefined): Record<string, unknown> {
  const label = c.layout.label;
  let doc: unknown;
  try {
    doc = JSON.parse(utf8Decode(bytes));
  } catch (err) {
    const utf8 = (err as { code?: unknown }).code === "BAD_UTF8";
    throw contractError(utf8 ? BAD_UTF8 : BAD_JSON, label, utf8 ? "not UTF-8" : "not JSON");
  }
  if (!isRecord(doc)) throw badJson(label, "the document", "an object", doc);
  const { schema, v: version, sender, seq, at, data } = doc;
  for (const key of Object.keys(doc)) {
    switch (key) {
      case "schema": case "v": case "sender": case "seq": case "at": case "data": break;
      default: throw contractError(BAD_JSON, label, `unknown key "${key}"`);
    }
  }
  if (typeof schema !== "string") throw badJson(label, '"schema"', "a string", schema);
  if (schema !== c.layout.name) throw contractError(WRONG_SCHEMA, label, `schema "${schema}" is not "${c.layout.name}"`);
  if (!Number.isInteger(version)) throw badJson(label, '"v"', "an integer", version);
  const l = pickLayout(c, version as number, false);
  if (!isRecord(data)) throw badJson(label, '"data"', "an object", data);
  const s = sender === undefined ? undefined : checkSender(label, sender);
  const q = seq === undefined ? undefined : checkSeq(label, seq);
  const a = at === undefined ? undefined : checkIssuedAt(label, at);
  let value = l === undefined ? looseData(c, version as number, data) : readData(l, data);
  if (version !== c.layout.version) value = upgrade(c, version as number, value);
  if (out !== undefined) {
    out.sender = c.envelope ? s : undefined;
    out.seq = c.envelope ? q : undefined;
    out.issuedAt = c.envelope ? a : undefined;
  }
  return value;
}
