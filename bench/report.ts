/** Markdown tables of the suite and heap results. */
import { BURST, type BaselineName, type EngineCase, type EngineCounters, type JobResult } from "./cases.js";

export interface HeapResult {
  engine: string;
  case: EngineCase;
  warm: number;
  values: number;
  /**
   * Growth over each successive window of `values` values. Node: V8 data heap after full
   * collections. XS: bytes the engine reserved from the system in addition.
   */
  windows: number[];
  /** XS only: live slots after a collection, and their change. */
  slotsBefore?: number;
  slotsGrowth?: number;
  counters: EngineCounters;
}

const BASELINES = ["ring", "await", "hand-off", "emitter"] as const;
/** The engine should keep at least this fraction of the await-per-value rate. */
const GOAL = 0.8;

function mps(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function pct(part: number, whole: number): string {
  if (whole === 0) return "-";
  const p = (100 * part) / whole;
  return p === 100 ? "100%" : p >= 10 ? `${p.toFixed(1)}%` : `${p.toFixed(2)}%`;
}

export function producerLabel(batch: number): string {
  return `${batch} per turn`;
}

function bufferLabel(kind: string): string {
  return kind === "spmcRing" ? "spmcRing(1024)" : `${kind}()`;
}

const BASELINE_LABEL: Readonly<Record<BaselineName, string>> = {
  ring: "baseline: ring loop",
  await: "baseline: await per value",
  "hand-off": "baseline: task hand-off",
  emitter: "baseline: emitter",
};

/** One engine's rows: baselines first, then engine cases with their ratios to each baseline. */
export function suiteTable(title: string, emitterName: string, rows: JobResult[]): string {
  const base = (name: BaselineName, taps: number) => rows.find((r) => r.job.type === "baseline" && r.job.name === name && r.job.taps === taps)?.result.mps ?? NaN;
  const out: string[] = [];
  out.push(`### ${title}`, "");
  out.push(`| case | taps | producer | M values/s | spread | delivered per tap | lagged | dropped | ÷ring | ÷await | ÷hand-off | ÷${emitterName} |`);
  out.push("|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
  const short: string[] = [];
  for (const { job, result: m } of rows) {
    const spread = `${mps(m.samples[0]!)}–${mps(m.samples[m.samples.length - 1]!)}`;
    if (job.type === "baseline") {
      const label = job.name === "emitter" ? `baseline: ${emitterName}` : BASELINE_LABEL[job.name];
      const producer = job.name === "ring" ? producerLabel(BURST) : "1 per call";
      out.push(`| ${label} | ${job.taps} | ${producer} | ${mps(m.mps)} | ${spread} | | | | | | | |`);
      continue;
    }
    const c = job.case;
    const k = m.counters!;
    const delivered = k.delivered.map((d) => pct(d, k.produced)).join(" · ");
    const ratios = BASELINES.map((b) => (m.mps / base(b, c.taps)).toFixed(2));
    const vsAwait = m.mps / base("await", c.taps);
    if (!(vsAwait >= GOAL)) short.push(`${c.kind} ×${c.taps} at ${c.batch} per turn (${vsAwait.toFixed(2)})`);
    out.push(`| engine ${bufferLabel(c.kind)} | ${c.taps} | ${producerLabel(c.batch)} | **${mps(m.mps)}** | ${spread} | ${delivered} | ${k.lagged} | ${k.dropped} | ${ratios.join(" | ")} |`);
  }
  out.push("", short.length === 0 ? `Every engine row is at least ${GOAL} × await per value.` : `Below ${GOAL} × await per value: ${short.join("; ")}.`);
  return out.join("\n");
}

function bytes(n: number): string {
  const a = Math.abs(n);
  const s = a >= 1024 * 1024 ? `${(a / 1024 / 1024).toFixed(2)} MB` : a >= 1024 ? `${(a / 1024).toFixed(1)} KB` : `${a} B`;
  return n < 0 ? `−${s}` : `+${s}`;
}

export function heapTable(results: HeapResult[]): string {
  const out: string[] = [];
  out.push("### Heap growth while values flow through a running database", "");
  out.push(
    "Full collection before and after each window. Node: V8 heap in use outside code space, after warm-up values so the JIT " +
      "has settled; three windows in a row, the median first (a leak grows in every window, a late JIT step in one). " +
      "XS (no JIT): one window; bytes the engine reserved from the system in between, and live slots after collection.",
    "",
  );
  out.push("| engine | buffer | taps | producer | warm-up | values per window | heap growth | live slots (XS) | delivered per tap | lagged |");
  out.push("|---|---|---:|---|---:|---:|---:|---:|---|---:|");
  for (const h of results) {
    const k = h.counters;
    const slots = h.slotsGrowth === undefined ? "" : `${h.slotsBefore} → ${h.slotsGrowth >= 0 ? "+" : ""}${h.slotsGrowth}`;
    const sorted = h.windows.slice().sort((a, b) => a - b);
    const median = bytes(sorted[sorted.length >> 1]!);
    const growth = h.engine === "XS" ? `${median} reserved` : h.windows.length > 1 ? `${median} (${h.windows.map(bytes).join(", ")})` : median;
    out.push(
      `| ${h.engine} | ${bufferLabel(h.case.kind)} | ${h.case.taps} | ${producerLabel(h.case.batch)} | ${h.warm.toLocaleString("en-US")} | ${h.values.toLocaleString("en-US")} | ${growth} | ${slots} | ${k.delivered.map((d) => pct(d, k.produced)).join(" · ")} | ${k.lagged} |`,
    );
  }
  return out.join("\n");
}
