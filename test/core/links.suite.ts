/**
 * linkTo / linkFrom end to end: two databases joined by the sim host's loop bus.
 * Runs under vitest and inside XS.
 */
import { AimDbBuilder, BufferCfg, topicMatches, utf8Decode, utf8Encode, type AimDb, type InboundMeta, type OutboundMeta, type RecordRegistrar } from "../../src/index.js";
import { LoopBus, SimHost } from "../../hosts/sim/index.js";
import { deepEq, eq, ok, rejectsCode } from "../support/check.js";
import type { Suite } from "../support/suite.js";

const num = {
  ser: (v: number) => utf8Encode(String(v)),
  de: (b: Uint8Array) => {
    const n = Number(utf8Decode(b));
    if (!Number.isFinite(n) || b.length === 0) throw new TypeError("not a number");
    return n;
  },
};

/** A minimal envelope codec: `value|sender|seq|issuedAt`. */
const env = {
  ser: (v: number, m: OutboundMeta) => utf8Encode(`${v}|${m.sender}|${m.seq}|${m.issuedAt ?? ""}`),
  de: (b: Uint8Array, m: InboundMeta) => {
    const [v, sender, seq, at] = utf8Decode(b).split("|");
    m.sender = sender;
    m.seq = Number(seq);
    m.issuedAt = at ? Number(at) : undefined;
    return Number(v);
  },
};

async function pair(
  host: SimHost,
  bus: LoopBus,
  sensor: (b: AimDbBuilder) => void,
  hub: (b: AimDbBuilder) => void,
): Promise<{ a: AimDb; b: AimDb }> {
  const ba = new AimDbBuilder(host).withConnector(bus.connector()).withSenderId("sensor-a");
  sensor(ba);
  const bb = new AimDbBuilder(host).withConnector(bus.connector());
  hub(bb);
  const a = await ba.build();
  const b = await bb.build();
  await b.run();
  await a.run();
  return { a, b };
}

const link = (db: AimDb, key: string, i = 0) => db.records().find((r) => r.key === key)!.links[i]!;
const passive = <T>(r: RecordRegistrar<T>, cfg = BufferCfg.spmcRing(64)) => r.buffer(cfg);

export const linksSuite: Suite = (t) => {
  t.test("values flow from linkTo to linkFrom in order and are counted on both ends", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const { a, b } = await pair(
      host,
      bus,
      (s) => s.configure<number>("temp", (r) => passive(r).linkTo("loop://weather/alpha/temp").withSerializer(num.ser)),
      (h) => h.configure<number>("alpha.temp", (r) => passive(r).linkFrom("loop://weather/alpha/temp").withDeserializer(num.de)),
    );
    const got = b.subscribe<number>("alpha.temp");
    for (let i = 0; i < 10; i++) a.produce("temp", i);
    await host.flush();
    const seen: number[] = [];
    for (let v = got.tryNext(); v !== undefined; v = got.tryNext()) seen.push(v);
    deepEq(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "every value arrives once, in order");
    eq(link(a, "temp").counters.sent, 10, "sent is counted on the linkTo");
    eq(link(b, "alpha.temp").counters.received, 10, "received is counted on the linkFrom");
    eq(link(b, "alpha.temp").state, "up", "the connector reported the link up");
    eq(b.records()[0]!.origin, "link", "the hub record's writer is its link");
    await a.stop();
    await b.stop();
    eq(link(a, "temp").state, "down", "a stopped connector's links are down");
  });

  t.test("after the stop grace, a connector that holds a value is handed no more", async () => {
    const host = new SimHost({ onLog: () => {} });
    const bus = new LoopBus(host);
    const { a, b } = await pair(
      host,
      bus,
      (s) => s.configure<number>("temp", (r) => passive(r).linkTo("loop://t").withSerializer(num.ser)),
      (h) => h.configure<number>("t", (r) => passive(r).linkFrom("loop://t").withDeserializer(num.de)),
    );
    bus.stall();
    for (let i = 1; i <= 4; i++) a.produce("temp", i);
    await host.flush();
    const stopping = a.stop({ graceMs: 100 });
    await host.advance(200);
    await stopping;
    bus.resume();
    await host.flush();
    eq(bus.published, 1, "only the value the connector held went out; the stopped database handed over nothing more");
    await b.stop();
  });

  t.test("withTopic picks the destination per value; wildcard linkFrom sees the matched topic", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const topics: string[] = [];
    const { a, b } = await pair(
      host,
      bus,
      (s) =>
        s.configure<{ station: string; c: number }>("reading", (r) =>
          passive(r)
            .linkTo("loop://weather")
            .withTopic((v) => `weather/${v.station}/temp`)
            .withSerializer((v) => utf8Encode(String(v.c))),
        ),
      (h) =>
        h.configure<string>("all", (r) =>
          passive(r)
            .linkFrom("loop://weather/+/temp")
            .withDeserializer((bytes, meta) => {
              topics.push(meta.topic);
              return `${meta.topic.split("/")[1]}=${utf8Decode(bytes)}`;
            }),
        ),
    );
    const sub = b.subscribe<string>("all");
    a.produce("reading", { station: "alpha", c: 20 });
    a.produce("reading", { station: "beta", c: 18 });
    await host.flush();
    deepEq([sub.tryNext(), sub.tryNext()], ["alpha=20", "beta=18"], "each value went to its station's topic");
    deepEq(topics, ["weather/alpha/temp", "weather/beta/temp"], "the deserializer saw the concrete topic");
    await a.stop();
    await b.stop();
  });

  t.test("several linkFrom on one record fan in", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const b = await new AimDbBuilder(host)
      .withConnector(bus.connector())
      .configure<number>("any", (r) => passive(r).linkFrom("loop://x").withDeserializer(num.de).linkFrom("loop://y").withDeserializer(num.de))
      .build();
    await b.run();
    const sub = b.subscribe<number>("any");
    bus.inject("x", utf8Encode("1"));
    bus.inject("y", utf8Encode("2"));
    deepEq([sub.tryNext(), sub.tryNext()], [1, 2], "both addresses write the record");
    await b.stop();
  });

  t.test("a stalled connector never blocks the producer; a ring link skips and counts", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const { a, b } = await pair(
      host,
      bus,
      (s) => s.configure<number>("temp", (r) => passive(r, BufferCfg.spmcRing(8)).linkTo("loop://t").withSerializer(num.ser)),
      (h) => h.configure<number>("temp", (r) => passive(r, BufferCfg.spmcRing(256)).linkFrom("loop://t").withDeserializer(num.de)),
    );
    const got = b.subscribe<number>("temp");
    bus.stall();
    a.produce("temp", 0);
    await host.flush();
    for (let i = 1; i <= 100; i++) a.produce("temp", i);
    eq(a.records()[0]!.counters.produced, 101, "all 101 sends returned at once while the bus was stalled");
    bus.resume();
    await host.flush();
    const seen: number[] = [];
    for (let v = got.tryNext(); v !== undefined; v = got.tryNext()) seen.push(v);
    deepEq(seen, [0, 93, 94, 95, 96, 97, 98, 99, 100], "the value in flight, then the ring's last 8");
    eq(link(a, "temp").counters.lagged, 92, "the 92 values that fell out of the ring are counted on the link");
    eq(link(a, "temp").counters.sent, 9, "what was sent is counted");
    await a.stop();
    await b.stop();
  });

  t.test("a singleLatest link sends only the newest pending value; a mailbox link sends each taken command once", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const { a, b } = await pair(
      host,
      bus,
      (s) => {
        s.configure<number>("state", (r) => r.buffer(BufferCfg.singleLatest()).linkTo("loop://state").withSerializer(num.ser));
        s.configure<number>("cmd", (r) => r.buffer(BufferCfg.mailbox()).linkTo("loop://cmd").withSerializer(num.ser));
      },
      (h) => {
        h.configure<number>("state", (r) => passive(r).linkFrom("loop://state").withDeserializer(num.de));
        h.configure<number>("cmd", (r) => passive(r).linkFrom("loop://cmd").withDeserializer(num.de));
      },
    );
    const state = b.subscribe<number>("state");
    const cmd = b.subscribe<number>("cmd");
    bus.stall();
    a.produce("state", 1);
    a.produce("cmd", 1);
    await host.flush();
    for (let i = 2; i <= 5; i++) {
      a.produce("state", i);
      a.produce("cmd", i);
    }
    bus.resume();
    await host.flush();
    const drain = (s: typeof state) => {
      const out: number[] = [];
      for (let v = s.tryNext(); v !== undefined; v = s.tryNext()) out.push(v);
      return out;
    };
    deepEq(drain(state), [1, 5], "state: the value in flight, then only the newest");
    deepEq(drain(cmd), [1, 5], "commands: the one taken, then the latest instruction");
    eq(a.records().find((r) => r.key === "cmd")!.counters.dropped, 3, "overwritten commands are counted");
    await a.stop();
    await b.stop();
  });

  t.test("serialize, publish and deserialize failures are counted and never stop the flow", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const { a, b } = await pair(
      host,
      bus,
      (s) =>
        s.configure<number>("n", (r) =>
          passive(r)
            .linkTo("loop://n")
            .withSerializer((v) => {
              if (v < 0) throw new RangeError("negative");
              return num.ser(v);
            }),
        ),
      (h) => h.configure<number>("n", (r) => passive(r).linkFrom("loop://n").withDeserializer(num.de)),
    );
    const sub = b.subscribe<number>("n");
    a.produce("n", -1);
    a.produce("n", 1);
    await host.flush();
    bus.fail(new Error("broker said no"));
    a.produce("n", 2);
    await host.flush();
    bus.fail(undefined);
    bus.inject("n", utf8Encode("garbage"));
    bus.inject("n", new Uint8Array([0xff, 0xfe]));
    a.produce("n", 3);
    await host.flush();
    deepEq([sub.tryNext(), sub.tryNext(), sub.tryNext()], [1, 3, undefined], "good values still arrive");
    const out = link(a, "n").counters;
    const inn = link(b, "n").counters;
    deepEq([out.serializeErrors, out.publishErrors, out.sent], [1, 1, 2], "outbound failures are counted");
    deepEq([inn.deserializeErrors, inn.received], [2, 4], "bad inbound bytes are counted and dropped");
    ok(host.logs.some((l) => l.message.includes("deserialize failed")), "the failure is logged once");
    await a.stop();
    await b.stop();
  });

  t.test("a delivery that fails after the connector accepted it is counted on its link", async () => {
    const host = new SimHost();
    let report: ((linkId: number, err: Error) => void) | undefined;
    const later = {
      scheme: "later",
      build: async (ctx: { reportPublishError(id: number, e: Error): void }) => {
        report = (id, e) => ctx.reportPublishError(id, e);
        return { publish: async () => {}, close: async () => {} };
      },
    };
    const db = await new AimDbBuilder(host)
      .withConnector(later)
      .configure<number>("a", (r) => passive(r).linkTo("later://a").withSerializer(num.ser))
      .configure<number>("b", (r) => passive(r).linkTo("later://b").withSerializer(num.ser))
      .build();
    await db.run();
    db.produce("b", 1);
    await host.flush();
    report!(1, new Error("not authorised"));
    deepEq(db.records().map((r) => [r.key, r.links[0]!.counters.sent, r.links[0]!.counters.publishErrors]), [["a", 0, 0], ["b", 1, 1]], "the refusal is counted on link 1 only");
    await db.stop();
  });

  t.test("inbound payloads for no linkFrom are counted per connector", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const b = await new AimDbBuilder(host).withConnector(bus.connector()).configure<number>("x", (r) => passive(r).linkFrom("loop://x").withDeserializer(num.de)).build();
    await b.run();
    eq(bus.inject("nobody/listens", utf8Encode("1")), 0, "deliver reports no taker");
    deepEq(b.connectors(), [{ scheme: "loop", started: true, links: 1, unknownTopics: 1 }], "the unknown topic is counted");
    await b.stop();
  });

  t.test("link state follows the connector", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const b = await new AimDbBuilder(host).withConnector(bus.connector()).configure<number>("x", (r) => passive(r).linkFrom("loop://x").withDeserializer(num.de)).build();
    eq(link(b, "x").state, "down", "down before run");
    await b.run();
    eq(link(b, "x").state, "up", "up once the connector says so");
    bus.setState("down");
    eq(link(b, "x").state, "down", "down when the connector loses its peer");
    await b.stop();
  });

  t.test("link options are normalised and checked at build, connector-specific ones by the connector", async () => {
    const host = new SimHost();
    let seen: Readonly<Record<string, unknown>> | undefined;
    const strict = {
      scheme: "strict",
      validateLink: (l: { config: Readonly<Record<string, unknown>> }) => ("colour" in l.config ? `unknown option "colour"` : undefined),
      build: async () => ({ publish: async (_d: string, c: Readonly<Record<string, unknown>>) => void (seen = c), close: async () => {} }),
    };
    const bad = new AimDbBuilder(host).withConnector(strict);
    bad.configure<number>("a", (r) => passive(r).linkTo("strict://t?qos=3").withSerializer(num.ser));
    bad.configure<number>("b", (r) => passive(r).linkTo("strict://t?colour=red").withSerializer(num.ser));
    bad.configure<number>("c", (r) => passive(r).linkTo("strict://t").withConfig("retain", "maybe").withSerializer(num.ser));
    bad.configure<number>("d", (r) => passive(r).linkFrom("strict://t").withDeserializer(num.de).maxAgeMs(-5));
    bad.configure<number>("e", (r) => passive(r).linkTo("strict://t").withSerializer(num.ser).ordered());
    try {
      await bad.build();
      ok(false, "bad options must not build");
    } catch (err) {
      deepEq(
        (err as { problems: { code: string; key: string }[] }).problems.map((p) => `${p.code} ${p.key}`),
        ["BAD_LINK_OPTION a", "BAD_LINK_OPTION b", "BAD_LINK_OPTION c", "BAD_LINK_OPTION d", "MISPLACED_OPTION e"],
        "each bad option is reported with its record",
      );
    }
    const good = new AimDbBuilder(host).withConnector(strict);
    good.configure<number>("a", (r) => passive(r).linkTo("strict://t?qos=1&retain=true").withConfig("timeoutMs", "250").withSerializer(num.ser));
    const db = await good.build();
    await db.run();
    db.produce("a", 1);
    await host.flush();
    deepEq(seen && { qos: seen.qos, retain: seen.retain, timeoutMs: seen.timeoutMs }, { qos: 1, retain: true, timeoutMs: 250 }, "the connector gets typed options");
    await db.stop();
  });

  t.test("a connector that fails to start makes run() reject and stops the database", async () => {
    const host = new SimHost();
    const broken = { scheme: "broken", build: async () => Promise.reject(new Error("no route to host")) };
    const db = await new AimDbBuilder(host).withConnector(broken).configure<number>("x", (r) => passive(r).linkTo("broken://x").withSerializer(num.ser)).build();
    const err = await rejectsCode(db.run(), "CONNECTOR_FAILED", "run() names the failure");
    ok(err.message.includes("broken") && err.message.includes("no route to host"), "with the scheme and the cause");
    eq(db.running, false, "the database is stopped");
  });

  t.test("the sender fills the envelope: its id, a per-link sequence and the produce time", async () => {
    const host = new SimHost({ wallClockMs: 1_000_000 });
    const bus = new LoopBus(host);
    const metas: string[] = [];
    const { a, b } = await pair(
      host,
      bus,
      (s) => s.configure<number>("v", (r) => passive(r).linkTo("loop://v").withSerializer(env.ser)),
      (h) =>
        h.configure<number>("v", (r) =>
          passive(r)
            .linkFrom("loop://v")
            .withDeserializer((bytes, m) => {
              const v = env.de(bytes, m);
              metas.push(`${m.sender}#${m.seq}@${m.issuedAt}`);
              return v;
            }),
        ),
    );
    bus.stall();
    a.produce("v", 1);
    await host.advance(500);
    a.produce("v", 2);
    bus.resume();
    await host.flush();
    deepEq(metas, ["sensor-a#1@1000000", "sensor-a#2@1000500"], "issue time is when the value was produced, not sent");
    await a.stop();
    await b.stop();
  });

  t.test("maxAgeMs drops values issued too long ago and counts values it cannot judge", async () => {
    const host = new SimHost({ wallClockMs: 5_000_000 });
    const bus = new LoopBus(host);
    const b = await new AimDbBuilder(host).withConnector(bus.connector()).configure<number>("sp", (r) => passive(r).linkFrom("loop://sp").withDeserializer(env.de).maxAgeMs(1000)).build();
    await b.run();
    const sub = b.subscribe<number>("sp");
    bus.inject("sp", utf8Encode("1|s|1|4999500")); // 500 ms old: applied
    bus.inject("sp", utf8Encode("2|s|2|4990000")); // 10 s old: stale
    bus.inject("sp", utf8Encode("3|s|3|")); // no issue time: applied, age unknown
    host.setWallClock(undefined);
    bus.inject("sp", utf8Encode("4|s|4|4999999")); // receiver clock unknown: applied, age unknown
    deepEq([sub.tryNext(), sub.tryNext(), sub.tryNext(), sub.tryNext()], [1, 3, 4, undefined], "only the stale value is dropped");
    const c = link(b, "sp").counters;
    deepEq([c.stale, c.ageUnknown], [1, 2], "stale and unjudged values are counted");
    await b.stop();
  });

  t.test("ordered() drops older values and duplicates per sender", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const b = await new AimDbBuilder(host).withConnector(bus.connector()).configure<number>("sp", (r) => passive(r).linkFrom("loop://sp").withDeserializer(env.de).ordered()).build();
    await b.run();
    const sub = b.subscribe<number>("sp");
    for (const [v, s, q] of [[10, "a", 1], [30, "a", 3], [20, "a", 2], [31, "a", 3], [5, "b", 1], [40, "a", 4]] as const) bus.inject("sp", utf8Encode(`${v}|${s}|${q}|`));
    const seen: number[] = [];
    for (let v = sub.tryNext(); v !== undefined; v = sub.tryNext()) seen.push(v);
    deepEq(seen, [10, 30, 5, 40], "the late seq 2 and the repeated seq 3 are dropped; sender b is independent");
    const c = link(b, "sp").counters;
    deepEq([c.outOfOrder, c.duplicates], [1, 1], "both are counted");
    await b.stop();
  });

  t.test("deduplicate() applies a redelivered value once but keeps late ones", async () => {
    const host = new SimHost();
    const bus = new LoopBus(host);
    const b = await new AimDbBuilder(host).withConnector(bus.connector()).configure<number>("sp", (r) => passive(r).linkFrom("loop://sp").withDeserializer(env.de).deduplicate()).build();
    await b.run();
    const sub = b.subscribe<number>("sp");
    for (const q of [1, 2, 4, 3, 2, 4, 5, 5]) bus.inject("sp", utf8Encode(`${q}|a|${q}|`));
    const seen: number[] = [];
    for (let v = sub.tryNext(); v !== undefined; v = sub.tryNext()) seen.push(v);
    deepEq(seen, [1, 2, 4, 3, 5], "each (sender, seq) is applied exactly once, late ones included");
    eq(link(b, "sp").counters.duplicates, 3, "three repeats are counted");
    await b.stop();
  });

  t.test("MQTT-style topic filters match as the specification says", () => {
    const cases: [string, string, boolean][] = [
      ["a/b", "a/b", true], ["a/+", "a/b", true], ["a/+", "a/b/c", false], ["a/#", "a", true], ["a/#", "a/b/c", true],
      ["#", "a/b", true], ["+", "a/b", false], ["a/+/c", "a/x/c", true], ["a/+/c", "a/x/d", false], ["#", "$SYS/x", false],
      ["+/x", "$SYS/x", false], ["a/b", "a/b/", false], ["a/+", "a/", true], ["sport/+", "sport", false], ["sport/#", "sport", true],
      ["/+", "/finance", true], ["+/+", "/finance", true], ["+", "/finance", false], ["a/#", "ab", false],
    ];
    for (const [f, topic, want] of cases) eq(topicMatches(f, topic), want, `${f} vs ${topic}`);
  });
};
