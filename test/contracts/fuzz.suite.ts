/**
 * Fuzzing the contract decoders with seeded random and mutated input: decode must either
 * return a value its contract accepts or throw an AimDbError with a CONTRACT_ code.
 * Never a RangeError or TypeError from a read past the end, never a hang, never a value
 * with undeclared keys or a changed prototype. Runs under vitest and inside XS.
 */
import { AimDbError, type Envelope, type FieldSpec } from "../../src/index.js";
import { eq, fail, ok } from "../support/check.js";
import type { Suite } from "../support/suite.js";
import { sameValue, show, text, toHex, untext } from "./compare.js";
import { Arrays, MigrateV1, MigrateV3, NonFinite, OptionalArray, Optionals, Scalars, Temperature, Text, vectors, type AnyContract } from "./vectors.js";

/** xorshift32, seeded; state lives in the closure. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const int = (n: number): number => next() % n;
  return {
    int,
    bool: (): boolean => (next() & 1) === 1,
    unit: (): number => next() / 4294967296,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
  };
}
type Random = ReturnType<typeof random>;

const CONTRACTS: readonly AnyContract[] = [Scalars, Temperature, Text, Optionals, NonFinite, Arrays, OptionalArray, MigrateV1, MigrateV3];

const INT_RANGE: Record<string, [number, number]> = {
  u8: [0, 255], i8: [-128, 127], u16: [0, 65535], i16: [-32768, 32767],
  u32: [0, 4294967295], i32: [-2147483648, 2147483647], u64: [0, Number.MAX_SAFE_INTEGER],
};

function randomNumber(r: Random, type: string): number | boolean {
  if (type === "bool") return r.bool();
  const range = INT_RANGE[type];
  if (range) {
    const [lo, hi] = range;
    const k = r.int(4);
    return k === 0 ? lo : k === 1 ? hi : lo + Math.floor(r.unit() * (hi - lo + 1));
  }
  const nan = type.endsWith("?nan");
  const k = r.int(nan ? 8 : 5);
  const v = k === 0 ? 0 : k === 1 ? -0 : k === 2 ? (r.unit() - 0.5) * 2e6 : k === 3 ? (r.unit() - 0.5) * 1e-30 : k === 4 ? r.int(1000) : k === 5 ? NaN : k === 6 ? Infinity : -Infinity;
  return type.startsWith("f32") ? Math.fround(v) : v;
}

function randomString(r: Random): string {
  const n = r.int(10) === 0 ? 130 + r.int(100) : r.int(12);
  let s = "";
  for (let i = 0; i < n; i++) {
    const k = r.int(4);
    s += String.fromCodePoint(k === 0 ? 32 + r.int(95) : k === 1 ? 0xa0 + r.int(0x700) : k === 2 ? 0xe000 + r.int(0x1000) : 0x1f600 + r.int(0x50));
  }
  return s;
}

function randomField(r: Random, spec: FieldSpec): unknown {
  if (typeof spec === "object" && "optional" in spec) return r.bool() ? undefined : randomField(r, spec.optional);
  if (typeof spec === "object") return Array.from({ length: spec.length }, () => randomNumber(r, spec.array));
  if (spec === "string") return randomString(r);
  if (spec === "bytes") return Uint8Array.from({ length: r.int(5) === 0 ? 200 : r.int(9) }, () => r.int(256));
  return randomNumber(r, spec);
}

function randomValue(r: Random, c: AnyContract): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(c.fields as Record<string, FieldSpec>)) {
    const x = randomField(r, spec);
    if (x !== undefined) v[name] = x;
  }
  return v;
}

function randomEnvelope(r: Random): Envelope | undefined {
  if (r.int(3) === 0) return undefined;
  return {
    sender: r.bool() ? randomString(r) : undefined,
    seq: r.bool() ? r.int(4294967295) : undefined,
    issuedAt: r.bool() ? Math.floor(r.unit() * 2 ** 53) : undefined,
  };
}

/**
 * Decodes untrusted bytes; fails the test unless the outcome is a valid value or a typed
 * error. Returns the error code, or "ok".
 */
function probe(c: AnyContract, bytes: Uint8Array): string {
  let value: unknown;
  try {
    value = c.decode(bytes, {});
  } catch (err) {
    if (err instanceof AimDbError && String(err.code).startsWith("CONTRACT_")) return String(err.code);
    fail("decode throws only AimDbError with a CONTRACT_ code", `${String(err)} for <${toHex(bytes)}>`);
  }
  ok(Object.getPrototypeOf(value) === Object.prototype, "a decoded value is a plain object");
  const declared = Object.keys(c.fields);
  for (const k of Object.keys(value as object)) ok(declared.includes(k), `decoded key ${k} is declared`);
  try {
    c.encode(value);
  } catch (err) {
    fail("whatever decode returns, encode accepts", `${String(err)}: ${show(value)} from <${toHex(bytes)}>`);
  }
  return "ok";
}

/** The mutations must reach past the header: some inputs still decode, and many kinds of error occur. */
function checkSpread(outcomes: Set<string>, min: number): void {
  ok(outcomes.has("ok"), "some mutated inputs still decode");
  ok(outcomes.size >= min, `at least ${min} different outcomes (got ${[...outcomes].join(", ")})`);
}

/** One mutation of a binary payload. */
function mutateBinary(r: Random, src: Uint8Array): Uint8Array {
  const b = src.slice();
  const at = (): number => r.int(Math.max(1, b.length));
  switch (r.int(8)) {
    case 0: // flip one to three bits
      for (let i = 1 + r.int(3); i > 0; i--) b[at()]! ^= 1 << r.int(8);
      return b;
    case 1: // truncate
      return b.subarray(0, r.int(b.length + 1));
    case 2: { // inflate a length: a continuation byte, or a 3-byte varint of 65535
      const pos = 8 + r.int(Math.max(1, b.length - 8));
      if (r.bool()) b[pos] = 0x80 | r.int(128);
      else for (let k = 0; k < 3 && pos + k < b.length; k++) b[pos + k] = [0xff, 0xff, 0x03][k]!;
      return b;
    }
    case 3: { // extra bytes at the end
      const out = new Uint8Array(b.length + 1 + r.int(4));
      out.set(b);
      for (let i = b.length; i < out.length; i++) out[i] = r.int(256);
      return out;
    }
    case 4: { // remove one byte
      const i = at();
      const out = new Uint8Array(Math.max(0, b.length - 1));
      out.set(b.subarray(0, i));
      out.set(b.subarray(i + 1), i);
      return out;
    }
    case 5: // set the flags or presence bytes
      b[r.bool() ? 1 : Math.min(b.length - 1, 8 + r.int(4))] = r.int(256);
      return b;
    case 6: // random body after a valid header
      for (let i = 8; i < b.length; i++) b[i] = r.int(256);
      return b;
    default: // overwrite a byte with an extreme
      b[at()] = r.pick([0x00, 0x01, 0x02, 0x7f, 0x80, 0xff]);
      return b;
  }
}

const JSON_TOKENS = ['"__proto__"', '"constructor"', '"prototype"', "NaN", "Infinity", "-Infinity", '"NaN"', "1e999", "-0", "null", "{}", "[]", '"\\ud800"', "9007199254740993", '{"__proto__":{"polluted":1}}'];

/** One mutation of a JSON payload's text or bytes. */
function mutateJson(r: Random, src: Uint8Array): Uint8Array {
  const s = untext(src);
  switch (r.int(5)) {
    case 0: { // flip bits in the UTF-8 bytes
      const b = src.slice();
      for (let i = 1 + r.int(2); i > 0; i--) b[r.int(b.length)]! ^= 1 << r.int(8);
      return b;
    }
    case 1: // add a key to data or to the document
      return text(r.bool() ? s.replace('"data":{', `"data":{${r.pick(JSON_TOKENS.slice(0, 3))}:${r.pick(JSON_TOKENS)},`) : s.replace("{", `{${r.pick(JSON_TOKENS.slice(0, 3))}:1,`));
    case 2: { // replace a value with a hostile token
      const i = s.indexOf(":", r.int(s.length));
      if (i < 0) return src;
      const end = s.slice(i + 1).search(/[,}\]]/);
      return text(s.slice(0, i + 1) + r.pick(JSON_TOKENS) + (end < 0 ? "" : s.slice(i + 1 + end)));
    }
    case 3: { // delete a character
      const i = r.int(s.length);
      return text(s.slice(0, i) + s.slice(i + 1));
    }
    default: // deep nesting in data
      return text(s.replace('"data":{', `"data":{"x":${"[".repeat(1 + r.int(300))}`));
  }
}

/** A random JSON value as text, keys drawn from hostile and declared names. */
function randomJson(r: Random, depth: number, keys: readonly string[]): string {
  const k = r.int(depth > 2 ? 6 : 8);
  if (k === 0) return String((r.unit() - 0.5) * 10 ** r.int(30));
  if (k === 1) return r.pick(["true", "false", "null", "-0", "1e400"]);
  if (k === 2) return JSON.stringify(randomString(r));
  if (k === 3) return r.pick(['"NaN"', '"Infinity"', '"AQID"', '"A==="']);
  if (k === 4) return String(r.int(70000) - 1000);
  if (k === 5) return r.pick(JSON_TOKENS);
  if (k === 6) return `[${Array.from({ length: r.int(5) }, () => randomJson(r, depth + 1, keys)).join(",")}]`;
  return `{${Array.from({ length: r.int(6) }, () => `${JSON.stringify(r.pick(keys))}:${randomJson(r, depth + 1, keys)}`).join(",")}}`;
}

export const fuzzSuite: Suite = (t) => {
  t.test("random values survive both codecs unchanged, and binary re-encodes to the same bytes", () => {
    const r = random(0x5eed);
    let n = 0;
    for (let i = 0; i < 400; i++) {
      const c = r.pick(CONTRACTS);
      const value = randomValue(r, c);
      const env = randomEnvelope(r);
      const bytes = c.encode(value, env);
      const fromBinary = c.decode(bytes);
      sameValue(fromBinary, value, `binary round trip of ${c.name}`);
      sameValue(c.decode(c.encodeJson(value, env)), value, `JSON round trip of ${c.name}`);
      eq(toHex(c.encode(fromBinary, env)), toHex(bytes), "one value, one encoding");
      n += 2;
    }
    ok(n >= 800, "800 round trips");
  });

  t.test("mutated binary payloads decode to a valid value or fail with a typed error", () => {
    const r = random(0xb17f11b);
    const seeds = vectors.map((v) => ({ c: v.contract, bytes: v.bytes }));
    for (let i = 0; i < 60; i++) {
      const c = r.pick(CONTRACTS);
      seeds.push({ c, bytes: c.encode(randomValue(r, c), randomEnvelope(r)) });
    }
    const outcomes = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const s = r.pick(seeds);
      let b = mutateBinary(r, s.bytes);
      if (r.int(4) === 0) b = mutateBinary(r, b);
      outcomes.add(probe(s.c, b));
    }
    checkSpread(outcomes, 9);
  });

  t.test("mutated JSON payloads decode to a valid value or fail with a typed error", () => {
    const r = random(0x1503);
    const seeds = vectors.map((v) => ({ c: v.contract, bytes: text(v.json) }));
    for (let i = 0; i < 40; i++) {
      const c = r.pick(CONTRACTS);
      seeds.push({ c, bytes: c.encodeJson(randomValue(r, c), randomEnvelope(r)) });
    }
    const outcomes = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const s = r.pick(seeds);
      outcomes.add(probe(s.c, mutateJson(r, s.bytes)));
    }
    checkSpread(outcomes, 6);
    eq(({} as Record<string, unknown>)["polluted"], undefined, "Object.prototype is untouched");
  });

  t.test("random bytes and random JSON documents decode to a valid value or fail with a typed error", () => {
    const r = random(0xabad1dea);
    for (let i = 0; i < 500; i++) {
      const b = Uint8Array.from({ length: r.int(48) }, () => r.int(256));
      if (b.length > 0 && r.bool()) b[0] = r.pick([0xc1, 0x7b, 0x20, 0x0a]);
      probe(r.pick(CONTRACTS), b);
    }
    for (let i = 0; i < 600; i++) {
      const c = r.pick(CONTRACTS);
      const keys = ["__proto__", "constructor", "prototype", "toString", "schema", "v", "data", "seq", ...Object.keys(c.fields)];
      const data = randomJson(r, 1, keys);
      const doc = r.int(4) === 0 ? randomJson(r, 0, keys) : `{"schema":"${c.name}","v":${r.int(5) === 0 ? r.int(4) : c.version},"data":${data}}`;
      probe(c, text(doc));
    }
    eq(({} as Record<string, unknown>)["polluted"], undefined, "Object.prototype is untouched");
  });
};
