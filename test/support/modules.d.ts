declare module "@agoric/xsnap" {
  export function xsnap(options: Record<string, unknown>): Promise<{
    evaluate(source: string): Promise<{ reply: Uint8Array; meterUsage: Record<string, unknown> }>;
    close(): Promise<void>;
    terminate(): Promise<void>;
  }>;
}
declare module "tmp" {
  export function tmpName(...args: unknown[]): unknown;
}
