/**
 * The WebSocket hub and client connector on the sim host's in-memory WebSocket network:
 * welcome, snapshots, events, writes and every refusal, a slow client, and a node that
 * follows a restarted hub. Runs under vitest and inside XS (via protocol.suite.ts).
 */
import { AimDbBuilder, BufferCfg, utf8Decode, utf8Encode, type AimDb } from "../../../src/index.js";
import { websocketClient, websocketServer, type WebSocketServerOptions } from "../../../src/connectors/websocket/index.js";
import { deepEq, eq, ok } from "../../support/check.js";
import type { TestApi } from "../../support/suite.js";
import { stopsPromptly } from "../../support/prompt-stop.js";
import { rawClient, WsSimHost, type RawClient } from "./fake-net.js";

const URL = "ws://127.0.0.1:8080/aimdb";
const num = {
  ser: (v: number) => utf8Encode(JSON.stringify(v)),
  de: (b: Uint8Array) => {
    const v: unknown = JSON.parse(utf8Decode(b));
    if (typeof v !== "number") throw new TypeError("not a number");
    return v;
  },
};

async function startHub(host: WsSimHost, options: WebSocketServerOptions = {}): Promise<AimDb> {
  const b = new AimDbBuilder(host).withConnector(websocketServer({ port: 8080, ...options }));
  for (const k of ["station.alpha.temp", "station.beta.temp", "hidden.secret"]) {
    b.configure<number>(k, (r) => r.buffer(BufferCfg.spmcRing(64)).linkTo(`ws://${k}`).withSerializer(num.ser));
  }
  b.configure<number>("station.alpha.setpoint", (r) => r.buffer(BufferCfg.singleLatest()).linkFrom("ws://station.alpha.setpoint").withDeserializer(num.de));
  const db = await b.build();
  await db.run();
  await host.flush();
  return db;
}

async function hello(host: WsSimHost, url = URL, frame: unknown = { type: "hello", version: 1 }): Promise<RawClient> {
  const c = rawClient(host.wsNet, url);
  await host.flush();
  c.send(frame);
  await host.flush();
  return c;
}

const detail = (db: AimDb) => db.connectors()[0]!.detail as Record<string, number>;
const lastError = (c: RawClient) => c.of("error").at(-1) as { id?: number; code: string } | undefined;

const GRANTS = (token: string | undefined) =>
  token === "admin" ? { read: true as const, write: true as const } : token === "viewer" ? { read: ["station.#"], write: [] } : undefined;

export function hubTests(t: TestApi): void {
  t.test("hub: a client is welcomed, gets a snapshot of each matching key, then events with per-key seq", async () => {
    const host = new WsSimHost();
    const db = await startHub(host);
    db.produce("station.alpha.temp", 20);
    await host.flush();
    const c = await hello(host);
    deepEq(c.frames[0], { type: "welcome", version: 1, records: [
      { key: "station.alpha.temp", writable: false }, { key: "station.beta.temp", writable: false },
      { key: "hidden.secret", writable: false }, { key: "station.alpha.setpoint", writable: true },
    ] }, "the welcome lists every exposed key");
    c.send({ type: "subscribe", id: 1, patterns: ["station.*.temp"] });
    await host.flush();
    deepEq(c.frames.slice(1), [{ type: "snapshot", key: "station.alpha.temp", seq: 1, value: 20 }, { type: "ack", id: 1 }], "late join: the current value, then the ack");
    db.produce("station.alpha.temp", 21);
    db.produce("station.beta.temp", 5);
    db.produce("hidden.secret", 1);
    await host.flush();
    deepEq(c.of("event"), [{ type: "event", key: "station.alpha.temp", seq: 2, value: 21 }, { type: "event", key: "station.beta.temp", seq: 1, value: 5 }], "events for subscribed keys only");
    c.send({ type: "unsubscribe", id: 2, patterns: ["station.*.temp"] });
    await host.flush();
    db.produce("station.alpha.temp", 22);
    await host.flush();
    eq(c.of("event").length, 2, "no event after unsubscribe");
    deepEq(c.frames.at(-1), { type: "ack", id: 2 }, "unsubscribe is acknowledged");
    eq(detail(db).clients, 1, "one client");
    await db.stop();
    eq(c.closed?.code, 1001, "stopping the hub closes clients with 1001");
  });

  t.test("hub: a write reaches the record; refusals are error frames with stable codes and the connection stays", async () => {
    const host = new WsSimHost();
    const db = await startHub(host);
    const c = await hello(host);
    c.send({ type: "write", id: 1, key: "station.alpha.setpoint", value: 18.5 });
    c.send({ type: "write", id: 2, key: "station.alpha.temp", value: 1 });
    c.send({ type: "write", id: 3, key: "no.such.key", value: 1 });
    c.send({ type: "write", id: 4, key: "station.alpha.setpoint", value: "hot" });
    c.send({ type: "ping", id: 5 });
    await host.flush();
    eq(db.peek("station.alpha.setpoint"), 18.5, "the written value is in the hub record");
    deepEq(c.frames.slice(1).map((f) => [f["type"], f["id"], f["code"]]), [["ack", 1, undefined], ["error", 2, "WS_NOT_WRITABLE"], ["error", 3, "WS_NOT_WRITABLE"], ["error", 4, "WS_BAD_VALUE"], ["pong", 5, undefined]], "one answer per request, in order");
    eq(db.records().find((r) => r.key === "station.alpha.setpoint")!.links[0]!.counters.deserializeErrors, 1, "the refused value is counted on the link");
    deepEq([detail(db).writes, detail(db).writeErrors], [1, 3], "writes and refusals are counted");
    eq(c.closed, undefined, "still connected");
    await db.stop();
  });

  t.test("hub: grants limit what a client is offered, receives and may write", async () => {
    const host = new WsSimHost();
    const db = await startHub(host, { authorize: GRANTS });
    db.produce("hidden.secret", 7);
    db.produce("station.beta.temp", 3);
    await host.flush();
    const viewer = await hello(host, URL, { type: "hello", version: 1, token: "viewer" });
    deepEq((viewer.frames[0]!["records"] as { key: string }[]).map((r) => r.key), ["station.alpha.temp", "station.beta.temp"], "only readable keys are offered");
    viewer.send({ type: "subscribe", id: 1, patterns: ["#"] });
    viewer.send({ type: "write", id: 2, key: "station.alpha.setpoint", value: 1 });
    await host.flush();
    deepEq(viewer.of("snapshot").map((f) => f["key"]), ["station.beta.temp"], "no snapshot of a key it may not read");
    deepEq(lastError(viewer), { type: "error", id: 2, code: "WS_FORBIDDEN", message: 'not allowed to write "station.alpha.setpoint"' }, "a write outside its grants is forbidden");
    const admin = await hello(host, `${URL}?token=admin`);
    eq(admin.frames[0]!["type"], "welcome", "a token in the URL is used when hello has none");
    await db.stop();
  });

  t.test("hub: a refused token closes with 4001, a wrong version with 4002, no hello in time with 4003", async () => {
    const host = new WsSimHost();
    const db = await startHub(host, { authorize: GRANTS, helloTimeoutMs: 5000 });
    const bad = await hello(host, URL, { type: "hello", version: 1, token: "guess" });
    eq(lastError(bad)?.code, "WS_UNAUTHORIZED", "told why");
    eq(bad.closed?.code, 4001, "closed with 4001");
    const old = await hello(host, URL, { type: "hello", version: 2, token: "admin" });
    eq(lastError(old)?.code, "WS_VERSION", "told why");
    eq(old.closed?.code, 4002, "closed with 4002");
    const early = await hello(host, URL, { type: "subscribe", id: 9, patterns: ["#"] });
    deepEq([lastError(early)?.code, lastError(early)?.id], ["WS_NO_HELLO", 9], "a frame before hello is refused");
    eq(early.closed, undefined, "but the connection stays for a while");
    await host.advance(5000);
    eq(early.closed?.code, 4003, "closed with 4003 when hello never comes");
    deepEq([detail(db).refused, detail(db).clients], [2, 0], "refusals counted, nobody left");
    await db.stop();
  });

  t.test("hub: bad frames get error frames and are counted; the client and the hub stay up", async () => {
    const host = new WsSimHost();
    const db = await startHub(host, { maxFrameBytes: 256, maxClients: 1 });
    const c = await hello(host);
    for (const f of ["not json", "[]", '{"type":"shout"}', '{"type":"ping"}', `{"type":"ping","id":1,"pad":"${"x".repeat(300)}"}`, '{"type":"hello","version":1}']) c.send(f);
    c.send({ type: "ping", id: 2 });
    await host.flush();
    deepEq(c.of("error").map((f) => f["code"]), ["WS_BAD_FRAME", "WS_BAD_FRAME", "WS_UNKNOWN_TYPE", "WS_BAD_FRAME", "WS_TOO_BIG", "WS_NO_HELLO"], "each bad frame is answered");
    deepEq(c.frames.at(-1), { type: "pong", id: 2 }, "the connection still works");
    eq(detail(db).badFrames, 6, "bad frames counted");
    const second = await hello(host);
    eq(second.closed?.code, 1013, "over maxClients: closed with 1013");
    await db.stop();
  });

  t.test("hub: a client that stops reading loses its oldest events, is told how many, and never slows the others", async () => {
    const host = new WsSimHost();
    const db = await startHub(host, { queue: 16, highWaterBytes: 1000 });
    const fast = await hello(host);
    const slow = await hello(host);
    for (const c of [fast, slow]) c.send({ type: "subscribe", id: 1, patterns: ["station.alpha.temp"] });
    await host.flush();
    const slowConn = host.wsNet.conns[1]!;
    slowConn.pause();
    const N = 500;
    for (let i = 1; i <= N; i++) {
      db.produce("station.alpha.temp", i);
      if (i % 8 === 0) await host.advance(1);
    }
    await host.advance(20);
    deepEq(fast.of("event").map((f) => f["value"]), Array.from({ length: N }, (_, i) => i + 1), "the fast client got every event, in order");
    const d = detail(db);
    ok(d.queuePeak! <= 16, `the queue never exceeds its size (peak ${d.queuePeak})`);
    ok(d.dropped! > 0, "events were dropped for the slow client");
    ok(slowConn.bufferedAmount < 1000 + 100, "no more than the high-water mark went to the stalled socket");
    slowConn.resume();
    await host.advance(50);
    const got = slow.of("event").map((f) => f["seq"] as number);
    const told = slow.of("dropped").reduce((n, f) => n + (f["count"] as number), 0);
    eq(told, d.dropped, "the slow client is told exactly how many it lost");
    eq(got.length + told, N, "every event was either delivered or counted as dropped");
    ok(got.every((s, i) => i === 0 || s > got[i - 1]!), "what it got is in order");
    eq(got.at(-1), N, "it ends with the newest event");
    await db.stop();
  });

  t.test("client connector: stopping while the hub is away refuses the writes at once", async () => {
    const host = new WsSimHost({ onLog: () => {} });
    const nb = new AimDbBuilder(host).withConnector(websocketClient({ url: URL, backoff: { initialMs: 100, maxMs: 1000, jitter: 0 } }));
    nb.configure<number>("setpoint", (r) => r.buffer(BufferCfg.spmcRing(8)).linkTo("ws://station.alpha.setpoint").withSerializer(num.ser));
    const node = await nb.build();
    await node.run();
    await host.advance(10); // no hub: waiting to retry
    for (const v of [1, 2, 3]) node.produce("setpoint", v);
    await host.flush();
    await stopsPromptly(host, node, []);
    eq(node.records()[0]!.links[0]!.counters.publishErrors, 3, "each write is a publish error");
  });

  t.test("client connector: subscribes by pattern, writes with acks, and follows a restarted hub", async () => {
    const host = new WsSimHost();
    let hub = await startHub(host);
    hub.produce("station.alpha.temp", 20);
    const nb = new AimDbBuilder(host).withConnector(websocketClient({ url: URL, backoff: { initialMs: 100, maxMs: 1000, jitter: 0 } }));
    nb.configure<number>("temps", (r) => r.buffer(BufferCfg.spmcRing(64)).linkFrom("ws://station.*.temp").withDeserializer(num.de));
    nb.configure<number>("setpoint", (r) => r.buffer(BufferCfg.mailbox()).linkTo("ws://station.alpha.setpoint").withSerializer(num.ser));
    nb.configure<number>("bogus", (r) => r.buffer(BufferCfg.mailbox()).linkTo("ws://station.alpha.temp").withSerializer(num.ser));
    const node = await nb.build();
    const temps = node.subscribe<number>("temps");
    await node.run();
    await host.advance(1);
    hub.produce("station.beta.temp", 5);
    node.produce("setpoint", 19);
    node.produce("bogus", 1);
    await host.advance(1);
    const seen: number[] = [];
    for await (const v of temps) if (seen.push(v) === 2) break;
    deepEq(seen, [20, 5], "the snapshot, then the event");
    eq(hub.peek("station.alpha.setpoint"), 19, "the node's write reached the hub record");
    const links = node.records().flatMap((r) => r.links);
    deepEq(links.map((l) => l.state), ["up", "up", "up"], "links are up");
    eq(links[2]!.counters.publishErrors, 1, "a write the hub refuses is a publish error");
    await hub.stop();
    await host.advance(1);
    eq(node.records()[0]!.links[0]!.state, "down", "the link goes down with the hub");
    hub = await startHub(host);
    hub.produce("station.alpha.temp", 30);
    await host.advance(500);
    const again = node.subscribe<number>("temps");
    hub.produce("station.beta.temp", 6);
    await host.advance(1);
    const after: number[] = [];
    for await (const v of again) if (after.push(v) === 1) break;
    eq(after[0], 6, "events flow again after reconnecting");
    eq((node.connectors()[0]!.detail as Record<string, number>).connects, 2, "connected twice");
    await node.stop();
    await hub.stop();
  });
}
