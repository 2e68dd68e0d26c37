/** Builder validation: every configuration problem is found, and all are reported together. */
import { AimDbBuilder, BufferCfg, ConfigError, type ConnectorBuilder } from "../../src/index.js";
import { simHost } from "../../hosts/sim/index.js";
import { deepEq, eq, fail, ok, rejectsCode } from "../support/check.js";
import type { Suite } from "../support/suite.js";

const fakeConnector = (scheme: string): ConnectorBuilder => ({
  scheme,
  build: async () => ({ publish: async () => {}, close: async () => {} }),
});
const ser = (v: number) => new Uint8Array([v]);
const de = (b: Uint8Array) => b[0]!;

/** The problems a failing build reports, as "code key" strings. */
async function problemsOf(builder: AimDbBuilder): Promise<string[]> {
  try {
    await builder.build();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    eq(err.code, "CONFIG", "a ConfigError has code CONFIG");
    return err.problems.map((p) => `${p.code} ${p.key}`);
  }
  return fail("build() must throw a ConfigError");
}

async function expectOne(builder: AimDbBuilder, code: string, key: string): Promise<void> {
  deepEq(await problemsOf(builder), [`${code} ${key}`], `build() reports ${code} for "${key}"`);
}

export const builderSuite: Suite = (t) => {
  t.test("a valid configuration builds", async () => {
    const b = new AimDbBuilder(simHost()).withConnector(fakeConnector("mqtt"));
    b.configure<number>("a.raw", (r) => r.buffer(BufferCfg.spmcRing(8)).source(async () => {}));
    b.configure<number>("a.scaled", (r) => r.buffer(BufferCfg.singleLatest()).transform<number>("a.raw", (v) => v * 2).linkTo("mqtt://a/scaled").withSerializer(ser));
    b.configure<number>("a.cmd", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("mqtt://a/cmd").withDeserializer(de).linkFrom("mqtt://a/cmd2").withDeserializer(de));
    const db = await b.build();
    deepEq(db.graph().order, ["a.raw", "a.cmd", "a.scaled"], "the topological order puts inputs first");
  });

  t.test("a duplicate key is reported", async () => {
    const b = new AimDbBuilder(simHost());
    b.configure("x", (r) => r.buffer(BufferCfg.mailbox()));
    b.configure("x", (r) => r.buffer(BufferCfg.mailbox()));
    await expectOne(b, "DUPLICATE_KEY", "x");
  });

  t.test("a malformed key is reported", async () => {
    for (const key of ["", "a..b", ".a", "a.", "a b", "a/b"]) {
      const b = new AimDbBuilder(simHost());
      b.configure(key, (r) => r.buffer(BufferCfg.mailbox()));
      await expectOne(b, "BAD_KEY", key);
    }
  });

  t.test("a record without a buffer is reported", async () => {
    const b = new AimDbBuilder(simHost());
    b.configure("x", () => {});
    await expectOne(b, "NO_BUFFER", "x");
  });

  t.test("a ring capacity that is not a positive integer is reported", async () => {
    for (const n of [0, -1, 1.5, Number.NaN, 1e9]) {
      const b = new AimDbBuilder(simHost());
      b.configure("x", (r) => r.buffer(BufferCfg.spmcRing(n)));
      await expectOne(b, "BAD_CAPACITY", "x");
    }
  });

  t.test("two writers on one record are reported, several linkFrom are not", async () => {
    const pairs: [string, (r: import("../../src/index.js").RecordRegistrar<number>) => void][] = [
      ["source+source", (r) => r.source(async () => {}).source(async () => {})],
      ["source+transform", (r) => r.source(async () => {}).transform("in", (v) => v as number)],
      ["transform+join", (r) => r.transform("in", (v) => v as number).join(["in"], () => 1)],
      ["join+linkFrom", (r) => r.join(["in"], () => 1).linkFrom("mqtt://t").withDeserializer(de)],
    ];
    for (const [name, declare] of pairs) {
      const b = new AimDbBuilder(simHost()).withConnector(fakeConnector("mqtt"));
      b.configure<number>("in", (r) => r.buffer(BufferCfg.mailbox()));
      b.configure<number>("x", (r) => declare(r.buffer(BufferCfg.mailbox())));
      deepEq(await problemsOf(b), ["MULTIPLE_WRITERS x"], `${name} is two writers`);
    }
  });

  t.test("a transform or join input that does not exist is reported", async () => {
    const b = new AimDbBuilder(simHost());
    b.configure<number>("t", (r) => r.buffer(BufferCfg.mailbox()).transform("nope", (v) => v as number));
    b.configure<number>("j", (r) => r.buffer(BufferCfg.mailbox()).join(["t", "missing"], () => 1));
    deepEq(await problemsOf(b), ["UNKNOWN_INPUT t", "UNKNOWN_INPUT j"], "each unknown input is named");
  });

  t.test("a cycle is reported with the records on it", async () => {
    const b = new AimDbBuilder(simHost());
    b.configure<number>("a", (r) => r.buffer(BufferCfg.mailbox()).transform<number>("c", (v) => v));
    b.configure<number>("b", (r) => r.buffer(BufferCfg.mailbox()).transform<number>("a", (v) => v));
    b.configure<number>("c", (r) => r.buffer(BufferCfg.mailbox()).join<[number]>(["b"], ([v]) => v));
    try {
      await b.build();
      fail("a cycle must not build");
    } catch (err) {
      const p = (err as ConfigError).problems;
      eq(p.length, 1, "one CYCLE problem");
      eq(p[0]!.code, "CYCLE", "coded CYCLE");
      ok(/a, b, c/.test(p[0]!.message), "the message names every record on the cycle");
    }
  });

  t.test("links without serializer or deserializer are reported", async () => {
    const b = new AimDbBuilder(simHost()).withConnector(fakeConnector("mqtt"));
    b.configure<number>("out", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://o"));
    b.configure<number>("in", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("mqtt://i"));
    deepEq(await problemsOf(b), ["NO_SERIALIZER out", "NO_DESERIALIZER in"], "both are reported");
  });

  t.test("a link whose scheme has no connector is reported", async () => {
    const b = new AimDbBuilder(simHost()).withConnector(fakeConnector("mqtt"));
    b.configure<number>("x", (r) => r.buffer(BufferCfg.mailbox()).linkTo("knx://1/2/3").withSerializer(ser));
    await expectOne(b, "NO_CONNECTOR", "x");
  });

  t.test("bad link URLs are reported", async () => {
    for (const url of ["mqtt:/x", "mqtt://", "MQTT://x", "mqtt://a b", "mqtt://x?%zz=1", "mqtt://x?=1", "mqtt://x?a=1&a=2", "no-scheme"]) {
      const b = new AimDbBuilder(simHost()).withConnector(fakeConnector("mqtt"));
      b.configure<number>("x", (r) => r.buffer(BufferCfg.mailbox()).linkTo(url).withSerializer(ser));
      await expectOne(b, "BAD_URL", "x");
    }
  });

  t.test("misplaced link options and a throwing configure callback are reported", async () => {
    const b = new AimDbBuilder(simHost());
    b.configure<number>("a", (r) => r.buffer(BufferCfg.mailbox()).withSerializer(ser));
    b.configure<number>("b", () => {
      throw new Error("boom");
    });
    deepEq(await problemsOf(b), ["CONFIGURE_FAILED b", "MISPLACED_OPTION a", "NO_BUFFER b"], "each is reported");
  });

  t.test("several problems are reported together in one ConfigError", async () => {
    const b = new AimDbBuilder(simHost());
    b.configure<number>("ok", (r) => r.buffer(BufferCfg.mailbox()));
    b.configure<number>("nobuf", (r) => r.source(async () => {}));
    b.configure<number>("ring", (r) => r.buffer(BufferCfg.spmcRing(0)));
    b.configure<number>("link", (r) => r.buffer(BufferCfg.mailbox()).linkTo("ws://x"));
    b.configure<number>("ok", (r) => r.buffer(BufferCfg.mailbox()));
    const problems = await problemsOf(b);
    deepEq(problems.slice().sort(), ["BAD_CAPACITY ring", "DUPLICATE_KEY ok", "NO_BUFFER nobuf", "NO_CONNECTOR link", "NO_SERIALIZER link"], "all five problems at once");
  });

  t.test("the ConfigError message names every record", async () => {
    const b = new AimDbBuilder(simHost());
    b.configure("first", () => {});
    b.configure("second", () => {});
    try {
      await b.build();
    } catch (err) {
      ok((err as Error).message.includes('record "first"') && (err as Error).message.includes('record "second"'), "both keys appear in the message");
      eq((err as Error).name, "ConfigError", "the error is named ConfigError");
      return;
    }
    fail("build() must throw");
  });

  t.test("a builder builds once", async () => {
    const b = new AimDbBuilder(simHost());
    await b.build();
    await rejectsCode(b.build(), "ALREADY_BUILT", "a second build() is refused");
  });

  t.test("two connectors for one scheme are reported", async () => {
    const b = new AimDbBuilder(simHost()).withConnector(fakeConnector("mqtt")).withConnector(fakeConnector("mqtt"));
    await expectOne(b, "DUPLICATE_CONNECTOR", "");
  });
};
