/**
 * The hub side of the WebSocket fan-out bench, in a process of its own (started with
 * --expose-gc) so its memory is measured apart from the clients'. Talks to the parent
 * over IPC: `ping` (clock comparison), `memory` (after full collections), `run` (produce
 * a station's records at a rate for some seconds), `stop`.
 */
import { AimDbBuilder, BufferCfg, contract } from "../src/index.js";
import { websocketServer } from "../src/connectors/websocket/index.js";
import { nodeHost } from "../hosts/node/index.js";

const STATION_KEYS = ["station.alpha.temp", "station.alpha.humidity", "station.alpha.pressure"] as const;
/** A reading stamped with the hub's `performance.now()` when produced. */
const Reading = contract("bench.reading", 1, { value: "f64", t: "f64" });

export type HubRequest = { type: "ping" } | { type: "memory" } | { type: "run"; rate: number; seconds: number } | { type: "stop" };
export type HubReply =
  | { type: "ready"; port: number }
  | { type: "pong"; hubNow: number }
  | { type: "memory"; heap: number; rss: number }
  | { type: "done"; produced: number; detail: Record<string, unknown> };

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("start this with node --expose-gc");
  const send = (m: HubReply) => process.send!(m);
  const b = new AimDbBuilder(nodeHost({ logLevel: "warn" })).withConnector(websocketServer({ port: 0, maxClients: 2000 }));
  for (const key of STATION_KEYS) {
    b.configure<typeof Reading.Type>(key, (r) => r.buffer(BufferCfg.spmcRing(256)).linkTo(`ws://${key}`).withSerializer(Reading.encodeJson));
  }
  const db = await b.build();
  await db.run();
  const detail = () => db.connectors()[0]!.detail as Record<string, unknown>;
  process.on("message", (m: HubRequest) => {
    switch (m.type) {
      case "ping":
        return send({ type: "pong", hubNow: performance.now() });
      case "memory":
        gc();
        gc();
        return send({ type: "memory", heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
      case "run": {
        const interval = 1000 / m.rate;
        const ticks = Math.round(m.rate * m.seconds);
        const start = performance.now();
        let i = 0;
        const tick = () => {
          for (const key of STATION_KEYS) db.produce(key, { value: i, t: performance.now() });
          if (++i < ticks) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
          else setTimeout(() => send({ type: "done", produced: ticks * STATION_KEYS.length, detail: detail() }), 300);
        };
        tick();
        return;
      }
      case "stop":
        void db.stop().then(() => process.exit(0));
    }
  });
  send({ type: "ready", port: detail()["port"] as number });
}

main().catch((err: unknown) => {
  process.stderr.write(`hub failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
