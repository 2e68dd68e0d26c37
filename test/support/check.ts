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
