/**
 * Assertions that run unchanged under vitest and inside XS (no node:assert there).
 * Each takes the rule being checked as its message, so a failure says what broke.
 */

function show(v: unknown): string {
  try {
    return typeof v === "string" ? JSON.stringify(v) : typeof v === "bigint" ? `${v}n` : JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export function fail(rule: string, detail = ""): never {
  throw new Error(detail ? `${rule} (${detail})` : rule);
}

export function ok(cond: unknown, rule: string): void {
  if (!cond) fail(rule);
}

export function eq<T>(actual: T, expected: T, rule: string): void {
  if (!Object.is(actual, expected)) fail(rule, `expected ${show(expected)}, got ${show(actual)}`);
}

export function deepEq(actual: unknown, expected: unknown, rule: string): void {
  const a = show(actual);
  const e = show(expected);
  if (a !== e) fail(rule, `expected ${e}, got ${a}`);
}

/** The error `fn` throws must carry `code`. */
export function throwsCode(fn: () => unknown, code: string, rule: string): Error {
  try {
    fn();
  } catch (err) {
    if ((err as { code?: unknown }).code !== code) fail(rule, `expected code ${code}, got ${show((err as { code?: unknown }).code)}: ${(err as Error).message}`);
    return err as Error;
  }
  return fail(rule, `expected code ${code}, nothing was thrown`);
}

/** The promise must reject with an error carrying `code`. */
export async function rejectsCode(p: Promise<unknown>, code: string, rule: string): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if ((err as { code?: unknown }).code !== code) fail(rule, `expected code ${code}, got ${show((err as { code?: unknown }).code)}: ${(err as Error).message}`);
    return err as Error;
  }
  return fail(rule, `expected code ${code}, the promise resolved`);
}

/** Bytes as spaced lower-case hex, for messages and comparisons. */
export function hex(bytes: ArrayLike<number>): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += (i ? " " : "") + (bytes[i]! < 16 ? "0" : "") + bytes[i]!.toString(16);
  return out;
}

/**
 * A value as text with sorted keys, byte arrays in hex and undefined fields left out,
 * so two decoded packets or frames compare equal exactly when they hold the same values.
 */
export function canon(value: unknown): string {
  if (value instanceof Uint8Array) return `<${hex(value)}>`;
  if (Array.isArray(value)) return `[${value.map(canon).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${k}:${canon(obj[k])}`).join(",")}}`;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
