/**
 * The node-side `websocketClient` connector and the browser client (with npm `ws` as its
 * WebSocket) against a hub on the Node host: subscriptions, writes, refusals, and
 * reconnecting to a restarted hub.
 */
import { afterEach, describe, expect, it } from "vitest";
import { build } from "esbuild";
import { WebSocket } from "ws";
import { AimDbBuilder, BufferCfg, type AimDb } from "../../../src/index.js";
import { websocketClient } from "../../../src/connectors/websocket/index.js";
import { browserClient, type BrowserClient, type WebSocketConstructor } from "../../../src/connectors/websocket/browser.js";
import { quiet, setpointJson, Setpoint, startHub, Temperature, until, type Hub } from "./ws-support.js";

type T = typeof Temperature.Type;
const stops: (() => unknown)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});
const timers = { set: (fn: () => void, ms: number) => setTimeout(fn, ms), clear: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };

async function hubFor(port?: number): Promise<Hub> {
  const h = await startHub({}, port);
  stops.push(() => h.db.stop());
  return h;
}

async function node(url: string, token = "admin"): Promise<AimDb> {
  const b = new AimDbBuilder(quiet()).withConnector(websocketClient({ url, token, backoff: { initialMs: 50, maxMs: 200 } }));
  b.configure<T>("temps", (r) => r.buffer(BufferCfg.spmcRing(64)).linkFrom("ws://station.*.temp").withDeserializer(Temperature.decode));
  b.configure<typeof Setpoint.Type>("setpoint", (r) => r.buffer(BufferCfg.mailbox()).linkTo("ws://station.alpha.setpoint").withSerializer(Setpoint.encodeJson));
  b.configure<typeof Setpoint.Type>("wrong", (r) => r.buffer(BufferCfg.mailbox()).linkTo("ws://station.alpha.temp").withSerializer(Setpoint.encodeJson));
  b.configure<typeof Setpoint.Type>("binary", (r) => r.buffer(BufferCfg.mailbox()).linkTo("ws://station.alpha.setpoint").withSerializer(Setpoint.encode));
  const db = await b.build();
  stops.push(() => db.stop());
  return db;
}

describe("websocketClient connector", () => {
  it("receives the hub's records by pattern and writes to writable ones", async () => {
    const hub = await hubFor();
    hub.db.produce("station.alpha.temp", { celsius: 20, at: 1 });
    const db = await node(hub.url);
    const temps = db.subscribe<T>("temps");
    await db.run();
    const seen: T[] = [];
    const reading = (async () => {
      for await (const v of temps) if (seen.push(v) === 3) break;
    })();
    await until(() => seen.length === 1, "the snapshot");
    hub.db.produce("station.beta.temp", { celsius: 5, at: 2 });
    hub.db.produce("station.alpha.temp", { celsius: 21, at: 3 });
    await reading;
    expect(seen).toEqual([{ celsius: 20, at: 1 }, { celsius: 5, at: 2 }, { celsius: 21, at: 3 }]);
    db.produce("setpoint", { celsius: 19.5 });
    db.produce("wrong", { celsius: 1 });
    db.produce("binary", { celsius: 1 });
    await until(() => hub.db.peek("station.alpha.setpoint") !== undefined, "the write");
    expect(hub.db.peek("station.alpha.setpoint")).toEqual({ celsius: 19.5 });
    const links = () => db.records().flatMap((r) => r.links);
    await until(() => links()[2]!.counters.publishErrors === 1 && links()[3]!.counters.publishErrors === 1, "the refusals");
    expect(links().map((l) => [l.state, l.counters.sent, l.counters.publishErrors])).toEqual([["up", 0, 0], ["up", 1, 0], ["up", 0, 1], ["up", 0, 1]]);
    expect(db.connectors()[0]!.detail).toMatchObject({ connected: true, connects: 1, snapshots: 1, events: 2, writes: 1, writeErrors: 1 });
  });

  it("reconnects to a restarted hub and subscribes again", async () => {
    const first = await startHub();
    const db = await node(first.url);
    await db.run();
    await until(() => db.records()[0]!.links[0]!.state === "up", "up");
    await first.db.stop();
    await until(() => db.records()[0]!.links[0]!.state === "down", "down");
    const second = await hubFor(first.port);
    second.db.produce("station.alpha.temp", { celsius: 30, at: 9 });
    const temps = db.subscribe<T>("temps");
    const got = await temps.next();
    expect(got.value).toEqual({ celsius: 30, at: 9 });
    expect(db.connectors()[0]!.detail).toMatchObject({ connects: 2, disconnects: 1 });
  });

  it("keeps retrying a hub that refuses its token, with the reason in lastError", async () => {
    const hub = await hubFor();
    const db = await node(hub.url, "nobody");
    await db.run();
    await until(() => String((db.connectors()[0]!.detail as Record<string, unknown>)["lastError"]).includes("4001"), "the refusal");
    expect(db.records()[0]!.links[0]!.state).toBe("down");
  });
});

describe("browser client", () => {
  const open = (url: string, token = "admin"): BrowserClient => {
    const c = browserClient({ url, token, WebSocket: WebSocket as unknown as WebSocketConstructor, timers, backoff: { initialMs: 50, maxMs: 200 } });
    stops.push(() => c.close());
    return c;
  };

  it("mirrors subscribed records, tells listeners, and writes with acknowledgement", async () => {
    const hub = await hubFor();
    hub.db.produce("station.alpha.temp", { celsius: 20, at: 1 });
    hub.db.produce("station.alpha.mode", "auto");
    const c = open(hub.url);
    const changes: string[] = [];
    c.onChange((key, e) => changes.push(`${key}#${e.seq}`));
    await c.subscribe(["station.alpha.*"]);
    expect(c.state).toBe("open");
    expect(c.offers.find((o) => o.key === "station.alpha.setpoint")).toEqual({ key: "station.alpha.setpoint", writable: true });
    expect(c.records.get("station.alpha.mode")).toEqual({ seq: 1, value: "auto" });
    hub.db.produce("station.alpha.temp", { celsius: 21, at: 2 });
    hub.db.produce("station.beta.temp", { celsius: 0, at: 2 });
    await until(() => c.records.get("station.alpha.temp")?.seq === 2, "the event");
    expect(Temperature.decode(new TextEncoder().encode(JSON.stringify(c.records.get("station.alpha.temp")!.value)))).toEqual({ celsius: 21, at: 2 });
    expect(c.records.has("station.beta.temp")).toBe(false);
    expect(changes.sort()).toEqual(["station.alpha.mode#1", "station.alpha.temp#1", "station.alpha.temp#2"]);
    await c.write("station.alpha.setpoint", setpointJson(17));
    expect(hub.db.peek("station.alpha.setpoint")).toEqual({ celsius: 17 });
    await expect(c.write("station.alpha.mode", "off")).rejects.toMatchObject({ code: "WS_NOT_WRITABLE" });
    await expect(c.write("station.alpha.setpoint", { celsius: 17 })).rejects.toMatchObject({ code: "WS_BAD_VALUE" });
    await expect(c.subscribe(["a.#.b"])).rejects.toMatchObject({ code: "WS_BAD_PATTERN" });
    await c.unsubscribe(["station.alpha.*"]);
    expect(c.records.size).toBe(0);
  });

  it("gets WS_FORBIDDEN for a write outside its grants", async () => {
    const hub = await hubFor();
    const c = open(hub.url, "viewer");
    await c.subscribe(["#"]);
    await expect(c.write("station.alpha.setpoint", setpointJson(1))).rejects.toMatchObject({ code: "WS_FORBIDDEN" });
  });

  it("reconnects with backoff and resubscribes; a refused token closes it for good", async () => {
    const first = await startHub();
    const c = open(first.url);
    const states: string[] = [];
    c.onState((s) => states.push(s));
    await c.subscribe(["station.#"]);
    await first.db.stop();
    await until(() => c.state === "connecting", "connecting");
    await expect(c.write("station.alpha.setpoint", setpointJson(1))).rejects.toMatchObject({ code: "WS_NOT_CONNECTED" });
    const second = await hubFor(first.port);
    second.db.produce("station.beta.temp", { celsius: 4, at: 4 });
    await until(() => c.records.get("station.beta.temp") !== undefined, "the snapshot after reconnecting");
    expect(states).toEqual(["open", "connecting", "open"]);
    const refused = open(second.url, "nobody");
    await until(() => refused.state === "closed", "closed");
    expect(refused.lastError).toBe("closed 4001 unauthorized");
  });

  it("bundles for the browser with esbuild, without Node modules", async () => {
    const out = await build({ entryPoints: ["hosts/browser/index.ts"], bundle: true, minify: true, write: false, format: "esm", platform: "browser", target: "es2022" });
    const text = out.outputFiles[0]!.text;
    expect(text).not.toMatch(/node:|require\(/);
    expect(out.outputFiles[0]!.contents.length).toBeLessThan(10 * 1024);
  });
});
