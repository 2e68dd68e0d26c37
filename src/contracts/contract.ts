/**
 * `contract(name, version, fields, options?)`: one definition of a record's value,
 * shared by every peer, with a compact binary codec and a JSON codec.
 *
 *   const Temperature = contract("climate.temperature", 2, { celsius: "f32", timestamp: "u64" });
 *   type Temperature = typeof Temperature.Type;
 *   reg.linkTo("mqtt://…").withSerializer(Temperature.encode);
 *
 * A contract is a frozen value. `encode`, `encodeJson` and `decode` are closures over
 * it, never methods, so they can be handed around detached. `migrate` does not change
 * the contract: it returns a new one that also reads the older version, which keeps
 * contracts declarable as module constants on a device where modules are frozen.
 *
 * `decode` tells the formats apart by the first byte: 0xC1 is binary, `{` or JSON
 * whitespace is JSON, anything else is `CONTRACT_BAD_FORMAT`.
 */
import { decodeBinary, encodeBinary, MAGIC } from "./binary.js";
import { BAD_DEFINITION, BAD_FORMAT, compile, contractError, describe, TRUNCATED, type Envelope, type Fields, type Infer } from "./fields.js";
import { decodeJson, encodeJson } from "./json.js";
import type { Core, Migration, Step } from "./versions.js";

export interface ContractOptions {
  /** Carry an envelope (sender, seq, issuedAt) in every payload's header. Default false. */
  readonly envelope?: boolean;
}

/** `migrate(from, fn, fields?)`: see Contract.migrate. */
export interface Migrate<F extends Fields> {
  <const O extends Fields>(from: number, fn: (old: Infer<O>) => object, fields: O): Contract<F>;
  (from: number, fn: (old: Record<string, unknown>) => object): Contract<F>;
}

export interface Contract<F extends Fields = Fields> {
  readonly name: string;
  readonly version: number;
  /** FNV-1a (32 bits) of the UTF-8 name: the binary header's schema id. */
  readonly schemaId: number;
  readonly fields: F;
  /** Whether payloads carry an envelope. */
  readonly envelope: boolean;
  /** Type only (undefined at run time): `type T = typeof C.Type`. */
  readonly Type: Infer<F>;
  /** Binary payload. The envelope is written only if the contract carries one. */
  readonly encode: (value: Infer<F>, envelope?: Envelope) => Uint8Array;
  /** UTF-8 JSON payload. The envelope is written only if the contract carries one. */
  readonly encodeJson: (value: Infer<F>, envelope?: Envelope) => Uint8Array;
  /**
   * Reads a binary or JSON payload of this version or of an older one with a migration
   * chain. When `envelopeOut` is given, its `sender`, `seq` and `issuedAt` are set (to
   * undefined when absent, or when the contract carries no envelope); it may be reused
   * across calls. Throws an AimDbError with a `CONTRACT_*` code on any bad input.
   */
  readonly decode: (bytes: Uint8Array, envelopeOut?: Envelope) => Infer<F>;
  /**
   * A new contract that also reads version `from` payloads: `fn` turns a version-`from`
   * object into a version-`from + 1` object. `fields` is version `from`'s field list;
   * binary payloads of that version need it, JSON ones are checked against it if given.
   * Chain calls to cover several versions.
   */
  readonly migrate: Migrate<F>;
}

/** Declares a record contract. Throws `CONTRACT_BAD_DEFINITION` on a bad declaration. */
export function contract<const F extends Fields>(name: string, version: number, fields: F, options?: ContractOptions): Contract<F> {
  const layout = compile(name, version, fields);
  const core: Core = Object.freeze({ layout, envelope: options?.envelope === true, steps: Object.freeze([]) });
  return make(core, Object.freeze({ ...fields }));
}

function make<F extends Fields>(coreArg: Core, fieldsArg: F): Contract<F> {
  // Closures capture consts, not parameters: XS keeps a captured parameter as a mutable binding.
  const core = coreArg;
  const fields = fieldsArg;
  const l = core.layout;
  const migrate = (from: number, fn: Migration, old?: Fields): Contract<F> => {
    // An older version, once, with a function.
    if (!Number.isInteger(from) || from < 1 || from >= l.version || core.steps.some((s) => s.from === from) || typeof fn !== "function") {
      throw contractError(BAD_DEFINITION, l.label, `bad migrate(${describe(from)})`);
    }
    const step: Step = Object.freeze({ from, fn, layout: old === undefined ? undefined : compile(l.name, from, old) });
    return make(Object.freeze({ layout: l, envelope: core.envelope, steps: Object.freeze([...core.steps, step]) }), fields);
  };
  const c = {
    name: l.name,
    version: l.version,
    schemaId: l.schemaId,
    fields,
    envelope: core.envelope,
    encode: (value: Infer<F>, envelope?: Envelope) => encodeBinary(core, value, envelope),
    encodeJson: (value: Infer<F>, envelope?: Envelope) => encodeJson(core, value, envelope),
    decode: (bytes: Uint8Array, envelopeOut?: Envelope) => decode(core, bytes, envelopeOut) as Infer<F>,
    migrate: migrate as Migrate<F>,
  };
  return Object.freeze(c) as unknown as Contract<F>;
}

function decode(core: Core, bytes: Uint8Array, out: Envelope | undefined): Record<string, unknown> {
  if (!(bytes instanceof Uint8Array)) throw contractError(BAD_FORMAT, core.layout.label, `expected a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length === 0) throw contractError(TRUNCATED, core.layout.label, "empty payload");
  const b = bytes[0]!;
  if (b === MAGIC) return decodeBinary(core, bytes, out);
  // `{` or JSON whitespace (RFC 8259 §2).
  if (b === 0x7b || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) return decodeJson(core, bytes, out);
  throw contractError(BAD_FORMAT, core.layout.label, `unknown format byte ${b}`);
}
