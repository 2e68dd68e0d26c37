/**
 * KNX against knxd (dummy backend) across a veth pair between two network namespaces:
 * group writes per second and write → indication latency of the aimdb-ts connector
 * (tunnelling, and routing through knxd's router) and of npm `knx` (knx.js) in the same
 * run, against the same knxd; and the minified size of the connector.
 *
 * Every writer and the reader are agent children (test/connectors/knx/agent.ts) in the
 * client namespace. The reader is an aimdb-ts tunnel with a linkFrom on the group
 * address; a value counts when its deserializer has decoded it. Throughput: the time
 * from the first write until the reader has all of them. Latency: one write at a time,
 * from the writer's clock to the reader's (both `performance.timeOrigin + now()` on one
 * machine). Needs root, iproute2, knxd and knxd-tools; prints why when it cannot run.
 * `npx tsx bench/knx.bench.ts` prints the markdown; `runKnxBench()` returns it.
 */
import { runIfMain } from "./main.js";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { MINIFIED } from "../test/support/minified.js";
import { GW_IP, DEV_IP, KnxLab, type Agent } from "../test/connectors/knx/knx-peers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Writes per throughput run: tunnelling is paced by knxd's confirmations, routing is not. */
const N_TUNNEL = 200;
const N_ROUTING = 1000;
const LAT_N = 200; // samples per latency run
const GA = "3/0/1";
const DPT = "7.001";

const quiet = process.argv.includes("--quiet");
const progress = (line: string) => {
  if (!quiet) process.stderr.write(`  knx ${line}\n`);
};

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (network namespaces)";
  const gone = ["ip", "knxd", "knxtool"].filter((n) => spawnSync("sh", ["-c", `command -v ${n}`]).status !== 0);
  return gone.length ? `needs ${gone.join(", ")} (apt-get install iproute2 knxd knxd-tools)` : undefined;
}

async function connectorBytes(): Promise<number> {
  const out = await build({ ...MINIFIED, entryPoints: ["src/connectors/knx/index.ts"], absWorkingDir: ROOT });
  return out.outputFiles[0]!.contents.length;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

interface Writer {
  name: string;
  n: number;
  agent: Agent;
  /** Writes value `v`, resolves with the writer's clock. */
  write(v: number): Promise<number>;
  /** Writes `n` values 1..n as fast as the client takes them. */
  burst(n: number): Promise<void>;
}

interface Row {
  name: string;
  perS: number;
  p50: number;
  p99: number;
}

async function measure(w: Writer, reader: Agent, N: number): Promise<Row> {
  const got = () => reader.events.filter((e) => e["ev"] === "value" && e["key"] === "in");
  reader.events.length = 0;
  const t0 = performance.now();
  await w.burst(N);
  await until(() => got().length >= N, 30_000, `${w.name}: ${got().length} of ${N} values arrived`);
  const perS = N / ((performance.now() - t0) / 1000);
  progress(`${w.name}: ${Math.round(perS)} writes/s`);
  const lat: number[] = [];
  for (let i = 0; i < LAT_N; i++) {
    reader.events.length = 0;
    const value = 10_000 + i;
    const sent = await w.write(value);
    const e = await until(() => got().find((x) => x["value"] === value), 5000, `${w.name}: value ${value}`);
    lat.push((e["at"] as number) - sent);
  }
  progress(`${w.name}: p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms`);
  return { name: w.name, perS, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function until<T>(check: () => T | undefined | false, ms: number, what: string): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const OUT = [{ key: "out", dir: "to", url: `knx://${GA}?dpt=${DPT}`, dpt: DPT }];

async function aimdbWriter(lab: KnxLab, name: string, n: number, options: object): Promise<Writer> {
  const agent = await lab.agent(lab.dev);
  await agent.request("aimdb", { options, records: OUT });
  await new Promise((r) => setTimeout(r, 300));
  return {
    name, agent, n,
    write: (v) => agent.request("produce", { key: "out", value: v }),
    burst: async (n) => {
      await agent.request("burst", { key: "out", n, values: Array.from({ length: n }, (_, i) => i + 1) });
    },
  };
}

async function knxjsWriter(lab: KnxLab, name: string, n: number, options: object): Promise<Writer> {
  const agent = await lab.agent(lab.dev);
  await agent.request("knxjs", { options: { ...options, interface: lab.devIf } });
  return {
    name, agent, n,
    write: (v) => agent.request("knxjs.write", { ga: GA, value: v, dpt: `DPT${DPT}` }),
    burst: (n) => agent.request("knxjs.burst", { ga: GA, n, values: Array.from({ length: n }, (_, i) => i + 1), dpt: `DPT${DPT}` }),
  };
}

/** Runs the KNX bench and returns its markdown. */
export async function runKnxBench(): Promise<string> {
  const bytes = await connectorBytes();
  const size = `Minified size of \`aimdb-ts/knx\` (connector, engines, KNXnet/IP and cEMI codec, datapoint types; esbuild): ${(bytes / 1024).toFixed(1)} KB.`;
  const why = unavailable();
  if (why) return ["## KNX against knxd", "", `Skipped: ${why}.`, "", size].join("\n");
  const lab = new KnxLab();
  const rows: Row[] = [];
  try {
    lab.setup();
    await lab.startKnxd();
    const reader = await lab.agent(lab.dev);
    await reader.request("aimdb", { options: { mode: "tunnel", gateway: `${GW_IP}:3671` }, records: [{ key: "in", dir: "from", url: `knx://${GA}?dpt=${DPT}`, dpt: DPT }] });
    await new Promise((r) => setTimeout(r, 300));
    const writers: (() => Promise<Writer>)[] = [
      () => aimdbWriter(lab, "aimdb-ts tunnelling", N_TUNNEL, { mode: "tunnel", gateway: `${GW_IP}:3671` }),
      // knx.js drops writes handed to it while a tunnelling request is in flight; minimumDelay paces them.
      () => knxjsWriter(lab, "knx.js tunnelling (minimumDelay 20 ms)", N_TUNNEL, { ipAddr: GW_IP, ipPort: 3671, forceTunneling: true, minimumDelay: 20 }),
      () => aimdbWriter(lab, "aimdb-ts routing (no rate limit)", N_ROUTING, { mode: "routing", individualAddress: "1.1.250", interface: DEV_IP, rateLimit: { perSecond: 0 } }),
      () => knxjsWriter(lab, "knx.js routing", N_ROUTING, { ipAddr: "224.0.23.12", ipPort: 3671, physAddr: "1.1.251" }),
    ];
    for (const make of writers) {
      const w = await make();
      try {
        rows.push(await measure(w, reader, w.n));
      } catch (err) {
        progress(`${w.name}: ${(err as Error).message}`);
        rows.push({ name: `${w.name} (failed: ${(err as Error).message.slice(0, 60)})`, perS: NaN, p50: NaN, p99: NaN });
      }
      await w.agent.request("exit").catch(() => {});
    }
  } finally {
    await lab.close();
  }
  const f = (x: number, d = 2) => (Number.isNaN(x) ? "–" : x.toFixed(d));
  return [
    "## KNX against knxd",
    "",
    `knxd 0.14 (dummy backend) in one network namespace, every client in another, across a veth pair. ` +
      `Throughput: ${N_TUNNEL} (tunnelling) or ${N_ROUTING} (routing) GroupValue_Write telegrams (DPT ${DPT}) to ${GA}, from the first write until an aimdb-ts tunnel reading ` +
      `the address has decoded all of them (tunnelling: each write waits for knxd's L_Data.con before the next leaves). ` +
      `Latency: one write at a time, ${LAT_N} samples, writer's clock → reader's deserializer.`,
    "",
    "| writer | writes/s | latency p50 (ms) | p99 (ms) |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.name} | ${f(r.perS, 0)} | ${f(r.p50)} | ${f(r.p99)} |`),
    "",
    size,
  ].join("\n");
}

runIfMain(import.meta.url, runKnxBench);
