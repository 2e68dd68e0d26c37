/**
 * Everything under src/ and hosts/sim/ must run inside XS on a device: no Node modules or
 * globals, nothing XS lacks, and no module-level mutable state (modules are preloaded
 * and frozen there; DESIGN.md §2–3). The scanner is checked on a bad sample first, so
 * it cannot pass by matching nothing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scanSource, type ViolationKind } from "./support/portability.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const SCANNED = ["src", "hosts/sim"];

function sourceFiles(): string[] {
  return SCANNED.flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.[cm]?[jt]s$/.test(f))
      .map((f) => join(dir, f)),
  );
}

/** One line per kind of violation; the comment names the kind it must raise. */
const BAD = `import { readFile } from "node:fs"; // node-import
import mqtt from "mqtt"; // package-import
const ws = require("ws"); // require
export const b = Buffer.from("x"); // Buffer
function env() { return process.env.X; } // process
function later(f) { setTimeout(f, 1); } // timer
function enc(s) { return new TextEncoder().encode(s); } // TextEncoder
function say(s) { console.log(s); } // console
function now() { return performance.now(); } // performance
function g() { return globalThis; } // globalThis
function letters(s) { return /\\p{L}+/u.test(s); } // unicode-property-escape
const WORD = new RegExp("\\\\p{L}+", "u"); // unicode-property-escape
function fmt(n) { return new Intl.NumberFormat().format(n); } // Intl
function trace(e) { Error.captureStackTrace(e); } // captureStackTrace
let counter = 0; // module-let
export const registry = new Map(); // module-mutable-const
`;

/** Code that mentions the same words without being a violation. */
const GOOD = `import type { Host } from "../host.js";
import { ring } from "./ring.js";
// setTimeout, console.log, process.env and require("x") in a comment are fine
/* let x = 1; Buffer, new Map() in a block comment too */
const TABLE = Object.freeze({ a: 1, b: [1, 2] });
const KEY = /^[a-z]+$/;
const MAX = 256;
export const message = "do not call console or process here";
const tpl = \`setTimeout \${MAX / 2} Buffer\`;
export function make(host: Host) {
  let n = 0;
  const seen = new Map<string, number>();
  host.setTimer(() => { n++; }, MAX / 4);
  return { process: () => seen.size + n, console: KEY.test("a") };
}
class Worker { #process = 1; run() { return this.#process; } }
export const cfg = { retries: 3, process: 1 } as const; // module-mutable-const
`;

describe("the portability scan", () => {
  it("reports every kind of violation in a bad sample, on the right line", () => {
    const found = scanSource(BAD);
    const lines = BAD.split("\n");
    for (const [i, line] of lines.entries()) {
      const kind = /\/\/ ([\w-]+)$/.exec(line)?.[1] as ViolationKind | undefined;
      if (kind) expect(found, `line ${i + 1} raises ${kind}`).toContainEqual(expect.objectContaining({ line: i + 1, kind }));
    }
    expect(new Set(found.map((v) => v.kind)).size, "each kind is raised").toBe(15);
  });

  it("reports a file whose brackets do not balance, since its module level is unknown", () => {
    expect(scanSource("export function f() {\n  return 1;\n").map((v) => v.kind)).toEqual(["unbalanced"]);
  });

  it("ignores comments, strings, templates, properties, locals and frozen tables", () => {
    const found = scanSource(GOOD).map((v) => `${v.line}: ${v.kind}`);
    // Only the last line, an unfrozen object literal at module level, is a violation.
    expect(found).toEqual([`${GOOD.split("\n").length - 1}: module-mutable-const`]);
  });

  it("finds nothing in src/ and hosts/sim/", () => {
    const files = sourceFiles();
    expect(files, "the scan sees the sources").toContain(join("src", "index.ts"));
    expect(files, "the scan sees the sim host").toContain(join("hosts", "sim", "index.ts"));
    const report = files.flatMap((file) =>
      scanSource(readFileSync(join(root, file), "utf8")).map((v) => `${relative(root, join(root, file))}:${v.line}  ${v.kind}  ${v.text}`),
    );
    expect(report, "portable code only (DESIGN.md §2–3)").toEqual([]);
  });
});
