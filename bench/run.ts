/**
 * `npm run bench`: values per second through produce → buffer → taps for every buffer
 * kind, on Node and inside XS, against baselines measured in the same run and engine,
 * plus heap growth over 100,000 values; then the contract codecs, MQTT against mosquitto
 * and mqtt.js, KNX against knxd and knx.js, and WebSocket fan-out. Prints markdown
 * tables to stdout.
 *
 * Every row runs in a fresh process (Node) or worker (XS), so no row inherits another's
 * compiled code, heap or garbage. `--quiet` drops the progress lines on stderr.
 */
import os from "node:os";
import { BURST, KINDS, suiteJobs, type EngineCase, type JobResult, type SuiteOptions } from "./cases.js";
import { runNode } from "./node.js";
import { heapTable, suiteTable, type HeapResult } from "./report.js";

/** Values sent before the first heap reading: Node needs its JIT settled, XS has none. */
const HEAP_WARM = { node: 300_000, xs: 10_000 };
const HEAP_VALUES = 100_000;
const heapCases: EngineCase[] = [];
for (const kind of KINDS) heapCases.push({ kind, taps: 3, batch: BURST }, { kind, taps: 3, batch: 1 });

const quiet = process.argv.includes("--quiet");
const progress = (engine: string) => (row: JobResult) => {
  if (quiet) return;
  const j = row.job;
  const what = j.type === "engine" ? `${j.case.kind} ×${j.case.taps}, ${j.case.batch} per turn` : `${j.name} ×${j.taps}`;
  process.stderr.write(`  ${engine} ${what}: ${row.result.mps.toFixed(2)} M/s (${row.result.total} values per run)\n`);
};

async function main(): Promise<void> {
  const t0 = performance.now();
  const jobs = suiteJobs();
  const nodeOpts: SuiteOptions = { start: 20_000, targetMs: 40, warmMs: 300, reps: 5 };
  const xsOpts: SuiteOptions = { start: 5_000, targetMs: 50, warmMs: 100, reps: 5 };

  const node = await runNode(jobs, nodeOpts, heapCases, HEAP_WARM.node, HEAP_VALUES, progress("node"));
  // Loaded only now: the XS driver locks down this process's intrinsics.
  const { runXs } = await import("./xs.js");
  const xs = await runXs(jobs, xsOpts, heapCases, HEAP_WARM.xs, HEAP_VALUES, progress("xs"));
  const seconds = (performance.now() - t0) / 1000;

  const heap: HeapResult[] = [...node.heap, ...xs.heap];
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    "## aimdb-ts throughput: produce → buffer → taps",
    "",
    `Node ${process.version} and XS 13.3 (@agoric/xsnap 0.15) on ${cpu}, ${os.cpus().length} cores. Each row runs in a fresh process ` +
      `(Node) or worker (XS): warm-up, then the median of ${nodeOpts.reps} runs of ~${nodeOpts.targetMs} ms (Node) / ~${xsOpts.targetMs} ms (XS), ` +
      `each after a full collection; "spread" is min–max. The source sends "producer" values, then awaits one promise turn; each tap ` +
      `adds the value to a sum. Records without an outbound link are not timestamped, as in the runtime. ` +
      `Ratios divide the engine's median by the baseline with the same tap count in the same engine.`,
    "",
    "Baselines: ring loop = hand-written ring array written 64 at a time, one cursor per consumer, no promises (ceiling). " +
      "await per value = `await consumer(v)` of an async function, per value and consumer (the floor an async tap pays). " +
      "task hand-off = a producer task resolves the promise each consumer task awaits, then yields, one value at a time. " +
      "Emitter = synchronous listeners called per value (Node: events.EventEmitter; XS has none, so a 10-line emitter).",
    "",
    suiteTable(`Node ${process.version}`, "EventEmitter", node.rows),
    "",
    suiteTable(`XS 13.3 (xsnap; bench bundle ${(xs.bundleBytes / 1024).toFixed(1)} KB minified)`, "emitter", xs.rows),
    "",
    heapTable(heap),
    "",
    `Total bench time ${seconds.toFixed(1)} s.`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
  // The connector and codec benches, each printing its own section.
  const sections: [string, () => Promise<string>][] = [
    ["contracts", async () => (await import("./contracts.bench.js")).runContractsBench()],
    ["mqtt", async () => (await import("./mqtt.bench.js")).runMqttBench()],
    ["knx", async () => (await import("./knx.bench.js")).runKnxBench()],
    ["websocket", async () => (await import("./websocket.bench.js")).runWebSocketBench()],
  ];
  // `--core` stops after the engine tables.
  for (const [name, run] of process.argv.includes("--core") ? [] : sections) {
    if (!quiet) process.stderr.write(`  ${name} bench…\n`);
    process.stdout.write(`\n${await run()}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
