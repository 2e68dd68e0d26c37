/**
 * WebSocket fan-out: one hub process serves a station's three records to 500 WebSocket
 * clients (npm `ws`, all in this process). Reports delivery latency (the hub stamps each
 * value with its clock when produced; a client subtracts it from its receive time, with
 * the two processes' clocks compared over IPC first) and hub memory per client (heap and
 * RSS of the hub process after full collections, before and after the clients connect).
 * `npx tsx bench/websocket.bench.ts` prints the markdown; `runWebSocketBench()` returns it.
 */
import { runIfMain } from "./main.js";
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import type { HubReply, HubRequest } from "./websocket-hub.js";

const CLIENTS = 500;
const RUNS: readonly { rate: number; seconds: number }[] = [
  { rate: 10, seconds: 5 },
  { rate: 50, seconds: 3 },
];

interface Hub {
  child: ChildProcess;
  ask<T extends HubReply["type"]>(req: HubRequest, reply: T): Promise<Extract<HubReply, { type: T }>>;
}

async function startHub(): Promise<{ hub: Hub; port: number }> {
  const script = fileURLToPath(new URL("./websocket-hub.ts", import.meta.url));
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting: { type: string; resolve: (m: HubReply) => void }[] = [];
  child.on("message", (m: HubReply) => {
    const i = waiting.findIndex((w) => w.type === m.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
  });
  const failed = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the hub process exited (${code})`))));
  failed.catch(() => {});
  const ask = <T extends HubReply["type"]>(req: HubRequest | undefined, type: T) => {
    const p = new Promise<HubReply>((resolve) => waiting.push({ type, resolve }));
    if (req) child.send(req);
    return Promise.race([p, failed]) as Promise<Extract<HubReply, { type: T }>>;
  };
  const ready = await ask(undefined, "ready");
  return { hub: { child, ask }, port: ready.port };
}

/** Offset of the hub's clock from ours (hub = ours + offset), from the IPC round trip with the least delay. */
async function clockOffset(hub: Hub): Promise<{ offset: number; rttMs: number }> {
  let best = { offset: 0, rttMs: Infinity };
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const { hubNow } = await hub.ask({ type: "ping" }, "pong");
    const t1 = performance.now();
    if (t1 - t0 < best.rttMs) best = { offset: hubNow - (t0 + t1) / 2, rttMs: t1 - t0 };
  }
  return best;
}

interface Clients {
  sockets: WebSocket[];
  /** Latencies recorded since the last `take()`. */
  take(): Float64Array;
}

async function connectClients(url: string, offset: () => number): Promise<Clients> {
  let lat = new Float64Array(1 << 20);
  let n = 0;
  const sockets: WebSocket[] = [];
  const opened: Promise<void>[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    sockets.push(ws);
    opened.push(
      new Promise<void>((resolve, reject) => {
        ws.once("error", reject);
        ws.once("open", () => {
          ws.send('{"type":"hello","version":1}');
          ws.send('{"type":"subscribe","id":1,"patterns":["station.alpha.*"]}');
        });
        ws.on("message", (data) => {
          const now = performance.now();
          const f = JSON.parse(data.toString()) as { type: string; value?: { data: { t: number } } };
          if (f.type === "ack") resolve();
          else if (f.type === "event" && n < lat.length) lat[n++] = now + offset() - f.value!.data.t;
        });
      }),
    );
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(opened);
  return {
    sockets,
    take: () => {
      const out = lat.slice(0, n).sort();
      lat = new Float64Array(1 << 20);
      n = 0;
      return out;
    },
  };
}

const q = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

/** Runs the bench; returns a markdown section. */
export async function runWebSocketBench(): Promise<string> {
  const t0 = performance.now();
  const load = os.loadavg()[0]!;
  const { hub, port } = await startHub();
  try {
    const base = await hub.ask({ type: "memory" }, "memory");
    let offset = 0;
    const clients = await connectClients(`ws://127.0.0.1:${port}/aimdb`, () => offset);
    await new Promise((r) => setTimeout(r, 200));
    const loaded = await hub.ask({ type: "memory" }, "memory");
    const clock = await clockOffset(hub);
    offset = clock.offset;
    const rows: string[] = [];
    for (const run of RUNS) {
      clients.take();
      const done = await hub.ask({ type: "run", rate: run.rate, seconds: run.seconds }, "done");
      const lat = clients.take();
      const expected = done.produced * CLIENTS;
      const d = done.detail;
      rows.push(
        `| ${run.rate}/s × 3 records, ${run.seconds} s | ${lat.length.toLocaleString("en")} / ${expected.toLocaleString("en")} | ` +
          `${q(lat, 0.5).toFixed(2)} | ${q(lat, 0.99).toFixed(2)} | ${lat[lat.length - 1]!.toFixed(2)} | ${String(d["dropped"])} |`,
      );
    }
    for (const ws of clients.sockets) ws.terminate();
    const cpu = os.cpus()[0]?.model ?? "unknown CPU";
    return [
      `## aimdb-ts WebSocket fan-out: ${CLIENTS} clients`,
      "",
      `Node ${process.version} on ${cpu}, ${os.cpus().length} cores. A hub process (websocketServer, Node host, npm ws) serves ` +
        `station.alpha.{temp,humidity,pressure} (a contract's JSON, ~70 bytes) to ${CLIENTS} npm ws clients in a second process, each ` +
        `subscribed to "station.alpha.*". Latency: produce on the hub → JSON.parse done on the client, clocks compared over IPC ` +
        `(best round trip ${(clock.rttMs * 1000).toFixed(0)} µs). Both processes share the machine's cores ` +
        `(load average ${load.toFixed(2)} when the run started).`,
      "",
      "| load | deliveries | median ms | p99 ms | max ms | dropped |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      ...rows,
      "",
      `Hub memory for ${CLIENTS} connected, subscribed clients (after full collections): heap ${mb(loaded.heap - base.heap)} ` +
        `(${((loaded.heap - base.heap) / CLIENTS / 1024).toFixed(1)} KB per client), RSS ${mb(loaded.rss - base.rss)} ` +
        `(${((loaded.rss - base.rss) / CLIENTS / 1024).toFixed(1)} KB per client). Bench time ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
    ].join("\n");
  } finally {
    hub.child.send({ type: "stop" } satisfies HubRequest);
    await new Promise((r) => hub.child.once("exit", r));
  }
}

runIfMain(import.meta.url, runWebSocketBench);
