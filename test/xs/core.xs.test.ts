/**
 * Runs every core suite inside a real XS engine, in an environment frozen the way a
 * Moddable preload leaves a device (see preload.ts), and reports each result as a test.
 * A second, tiny run proves that freezing is real: known-bad code must fail in it.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { coreSuites } from "../core/suites.js";
import { runEntryInXs } from "./run.js";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Test names as runSuites forms them (`suite › test`), collected on the Node side. */
function expectedNames(): string[] {
  const names: string[] = [];
  for (const [prefix, suite] of Object.entries(coreSuites)) {
    suite({ test: (name) => void names.push(`${prefix} › ${name}`) });
  }
  return names;
}

interface Result {
  name: string;
  ok: boolean;
  error?: string;
}

const isResult = (m: Record<string, unknown>): boolean => typeof m["name"] === "string" && typeof m["ok"] === "boolean";

const coreRun = await runEntryInXs(here("./entry-core.ts"));
const coreResults = coreRun.messages.filter(isResult) as unknown as Result[];

describe("core suites inside XS", () => {
  for (const r of coreResults) {
    it(`XS: ${r.name}`, () => {
      if (r.ok) return;
      // The XS text holds the message and the XS stack (lines of the bundle); a Node
      // stack would only point at this file.
      const err = new Error(r.error ?? "failed inside XS");
      err.stack = "";
      throw err;
    });
  }

  it("XS: the run finishes and reports every test declared on the Node side", () => {
    const expected = expectedNames();
    const fatal = coreRun.messages.find((m) => "fatal" in m);
    const done = coreRun.messages.find((m) => m["done"] === true);
    expect(coreRun.error, "the bundle builds and the XS worker exits cleanly").toBeUndefined();
    expect(fatal?.["fatal"], "nothing escapes the test runner inside XS").toBeUndefined();
    if (!done) {
      // Without `done`, a test never settled (or the worker died): name the first one missing.
      const reported = new Set(coreResults.map((r) => r.name));
      const stuck = expected.find((n) => !reported.has(n));
      expect.fail(`XS stopped before reporting "${stuck ?? "?"}": a promise that never settles, or the worker ended`);
    }
    expect(expected.length, "the core suites declare at least one test").toBeGreaterThan(0);
    expect(done["count"], "XS declares as many tests as Node").toBe(expected.length);
    expect(coreResults.map((r) => r.name), "XS reports each declared test once, in order").toEqual(expected);
  });
});

const probeRun = await runEntryInXs(here("./fixtures/entry-violations.ts"));

describe("the frozen XS environment", () => {
  const outcome = (phase: string, name: string) =>
    probeRun.messages.find((m) => m["phase"] === phase && m["name"] === `probe › ${name}`) as Result | undefined;
  const bad = [
    "Error subclass assigning this.name",
    "constructor bumping a static field",
    "exported object changed by an exported function",
    "assigning toString on a plain object",
  ];

  it("runs to the end", () => {
    expect(probeRun.error).toBeUndefined();
    expect(probeRun.messages.find((m) => "fatal" in m)).toBeUndefined();
    expect(probeRun.messages.at(-1)).toEqual({ done: true });
  });

  for (const name of bad) {
    it(`lets "${name}" work before the freeze and makes it throw a TypeError after`, () => {
      expect(outcome("before", name)?.ok, "works on an unfrozen engine").toBe(true);
      const after = outcome("after", name);
      expect(after?.ok, "fails once frozen").toBe(false);
      expect(after?.error, "the engine throws a TypeError").toMatch(/^TypeError: /);
    });
  }

  it("still lets an Error subclass that declares name as a field work after the freeze", () => {
    expect(outcome("before", "Error subclass declaring name as a field")?.ok).toBe(true);
    expect(outcome("after", "Error subclass declaring name as a field")?.ok).toBe(true);
  });
});
