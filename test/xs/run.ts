/**
 * Node side: bundles an XS entry, runs it in a fresh xsnap worker and keeps what it sent.
 * Never throws, so a broken run is reported by a test instead of failing collection.
 */
import { describe, expect, it } from "vitest";
import type { Suite } from "../support/suite.js";
import { bundleForXs, runInXs } from "../support/xsnap.js";

export interface XsOutcome {
  messages: Record<string, unknown>[];
  /** Why the bundle or the worker failed, if it did. */
  error: string | undefined;
  /** Wall time of bundling plus the XS run. */
  ms: number;
}

export async function runEntryInXs(entry: string): Promise<XsOutcome> {
  const started = Date.now();
  const messages: Record<string, unknown>[] = [];
  let error: string | undefined;
  try {
    const source = await bundleForXs(entry);
    await runInXs(source, (msg) => messages.push(msg as Record<string, unknown>));
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  return { messages, error, ms: Date.now() - started };
}

interface Result {
  name: string;
  ok: boolean;
  error?: string;
}

/**
 * Declares one vitest test per result an XS run reported for `suites`, and one that
 * checks the run finished and reported every test declared on the Node side, in order.
 */
export function reportXsRun(title: string, run: XsOutcome, suites: Record<string, Suite>): void {
  const results = run.messages.filter((m) => typeof m["name"] === "string" && typeof m["ok"] === "boolean") as unknown as Result[];
  const expected: string[] = [];
  for (const [prefix, suite] of Object.entries(suites)) suite({ test: (name) => void expected.push(`${prefix} › ${name}`) });

  describe(title, () => {
    for (const r of results) {
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
      const done = run.messages.find((m) => m["done"] === true);
      expect(run.error, "the bundle builds and the XS worker exits cleanly").toBeUndefined();
      expect(run.messages.find((m) => "fatal" in m)?.["fatal"], "nothing escapes the test runner inside XS").toBeUndefined();
      if (!done) {
        // Without `done`, a test never settled (or the worker died): name the first one missing.
        const reported = new Set(results.map((r) => r.name));
        const stuck = expected.find((n) => !reported.has(n));
        expect.fail(`XS stopped before reporting "${stuck ?? "?"}": a promise that never settles, or the worker ended`);
      }
      expect(expected.length, "the suites declare at least one test").toBeGreaterThan(0);
      expect(done["count"], "XS declares as many tests as Node").toBe(expected.length);
      expect(results.map((r) => r.name), "XS reports each declared test once, in order").toEqual(expected);
    });
  });
}
