/**
 * Node side: bundles `node-child.ts` once and runs every row and heap case in a fresh
 * `node --expose-gc` process, one after another.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { EngineCase, EngineCounters, Job, JobResult, Measured, SuiteOptions } from "./cases.js";
import type { NodeTask } from "./node-child.js";
import type { HeapResult } from "./report.js";

function runChild(script: string, task: NodeTask): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const flags = task.kind === "heap" ? ["--expose-gc", "--no-flush-bytecode"] : ["--expose-gc"];
    const child = spawn(process.execPath, [...flags, script, JSON.stringify(task)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`node child exited ${code}: ${err.trim()}`));
    });
  });
}

export async function runNode(jobs: Job[], opts: SuiteOptions, heapCases: EngineCase[], warm: number, values: number, onRow: (row: JobResult) => void): Promise<{ rows: JobResult[]; heap: HeapResult[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aimdb-bench-"));
  try {
    const script = path.join(dir, "node-child.mjs");
    await build({
      entryPoints: [fileURLToPath(new URL("./node-child.ts", import.meta.url))],
      bundle: true,
      outfile: script,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "silent",
    });
    const rows: JobResult[] = [];
    for (const job of jobs) {
      const row: JobResult = { job, result: (await runChild(script, { kind: "row", job, opts })) as Measured };
      rows.push(row);
      onRow(row);
    }
    const heap: HeapResult[] = [];
    for (const c of heapCases) {
      const out = (await runChild(script, { kind: "heap", case: c, warm, values, windows: 3 })) as { windows: number[]; counters: EngineCounters };
      heap.push({ engine: "Node", case: c, warm, values, windows: out.windows, counters: out.counters });
    }
    return { rows, heap };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
