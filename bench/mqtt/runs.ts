/**
 * The timed part of the MQTT bench: throughput runs (a publisher sends n messages to a
 * sink), latency runs (a pair at a fixed rate), and `measure()`, which runs them all
 * against mosquitto and the null broker and returns the figures the report is made of.
 */
import { brokerCpu, startBroker } from "./broker.js";
import { CLIENTS, OWN_SINKS, PAIRS, PUBLISHERS, type Client, type LatencyPair, type Publisher, type Sink } from "./clients.js";
import { int, LAT_MS, LAT_RATE, LAT_REPS, LAT_WARM_MS, progress, RUN_TIMEOUT_MS, sleep, THROUGHPUT_N, THROUGHPUT_REPS, until, WARM_N } from "./common.js";
import { startNullBroker } from "./null-broker.js";
import { RawClient } from "./raw-client.js";

// ---------------------------------------------------------------------------------------
// Throughput: a publisher sends n messages; done when the counting subscriber has them all
// and (QoS 1) every one is acknowledged.

interface Run {
  mps: number;
  /** Share of the run's wall time mosquitto was on a CPU. */
  brokerBusy: number;
}

export interface ThroughputRow {
  client: Client;
  qos: 0 | 1;
  n: number;
  runs: Run[];
  lagged: number;
}

/** One timed run: through to the subscriber `sub`, or (no sub) until the broker has read them all. */
async function timedRun(pub: Publisher, sub: Sink | undefined, n: number, brokerPid: number | undefined): Promise<Run> {
  sub?.reset();
  const b0 = brokerCpu(brokerPid);
  const t0 = performance.now();
  const received = sub ? sub.reached(n) : undefined;
  await pub.send(n);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(sub ? `the subscriber got ${sub.count} of ${n} messages within ${RUN_TIMEOUT_MS} ms` : `the broker did not read ${n} messages within ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
  });
  try {
    await Promise.race([received ?? pub.drained(), timeout]);
  } finally {
    clearTimeout(timer);
  }
  if (!pub.settled()) await until(() => pub.settled(), RUN_TIMEOUT_MS, "every PUBACK");
  const seconds = (performance.now() - t0) / 1000;
  return { mps: n / seconds, brokerBusy: (brokerCpu(brokerPid) - b0) / seconds };
}

/** Where a client's messages go in a throughput run: a topic prefix, and the sink that counts them (none: the broker's reading ends the run). */
interface Route {
  prefix: string;
  sink(client: Client, qos: 0 | 1, topic: string): Promise<{ sink: Sink; close?(): unknown } | undefined>;
}

async function throughput(port: number, brokerPid: number | undefined, route: Route, qos: 0 | 1, label: string): Promise<ThroughputRow[]> {
  const n = THROUGHPUT_N[qos];
  const rows: ThroughputRow[] = CLIENTS.map((client) => ({ client, qos, n, runs: [], lagged: 0 }));
  const pubs: Publisher[] = [];
  const sinks: ({ sink: Sink; close?(): unknown } | undefined)[] = [];
  try {
    for (const client of CLIENTS) {
      const topic = `${route.prefix}/${client === "mqtt.js" ? "mqttjs" : client}/q${qos}`;
      sinks.push(await route.sink(client, qos, topic));
      pubs.push(await PUBLISHERS[client](port, qos, topic));
    }
    for (let i = 0; i < pubs.length; i++) await timedRun(pubs[i]!, sinks[i]?.sink, WARM_N, brokerPid);
    for (let rep = 0; rep < THROUGHPUT_REPS; rep++) {
      // Rotate who goes first, so a drift in the machine does not favour one client.
      for (let j = 0; j < pubs.length; j++) {
        const i = (rep + j) % pubs.length;
        const run = await timedRun(pubs[i]!, sinks[i]?.sink, n, brokerPid);
        rows[i]!.runs.push(run);
        progress(`${label} QoS ${qos} ${rows[i]!.client}: ${int(run.mps)} msg/s${Number.isNaN(run.brokerBusy) ? "" : `, broker ${(100 * run.brokerBusy).toFixed(0)}% busy`}`);
      }
    }
    for (let i = 0; i < pubs.length; i++) rows[i]!.lagged = pubs[i]!.lagged();
  } finally {
    for (const p of pubs) await p.close();
    for (const s of sinks) await s?.close?.();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// Latency: each client end to end (its own publisher and its own subscriber), at a fixed
// rate; the payload carries performance.now() from the moment the value is handed over.

/** Sends `rate` messages per second for `ms`, on a 1 ms timer, catching up on late ticks. Returns the count. */
async function pace(rate: number, ms: number, send: () => void): Promise<number> {
  const total = Math.round((rate * ms) / 1000);
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; sent < due; sent++) send();
    await sleep(1);
  }
  return sent;
}

interface LatencyRun {
  p50: number;
  p99: number;
  max: number;
  /** Share of messages slower than 1 ms. */
  over1: number;
  count: number;
  lost: number;
}

export interface LatencyRow {
  client: Client;
  qos: 0 | 1;
  runs: LatencyRun[];
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function latencyRun(pair: LatencyPair, ms: number): Promise<LatencyRun> {
  pair.samples.length = 0;
  const sent = await pace(LAT_RATE, ms, pair.send);
  await until(() => pair.samples.length >= sent, 2000, `${sent} messages at the subscriber`).catch(() => undefined);
  const s = Float64Array.from(pair.samples).sort();
  let over = 0;
  for (let i = 0; i < s.length; i++) if (s[i]! > 1) over++;
  return { p50: percentile(s, 0.5), p99: percentile(s, 0.99), max: s[s.length - 1] ?? Number.NaN, over1: over / s.length, count: s.length, lost: sent - s.length };
}

async function latency(port: number, qos: 0 | 1): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = CLIENTS.map((client) => ({ client, qos, runs: [] }));
  const pairs: LatencyPair[] = [];
  try {
    for (const client of CLIENTS) pairs.push(await PAIRS[client](port, qos, `bench/lat/${client === "mqtt.js" ? "mqttjs" : client}/q${qos}`));
    for (const p of pairs) {
      // The subscription is in place once a probe comes back.
      const end = performance.now() + 5000;
      while (p.samples.length === 0 && performance.now() < end) {
        p.send();
        await sleep(5);
      }
      if (p.samples.length === 0) throw new Error("a latency subscriber received nothing");
      await sleep(20);
      await latencyRun(p, LAT_WARM_MS);
    }
    for (let rep = 0; rep < LAT_REPS; rep++) {
      for (let j = 0; j < pairs.length; j++) {
        const i = (rep + j) % pairs.length;
        const r = await latencyRun(pairs[i]!, LAT_MS);
        rows[i]!.runs.push(r);
        progress(`latency QoS ${qos} ${rows[i]!.client}: p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, max ${r.max.toFixed(2)} ms`);
      }
    }
  } finally {
    for (const p of pairs) await p.close();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// The child process (`mqtt.bench.ts --child`): everything timed.

export interface Measured {
  broker: { version: string; settings: string[] };
  /** Publisher only: no subscriber, done when the broker has read every message. */
  solo: ThroughputRow[];
  /** Each client's publisher to its own subscriber through the broker. */
  pairs: ThroughputRow[];
  /** Through the broker to the counting subscriber. */
  throughput: ThroughputRow[];
  ceiling: ThroughputRow[];
  latency: LatencyRow[];
  seconds: number;
}

export async function measure(): Promise<Measured> {
  const t0 = performance.now();
  const broker = await startBroker();
  const rows: ThroughputRow[] = [];
  const solo: ThroughputRow[] = [];
  const pairs: ThroughputRow[] = [];
  const lat: LatencyRow[] = [];
  try {
    // Without a subscriber: topics nobody subscribes to.
    for (const qos of [0, 1] as const) solo.push(...(await throughput(broker.port, broker.pid, { prefix: "bench/solo", sink: async () => undefined }, qos, "mosquitto, publisher only")));
    const own: Route = { prefix: "bench/pair", sink: (client, qos, topic) => OWN_SINKS[client](broker.port, qos, topic) };
    for (const qos of [0, 1] as const) pairs.push(...(await throughput(broker.port, broker.pid, own, qos, "mosquitto, end to end")));
    const sub = await RawClient.open(broker.port, `bench-counter-${process.pid}`, false);
    await sub.subscribe("bench/x/#", 0);
    try {
      const shared: Route = { prefix: "bench/x", sink: async () => ({ sink: sub }) };
      for (const qos of [0, 1] as const) rows.push(...(await throughput(broker.port, broker.pid, shared, qos, "mosquitto")));
      for (const qos of [0, 1] as const) lat.push(...(await latency(broker.port, qos)));
    } finally {
      sub.close();
    }
  } finally {
    await broker.stop();
  }
  const nb = await startNullBroker();
  const ceiling: ThroughputRow[] = [];
  try {
    for (const qos of [0, 1] as const) ceiling.push(...(await throughput(nb.port, undefined, { prefix: "bench/x", sink: async () => ({ sink: nb }) }, qos, "null broker")));
  } finally {
    await nb.stop();
  }
  return { broker: { version: broker.version, settings: broker.settings }, solo, pairs, throughput: rows, ceiling, latency: lat, seconds: (performance.now() - t0) / 1000 };
}
