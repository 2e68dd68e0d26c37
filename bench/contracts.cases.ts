/**
 * The contract codec benchmark, written with the language and `src/` only, so the same
 * code runs on Node and, bundled, inside XS. Each row times one operation on a weather
 * reading; baselines are JSON.stringify and JSON.parse of the same object, in the same
 * engine and the same run.
 */
import { contract } from "../src/contracts/index.js";
import { utf8Encode } from "../src/core/utf8.js";

export const Weather = contract("weather.reading", 1, {
  station: "string", celsius: "f32", humidity: "f32", pressure: "f32", timestamp: "u64",
});

export const reading: typeof Weather.Type = { station: "alpha-01", celsius: 21.5, humidity: 48.5, pressure: 1013.25, timestamp: 1718000000000 };

export interface CodecRow {
  op: string;
  /** Operations per second, median of the runs. */
  opsPerSec: number;
  /** Slowest and fastest run. */
  min: number;
  max: number;
  /** Bytes of the payload this row writes or reads. */
  bytes: number;
  /** The row this one is compared with. */
  baseline: string;
}

export interface CodecOptions {
  /** Shortest timed run, in ms. */
  targetMs: number;
  reps: number;
}

/** Times `fn(n)` (which runs the operation n times) as operations per second, median of `reps`. */
function measure(now: () => number, fn: (n: number) => number, opts: CodecOptions): { med: number; min: number; max: number; sink: number } {
  let n = 256;
  let sink = 0;
  for (;;) {
    const t0 = now();
    sink += fn(n);
    if (now() - t0 >= opts.targetMs || n >= 1 << 24) break;
    n *= 2;
  }
  const rates: number[] = [];
  for (let r = 0; r < opts.reps; r++) {
    const t0 = now();
    sink += fn(n);
    rates.push((n * 1000) / (now() - t0));
  }
  rates.sort((a, b) => a - b);
  return { med: rates[rates.length >> 1]!, min: rates[0]!, max: rates[rates.length - 1]!, sink };
}

/** Runs every row. `sink` is returned so no engine can drop the work. */
export function runCodecBench(now: () => number, opts: CodecOptions): { rows: CodecRow[]; sink: number } {
  const text = JSON.stringify(reading);
  const binary = Weather.encode(reading);
  const json = Weather.encodeJson(reading);
  const textBytes = utf8Encode(text).length;
  const { encode, encodeJson, decode } = Weather;
  const cases: { op: string; bytes: number; baseline: string; fn: (n: number) => number }[] = [
    { op: "JSON.stringify", bytes: textBytes, baseline: "JSON.stringify", fn: (n) => { let s = 0; for (let i = 0; i < n; i++) s += JSON.stringify(reading).length; return s; } },
    { op: "encode (binary)", bytes: binary.length, baseline: "JSON.stringify", fn: (n) => { let s = 0; for (let i = 0; i < n; i++) s += encode(reading).length; return s; } },
    { op: "encodeJson", bytes: json.length, baseline: "JSON.stringify", fn: (n) => { let s = 0; for (let i = 0; i < n; i++) s += encodeJson(reading).length; return s; } },
    { op: "JSON.parse", bytes: textBytes, baseline: "JSON.parse", fn: (n) => { let s = 0; for (let i = 0; i < n; i++) s += (JSON.parse(text) as { celsius: number }).celsius; return s; } },
    { op: "decode (binary)", bytes: binary.length, baseline: "JSON.parse", fn: (n) => { let s = 0; for (let i = 0; i < n; i++) s += decode(binary).celsius; return s; } },
    { op: "decode (JSON)", bytes: json.length, baseline: "JSON.parse", fn: (n) => { let s = 0; for (let i = 0; i < n; i++) s += decode(json).celsius; return s; } },
  ];
  const rows: CodecRow[] = [];
  let sink = 0;
  for (const c of cases) {
    const m = measure(now, c.fn, opts);
    sink += m.sink;
    rows.push({ op: c.op, opsPerSec: m.med, min: m.min, max: m.max, bytes: c.bytes, baseline: c.baseline });
  }
  return { rows, sink };
}

function rate(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : `${(x / 1e3).toFixed(1)} k/s`;
}

/** One markdown table of both engines' rows. */
export function codecTable(engines: { engine: string; rows: CodecRow[] }[]): string {
  const lines = [
    "| engine | operation | ops/s (median) | spread | vs baseline | bytes/value |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const { engine, rows } of engines) {
    for (const r of rows) {
      const base = rows.find((b) => b.op === r.baseline)!;
      const ratio = r === base ? "1.00× (baseline)" : `${(r.opsPerSec / base.opsPerSec).toFixed(2)}× ${r.baseline}`;
      lines.push(`| ${engine} | ${r.op} | ${rate(r.opsPerSec)} | ${rate(r.min)}–${rate(r.max)} | ${ratio} | ${r.bytes} |`);
    }
  }
  return lines.join("\n");
}
