/**
 * Bundled and run inside XS by contracts.xs.test.ts. The imports are evaluated first,
 * unfrozen, as modules are during a Moddable preload; then the built-ins and every export
 * of the runtime are frozen, and only then do the contract suites run.
 *
 * Messages: one `TestResult` per test, then `{ done: true, count }`, or `{ fatal }`.
 */
import * as core from "../../src/index.js";
import { runSuites } from "../support/suite.js";
import { simulatePreload } from "../xs/preload.js";
import { describeThrown, send } from "../xs/report.js";
import { contractSuites } from "./suites.js";

async function main(): Promise<void> {
  simulatePreload([core]);
  const count = await runSuites(contractSuites, send);
  send({ done: true, count });
}

main().catch((err: unknown) => send({ fatal: describeThrown(err) }));
