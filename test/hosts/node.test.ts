import { describe, expect, it } from "vitest";
import { AimDbBuilder, BufferCfg, type LogLevel } from "../../src/index.js";
import { nodeHost } from "../../hosts/node/index.js";

describe("Node host", () => {
  it("runs a source on real timers and stops it promptly", async () => {
    const host = nodeHost({ onLog: () => {} });
    const seen: number[] = [];
    const b = new AimDbBuilder(host);
    b.configure<number>("tick", (r) =>
      r
        .buffer(BufferCfg.spmcRing(64))
        .source(async (ctx, p) => {
          for (let i = 0; ; i++) {
            p.send(i);
            await ctx.sleep(5);
          }
        })
        .tap((v) => void seen.push(v)),
    );
    const db = await b.build();
    await db.run();
    await new Promise((r) => setTimeout(r, 120));
    const t0 = performance.now();
    await db.stop();
    expect(performance.now() - t0).toBeLessThan(100);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen).toEqual(seen.map((_, i) => i));
  });

  it("gives a monotonic clock and the wall clock", () => {
    const host = nodeHost();
    const a = host.now();
    const b = host.now();
    expect(b).toBeGreaterThanOrEqual(a);
    expect(Math.abs(host.unixMs()! - Date.now())).toBeLessThan(1000);
  });

  it("filters log lines below the chosen level", () => {
    const lines: [LogLevel, string][] = [];
    const host = nodeHost({ logLevel: "warn", onLog: (l, m) => lines.push([l, m]) });
    host.log("info", "quiet");
    host.log("error", "loud");
    expect(lines).toEqual([["error", "loud"]]);
  });

  it("rejects malformed UTF-8 with the same code as the portable codec", () => {
    expect(() => nodeHost().utf8.decode(new Uint8Array([0xc3]))).toThrowError(expect.objectContaining({ code: "BAD_UTF8" }));
  });
});
