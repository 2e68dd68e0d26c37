/**
 * One measurement on Node, in a process of its own (started with --expose-gc; heap cases
 * also with --no-flush-bytecode, so shed bytecode does not read as the heap shrinking),
 * so no row inherits another's compiled code or heap. Reads its job from argv, prints one
 * JSON line.
 */
import { EventEmitter } from "node:events";
import v8 from "node:v8";
import { openHeapRig, runJob, type BenchEnv, type EngineCase, type Job, type SuiteOptions } from "./cases.js";

export type NodeTask = { kind: "row"; job: Job; opts: SuiteOptions } | { kind: "heap"; case: EngineCase; warm: number; values: number; windows: number };

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("start this with node --expose-gc");

const env: BenchEnv = {
  now: () => performance.now(),
  gc,
  emitter: () => new EventEmitter(),
  emitterName: "EventEmitter",
  timers: { set: (cb, ms) => setTimeout(cb, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
};

/** Bytes of data in use after full collections (compiled code is left out: the JIT grows and sheds it). */
function usedHeap(): number {
  gc!();
  gc!();
  let used = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (!space.space_name.startsWith("code")) used += space.space_used_size;
  }
  return used;
}

async function main(task: NodeTask): Promise<unknown> {
  if (task.kind === "row") return runJob(task.job, env, task.opts);
  const rig = await openHeapRig(task.case, env);
  await rig.advance(task.warm);
  // Several windows in a row: a leak grows every one, a late JIT step shows in one only.
  const windows: number[] = [];
  let before = usedHeap();
  for (let w = 0; w < task.windows; w++) {
    await rig.advance(task.values);
    const after = usedHeap();
    windows.push(after - before);
    before = after;
  }
  const counters = rig.counters();
  await rig.close();
  return { windows, counters };
}

main(JSON.parse(process.argv[2]!) as NodeTask).then(
  (out) => process.stdout.write(JSON.stringify(out) + "\n"),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
