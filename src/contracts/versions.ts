/**
 * Versions and migrations.
 *
 * A contract reads payloads of its own version and of any older version `k` for which a
 * chain of migrations `k → k+1 → … → current` is registered. Step `k` is
 * `migrate(k, fn, fieldsK?)`: `fn` turns a version-k object into a version-k+1 object,
 * and `fieldsK`, when given, is the field list of version k. A binary payload cannot be
 * read without its field list, so a binary v-k payload needs `fieldsK`; a JSON v-k
 * payload is checked against `fieldsK` when given, and otherwise passed to `fn` as a
 * plain object of scalar or scalar-array values under identifier keys.
 *
 * Between steps, an object is checked against the field list of the version it claims
 * to be, when that list is known; the last step's output is always checked against the
 * current fields and rebuilt from them (unknown keys refused), so decode never returns
 * anything its contract does not describe. A payload newer than the contract, or older
 * with a gap in the chain, is `CONTRACT_UNKNOWN_VERSION`.
 */
import { AimDbError } from "../core/errors.js";
import {
  contractError, fieldError, isFieldName, isRecord, MIGRATION_FAILED, notObject, sanitize, UNKNOWN_FIELD, UNKNOWN_VERSION, wrong, type Layout,
} from "./fields.js";

/** Turns an object of one version into an object of the next. */
export type Migration = (old: Record<string, unknown>) => object;

/** One registered migration: from version `from` to `from + 1`. */
export interface Step {
  readonly from: number;
  readonly fn: Migration;
  /** Field list of version `from`, when declared. */
  readonly layout: Layout | undefined;
}

/** Everything a contract's codecs need; frozen, shared by its closures. */
export interface Core {
  readonly layout: Layout;
  readonly envelope: boolean;
  readonly steps: readonly Step[];
}

function findStep(c: Core, from: number): Step | undefined {
  for (const s of c.steps) if (s.from === from) return s;
  return undefined;
}

/**
 * The layout to read a payload of `version` with: the current one, or the declared
 * field list of an older version with a full migration chain. `undefined` means "an
 * older JSON payload with no declared field list" (read loosely); binary payloads need
 * a layout. Throws `CONTRACT_UNKNOWN_VERSION`.
 */
export function pickLayout(c: Core, version: number, binary: boolean): Layout | undefined {
  const current = c.layout.version;
  if (version === current) return c.layout;
  let k = version < 1 ? current : version;
  while (k < current && findStep(c, k)) k++;
  const layout = k === current && version >= 1 ? findStep(c, version)?.layout : undefined;
  // Newer, zero, a gap in the chain, or binary without the old field list.
  if (k !== current || version > current || version < 1 || (binary && layout === undefined)) {
    throw contractError(UNKNOWN_VERSION, c.layout.label, `cannot read ${binary ? "binary" : "JSON"} v${version}`);
  }
  return layout;
}

/** Applies the migration chain from `version` to the current version. */
export function upgrade(c: Core, version: number, value: Record<string, unknown>): Record<string, unknown> {
  let v: unknown = value;
  for (let k = version; k < c.layout.version; k++) {
    const step = findStep(c, k)!;
    if (k > version && step.layout !== undefined) v = sanitize(step.layout, v, `migrated from v${version}`);
    if (!isRecord(v)) throw notObject(`${c.layout.label} (migrated from v${version})`, v);
    try {
      v = step.fn(v);
    } catch (err) {
      if (err instanceof AimDbError) throw err;
      throw contractError(MIGRATION_FAILED, c.layout.label, `migration from v${k} threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return sanitize(c.layout, v, `migrated from v${version}`);
}

function isJsonScalar(v: unknown): boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

/**
 * A JSON `data` object of a version with no declared fields, copied into a plain object:
 * identifier keys only, values that are strings, numbers, booleans or arrays of them;
 * `null` means absent.
 */
export function looseData(c: Core, version: number, data: Record<string, unknown>): Record<string, unknown> {
  const label = `${c.layout.name} v${version}`;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    if (!isFieldName(key)) throw fieldError(UNKNOWN_FIELD, label, key, "is not a field name");
    const v = data[key];
    if (v === null) continue;
    if (isJsonScalar(v)) out[key] = v;
    else if (Array.isArray(v) && v.every(isJsonScalar)) out[key] = v.slice();
    else throw wrong(label, key, "a scalar or an array of scalars", v);
  }
  return out;
}
