/**
 * What every part of the MQTT bench shares: the repository root, the payload, ring and
 * batch sizes, how many messages and runs each measurement takes, the progress line on
 * stderr (off with `--quiet`), number formatting, and waiting helpers.
 */
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Payload bytes of every message (throughput and latency). */
export const PAYLOAD_BYTES = 64;
/** The record's ring, and how many values the producer sends before yielding a turn. */
export const RING = 1024;
export const BATCH = 256;
/** Messages per timed throughput run, by QoS, and per warm-up run. */
export const THROUGHPUT_N: Readonly<Record<0 | 1, number>> = { 0: 20_000, 1: 10_000 };
export const WARM_N = 5_000;
export const THROUGHPUT_REPS = 5;
/** Latency: messages per second, seconds per run, runs. */
export const LAT_RATE = 2_000;
export const LAT_MS = 1_000;
export const LAT_WARM_MS = 300;
export const LAT_REPS = 5;
/** A run that has not finished after this long failed (a lost message, a stuck client). */
export const RUN_TIMEOUT_MS = 20_000;

export const quiet = process.argv.includes("--quiet");
export const progress = (line: string) => {
  if (!quiet) process.stderr.write(`  mqtt ${line}\n`);
};

/** An integer with thousands separators (no toLocaleString: it is tamed after a lockdown). */
export const int = (x: number) => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
export const ms3 = (x: number) => (x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const turn = () => new Promise<void>((r) => setImmediate(r));

export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(1);
  }
}
