/**
 * `npm start`: runs the quick-start graph on the Node host and prints what happens.
 * Options: --seconds N (stop after N seconds; default: until Ctrl-C).
 */
import { nodeHost } from "../../hosts/node/index.js";
import { buildQuickstart } from "./graph.js";

const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log("usage: npm start -- [--seconds N]\n  Runs the aimdb-ts quick-start record graph on Node. Ctrl-C stops it.");
  process.exit(0);
}
const secondsAt = args.indexOf("--seconds");
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : Infinity;

const host = nodeHost({ onLog: (level, message) => console.log(`${level.padEnd(5)} ${message}`) });
const db = await buildQuickstart(host, (line) => console.log(line));
await db.run();
console.log(`aimdb-ts quick start: ${db.records().length} records running. Ctrl-C stops.`);
db.produce("room.setpoint", 21.5);

const summary = setInterval(() => {
  const s = db.peek<{ celsius: number; humidity: number }>("room.summary");
  if (s) console.log(`        summary: ${s.celsius.toFixed(1)} °C, ${s.humidity} % RH`);
}, 2000);

async function shutdown(): Promise<void> {
  clearInterval(summary);
  await db.stop();
  for (const r of db.records()) {
    const c = r.counters;
    console.log(`${r.key.padEnd(14)} ${r.origin.padEnd(9)} ${r.buffer.kind.padEnd(12)} produced=${c.produced} lagged=${c.lagged} errors=${c.errors}`);
  }
  process.exit(0);
}
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());
if (Number.isFinite(seconds)) setTimeout(() => void shutdown(), seconds * 1000);
