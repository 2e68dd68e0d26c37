/** Runs inside XS: sends one JSON message to Node through xsnap's `issueCommand`. */

declare const issueCommand: (message: ArrayBuffer) => unknown;

export function send(message: unknown): void {
  const bytes = new TextEncoder().encode(JSON.stringify(message));
  issueCommand(bytes.buffer as ArrayBuffer);
}

/** Text of a thrown value, with the XS stack when there is one. */
export function describeThrown(err: unknown): string {
  return err instanceof Error ? `${err.message}\n${err.stack ?? ""}` : String(err);
}
