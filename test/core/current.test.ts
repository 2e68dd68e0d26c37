/**
 * `ConnectorContext.current(linkId)`: the record's current value serialized with the
 * link's serializer, for connectors that answer reads (KNX `respond=true`).
 */
import { describe, expect, it } from "vitest";
import { AimDbBuilder, BufferCfg, utf8Decode, utf8Encode } from "../../src/index.js";
import type { ConnectorContext } from "../../src/connectors/spi.js";
import { SimHost } from "../../hosts/sim/index.js";

describe("ConnectorContext.current", () => {
  it("serializes the current value of a linkTo, and of a linkFrom given a serializer", async () => {
    const host = new SimHost();
    let ctx: ConnectorContext | undefined;
    const b = new AimDbBuilder(host).withConnector({
      scheme: "t",
      build: async (c) => {
        ctx = c;
        return { publish: async () => {}, close: async () => {} };
      },
    });
    const ser = (s: string) => utf8Encode(s);
    const de = (bytes: Uint8Array) => utf8Decode(bytes);
    b.configure<string>("out", (r) => r.buffer(BufferCfg.singleLatest()).linkTo("t://out").withSerializer(ser));
    b.configure<string>("in", (r) => r.buffer(BufferCfg.singleLatest()).linkFrom("t://in").withDeserializer(de).withSerializer(ser));
    b.configure<string>("plain", (r) => r.buffer(BufferCfg.singleLatest()).linkFrom("t://plain").withDeserializer(de));
    b.configure<string>("bad", (r) =>
      r.buffer(BufferCfg.singleLatest()).linkTo("t://bad").withSerializer(() => {
        throw new Error("no");
      }),
    );
    const db = await b.build();
    await db.run();
    const id = (key: string) => ctx!.links.find((l) => l.recordKey === key)!.id;
    expect(ctx!.current(id("out")), "no value yet").toBeUndefined();
    db.produce("out", "a");
    ctx!.deliver("in", utf8Encode("b"));
    ctx!.deliver("plain", utf8Encode("c"));
    db.produce("bad", "d");
    await host.advance(1);
    expect(utf8Decode(ctx!.current(id("out"))!)).toBe("a");
    expect(utf8Decode(ctx!.current(id("in"))!), "a linkFrom with withSerializer").toBe("b");
    expect(ctx!.current(id("plain")), "a linkFrom without a serializer").toBeUndefined();
    const errors = db.records().find((r) => r.key === "bad")!.links[0]!.counters.serializeErrors;
    expect(ctx!.current(id("bad")), "a throwing serializer").toBeUndefined();
    expect(db.records().find((r) => r.key === "bad")!.links[0]!.counters.serializeErrors, "is counted").toBe(errors + 1);
    await db.stop();
  });
});
