/**
 * Runs bundled code inside a real XS engine (npm @agoric/xsnap). Code in XS talks back
 * with `issueCommand(ArrayBuffer)`; each command is one JSON message.
 */
import "@endo/init/debug.js";
import { xsnap } from "@agoric/xsnap";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { tmpName } from "tmp";
import { build } from "esbuild";

/** Bundles an entry file into one script for XS (no imports left, ES2022). */
export async function bundleForXs(entry: string, options: { minify?: boolean } = {}): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    target: "es2022",
    minify: options.minify ?? false,
    // Modules are strict and the IIFE is not: without this, writes to frozen objects fail silently.
    banner: { js: '"use strict";' },
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

export interface XsRun {
  /** Messages sent with issueCommand, parsed from JSON. */
  messages: unknown[];
  /** Heap objects XS reports after the run. */
  heapCount: number;
  /** Bytes XS reports as allocated. */
  allocate: number;
}

/** A fresh XS worker without metering; each JSON message the code in it sends goes to `onMessage`. */
export function startXs(onMessage: (msg: unknown) => void) {
  const decoder = new TextDecoder();
  return xsnap({
    os: os.type(),
    spawn,
    fs: { ...fs, ...fs.promises, tmpName },
    meteringLimit: 0,
    handleCommand: async (bytes: Uint8Array) => {
      onMessage(JSON.parse(decoder.decode(bytes)));
      return new Uint8Array(0);
    },
  });
}

/** Evaluates `source` in a fresh XS worker, collecting its messages, then closes the worker. */
export async function runInXs(source: string, onMessage?: (msg: unknown) => void): Promise<XsRun> {
  const messages: unknown[] = [];
  const worker = await startXs((msg) => {
    messages.push(msg);
    onMessage?.(msg);
  });
  try {
    const result = await worker.evaluate(source);
    const meter = result.meterUsage as { currentHeapCount: number; allocate: number };
    return { messages, heapCount: meter.currentHeapCount, allocate: meter.allocate };
  } finally {
    await worker.close();
  }
}
