/**
 * Bundled and run inside XS by core.xs.test.ts. The imports below are evaluated first,
 * unfrozen, like modules during a Moddable preload; then the built-ins and every export
 * of the runtime and the sim host are frozen, and only then do the core suites run.
 *
 * Messages: one `TestResult` per test, then `{ done: true, count }`; an error that
 * escapes the runner becomes `{ fatal }` instead of silently ending the worker.
 */
import * as core from "../../src/index.js";
import * as sim from "../../hosts/sim/index.js";
import { coreSuites } from "../core/suites.js";
import { runSuites } from "../support/suite.js";
import { simulatePreload } from "./preload.js";
import { describeThrown, send } from "./report.js";

async function main(): Promise<void> {
  simulatePreload([core, sim]);
  const count = await runSuites(coreSuites, send);
  send({ done: true, count });
}

main().catch((err: unknown) => send({ fatal: describeThrown(err) }));
