/**
 * Runs every core suite inside a real XS engine, in an environment frozen the way a
 * Moddable preload leaves a device (see preload.ts), and reports each result as a test.
 * A second, tiny run proves that freezing is real: known-bad code must fail in it.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { coreSuites } from "../core/suites.js";
import { reportXsRun, runEntryInXs } from "./run.js";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

interface Result {
  name: string;
  ok: boolean;
  error?: string;
}

reportXsRun("core suites inside XS", await runEntryInXs(here("./entry-core.ts")), coreSuites);

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
