/**
 * Bundled and evaluated inside XS (xsnap) by contracts.bench.ts: runs the codec rows with
 * XS's own clock and sends them back as one JSON message through `issueCommand`.
 */
import { runCodecBench, type CodecOptions } from "./contracts.cases.js";

interface XsGlobals {
  issueCommand(message: ArrayBufferLike): ArrayBuffer;
  performance: { now(): number };
  contractsBenchOptions: CodecOptions;
}

const xs = globalThis as unknown as XsGlobals;
const send = (x: unknown) => xs.issueCommand(new TextEncoder().encode(JSON.stringify(x)).buffer);

try {
  const { rows, sink } = runCodecBench(() => xs.performance.now(), xs.contractsBenchOptions);
  send({ rows, sink });
} catch (err) {
  send({ error: err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err) });
}
