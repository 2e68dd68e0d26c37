/**
 * Helpers for the WebSocket tests on Node: a hub database on a free port, and a plain
 * npm `ws` client that records every frame and can wait for one.
 */
import { WebSocket } from "ws";
import { AimDbBuilder, BufferCfg, contract, type AimDb } from "../../../src/index.js";
import { websocketServer, type WebSocketServerOptions, type WsGrants } from "../../../src/connectors/websocket/index.js";
import { nodeHost } from "../../../hosts/node/index.js";
import { freePort } from "../../support/peers.js";

export const Temperature = contract("climate.temperature", 1, { celsius: "f32", at: "u64" });
export const Setpoint = contract("climate.setpoint", 1, { celsius: "f32" });
/** The JSON a client writes to a Setpoint record (the contract's JSON form). */
export const setpointJson = (celsius: number) => ({ schema: "climate.setpoint", v: 1, data: { celsius } });

export const quiet = () => nodeHost({ onLog: () => {} });

export const GRANTS = (token: string | undefined): WsGrants | undefined =>
  token === "admin" ? { read: true, write: true } : token === "viewer" ? { read: ["station.#"], write: [] } : undefined;

export interface Hub {
  db: AimDb;
  port: number;
  url: string;
  detail(): Record<string, number>;
}

/**
 * A hub exposing station.alpha.temp and station.beta.temp (Temperature, JSON),
 * station.alpha.mode (read only, a JSON string) and station.alpha.setpoint (writable,
 * Setpoint); `authorize` defaults to GRANTS.
 */
export async function startHub(options: WebSocketServerOptions = {}, port?: number): Promise<Hub> {
  port ??= await freePort();
  const b = new AimDbBuilder(quiet()).withConnector(websocketServer({ port, authorize: GRANTS, ...options }));
  for (const k of ["station.alpha.temp", "station.beta.temp"]) {
    b.configure<typeof Temperature.Type>(k, (r) => r.buffer(BufferCfg.spmcRing(1024)).linkTo(`ws://${k}`).withSerializer(Temperature.encodeJson));
  }
  b.configure<string>("station.alpha.mode", (r) => r.buffer(BufferCfg.singleLatest()).linkTo("ws://station.alpha.mode").withSerializer((v) => new TextEncoder().encode(JSON.stringify(v))));
  b.configure<typeof Setpoint.Type>("station.alpha.setpoint", (r) => r.buffer(BufferCfg.singleLatest()).linkFrom("ws://station.alpha.setpoint").withDeserializer(Setpoint.decode));
  const db = await b.build();
  await db.run();
  const detail = () => db.connectors()[0]!.detail as Record<string, number>;
  return { db, port: detail()["port"]!, url: `ws://127.0.0.1:${detail()["port"]}/aimdb`, detail };
}

export type Frame = Record<string, unknown> & { type: string };

export interface Peer {
  ws: WebSocket;
  frames: Frame[];
  /** Resolves with the first frame (already received or to come) of `type` that satisfies `pred`. */
  next(type: string, pred?: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
  /** Stops keeping frames (for clients that receive thousands). */
  stopRecording(): void;
}

/** Opens a plain `ws` client; resolves once open. */
export async function peer(url: string, headers: Record<string, string> = {}): Promise<Peer> {
  const ws = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  const waiters: { type: string; pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  let recording = true;
  ws.on("message", (data, binary) => {
    if (binary) throw new Error("the server sent a binary frame");
    if (!recording) return;
    const f = JSON.parse(data.toString()) as Frame;
    frames.push(f);
    for (const w of [...waiters]) {
      if (f.type === w.type && w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    ws,
    frames,
    next: (type, pred = () => true, timeoutMs = 5000) => {
      const have = frames.find((f) => f.type === type && pred(f));
      if (have) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no "${type}" frame within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 500)}`)), timeoutMs);
        waiters.push({ type, pred, resolve: (f) => (clearTimeout(t), resolve(f)) });
      });
    },
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    closed,
    close: () => ws.close(),
    stopRecording: () => {
      recording = false;
      frames.length = 0;
    },
  };
}

/** A peer that has sent hello and received its welcome. */
export async function welcomed(url: string, token?: string, headers?: Record<string, string>): Promise<Peer> {
  const p = await peer(url, headers);
  p.send(token === undefined ? { type: "hello", version: 1 } : { type: "hello", version: 1, token });
  await p.next("welcome");
  return p;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until true (or fails after `timeoutMs`). */
export async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
