/**
 * Node side: bundles an XS entry, runs it in a fresh xsnap worker and keeps what it sent.
 * Never throws, so a broken run is reported by a test instead of failing collection.
 */
import { bundleForXs, runInXs } from "../support/xsnap.js";

export interface XsOutcome {
  messages: Record<string, unknown>[];
  /** Why the bundle or the worker failed, if it did. */
  error: string | undefined;
  /** Wall time of bundling plus the XS run. */
  ms: number;
}

export async function runEntryInXs(entry: string): Promise<XsOutcome> {
  const started = Date.now();
  const messages: Record<string, unknown>[] = [];
  let error: string | undefined;
  try {
    const source = await bundleForXs(entry);
    await runInXs(source, (msg) => messages.push(msg as Record<string, unknown>));
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  return { messages, error, ms: Date.now() - started };
}
