/** The database at run time, on the deterministic sim host: loops, faults, stop, handles, introspection. */
import { AimDbBuilder, BufferCfg, type AimDb } from "../../src/index.js";
import { SimHost } from "../../hosts/sim/index.js";
import { deepEq, eq, ok, rejectsCode, throwsCode } from "../support/check.js";
import type { Suite } from "../support/suite.js";

async function started(host: SimHost, declare: (b: AimDbBuilder) => void): Promise<AimDb> {
  const b = new AimDbBuilder(host);
  declare(b);
  const db = await b.build();
  await db.run();
  return db;
}

export const lifecycleSuite: Suite = (t) => {
  t.test("a source paced by ctx.sleep runs on virtual time and taps see every value", async () => {
    const host = new SimHost();
    const seen: number[] = [];
    const db = await started(host, (b) =>
      b.configure<number>("tick", (r) =>
        r
          .buffer(BufferCfg.spmcRing(16))
          .source(async (ctx, p) => {
            for (let i = 0; ; i++) {
              p.send(i);
              await ctx.sleep(1000);
            }
          })
          .tap((v) => {
            seen.push(v);
          }),
      ),
    );
    await host.advance(4500);
    deepEq(seen, [0, 1, 2, 3, 4], "one value per virtual second, none lost");
    await db.stop();
    eq(host.pendingTimers, 0, "stop() cancels the pending sleep");
    const info = db.records()[0]!;
    eq(info.counters.produced, 5, "produced is counted");
    deepEq(info.counters.delivered, [5], "delivered is counted per tap");
  });

  t.test("a throwing source is counted and logged, and other records keep running", async () => {
    const host = new SimHost();
    const seen: number[] = [];
    const db = await started(host, (b) => {
      b.configure<number>("bad", (r) =>
        r.buffer(BufferCfg.singleLatest()).source(async (ctx) => {
          await ctx.sleep(10);
          throw new Error("sensor unplugged");
        }),
      );
      b.configure<number>("good", (r) =>
        r
          .buffer(BufferCfg.singleLatest())
          .source(async (ctx, p) => {
            for (let i = 0; i < 3; i++) {
              await ctx.sleep(100);
              p.send(i);
            }
          })
          .tap((v) => {
            seen.push(v);
          }),
      );
    });
    await host.advance(1000);
    const bad = db.records().find((r) => r.key === "bad")!;
    eq(bad.counters.errors, 1, "the failure is counted on its record");
    ok(host.logs.some((l) => l.level === "error" && l.message.includes('"bad"') && l.message.includes("sensor unplugged")), "and logged with the record key");
    deepEq(seen, [0, 1, 2], "the other record is unaffected");
    await db.stop();
  });

  t.test("a throwing or rejecting tap is counted and the next value is still delivered", async () => {
    const host = new SimHost();
    const seen: number[] = [];
    const db = await started(host, (b) =>
      b.configure<number>("x", (r) =>
        r
          .buffer(BufferCfg.spmcRing(8))
          .tap((v) => {
            if (v === 1) throw new Error("sync failure");
            seen.push(v);
          })
          .tap(async (v) => {
            if (v === 2) throw new Error("async failure");
          }),
      ),
    );
    for (let i = 0; i < 4; i++) db.produce("x", i);
    await host.flush();
    deepEq(seen, [0, 2, 3], "values after the failure still arrive");
    const c = db.records()[0]!.counters;
    eq(c.errors, 2, "both failures are counted");
    deepEq(c.delivered, [3, 3], "each tap counts what it handled");
    await db.stop();
  });

  t.test("a slow tap never makes the producer wait; it lags and the loss is counted", async () => {
    const host = new SimHost();
    const seen: number[] = [];
    let sentAt = -1;
    const db = await started(host, (b) =>
      b.configure<number>("fast", (r) =>
        r
          .buffer(BufferCfg.spmcRing(4))
          .source(async (ctx, p) => {
            for (let i = 0; i < 20; i++) p.send(i);
            sentAt = ctx.time.now();
          })
          .tap(async (v, ctx) => {
            seen.push(v);
            await ctx.sleep(1000);
          }),
      ),
    );
    await host.flush();
    eq(sentAt, 0, "twenty sends completed at time 0, with the tap still busy");
    await host.advance(10_000);
    deepEq(seen, [16, 17, 18, 19], "the tap skipped to the oldest live values");
    eq(db.records()[0]!.counters.lagged, 16, "sixteen lost values are counted");
    await db.stop();
  });

  t.test("transforms derive values, undefined drops, and stateful transforms keep state", async () => {
    const host = new SimHost();
    const db = await started(host, (b) => {
      b.configure<number>("in", (r) => r.buffer(BufferCfg.spmcRing(8)));
      b.configure<number>("even", (r) => r.buffer(BufferCfg.spmcRing(8)).transform<number>("in", (v) => (v % 2 === 0 ? v * 10 : undefined)));
      b.configure<number>("sum", (r) =>
        r.buffer(BufferCfg.singleLatest()).transformStateful<number>("in", () => {
          let total = 0;
          return (v) => (total += v);
        }),
      );
    });
    const evens = db.subscribe<number>("even");
    for (let i = 1; i <= 4; i++) db.produce("in", i);
    await host.flush();
    deepEq([evens.tryNext(), evens.tryNext(), evens.tryNext()], [20, 40, undefined], "odd inputs were dropped");
    eq(db.peek<number>("sum"), 10, "the stateful transform accumulated 1+2+3+4");
    await db.stop();
  });

  t.test("a join combines the latest value of each input", async () => {
    const host = new SimHost();
    const db = await started(host, (b) => {
      b.configure<number>("t", (r) => r.buffer(BufferCfg.singleLatest()));
      b.configure<number>("h", (r) => r.buffer(BufferCfg.singleLatest()));
      b.configure<string>("th", (r) =>
        r.buffer(BufferCfg.spmcRing(8)).join<[number, number]>(["t", "h"], ([t, h], changed) => (t === undefined || h === undefined ? undefined : `${t}/${h}@${changed}`)),
      );
    });
    const out = db.subscribe<string>("th");
    db.produce("t", 20);
    await host.flush();
    eq(out.tryNext(), undefined, "nothing until both inputs have a value");
    db.produce("h", 50);
    await host.flush();
    db.produce("t", 21);
    await host.flush();
    deepEq([out.tryNext(), out.tryNext()], ["20/50@1", "21/50@0"], "each change re-joins with the other input's latest value");
    await db.stop();
  });

  t.test("a transform that throws is counted on its record and the stream goes on", async () => {
    const host = new SimHost();
    const db = await started(host, (b) => {
      b.configure<number>("in", (r) => r.buffer(BufferCfg.spmcRing(8)));
      b.configure<number>("inv", (r) =>
        r.buffer(BufferCfg.spmcRing(8)).transform<number>("in", (v) => {
          if (v === 0) throw new RangeError("division by zero");
          return 1 / v;
        }),
      );
    });
    const out = db.subscribe<number>("inv");
    for (const v of [2, 0, 4]) db.produce("in", v);
    await host.flush();
    deepEq([out.tryNext(), out.tryNext()], [0.5, 0.25], "good values pass");
    eq(db.records().find((r) => r.key === "inv")!.counters.errors, 1, "the failure is counted on the output record");
    await db.stop();
  });

  t.test("subscribe is an async iterator that reports lag and can be closed", async () => {
    const host = new SimHost();
    const db = await started(host, (b) => b.configure<number>("s", (r) => r.buffer(BufferCfg.spmcRing(2))));
    const lags: number[] = [];
    const sub = db.subscribe<number>("s", { onLag: (n) => lags.push(n) });
    for (let i = 0; i < 5; i++) db.produce("s", i);
    const got: number[] = [];
    for await (const v of sub) {
      got.push(v);
      if (got.length === 2) break;
    }
    deepEq(got, [3, 4], "the subscriber resumes at the oldest live value");
    deepEq(lags, [3], "onLag reports the three lost values");
    eq(sub.lost, 3, "lost counts them");
    eq(sub.closed, true, "leaving the loop closes the subscription");
    await db.stop();
  });

  t.test("a pending subscription ends when the database stops", async () => {
    const host = new SimHost();
    const db = await started(host, (b) => b.configure<number>("s", (r) => r.buffer(BufferCfg.singleLatest())));
    const sub = db.subscribe<number>("s");
    const next = sub.next();
    await db.stop();
    eq((await next).done, true, "the iterator finishes");
  });

  t.test("stop() ends every loop and resolves; later calls and handles behave", async () => {
    const host = new SimHost();
    let sourceEnded = false;
    const db = await started(host, (b) => {
      b.configure<number>("src", (r) =>
        r
          .buffer(BufferCfg.mailbox())
          .source(async (ctx, p) => {
            try {
              while (ctx.running) {
                p.send(1);
                await ctx.sleep(60_000);
              }
            } finally {
              sourceEnded = true;
            }
          })
          .tap(() => {}),
      );
      b.configure<number>("cmd", (r) => r.buffer(BufferCfg.mailbox()));
    });
    eq(db.running, true, "running after run()");
    await db.stop();
    eq(sourceEnded, true, "the sleeping source was woken and ended");
    eq(db.running, false, "not running after stop()");
    eq(db.records()[0]!.counters.errors, 0, "stopping is not an error");
    await db.stop();
    throwsCode(() => db.produce("cmd", 1), "STOPPED", "produce after stop is refused");
    await rejectsCode(db.run(), "STOPPED", "a stopped database cannot run again");
  });

  t.test("produce is refused for unknown records and records with a writer", async () => {
    const host = new SimHost();
    const db = await started(host, (b) => b.configure<number>("src", (r) => r.buffer(BufferCfg.singleLatest()).source(async () => {})));
    throwsCode(() => db.produce("nope", 1), "UNKNOWN_RECORD", "unknown key");
    throwsCode(() => db.subscribe("nope"), "UNKNOWN_RECORD", "unknown key for subscribe");
    throwsCode(() => db.peek("nope"), "UNKNOWN_RECORD", "unknown key for peek");
    const err = throwsCode(() => db.produce("src", 1), "NOT_WRITABLE", "a record with a source has one writer");
    ok(err.message.includes('"src"'), "the message names the record");
    await db.stop();
  });

  t.test("values produced between build and run reach the taps", async () => {
    const host = new SimHost();
    const seen: number[] = [];
    const b = new AimDbBuilder(host);
    b.configure<number>("x", (r) => r.buffer(BufferCfg.spmcRing(4)).tap((v) => void seen.push(v)));
    const db = await b.build();
    db.produce("x", 1);
    await db.run();
    await host.flush();
    deepEq(seen, [1], "no value is missed before run()");
    await db.stop();
  });

  t.test("the context gives monotonic and wall time from the host", async () => {
    const host = new SimHost({ startMs: 500 });
    const times: (number | undefined)[] = [];
    const db = await started(host, (b) =>
      b.configure<number>("x", (r) =>
        r.buffer(BufferCfg.singleLatest()).source(async (ctx) => {
          times.push(ctx.time.now(), ctx.time.unixMs());
          await ctx.sleep(250);
          times.push(ctx.time.now(), ctx.time.unixMs());
        }),
      ),
    );
    host.setWallClock(1_700_000_000_000);
    await host.advance(250);
    deepEq(times, [500, undefined, 750, 1_700_000_000_250], "unixMs is undefined until the host knows the wall clock");
    await db.stop();
  });

  t.test("records() and graph() describe the graph", async () => {
    const host = new SimHost();
    const db = await started(host, (b) => {
      b.configure<number>("c", (r) => r.buffer(BufferCfg.mailbox()).join<[number, number]>(["a", "b"], () => 1));
      b.configure<number>("b", (r) => r.buffer(BufferCfg.spmcRing(3)).transform<number>("a", (v) => v));
      b.configure<number>("a", (r) => r.buffer(BufferCfg.singleLatest()).source(async () => {}));
      b.configure<number>("p", (r) => r.buffer(BufferCfg.mailbox()).tap(() => {}).tap(() => {}));
    });
    const g = db.graph();
    deepEq(g.order, ["a", "p", "b", "c"], "inputs come before outputs");
    deepEq(
      g.edges.map((e) => `${e.from}->${e.to}:${e.kind}`),
      ["a->c:join", "b->c:join", "a->b:transform"],
      "one edge per input",
    );
    const info = db.records().map((r) => `${r.key}:${r.origin}:${r.buffer.kind}/${r.buffer.capacity}:${r.counters.delivered.length}`);
    deepEq(info, ["a:source:singleLatest/1:0", "p:passive:mailbox/1:2", "b:transform:spmcRing/3:0", "c:join:mailbox/1:0"], "origin, buffer and taps per record");
    await db.stop();
  });
};
