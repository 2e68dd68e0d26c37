import type { Suite } from "../support/suite.js";
import { eq, ok, throwsCode, rejectsCode } from "../support/check.js";
import { AimDbBuilder, BufferCfg, utf8Decode, utf8Encode, ConfigError } from "../../src/index.js";
import { simHost } from "../../hosts/sim/index.js";
import { coreSuites as real } from "../core/suites.js";

const tmp: Suite = (t) => {
  t.test("utf8 round trip", () => eq(utf8Decode(utf8Encode("h€llo 😀")), "h€llo 😀", "round trips"));
  t.test("bad utf8 has code", () => void throwsCode(() => utf8Decode(new Uint8Array([0xff])), "BAD_UTF8", "code"));
  t.test("a source feeds a tap through a ring", async () => {
    const host = simHost();
    const seen: number[] = [];
    const db = await new AimDbBuilder(host)
      .configure<number>("a.b", (reg) =>
        reg
          .buffer(BufferCfg.spmcRing(8))
          .source(async (ctx, p) => {
            for (let i = 0; i < 3; i++) {
              p.send(i);
              await ctx.sleep(1000);
            }
          })
          .tap((v) => void seen.push(v)),
      )
      .build();
    await db.run();
    await host.advance(5000);
    eq(seen.join(","), "0,1,2", "every value reaches the tap in order");
    await db.stop();
  });
  t.test("config errors are collected", async () => {
    const e = await rejectsCode(new AimDbBuilder(simHost()).configure("bad key!", () => {}).build(), "CONFIG", "config");
    ok(e instanceof ConfigError, "is ConfigError");
    eq(e.name, "ConfigError", "name is a field");
  });
  t.test("DELIBERATE failure", () => eq(1, 2, "fails on purpose"));
};

export const coreSuites: Record<string, Suite> = { ...real, tmp };
