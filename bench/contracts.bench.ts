/**
 * Contract codecs: encode and decode throughput and bytes per value of a weather reading,
 * binary and JSON, against JSON.stringify/JSON.parse of the same object, on Node and
 * inside XS (xsnap). `npx tsx bench/contracts.bench.ts` prints the markdown table;
 * `runContractsBench()` returns it.
 *
 * Node runs first: loading the XS driver locks down this realm's intrinsics, which must
 * not touch the Node figures.
 */
import { runIfMain } from "./main.js";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { codecTable, runCodecBench, type CodecOptions, type CodecRow } from "./contracts.cases.js";

const NODE_OPTS: CodecOptions = { targetMs: 50, reps: 7 };
const XS_OPTS: CodecOptions = { targetMs: 50, reps: 7 };

async function runXsRows(opts: CodecOptions): Promise<{ rows: CodecRow[]; bundleBytes: number }> {
  const { bundleForXs, runInXs } = await import("../test/support/xsnap.js");
  const bundle = await bundleForXs(fileURLToPath(new URL("./contracts.xs-entry.ts", import.meta.url)), { minify: true });
  const run = await runInXs(`globalThis.contractsBenchOptions = ${JSON.stringify(opts)};\n${bundle}`);
  const msg = run.messages[0] as { rows?: CodecRow[]; error?: string } | undefined;
  if (!msg?.rows) throw new Error(`the XS bench failed: ${msg?.error ?? "no result"}`);
  return { rows: msg.rows, bundleBytes: bundle.length };
}

/** Runs the bench on Node, then inside XS; returns a markdown section. */
export async function runContractsBench(): Promise<string> {
  const node = runCodecBench(() => performance.now(), NODE_OPTS);
  const xs = await runXsRows(XS_OPTS);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return [
    "## aimdb-ts contracts: codec throughput",
    "",
    `A weather reading \`{station: "alpha-01", celsius, humidity, pressure (f32), timestamp (u64)}\`. Node ${process.version} and ` +
      `XS 13.3 (@agoric/xsnap, bench bundle ${(xs.bundleBytes / 1024).toFixed(1)} KB minified) on ${cpu}. Median of ${NODE_OPTS.reps} timed runs ` +
      `of at least ${NODE_OPTS.targetMs} ms each after calibration; spread is min–max. Ratios divide by JSON.stringify (encoders) or ` +
      "JSON.parse (decoders) of the same object, same engine, same run. The baselines make a string; the codecs make or read a " +
      "Uint8Array and check every field. Bytes: UTF-8 length of the payload.",
    "",
    codecTable([
      { engine: `Node ${process.version}`, rows: node.rows },
      { engine: "XS 13.3", rows: xs.rows },
    ]),
  ].join("\n");
}

runIfMain(import.meta.url, runContractsBench);
