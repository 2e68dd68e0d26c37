/**
 * Helpers the contract suites share, runnable under vitest and inside XS: hex, UTF-8 text
 * views, and a deep comparison that knows NaN, -0 and Uint8Array (JSON-based comparison
 * knows none of them).
 */
import { utf8Decode, utf8Encode } from "../../src/core/utf8.js";
import { fail } from "../support/check.js";

/** Bytes from hex pieces; spaces are ignored. */
export function hex(...parts: string[]): Uint8Array {
  const text = parts.join("").replace(/\s+/g, "");
  if (text.length % 2 !== 0) throw new Error(`odd hex length: ${text}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

export const text = (s: string): Uint8Array => utf8Encode(s);
export const untext = (b: Uint8Array): string => utf8Decode(b);

/** Deep equality: Object.is on numbers (NaN equals NaN, -0 differs from 0), bytes by value, same own keys. */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    return a.every((v, i) => same(v, b[i]));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.join(",") !== kb.join(",")) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Text of a value for failure messages (NaN, -0 and bytes spelled out). */
export function show(v: unknown): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v instanceof Uint8Array) return `<${toHex(v)}>`;
  if (Array.isArray(v)) return `[${v.map(show).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).map((k) => `${k}:${show((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

export function sameValue(actual: unknown, expected: unknown, rule: string): void {
  if (!same(actual, expected)) fail(rule, `expected ${show(expected)}, got ${show(actual)}`);
}

/** The error `fn` throws, or undefined. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
