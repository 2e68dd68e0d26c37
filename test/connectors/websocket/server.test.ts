/**
 * The WebSocket hub on the Node host over real sockets, with npm `ws` as the client:
 * welcome, snapshots, events, writes, every refusal, tokens, version, bad frames, and a
 * hub attached to an app's own http.Server.
 */
import { afterEach, describe, expect, it } from "vitest";
import http from "node:http";
import { WebSocket } from "ws";
import { freePort } from "../../support/peers.js";
import { GRANTS, peer, setpointJson, startHub, Temperature, welcomed, type Hub, type Peer } from "./ws-support.js";

let hub: Hub | undefined;
const peers: Peer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.ws.terminate();
  await hub?.db.stop();
  hub = undefined;
});
const keep = (p: Peer) => (peers.push(p), p);

describe("websocketServer on the Node host", () => {
  it("welcomes a client with the records it may use, sends snapshots on subscribe, then events", async () => {
    hub = await startHub();
    hub.db.produce("station.alpha.temp", { celsius: 21.5, at: 1 });
    await new Promise((r) => setTimeout(r, 20));
    const c = keep(await peer(hub.url, { authorization: "Bearer admin" }));
    c.send({ type: "hello", version: 1 });
    expect(await c.next("welcome")).toEqual({
      type: "welcome", version: 1, records: [
        { key: "station.alpha.temp", writable: false }, { key: "station.beta.temp", writable: false },
        { key: "station.alpha.mode", writable: false }, { key: "station.alpha.setpoint", writable: true },
      ],
    });
    c.send({ type: "subscribe", id: 1, patterns: ["station.*.temp"] });
    await c.next("ack", (f) => f["id"] === 1);
    expect(c.frames.slice(1)).toEqual([
      { type: "snapshot", key: "station.alpha.temp", seq: 1, value: { schema: "climate.temperature", v: 1, data: { celsius: 21.5, at: 1 } } },
      { type: "ack", id: 1 },
    ]);
    hub.db.produce("station.beta.temp", { celsius: -3, at: 2 });
    hub.db.produce("station.alpha.temp", { celsius: 22, at: 3 });
    const ev = await c.next("event", (f) => f["key"] === "station.alpha.temp");
    expect(ev).toMatchObject({ seq: 2, value: { data: { celsius: 22 } } });
    expect(Temperature.decode(new TextEncoder().encode(JSON.stringify(ev["value"])))).toEqual({ celsius: 22, at: 3 });
    expect(await c.next("event", (f) => f["key"] === "station.beta.temp")).toMatchObject({ seq: 1 });
    c.send({ type: "ping", id: 7 });
    expect(await c.next("pong")).toEqual({ type: "pong", id: 7 });
    expect(hub.detail()).toMatchObject({ clients: 1, badFrames: 0, refused: 0 });
  });

  it("applies a write to a writable record and acknowledges it", async () => {
    hub = await startHub();
    const c = keep(await welcomed(hub.url, "admin"));
    c.send({ type: "write", id: 1, key: "station.alpha.setpoint", value: setpointJson(18.5) });
    expect(await c.next("ack")).toEqual({ type: "ack", id: 1 });
    expect(hub.db.peek("station.alpha.setpoint")).toEqual({ celsius: 18.5 });
  });

  it("refuses writes that are not writable, not permitted or not accepted, and stays connected", async () => {
    hub = await startHub();
    const admin = keep(await welcomed(hub.url, "admin"));
    admin.send({ type: "write", id: 1, key: "station.alpha.temp", value: 1 });
    admin.send({ type: "write", id: 2, key: "station.alpha.setpoint", value: { celsius: "hot" } });
    admin.send({ type: "write", id: 3, key: "station.alpha.setpoint", value: { schema: "climate.setpoint", v: 1, data: { celsius: 1, extra: 2 } } });
    expect(await admin.next("error", (f) => f["id"] === 1)).toMatchObject({ code: "WS_NOT_WRITABLE" });
    expect(await admin.next("error", (f) => f["id"] === 2)).toMatchObject({ code: "WS_BAD_VALUE" });
    expect(await admin.next("error", (f) => f["id"] === 3)).toMatchObject({ code: "WS_BAD_VALUE" });
    const viewer = keep(await welcomed(hub.url, "viewer"));
    expect(viewer.frames[0]!["records"]).toEqual([
      { key: "station.alpha.temp", writable: false }, { key: "station.beta.temp", writable: false }, { key: "station.alpha.mode", writable: false },
    ]);
    viewer.send({ type: "write", id: 4, key: "station.alpha.setpoint", value: setpointJson(1) });
    expect(await viewer.next("error", (f) => f["id"] === 4)).toMatchObject({ code: "WS_FORBIDDEN" });
    admin.send({ type: "ping", id: 5 });
    await admin.next("pong");
    expect(hub.db.peek("station.alpha.setpoint")).toBeUndefined();
    expect(hub.detail()).toMatchObject({ writes: 0, writeErrors: 4, clients: 2 });
    expect(hub.db.records().find((r) => r.key === "station.alpha.setpoint")!.links[0]!.counters.deserializeErrors).toBe(2);
  });

  it("answers bad frames with error frames and keeps the connection and the hub up", async () => {
    hub = await startHub({ maxFrameBytes: 1024 });
    const c = keep(await welcomed(hub.url, "admin"));
    c.send("{not json");
    c.send('{"type":"launch"}');
    c.send('{"type":"write","id":1,"key":"station.alpha.setpoint"}');
    c.send(JSON.stringify({ type: "ping", id: 2, pad: "x".repeat(2000) }));
    c.ws.send(new Uint8Array([1, 2, 3]));
    c.send({ type: "subscribe", id: 3, patterns: ["station.#.temp"] });
    c.send({ type: "ping", id: 4 });
    await c.next("pong", (f) => f["id"] === 4);
    expect(c.frames.filter((f) => f.type === "error").map((f) => f["code"])).toEqual(["WS_BAD_FRAME", "WS_UNKNOWN_TYPE", "WS_BAD_FRAME", "WS_TOO_BIG", "WS_BINARY", "WS_BAD_PATTERN"]);
    expect(hub.detail().badFrames).toBe(6);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("closes with 4001 when the token is refused and 4002 on a version mismatch", async () => {
    hub = await startHub();
    const anon = keep(await peer(hub.url));
    anon.send({ type: "hello", version: 1 });
    expect(await anon.closed).toEqual({ code: 4001, reason: "unauthorized" });
    expect(anon.frames).toMatchObject([{ type: "error", code: "WS_UNAUTHORIZED" }]);
    const wrongUrlToken = keep(await peer(`${hub.url}?token=nope`));
    wrongUrlToken.send({ type: "hello", version: 1 });
    expect((await wrongUrlToken.closed).code).toBe(4001);
    const urlToken = keep(await peer(`${hub.url}?token=viewer`));
    urlToken.send({ type: "hello", version: 1 });
    await urlToken.next("welcome");
    const future = keep(await peer(hub.url));
    future.send({ type: "hello", version: 2, token: "admin" });
    expect(await future.closed).toEqual({ code: 4002, reason: "unsupported protocol version" });
    expect(future.frames).toMatchObject([{ type: "error", code: "WS_VERSION" }]);
    expect(hub.detail().refused).toBe(3);
  });

  it("closes a client that never says hello with 4003, and refuses clients over maxClients with 1013", async () => {
    hub = await startHub({ helloTimeoutMs: 100, maxClients: 1 });
    const silent = keep(await peer(hub.url));
    const second = keep(await peer(hub.url));
    expect((await second.closed).code).toBe(1013);
    expect((await silent.closed).code).toBe(4003);
  });

  it("listens on a free port with port 0, and fails to start on a port in use", async () => {
    hub = await startHub({}, 0);
    expect(hub.detail().port).toBeGreaterThan(0);
    await expect(startHub({}, hub.detail().port)).rejects.toMatchObject({ code: "CONNECTOR_FAILED", message: expect.stringMatching(/EADDRINUSE/) });
  });

  it("attaches to an app's http.Server: pages and WebSocket share one port", async () => {
    const port = await freePort();
    const app = http.createServer((req, res) => res.end(`page ${req.url}`));
    await new Promise<void>((r) => app.listen(port, "127.0.0.1", r));
    try {
      hub = await startHub({ server: app, authorize: GRANTS }, port);
      expect(hub.detail().port).toBe(port);
      expect(await (await fetch(`http://127.0.0.1:${port}/index.html`)).text()).toBe("page /index.html");
      const c = keep(await welcomed(hub.url, "admin"));
      expect(c.frames[0]!.type).toBe("welcome");
      const other = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`);
      const refused = await new Promise<string>((r) => other.once("error", (e) => r(e.message)));
      expect(refused).toMatch(/404/);
      await hub.db.stop();
      hub = undefined;
      expect(app.listening, "stopping the hub leaves the app's server running").toBe(true);
    } finally {
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});
