/**
 * Runs every contract suite inside a real XS engine, frozen the way a Moddable preload
 * leaves a device, and reports each result as a test. The golden vectors pass there
 * byte for byte, so Node and XS write and read the same payloads.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runEntryInXs } from "../xs/run.js";
import { contractSuites } from "./suites.js";

interface Result {
  name: string;
  ok: boolean;
  error?: string;
}

/** Test names as runSuites forms them (`suite › test`), collected on the Node side. */
function expectedNames(): string[] {
  const names: string[] = [];
  for (const [prefix, suite] of Object.entries(contractSuites)) suite({ test: (name) => void names.push(`${prefix} › ${name}`) });
  return names;
}

const run = await runEntryInXs(fileURLToPath(new URL("./xs-entry.ts", import.meta.url)));
const results = run.messages.filter((m) => typeof m["name"] === "string" && typeof m["ok"] === "boolean") as unknown as Result[];

describe("contract suites inside XS", () => {
  for (const r of results) {
    it(`XS: ${r.name}`, () => {
      if (r.ok) return;
      const err = new Error(r.error ?? "failed inside XS");
      err.stack = "";
      throw err;
    });
  }

  it("XS: the run finishes and reports every test declared on the Node side", () => {
    expect(run.error, "the bundle builds and the XS worker exits cleanly").toBeUndefined();
    expect(run.messages.find((m) => "fatal" in m)?.["fatal"], "nothing escapes the runner inside XS").toBeUndefined();
    const done = run.messages.find((m) => m["done"] === true);
    expect(done, "XS reports the end of the run").toBeDefined();
    expect(results.map((r) => r.name), "XS reports each declared test once, in order").toEqual(expectedNames());
  });
});
