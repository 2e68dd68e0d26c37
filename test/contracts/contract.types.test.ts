/**
 * The typed API of contracts. Checked by `tsc -p tsconfig.json`: each `@ts-expect-error`
 * line must fail to compile, and the expectTypeOf lines pin the inferred types.
 */
import { describe, expectTypeOf, it } from "vitest";
import { array, contract, optional, type Deserializer, type Envelope, type Serializer } from "../../src/index.js";

const Temperature = contract(
  "climate.temperature",
  2,
  { celsius: "f32", timestamp: "u64", station: "string", raw: "bytes", ok: "bool", note: optional("string"), samples: array("i16", 4), flags: array("bool", 2) },
  { envelope: true },
);
type Temperature = typeof Temperature.Type;

describe("contract types", () => {
  it("infers the value type from the field list", () => {
    expectTypeOf<Temperature>().toEqualTypeOf<{
      celsius: number;
      timestamp: number;
      station: string;
      raw: Uint8Array;
      ok: boolean;
      samples: number[];
      flags: boolean[];
      note?: string;
    }>();
  });

  it("types encode, encodeJson and decode with the value type", () => {
    expectTypeOf(Temperature.encode).parameter(0).toEqualTypeOf<Temperature>();
    expectTypeOf(Temperature.encode).returns.toEqualTypeOf<Uint8Array>();
    expectTypeOf(Temperature.encodeJson).parameter(1).toEqualTypeOf<Envelope | undefined>();
    expectTypeOf(Temperature.decode).returns.toEqualTypeOf<Temperature>();
    expectTypeOf(Temperature.migrate(1, (old) => old)).toEqualTypeOf<typeof Temperature>();
  });

  it("fits the runtime's serializer and deserializer slots", () => {
    expectTypeOf(Temperature.encode).toExtend<Serializer<Temperature>>();
    expectTypeOf(Temperature.decode).toExtend<Deserializer<Temperature>>();
  });

  it("types a migration's input from the old field list", () => {
    contract("t", 2, { celsius: "f64" }).migrate(1, (old) => {
      expectTypeOf(old).toEqualTypeOf<{ tenths: number; station?: string }>();
      return { celsius: old.tenths / 10 };
    }, { tenths: "i16", station: optional("string") });
  });

  // The bodies below are only compiled, never run: they would throw at run time.
  it("refuses values that do not match", () => {
    const compileOnly = () => {
      const base: Temperature = { celsius: 1, timestamp: 1, station: "a", raw: new Uint8Array(0), ok: true, samples: [1, 2, 3, 4], flags: [true, false] };
      Temperature.encode(base);
      Temperature.encode({ ...base, note: "n" });
      // @ts-expect-error celsius is a number
      Temperature.encode({ ...base, celsius: "1" });
      // @ts-expect-error station is required
      Temperature.encode({ celsius: 1, timestamp: 1, raw: new Uint8Array(0), ok: true, samples: [], flags: [] });
      // @ts-expect-error raw is a Uint8Array
      Temperature.encode({ ...base, raw: [1] });
      // @ts-expect-error note is a string
      Temperature.encode({ ...base, note: 1 });
      // @ts-expect-error flags holds booleans
      Temperature.encode({ ...base, flags: [1, 0] });
      // @ts-expect-error unknown properties are refused in a literal
      Temperature.encode({ ...base, extra: 1 });
      // @ts-expect-error the envelope's seq is a number
      Temperature.encode(base, { seq: "1" });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("refuses unknown field types", () => {
    const compileOnly = () => {
      // @ts-expect-error "u128" is not a field type
      contract("x", 1, { a: "u128" });
      // @ts-expect-error arrays hold scalars only
      contract("x", 1, { a: array("string", 2) });
      // @ts-expect-error "f32?nan" is the only suffix
      contract("x", 1, { a: "f32?inf" });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });
});
