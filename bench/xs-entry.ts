/**
 * Bundled into one script and evaluated inside XS (xsnap). Installs `aimdbBench` on the
 * global object; each call reports back with `issueCommand` (one JSON message).
 */
import { TinyEmitter, openHeapRig, runJob, type BenchEnv, type EngineCase, type HeapRig, type Job, type SuiteOptions } from "./cases.js";

interface XsGlobals {
  issueCommand(message: ArrayBufferLike): ArrayBuffer;
  gc(): void;
  performance: { now(): number };
  aimdbBench: unknown;
}

const xs = globalThis as unknown as XsGlobals;
const encoder = new TextEncoder();

function send(message: unknown): void {
  xs.issueCommand(encoder.encode(JSON.stringify(message)).buffer);
}

function fail(err: unknown): void {
  send({ type: "error", error: err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err) });
}

const env: BenchEnv = {
  now: () => xs.performance.now(),
  gc: () => xs.gc(),
  emitter: () => new TinyEmitter(),
  emitterName: "emitter (10-line)",
};

const state: { rig: HeapRig | undefined } = { rig: undefined };

xs.aimdbBench = {
  row(job: Job, opts: SuiteOptions): void {
    runJob(job, env, opts).then((result) => send({ type: "row", result }), fail);
  },
  heapOpen(c: EngineCase): void {
    openHeapRig(c, env).then((rig) => {
      state.rig = rig;
    }, fail);
  },
  heapAdvance(n: number): void {
    state.rig!.advance(n).then(() => undefined, fail);
  },
  heapClose(): void {
    const rig = state.rig!;
    state.rig = undefined;
    const counters = rig.counters();
    rig.close().then(() => send({ type: "heap", counters }), fail);
  },
};
