/**
 * XS side: bundles `xs-entry.ts` once and evaluates it in a fresh xsnap worker per row
 * and per heap case. Timing happens inside XS with its own clock. Heap figures come from
 * xsnap's meter, read after an evaluation that only runs `gc()`.
 */
import "@endo/init/debug.js";
import { fileURLToPath } from "node:url";
import { bundleForXs, startXs } from "../test/support/xsnap.js";
import type { EngineCase, EngineCounters, Job, JobResult, Measured, SuiteOptions } from "./cases.js";
import type { HeapResult } from "./report.js";

interface Meter {
  currentHeapCount: number;
  allocate: number;
}

type Message = { type: "row"; result: Measured } | { type: "heap"; counters: EngineCounters } | { type: "error"; error: string };

/** A worker with the bench loaded; `evaluate` resolves once XS has no job left. */
async function openWorker(bundle: string) {
  const inbox: Message[] = [];
  const worker = await startXs((msg) => inbox.push(msg as Message));
  const evaluate = async (source: string): Promise<Meter> => {
    const result = await worker.evaluate(source);
    const failed = inbox.find((m) => m.type === "error");
    if (failed && failed.type === "error") throw new Error(`inside XS: ${failed.error}`);
    return result.meterUsage as unknown as Meter;
  };
  await evaluate(bundle);
  return { evaluate, inbox, close: () => worker.close() };
}

export async function runXs(jobs: Job[], opts: SuiteOptions, heapCases: EngineCase[], warm: number, values: number, onRow: (row: JobResult) => void): Promise<{ rows: JobResult[]; heap: HeapResult[]; bundleBytes: number }> {
  const bundle = await bundleForXs(fileURLToPath(new URL("./xs-entry.ts", import.meta.url)), { minify: true });
  const rows: JobResult[] = [];
  for (const job of jobs) {
    const xs = await openWorker(bundle);
    try {
      await xs.evaluate(`aimdbBench.row(${JSON.stringify(job)}, ${JSON.stringify(opts)})`);
      const msg = xs.inbox.find((m) => m.type === "row");
      if (!msg || msg.type !== "row") throw new Error(`XS sent no result for ${JSON.stringify(job)}`);
      const row: JobResult = { job, result: msg.result };
      rows.push(row);
      onRow(row);
    } finally {
      await xs.close();
    }
  }
  const heap: HeapResult[] = [];
  for (const c of heapCases) {
    const xs = await openWorker(bundle);
    try {
      await xs.evaluate(`aimdbBench.heapOpen(${JSON.stringify(c)})`);
      await xs.evaluate(`aimdbBench.heapAdvance(${warm})`);
      const before = await xs.evaluate("gc()");
      await xs.evaluate(`aimdbBench.heapAdvance(${values})`);
      const after = await xs.evaluate("gc()");
      await xs.evaluate("aimdbBench.heapClose()");
      const msg = xs.inbox.find((m) => m.type === "heap");
      if (!msg || msg.type !== "heap") throw new Error("XS sent no heap counters");
      heap.push({
        engine: "XS",
        case: c,
        warm,
        values,
        windows: [after.allocate - before.allocate],
        slotsBefore: before.currentHeapCount,
        slotsGrowth: after.currentHeapCount - before.currentHeapCount,
        counters: msg.counters,
      });
    } finally {
      await xs.close();
    }
  }
  return { rows, heap, bundleBytes: bundle.length };
}
