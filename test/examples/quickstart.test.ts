import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { simHost } from "../../hosts/sim/index.js";
import { buildQuickstart } from "../../examples/quickstart/graph.js";

describe("quick-start example", () => {
  it("produces, derives and joins on virtual time", async () => {
    const host = simHost({ seed: 3 });
    const lines: string[] = [];
    const db = await buildQuickstart(host, (l) => lines.push(l));
    await db.run();
    await host.advance(10_000);
    await db.stop();
    const byKey = Object.fromEntries(db.records().map((r) => [r.key, r.counters]));
    expect(byKey["room.temp"]!.produced).toBe(41); // t = 0, 250, …, 10000
    expect(byKey["room.temp_f"]!.produced).toBe(41);
    expect(byKey["room.humidity"]!.produced).toBe(11);
    expect(byKey["room.temp"]!.lagged).toBe(0);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/comfort: (cool|comfortable|warm)/);
    const summary = db.peek<{ celsius: number; humidity: number }>("room.summary")!;
    expect(summary.celsius).toBeCloseTo(db.peek<{ celsius: number }>("room.temp")!.celsius);
    expect(summary.humidity).toBe(db.peek<number>("room.humidity"));
  });

  it("runs from the command line as `npm start` does and exits cleanly", () => {
    const run = spawnSync("npx", ["tsx", "examples/quickstart/main.ts", "--seconds", "1.2"], { encoding: "utf8", timeout: 30_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("6 records running");
    expect(run.stdout).toMatch(/room\.temp\s+source\s+spmcRing\s+produced=[1-9]/);
  });
});
