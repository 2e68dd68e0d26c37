/**
 * Record contracts: golden vectors, error vectors, migrations and the API's promises.
 * The same file runs under vitest and inside XS, which proves both engines produce and
 * accept the same bytes.
 */
import { AimDbError, contract, optional, type Envelope } from "../../src/index.js";
import { eq, fail, ok, throwsCode } from "../support/check.js";
import type { Suite } from "../support/suite.js";
import { hex, same, sameValue, show, text, thrown, toHex, untext } from "./compare.js";
import {
  decodeErrors, definitionErrors, encodeErrors, MigrateV1, migrateV2Fields, migrationVectors, NonFinite, Optionals,
  Temperature, Text, vectors, type AnyContract, type Vector,
} from "./vectors.js";

/** A golden vector by name. */
function vector(name: string): Vector {
  const v = vectors.find((x) => x.name === name);
  if (!v) throw new Error(`no vector named ${name}`);
  return v;
}
const FULL_TEMPERATURE = "a temperature with a full envelope and every field present";

/** What decode must report for a vector's envelope. */
function expectedEnvelope(v: { contract: AnyContract; envelope?: Envelope }): Envelope {
  const e = v.contract.envelope ? v.envelope : undefined;
  return { sender: e?.sender, seq: e?.seq, issuedAt: e?.issuedAt };
}

/** decode must throw an AimDbError with a CONTRACT_ code. */
export function rejectsTyped(c: AnyContract, bytes: Uint8Array, rule: string): void {
  const err = thrown(() => c.decode(bytes));
  if (!(err instanceof AimDbError)) fail(rule, `got ${err === undefined ? "a value" : String(err)} for <${toHex(bytes)}>`);
  ok(String(err.code).startsWith("CONTRACT_"), `${rule} (code ${String(err.code)})`);
}

export const vectorSuite: Suite = (t) => {
  for (const v of vectors) {
    t.test(`encodes ${v.name} to the golden bytes`, () => {
      eq(toHex(v.contract.encode(v.value, v.envelope)), toHex(v.bytes), "encode writes the documented layout");
    });

    t.test(`decodes the golden bytes of ${v.name}`, () => {
      const out: Envelope = { sender: "stale", seq: 1, issuedAt: 1 };
      sameValue(v.contract.decode(v.bytes, out), v.value, "decode gives back the value");
      sameValue(out, expectedEnvelope(v), "decode overwrites every envelope field");
    });

    t.test(`encodes ${v.name} to the golden JSON`, () => {
      eq(untext(v.contract.encodeJson(v.value, v.envelope)), v.json, "encodeJson writes the documented JSON");
    });

    t.test(`decodes the golden JSON of ${v.name}`, () => {
      const out: Envelope = {};
      sameValue(v.contract.decode(text(v.json), out), v.value, "decode reads JSON to the same value");
      sameValue(out, expectedEnvelope(v), "decode reads the JSON envelope");
    });

    t.test(`round trips ${v.name} through both codecs`, () => {
      const c = v.contract;
      sameValue(c.decode(c.encode(c.decode(v.bytes), v.envelope)), v.value, "binary → value → binary → value");
      sameValue(c.decode(c.encodeJson(c.decode(text(v.json)), v.envelope)), v.value, "JSON → value → JSON → value");
      eq(toHex(c.encode(c.decode(text(v.json)), v.envelope)), toHex(v.bytes), "JSON read, written as binary, gives the golden bytes");
    });

    t.test(`rejects every truncation of ${v.name}`, () => {
      for (let n = 0; n < v.bytes.length; n++) rejectsTyped(v.contract, v.bytes.subarray(0, n), `binary cut to ${n} bytes is refused`);
      const json = text(v.json);
      for (let n = 0; n < json.length; n++) rejectsTyped(v.contract, json.subarray(0, n), `JSON cut to ${n} bytes is refused`);
    });
  }
};

export const errorSuite: Suite = (t) => {
  for (const v of decodeErrors) {
    t.test(`refuses ${v.name} with ${v.code}`, () => {
      const err = throwsCode(() => v.contract.decode(v.bytes), v.code, `decode refuses ${v.name}`);
      ok(err instanceof AimDbError, "the error is an AimDbError");
      ok(err.message.startsWith(`${v.contract.name} v${v.contract.version}`), "the message names the contract and version");
    });
  }
  for (const v of encodeErrors) {
    t.test(`will not encode ${v.name} (${v.code})`, () => {
      throwsCode(() => v.contract.encode(v.value, v.envelope), v.code, "encode refuses it");
      throwsCode(() => v.contract.encodeJson(v.value, v.envelope), v.code, "encodeJson refuses it");
    });
  }
  for (const d of definitionErrors) {
    t.test(`will not declare ${d.name}`, () => void throwsCode(d.declare, "CONTRACT_BAD_DEFINITION", "the declaration is refused"));
  }

  t.test("an error message names the contract, the version and the field", () => {
    const e1 = throwsCode(() => Temperature.encode({ celsius: NaN } as never), "CONTRACT_BAD_FIELD", "NaN is refused");
    ok(e1.message.includes("climate.temperature v2") && e1.message.includes('"celsius"'), `message: ${e1.message}`);
    ok(e1.message.includes("f32?nan"), "the message says how to allow NaN");
    const e2 = throwsCode(() => Text.decode(text('{"schema":"test.text","v":1,"data":{"s":"","raw":"","zz":1}}')), "CONTRACT_UNKNOWN_FIELD", "unknown field");
    ok(e2.message.includes('"zz"'), `message: ${e2.message}`);
    const e3 = throwsCode(() => Temperature.encode({ samples: [1, 2, 3, 1e6] } as never), "CONTRACT_MISSING_FIELD", "missing field");
    ok(e3.message.includes('"celsius"'), `message: ${e3.message}`);
  });
};

export const migrationSuite: Suite = (t) => {
  for (const v of migrationVectors) {
    t.test(`decodes ${v.name}, from binary`, () => sameValue(v.contract.decode(v.bytes), v.value, "the old binary payload is upgraded"));
    t.test(`decodes ${v.name}, from JSON`, () => sameValue(v.contract.decode(text(v.json)), v.value, "the old JSON payload is upgraded"));
  }

  t.test("the golden v1 payloads are what the v1 contract writes", () => {
    const v1 = { tenths: 215, station: "alpha" };
    eq(toHex(MigrateV1.encode(v1)), toHex(migrationVectors[0]!.bytes), "v1 binary");
    eq(untext(MigrateV1.encodeJson(v1)), migrationVectors[0]!.json, "v1 JSON");
  });

  t.test("migrate returns a new contract and leaves the original unchanged", () => {
    const base = contract("test.migrate", 3, { celsius: "f32", site: "string" });
    const upgraded = base.migrate(2, (o) => ({ celsius: o["celsius"], site: o["station"] }), migrateV2Fields);
    ok(upgraded !== base, "a new contract");
    ok(Object.isFrozen(base) && Object.isFrozen(upgraded), "both are frozen");
    throwsCode(() => base.decode(migrationVectors[1]!.bytes), "CONTRACT_UNKNOWN_VERSION", "the original still cannot read v2");
    sameValue(upgraded.decode(migrationVectors[1]!.bytes), { celsius: 21.5, site: "beta" }, "the new one can");
  });

  t.test("a gap in the migration chain is an unknown version", () => {
    const c = contract("test.migrate", 3, { celsius: "f32", site: "string" }).migrate(2, (o) => o, migrateV2Fields);
    throwsCode(() => c.decode(migrationVectors[0]!.bytes), "CONTRACT_UNKNOWN_VERSION", "v1 has no step to v2");
    throwsCode(() => c.decode(text(migrationVectors[0]!.json)), "CONTRACT_UNKNOWN_VERSION", "in JSON too");
  });

  t.test("without the old field list, an old JSON payload migrates and an old binary one is refused", () => {
    const c = contract("test.migrate", 2, { celsius: "f32", station: "string", unit: optional("string") })
      .migrate(1, (o) => ({ celsius: (o["tenths"] as number) / 10, station: o["station"] }));
    sameValue(c.decode(text(migrationVectors[0]!.json)), { celsius: 21.5, station: "alpha" }, "JSON v1 is read loosely and migrated");
    throwsCode(() => c.decode(migrationVectors[0]!.bytes), "CONTRACT_UNKNOWN_VERSION", "binary v1 needs its fields");
    throwsCode(() => c.decode(text('{"schema":"test.migrate","v":1,"data":{"tenths":{"a":1},"station":"x"}}')), "CONTRACT_BAD_FIELD", "loose values are scalars");
    throwsCode(() => c.decode(text('{"schema":"test.migrate","v":1,"data":{"__proto__":1}}')), "CONTRACT_UNKNOWN_FIELD", "loose keys are field names");
  });

  t.test("a migration's output is checked against the current fields", () => {
    const make = (fn: (o: Record<string, unknown>) => object) => contract("test.migrate", 2, { celsius: "f32", station: "string" }).migrate(1, fn, MigrateV1.fields);
    const v1 = migrationVectors[0]!.bytes;
    throwsCode(() => make((o) => ({ celsius: 1, station: o["station"], extra: 1 })).decode(v1), "CONTRACT_UNKNOWN_FIELD", "an undeclared key is refused");
    throwsCode(() => make(() => ({ celsius: "1", station: "x" })).decode(v1), "CONTRACT_BAD_FIELD", "a wrong type is refused");
    throwsCode(() => make(() => ({ station: "x" })).decode(v1), "CONTRACT_MISSING_FIELD", "a missing field is refused");
    throwsCode(() => make(() => { throw new TypeError("boom"); }).decode(v1), "CONTRACT_MIGRATION_FAILED", "a throwing migration is reported");
    throwsCode(() => make(() => 5 as unknown as object).decode(v1), "CONTRACT_BAD_VALUE", "a non-object is refused");
    sameValue(make((o) => ({ celsius: 21.3, station: o["station"] })).decode(v1), { celsius: Math.fround(21.3), station: "alpha" }, "f32 output is rounded like the wire");
  });

  t.test("an intermediate version is checked against its declared fields", () => {
    const c = contract("test.migrate", 3, { celsius: "f32", site: "string" })
      .migrate(1, (o) => ({ celsius: String(o["tenths"]), station: o["station"] }), MigrateV1.fields)
      .migrate(2, (o) => ({ celsius: 0, site: o["station"] }), migrateV2Fields);
    const err = throwsCode(() => c.decode(migrationVectors[0]!.bytes), "CONTRACT_BAD_FIELD", "v2 celsius must be a number");
    ok(err.message.includes("v2"), `the message names v2: ${err.message}`);
  });
};

export const apiSuite: Suite = (t) => {
  t.test("schema ids are FNV-1a (32 bits) of the name", () => {
    eq(contract("foobar", 1, {}).schemaId, 0xbf9cf968, "FNV-1a test vector for foobar");
    eq(contract("a", 1, {}).schemaId, 0xe40c292c, "FNV-1a test vector for a");
  });

  t.test("a contract exposes its declaration and is frozen", () => {
    eq(Temperature.name, "climate.temperature", "name");
    eq(Temperature.version, 2, "version");
    eq(Temperature.envelope, true, "envelope");
    eq(Temperature.fields.celsius, "f32", "fields are the declared ones");
    ok(Object.isFrozen(Temperature) && Object.isFrozen(Temperature.fields), "the contract and its fields are frozen");
  });

  t.test("encode, encodeJson and decode work detached from their contract", () => {
    const { encode, encodeJson, decode } = Text;
    const v = { s: "detached", raw: hex("01") };
    sameValue(decode(encode(v)), v, "binary");
    sameValue(decode(encodeJson(v)), v, "JSON");
  });

  t.test("decode fills a reused envelope object and clears what is absent", () => {
    const out: Envelope = {};
    const value = vector(FULL_TEMPERATURE).value as typeof Temperature.Type;
    Temperature.decode(Temperature.encode(value, { sender: "a", seq: 1, issuedAt: 2 }), out);
    sameValue(out, { sender: "a", seq: 1, issuedAt: 2 }, "all three");
    Temperature.decode(Temperature.encode(value, { seq: 5 }), out);
    sameValue(out, { sender: undefined, seq: 5, issuedAt: undefined }, "only seq; the rest cleared");
    Temperature.decode(Temperature.encodeJson(value), out);
    sameValue(out, { sender: undefined, seq: undefined, issuedAt: undefined }, "none, from JSON");
  });

  t.test("a contract without an envelope writes none and reports none", () => {
    const env = { sender: "x", seq: 1, issuedAt: 1 };
    const v = { s: "", raw: hex("") };
    eq(toHex(Text.encode(v, env)), "c100622d6919010000" + "00", "the envelope is not written");
    eq(untext(Text.encodeJson(v, env)).includes("sender"), false, "nor in JSON");
    const out: Envelope = { ...env };
    Text.decode(hex("c1 01 622d6919 0100 01 78 00 00"), out);
    sameValue(out, { sender: undefined, seq: undefined, issuedAt: undefined }, "an envelope in the payload is read but not reported");
  });

  t.test("decoded values are plain objects holding the declared fields only", () => {
    const v = Optionals.decode(vector("optional fields present in both bitmap bytes").bytes);
    eq(Object.getPrototypeOf(v), Object.prototype, "a plain object");
    eq(Object.keys(v).join(","), "a,b,c,j", "present fields, in declaration order");
    const j = Optionals.decode(text('{"schema":"test.optionals","v":1,"data":{"b":1,"a":null}}'));
    eq(Object.keys(j).join(","), "b", "null in JSON is absent");
  });

  t.test("decoded bytes are a copy, not a view of the payload", () => {
    const payload = vector("multi-byte UTF-8 text, counted in bytes").bytes.slice();
    const v = Text.decode(payload);
    payload.fill(0);
    eq(toHex(v.raw), "00ff", "changing the payload leaves the value alone");
  });

  t.test("both codecs decode a value to the same thing, f32 rounded", () => {
    const v = { ...(vector(FULL_TEMPERATURE).value as typeof Temperature.Type), celsius: 21.3 };
    const fromBinary = Temperature.decode(Temperature.encode(v));
    sameValue(fromBinary, Temperature.decode(Temperature.encodeJson(v)), "binary and JSON agree");
    eq(fromBinary.celsius, Math.fround(21.3), "f32 values are rounded to float32");
  });

  t.test("null and undefined both mean absent on encode", () => {
    const a = Optionals.encode({ b: 1, a: undefined });
    const b = Optionals.encode({ b: 1, a: null as unknown as undefined });
    eq(toHex(a), toHex(b), "same bytes");
    eq(toHex(a), "c1007a11bd390100000001", "no presence bits");
  });

  t.test("JSON may start with whitespace", () => {
    sameValue(Text.decode(text('\n\t {"schema":"test.text","v":1,"data":{"s":"a","raw":""}} ')), { s: "a", raw: hex("") }, "whitespace around JSON");
  });

  t.test("NaN written by any engine has the same bytes", () => {
    const a = NonFinite.encode({ x: NaN, y: NaN, z: [NaN, 0, 0] });
    eq(toHex(a).slice(16, 56), "0000c07f" + "000000000000f87f" + "000000000000f87f", "canonical quiet NaN, f32 and f64");
  });

  t.test("a binary payload's first byte is never valid UTF-8, so never JSON", () => {
    throwsCode(() => untext(hex("c1 80")), "BAD_UTF8", "0xc1 cannot start UTF-8");
    rejectsTyped(Text, hex("c1"), "a lone magic byte is refused");
  });

  t.test("encode reads only declared fields and ignores the rest", () => {
    const v = { s: "a", raw: hex(""), extra: 1 } as { s: string; raw: Uint8Array };
    eq(toHex(Text.encode(v)), "c100622d691901000161" + "00", "extra properties are not written");
    ok(same(Text.decode(Text.encodeJson(v)), { s: "a", raw: hex("") }), `nor in JSON: ${show(Text.decode(Text.encodeJson(v)))}`);
  });
};
