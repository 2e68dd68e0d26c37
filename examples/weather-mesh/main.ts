/**
 * `npm start`: the weather mesh on one machine. An embedded aedes broker (or --broker),
 * three stations, the hub, and the dashboard at http://127.0.0.1:8080. Ctrl-C stops
 * everything.
 */
import http from "node:http";
import net from "node:net";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { build } from "esbuild";
import { Aedes } from "aedes";
import type { AimDb, LogLevel } from "../../src/index.js";
import { mqtt } from "../../src/connectors/mqtt/index.js";
import { websocketServer } from "../../src/connectors/websocket/index.js";
import { nodeHost } from "../../hosts/node/index.js";
import { parseArgs, USAGE } from "./cli.js";
import { STATIONS, type DewPoint, type Humidity, type MeshSummary, type Pressure, type Temperature } from "./contracts.js";
import { buildHub } from "./hub.js";
import { buildStation } from "./station.js";

const here = path.dirname(fileURLToPath(import.meta.url));

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const logs: string[] = [];
const log = (level: LogLevel, message: string) => {
  const line = `${new Date().toISOString().slice(11, 19)} ${level.padEnd(5)} ${message}`;
  if (level === "debug") return;
  logs.push(line);
  if (logs.length > 6) logs.shift();
  if (!tty) console.log(line);
};
const tty = process.stdout.isTTY === true;
const host = nodeHost({ onLog: log });

// The broker: embedded aedes unless --broker names one.
let brokerUrl = args.broker;
let stopBroker = async () => {};
if (!brokerUrl) {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new Error(`port ${args.mqttPort} is in use: pass --mqtt-port 0, or --broker mqtt://127.0.0.1:${args.mqttPort} to use the broker already there`) : err),
    );
    server.listen(args.mqttPort, "127.0.0.1", resolve);
  }).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
  brokerUrl = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  stopBroker = async () => {
    server.close();
    await new Promise<void>((r) => broker.close(() => r()));
  };
}

// The dashboard page and its script, bundled in memory from the same sources.
const page = await readFile(path.join(here, "dashboard", "index.html"));
const script = (
  await build({ entryPoints: [path.join(here, "dashboard", "app.ts")], bundle: true, write: false, platform: "browser", format: "esm", target: "es2022", minify: true })
).outputFiles[0]!.contents;
const web = http.createServer((req, res) => {
  const url = (req.url ?? "/").split("?")[0];
  if (url === "/" || url === "/index.html") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  else if (url === "/app.js") res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
  else res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
});
await new Promise<void>((resolve, reject) => {
  web.once("error", (err: NodeJS.ErrnoException) => reject(err.code === "EADDRINUSE" ? new Error(`port ${args.port} is in use: pass --port with another one`) : err));
  web.listen(args.port, args.host, resolve);
}).catch(async (err: Error) => {
  console.error(err.message);
  await stopBroker();
  process.exit(1);
});
const webPort = (web.address() as net.AddressInfo).port;

const hub = await buildHub(host, {
  mqtt: mqtt({ url: brokerUrl, clientId: "weather-hub" }),
  ws: websocketServer({ server: web, path: "/aimdb" }),
});
const stations: AimDb[] = [];
for (const id of STATIONS) {
  stations.push(await buildStation(host, { id, mqtt: mqtt({ url: brokerUrl, clientId: `station-${id}` }), sampleMs: args.sampleMs }));
}
await hub.run();
for (const s of stations) await s.run();

const dashboard = `http://${args.host}:${webPort}/`;
console.log(`weather mesh: ${STATIONS.length} stations → ${brokerUrl} → hub. Dashboard: ${dashboard}  (Ctrl-C stops)`);

/** One line per station: what the hub currently knows. */
function table(): string[] {
  const f = (v: number | undefined, unit: string, w = 7) => (v === undefined ? "–" : `${v.toFixed(1)}${unit}`).padStart(w);
  const rows = STATIONS.map((id) => {
    const k = `station.${id}`;
    const t = hub.peek<Temperature>(`${k}.temp`);
    const h = hub.peek<Humidity>(`${k}.humidity`);
    const p = hub.peek<Pressure>(`${k}.pressure`);
    const d = hub.peek<DewPoint>(`${k}.dewpoint`);
    const rec = hub.records().find((r) => r.key === `${k}.temp`)!;
    const link = rec.links.find((l) => l.direction === "from")!;
    return `${id.padEnd(7)} ${f(t?.celsius, " °C", 8)} ${f(h?.percent, " %", 7)} ${f(p?.hpa, " hPa", 11)} ${f(d?.celsius, " °C", 9)}  ${link.state.padEnd(4)} ${String(link.counters.received).padStart(8)}`;
  });
  const s = hub.peek<MeshSummary>("mesh.summary");
  return [
    `${"station".padEnd(7)} ${"temp".padStart(8)} ${"humid".padStart(7)} ${"pressure".padStart(11)} ${"dewpoint".padStart(9)}  link ${"received".padStart(8)}`,
    ...rows,
    s ? `mesh: ${s.stations} stations, ${s.minCelsius.toFixed(1)}…${s.maxCelsius.toFixed(1)} °C, mean ${s.meanCelsius.toFixed(1)} °C` : "mesh: waiting for readings",
  ];
}
const ticker = setInterval(() => {
  if (tty) process.stdout.write(`\x1b[H\x1b[2J${[`weather mesh — dashboard ${dashboard}  (Ctrl-C stops)`, "", ...table(), "", ...logs].join("\n")}\n`);
  else for (const line of table()) console.log(line);
}, tty ? 1000 : 2000);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  const t0 = Date.now();
  await Promise.all([...stations.map((s) => s.stop({ graceMs: 500 })), hub.stop({ graceMs: 500 })]);
  web.closeAllConnections();
  await new Promise<void>((r) => web.close(() => r()));
  await stopBroker();
  console.log(`stopped in ${Date.now() - t0} ms`);
  process.exit(0);
}
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());
if (args.seconds !== undefined) setTimeout(() => void shutdown(), args.seconds * 1000);
