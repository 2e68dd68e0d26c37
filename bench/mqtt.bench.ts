/**
 * MQTT against a real mosquitto on 127.0.0.1: publish throughput at QoS 0 and 1 and
 * end-to-end latency of the aimdb-ts connector and of mqtt.js, measured in the same run
 * against the same broker, and the minified size of the connector next to mqtt.js's
 * browser bundle. `npx tsx bench/mqtt.bench.ts` prints the markdown; `runMqttBench()`
 * returns it.
 *
 * The timed part runs in a fresh Node process (this file with `--child`), so it never
 * inherits another bench's compiled code, heap or locked-down intrinsics; it prints its
 * figures as JSON and the parent writes the tables. Progress lines go to stderr unless
 * `--quiet` is given.
 */
import { runIfMain } from "./main.js";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import mqttjs from "mqtt";
import { AimDbBuilder, BufferCfg, type AimDb } from "../src/index.js";
import { mqtt } from "../src/connectors/mqtt/index.js";
import { nodeHost } from "../hosts/node/index.js";
import { freePort } from "../test/support/peers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Payload bytes of every message (throughput and latency). */
const PAYLOAD_BYTES = 64;
/** The record's ring, and how many values the producer sends before yielding a turn. */
const RING = 1024;
const BATCH = 256;
/** Messages per timed throughput run, by QoS, and per warm-up run. */
const THROUGHPUT_N: Readonly<Record<0 | 1, number>> = { 0: 20_000, 1: 10_000 };
const WARM_N = 5_000;
const THROUGHPUT_REPS = 5;
/** Latency: messages per second, seconds per run, runs. */
const LAT_RATE = 2_000;
const LAT_MS = 1_000;
const LAT_WARM_MS = 300;
const LAT_REPS = 5;
/** A run that has not finished after this long failed (a lost message, a stuck client). */
const RUN_TIMEOUT_MS = 20_000;

const quiet = process.argv.includes("--quiet");
const progress = (line: string) => {
  if (!quiet) process.stderr.write(`  mqtt ${line}\n`);
};

/** An integer with thousands separators (no toLocaleString: it is tamed after a lockdown). */
const int = (x: number) => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const ms3 = (x: number) => (x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const turn = () => new Promise<void>((r) => setImmediate(r));

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(1);
  }
}

// ---------------------------------------------------------------------------------------
// The broker

interface Broker {
  port: number;
  pid: number | undefined;
  version: string;
  settings: string[];
  stop(): Promise<void>;
}

/**
 * Settings of the one mosquitto every client uses. Logging stops at `information`:
 * `log_type all` (the tests' setting) writes a line per packet to stderr, and the bench
 * would measure mosquitto's logging. The queue limits are lifted so the broker never drops
 * a message for the subscriber while a run is catching up; a drop would fail the run.
 */
const BROKER_SETTINGS = [
  "per_listener_settings false",
  "allow_anonymous true",
  "persistence false",
  "max_queued_messages 0",
  "max_inflight_messages 0",
  "log_dest stderr",
  "log_type error",
  "log_type warning",
  "log_type notice",
  "log_type information",
];

async function startBroker(): Promise<Broker> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-mqtt-bench-"));
  const conf = path.join(dir, "mosquitto.conf");
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, ...(process.getuid?.() === 0 ? ["user root"] : []), ...BROKER_SETTINGS].join("\n") + "\n");
  const child: ChildProcess = spawn("mosquitto", ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    if (log.length < 100_000) log += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // Should this process exit without stopping it (an error, Ctrl-C), the broker and its files go with it.
  const orphan = () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", orphan);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(t);
    }
    process.off("exit", orphan);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      void exited.then(() => reject(new Error(`mosquitto exited:\n${log}`)));
      const check = setInterval(() => {
        if (/mosquitto version \S+ running/.test(log)) {
          clearInterval(check);
          resolve();
        }
      }, 5);
      setTimeout(() => {
        clearInterval(check);
        reject(new Error(`mosquitto did not start:\n${log}`));
      }, 10_000).unref();
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const version = /mosquitto version (\S+) running/.exec(log)?.[1] ?? "?";
  return { port, pid: child.pid, version, settings: BROKER_SETTINGS.filter((l) => !l.startsWith("log_")), stop };
}

// ---------------------------------------------------------------------------------------
// A raw MQTT 3.1.1 client on a plain socket: pre-encoded packets and a parser that only
// walks fixed headers (and reads a PUBLISH's payload when asked). It is the counting
// subscriber of the throughput runs, the same for every publisher, and the baseline: the
// least a client can cost, so its rows show what the broker and the machine allow.

function mqttString(s: string): Buffer {
  const b = Buffer.from(s, "utf8");
  const out = Buffer.alloc(2 + b.length);
  out.writeUInt16BE(b.length, 0);
  b.copy(out, 2);
  return out;
}

function mqttPacket(first: number, body: Buffer): Buffer {
  const len: number[] = [];
  let n = body.length;
  do {
    let d = n & 0x7f;
    n >>>= 7;
    if (n > 0) d |= 0x80;
    len.push(d);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...len]), body]);
}

/** A PUBLISH of `payload` to `topic`; at QoS 1 its packet id is at `idOffset`. */
function publishPacket(topic: string, qos: 0 | 1, payload: Uint8Array): { bytes: Buffer; idOffset: number; payloadOffset: number } {
  const t = mqttString(topic);
  const body = Buffer.concat([t, qos === 1 ? Buffer.from([0, 1]) : Buffer.alloc(0), payload]);
  const bytes = mqttPacket(0x30 | (qos << 1), body);
  const headerLength = bytes.length - body.length;
  return { bytes, idOffset: headerLength + t.length, payloadOffset: bytes.length - payload.length };
}

class RawClient {
  /** PUBLISH packets received since the last `reset()`. */
  count = 0;
  /** PUBACKs received. */
  acked = 0;
  /** Called with each received PUBLISH's payload (valid during the call only). */
  onPublish: ((payload: Buffer) => void) | undefined;
  readonly socket: net.Socket;
  #target = Number.POSITIVE_INFINITY;
  #reached: (() => void) | undefined;
  #waiting: { type: number; resolve: () => void } | undefined;
  #rest: Buffer | undefined;
  #nextId = 1;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.#feed(chunk));
  }

  static async open(port: number, clientId: string, noDelay: boolean): Promise<RawClient> {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setNoDelay(noDelay);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const c = new RawClient(socket);
    const connack = c.#expect(2);
    socket.write(mqttPacket(0x10, Buffer.concat([mqttString("MQTT"), Buffer.from([4, 0x02, 0, 0]), mqttString(clientId)])));
    await connack;
    return c;
  }

  async subscribe(filter: string, qos: 0 | 1): Promise<void> {
    const suback = this.#expect(9);
    this.socket.write(mqttPacket(0x82, Buffer.concat([Buffer.from([0, 1]), mqttString(filter), Buffer.from([qos])])));
    await suback;
  }

  /** Resolves on the PINGRESP to a PINGREQ sent now. */
  async ping(): Promise<void> {
    const pong = this.#expect(13);
    this.socket.write(Buffer.from([0xc0, 0]));
    await pong;
  }

  /** A packet id for a QoS 1 publish (the bench never has 65,535 outstanding). */
  nextId(): number {
    const id = this.#nextId;
    this.#nextId = id === 0xffff ? 1 : id + 1;
    return id;
  }

  /** Resolves once `n` PUBLISH packets have arrived since the last `reset()`. */
  reached(n: number): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    this.#target = n;
    return new Promise<void>((r) => (this.#reached = r));
  }

  reset(): void {
    this.count = 0;
    this.#target = Number.POSITIVE_INFINITY;
  }

  close(): void {
    this.socket.destroy();
  }

  #expect(type: number): Promise<void> {
    return new Promise<void>((resolve) => (this.#waiting = { type, resolve }));
  }

  #feed(chunk: Buffer): void {
    const buf = this.#rest ? Buffer.concat([this.#rest, chunk]) : chunk;
    this.#rest = undefined;
    let i = 0;
    const end = buf.length;
    while (i < end) {
      // Fixed header: type and flags, then the remaining length (1 to 4 bytes).
      let length = 0;
      let mul = 1;
      let k = i + 1;
      let complete = false;
      while (k < end && k < i + 5) {
        const d = buf[k++]!;
        length += (d & 0x7f) * mul;
        mul *= 128;
        if ((d & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || k + length > end) break;
      const first = buf[i]!;
      const type = first >> 4;
      if (type === 3) this.#publish(buf, first, k, length);
      else if (type === 4) this.acked++;
      else if (this.#waiting?.type === type) {
        const w = this.#waiting;
        this.#waiting = undefined;
        w.resolve();
      }
      i = k + length;
    }
    if (i < end) this.#rest = Buffer.from(buf.subarray(i));
  }

  #publish(buf: Buffer, first: number, body: number, length: number): void {
    const qos = (first >> 1) & 3;
    let p = body + 2 + buf.readUInt16BE(body);
    if (qos > 0) {
      this.socket.write(Buffer.from([0x40, 2, buf[p]!, buf[p + 1]!]));
      p += 2;
    }
    this.onPublish?.(buf.subarray(p, body + length));
    if (++this.count >= this.#target && this.#reached) {
      const r = this.#reached;
      this.#reached = undefined;
      this.#target = Number.POSITIVE_INFINITY;
      r();
    }
  }
}

// ---------------------------------------------------------------------------------------
// The null broker: a worker thread that accepts MQTT connections, answers CONNECT,
// SUBSCRIBE, PINGREQ and QoS 1 PUBLISH at once, counts PUBLISH packets and routes nothing.
// Against it a publisher runs as fast as it can, so its rows are the clients' own ceiling.

/** What a throughput run waits on: the counting subscriber, or the null broker's count. */
interface Sink {
  readonly count: number;
  reset(): void;
  /** Resolves once `n` PUBLISH packets have arrived since the last `reset()`. */
  reached(n: number): Promise<void>;
}

const NULL_BROKER = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
const shared = new Int32Array(workerData);
const sockets = new Set();
const server = net.createServer((s) => {
  sockets.add(s);
  s.on("close", () => sockets.delete(s));
  s.on("error", () => {});
  s.setNoDelay(true);
  let rest = null;
  s.on("data", (chunk) => {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    rest = null;
    const out = [];
    let i = 0, n = 0;
    while (i < buf.length) {
      let len = 0, mul = 1, k = i + 1, complete = false;
      while (k < buf.length && k < i + 5) {
        const d = buf[k++];
        len += (d & 0x7f) * mul;
        mul *= 128;
        if ((d & 0x80) === 0) { complete = true; break; }
      }
      if (!complete || k + len > buf.length) break;
      const type = buf[i] >> 4;
      if (type === 3) {
        n++;
        if ((buf[i] >> 1) & 3) { const id = k + 2 + buf.readUInt16BE(k); out.push(0x40, 2, buf[id], buf[id + 1]); }
      } else if (type === 1) out.push(0x20, 2, 0, 0);
      else if (type === 8) out.push(0x90, 3, buf[k], buf[k + 1], 0);
      else if (type === 12) out.push(0xd0, 0);
      else if (type === 14) s.end();
      i = k + len;
    }
    if (i < buf.length) rest = Buffer.from(buf.subarray(i));
    if (out.length > 0) s.write(Buffer.from(out));
    if (n > 0) {
      const count = Atomics.add(shared, 0, n) + n;
      const target = Atomics.load(shared, 1);
      if (target > 0 && count >= target) {
        Atomics.store(shared, 1, 0);
        parentPort.postMessage("reached");
      }
    }
  });
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
parentPort.on("message", () => {
  for (const s of sockets) s.destroy();
  server.close(() => parentPort.close());
});
`;

async function startNullBroker(): Promise<Sink & { port: number; stop(): Promise<void> }> {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(NULL_BROKER, { eval: true, workerData: shared.buffer, execArgv: [] });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  let reached: (() => void) | undefined;
  worker.on("message", () => {
    const r = reached;
    reached = undefined;
    r?.();
  });
  return {
    port,
    get count() {
      return Atomics.load(shared, 0);
    },
    reset() {
      Atomics.store(shared, 0, 0);
      Atomics.store(shared, 1, 0);
    },
    reached(n) {
      // Set before the run sends anything (timedRun calls it first), so it cannot be missed.
      if (Atomics.load(shared, 0) >= n) return Promise.resolve();
      return new Promise<void>((r) => {
        reached = r;
        Atomics.store(shared, 1, n);
      });
    },
    async stop() {
      const exited = new Promise<void>((r) => worker.once("exit", () => r()));
      worker.postMessage("stop");
      const t = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(t);
    },
  };
}

// ---------------------------------------------------------------------------------------
// Throughput: a publisher sends n messages; done when the counting subscriber has them all
// and (QoS 1) every one is acknowledged.

type Client = "raw" | "ours" | "mqtt.js";
const CLIENTS: readonly Client[] = ["raw", "ours", "mqtt.js"];

interface Publisher {
  /** Sends n messages with the client's flow control; resolves when all are handed over. */
  send(n: number): Promise<void>;
  /** Nothing is waiting for an acknowledgement. */
  settled(): boolean;
  /**
   * Resolves once the broker has read every message handed over so far: a PINGREQ (raw)
   * or a QoS 1 publish (ours, mqtt.js) sent after them on the same connection is answered,
   * and at QoS 1 every PUBACK is in. A broker reads one connection's packets in order.
   */
  drained(): Promise<void>;
  /** Ours: values the link skipped because the ring was overrun (must stay 0). */
  lagged(): number;
  close(): Promise<void>;
}

const payload = new Uint8Array(PAYLOAD_BYTES).fill(0x61);

function quietNodeHost() {
  return nodeHost({ logLevel: "warn" });
}

async function rawPublisher(port: number, qos: 0 | 1, topic: string): Promise<Publisher> {
  const c = await RawClient.open(port, `bench-raw-q${qos}`, true);
  const one = publishPacket(topic, qos, payload);
  const size = one.bytes.length;
  // QoS 0: one batch of packets written again and again; QoS 1: a fresh copy per batch with its ids.
  const batch0 = Buffer.alloc(size * BATCH);
  for (let i = 0; i < BATCH; i++) one.bytes.copy(batch0, i * size);
  let sent = 0;
  return {
    async send(n) {
      let done = 0;
      while (done < n) {
        const k = Math.min(BATCH, n - done);
        let bytes = k === BATCH ? batch0 : batch0.subarray(0, k * size);
        if (qos === 1) {
          bytes = Buffer.from(bytes);
          for (let i = 0; i < k; i++) bytes.writeUInt16BE(c.nextId(), i * size + one.idOffset);
        }
        c.socket.write(bytes);
        done += k;
        sent += k;
        do await turn();
        while (qos === 1 ? sent - c.acked > RING - BATCH : c.socket.writableLength > (RING - BATCH) * size);
      }
    },
    settled: () => qos === 0 || c.acked === sent,
    async drained() {
      while (qos === 1 && c.acked !== sent) await turn();
      await c.ping();
    },
    lagged: () => 0,
    close: async () => c.close(),
  };
}

async function oursPublisher(port: number, qos: 0 | 1, topic: string): Promise<Publisher> {
  const b = new AimDbBuilder(quietNodeHost()).withConnector(mqtt({ url: `mqtt://127.0.0.1:${port}`, clientId: `bench-ours-q${qos}`, ...(process.env.BENCH_INFLIGHT ? { maxInflight: Number(process.env.BENCH_INFLIGHT) } : {}) }));
  b.configure<number>("bench.x", (r) =>
    r
      .buffer(BufferCfg.spmcRing(RING))
      .linkTo(`mqtt://${topic}?qos=${qos}`)
      .withSerializer(() => payload),
  );
  b.configure<number>("bench.barrier", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://bench/barrier?qos=1").withSerializer(() => payload));
  const db = await b.build();
  await db.run();
  const detail = () => db.connectors()[0]!.detail ?? {};
  await until(() => detail().connected === true, 5000, "our publisher to connect");
  const link = () => db.records()[0]!.links[0]!.counters;
  let produced = 0;
  return {
    async send(n) {
      let done = 0;
      while (done < n) {
        const k = Math.min(BATCH, n - done);
        for (let i = 0; i < k; i++) db.produce("bench.x", i);
        done += k;
        produced += k;
        // Let the pump and the socket run; never let it fall a ring behind.
        do await turn();
        while (produced - link().sent > RING - BATCH);
      }
    },
    settled: () => detail().inflight === 0,
    async drained() {
      while (link().sent < produced) await turn();
      const barrier = () => db.records().find((r) => r.key === "bench.barrier")!.links[0]!.counters.sent;
      const before = barrier();
      db.produce("bench.barrier", 0);
      while (barrier() === before || detail().inflight !== 0) await turn();
    },
    lagged: () => link().lagged,
    close: () => db.stop(),
  };
}

async function mqttjsPublisher(port: number, qos: 0 | 1, topic: string): Promise<Publisher> {
  const client = await mqttjs.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-mqttjs-q${qos}`, reconnectPeriod: 0 });
  const buf = Buffer.from(payload);
  let pending = 0;
  const done = () => {
    pending--;
  };
  return {
    async send(n) {
      let sent = 0;
      while (sent < n) {
        const k = Math.min(BATCH, n - sent);
        for (let i = 0; i < k; i++) {
          pending++;
          client.publish(topic, buf, { qos }, done);
        }
        sent += k;
        // The same flow control as ours: at most a ring's worth not yet written (QoS 0) or acknowledged (QoS 1).
        do await turn();
        while (pending > RING - BATCH);
      }
    },
    settled: () => pending === 0,
    async drained() {
      await client.publishAsync("bench/barrier", buf, { qos: 1 });
      while (pending !== 0) await turn();
    },
    lagged: () => 0,
    close: () => client.endAsync(),
  };
}

const PUBLISHERS: Readonly<Record<Client, (port: number, qos: 0 | 1, topic: string) => Promise<Publisher>>> = {
  raw: rawPublisher,
  ours: oursPublisher,
  "mqtt.js": mqttjsPublisher,
};

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`; 100 on Linux). */
const CLK_TCK = 100;

/** CPU seconds mosquitto has used so far (Linux /proc), or NaN. */
function brokerCpu(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

interface Run {
  mps: number;
  /** Share of the run's wall time mosquitto was on a CPU. */
  brokerBusy: number;
}

interface ThroughputRow {
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

/** Counts deliveries for `Sink`. */
class Counter implements Sink {
  count = 0;
  #target = Number.POSITIVE_INFINITY;
  #reached: (() => void) | undefined;

  hit(): void {
    if (++this.count >= this.#target && this.#reached) {
      const r = this.#reached;
      this.#reached = undefined;
      r();
    }
  }

  reset(): void {
    this.count = 0;
    this.#target = Number.POSITIVE_INFINITY;
  }

  reached(n: number): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    this.#target = n;
    return new Promise<void>((r) => (this.#reached = r));
  }
}

/** Each client's own subscriber, subscribed at the run's QoS: what a user of that client gets end to end. */
const OWN_SINKS: Readonly<Record<Client, (port: number, qos: 0 | 1, topic: string) => Promise<{ sink: Sink; close(): unknown }>>> = {
  async raw(port, qos, topic) {
    const c = await RawClient.open(port, `bench-raw-sink-q${qos}`, true);
    await c.subscribe(topic, qos);
    return { sink: c, close: () => c.close() };
  },
  async ours(port, qos, topic) {
    const counter = new Counter();
    const b = new AimDbBuilder(quietNodeHost()).withConnector(mqtt({ url: `mqtt://127.0.0.1:${port}`, clientId: `bench-ours-sink-q${qos}` }));
    b.configure<number>("bench.in", (r) =>
      r
        .buffer(BufferCfg.spmcRing(4 * RING))
        .linkFrom(`mqtt://${topic}?qos=${qos}`)
        .withDeserializer((bytes) => bytes[0]!)
        .tap(() => counter.hit()),
    );
    const db = await b.build();
    await db.run();
    await until(() => db.connectors()[0]!.detail?.connected === true, 5000, "our subscriber to connect");
    await sleep(50); // the SUBACK
    return { sink: counter, close: () => db.stop() };
  },
  async "mqtt.js"(port, qos, topic) {
    const counter = new Counter();
    const client = await mqttjs.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-mqttjs-sink-q${qos}`, reconnectPeriod: 0 });
    client.on("message", () => counter.hit());
    await client.subscribeAsync(topic, { qos });
    return { sink: counter, close: () => client.endAsync() };
  },
};

// ---------------------------------------------------------------------------------------
// Latency: each client end to end (its own publisher and its own subscriber), at a fixed
// rate; the payload carries performance.now() from the moment the value is handed over.

interface LatencyPair {
  /** Hands one timestamped value to the publisher. */
  send(): void;
  /** Milliseconds from hand-over to delivery, one per message received. */
  samples: number[];
  close(): Promise<void>;
}

function stampPayload(t: number): Uint8Array {
  const b = new Uint8Array(PAYLOAD_BYTES);
  new DataView(b.buffer).setFloat64(0, t, true);
  return b;
}

async function rawPair(port: number, qos: 0 | 1, topic: string): Promise<LatencyPair> {
  const samples: number[] = [];
  const pub = await RawClient.open(port, `bench-raw-lat-pub-q${qos}`, true);
  const sub = await RawClient.open(port, `bench-raw-lat-sub-q${qos}`, true);
  sub.onPublish = (p) => {
    samples.push(performance.now() - p.readDoubleLE(0));
  };
  await sub.subscribe(topic, qos);
  const one = publishPacket(topic, qos, payload);
  return {
    send: () => {
      const b = Buffer.from(one.bytes);
      if (qos === 1) b.writeUInt16BE(pub.nextId(), one.idOffset);
      b.writeDoubleLE(performance.now(), one.payloadOffset);
      pub.socket.write(b);
    },
    samples,
    close: async () => {
      pub.close();
      sub.close();
    },
  };
}

async function oursPair(port: number, qos: 0 | 1, topic: string): Promise<LatencyPair> {
  const samples: number[] = [];
  const pb = new AimDbBuilder(quietNodeHost()).withConnector(mqtt({ url: `mqtt://127.0.0.1:${port}`, clientId: `bench-ours-lat-pub-q${qos}` }));
  pb.configure<number>("bench.lat", (r) =>
    r
      .buffer(BufferCfg.spmcRing(RING))
      .linkTo(`mqtt://${topic}?qos=${qos}`)
      .withSerializer((t) => stampPayload(t)),
  );
  const sb = new AimDbBuilder(quietNodeHost()).withConnector(mqtt({ url: `mqtt://127.0.0.1:${port}`, clientId: `bench-ours-lat-sub-q${qos}` }));
  sb.configure<number>("bench.lat", (r) =>
    r
      .buffer(BufferCfg.spmcRing(RING))
      .linkFrom(`mqtt://${topic}?qos=${qos}`)
      .withDeserializer((bytes) => new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true))
      .tap((t) => {
        samples.push(performance.now() - t);
      }),
  );
  const dbs: AimDb[] = [await pb.build(), await sb.build()];
  for (const db of dbs) await db.run();
  await until(() => dbs.every((db) => db.connectors()[0]!.detail?.connected === true), 5000, "our latency clients to connect");
  const pub = dbs[0]!;
  return {
    send: () => pub.produce("bench.lat", performance.now()),
    samples,
    close: async () => {
      for (const db of dbs) await db.stop();
    },
  };
}

async function mqttjsPair(port: number, qos: 0 | 1, topic: string): Promise<LatencyPair> {
  const samples: number[] = [];
  const url = `mqtt://127.0.0.1:${port}`;
  const pub = await mqttjs.connectAsync(url, { clientId: `bench-mqttjs-lat-pub-q${qos}`, reconnectPeriod: 0 });
  const sub = await mqttjs.connectAsync(url, { clientId: `bench-mqttjs-lat-sub-q${qos}`, reconnectPeriod: 0 });
  sub.on("message", (_topic, p) => {
    samples.push(performance.now() - p.readDoubleLE(0));
  });
  await sub.subscribeAsync(topic, { qos });
  return {
    send: () => {
      const b = Buffer.alloc(PAYLOAD_BYTES);
      b.writeDoubleLE(performance.now(), 0);
      pub.publish(topic, b, { qos });
    },
    samples,
    close: async () => {
      await pub.endAsync();
      await sub.endAsync();
    },
  };
}

const PAIRS: Readonly<Record<Client, (port: number, qos: 0 | 1, topic: string) => Promise<LatencyPair>>> = {
  raw: rawPair,
  ours: oursPair,
  "mqtt.js": mqttjsPair,
};

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

interface LatencyRow {
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
// The child process: everything timed.

interface Measured {
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

async function measure(): Promise<Measured> {
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

function runChild(): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const args = ["--import", "tsx", fileURLToPath(import.meta.url), "--child", ...(quiet ? ["--quiet"] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out) as Measured);
      else reject(new Error(`the MQTT bench process exited with ${code}`));
    });
  });
}

// ---------------------------------------------------------------------------------------
// Sizes

interface Sizes {
  connector: number;
  connectorGzip: number;
  ownCode: number;
  ownCodeGzip: number;
  core: number;
  coreGzip: number;
  /** The core and the connector in one bundle, less the core alone. */
  added: number;
  addedGzip: number;
  mqttjs: number | undefined;
  mqttjsGzip: number | undefined;
}

async function bundle(entry: string | { contents: string }, plugins: Plugin[] = []): Promise<Uint8Array> {
  const out = await build({
    ...(typeof entry === "string" ? { entryPoints: [path.join(ROOT, entry)] } : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: "ts" } }),
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    logLevel: "silent",
    plugins,
  });
  return out.outputFiles[0]!.contents;
}

/** Leaves every module of src/core out of the bundle (imported, not included). */
const coreExternal: Plugin = {
  name: "core-external",
  setup(b) {
    const core = path.join(ROOT, "src", "core") + path.sep;
    b.onResolve({ filter: /^\./ }, (a) => (path.resolve(a.resolveDir, a.path).startsWith(core) ? { path: a.path, external: true } : undefined));
  },
};

async function sizes(): Promise<Sizes> {
  const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;
  const connector = await bundle("src/connectors/mqtt/index.ts");
  const own = await bundle("src/connectors/mqtt/index.ts", [coreExternal]);
  const core = await bundle("src/index.ts");
  const both = await bundle({ contents: 'export * from "./src/index.ts";\nexport { mqtt } from "./src/connectors/mqtt/index.ts";\n' });
  const min = path.join(ROOT, "node_modules", "mqtt", "dist", "mqtt.min.js");
  let mqttjs: number | undefined;
  let mqttjsGzip: number | undefined;
  try {
    mqttjs = statSync(min).size;
    mqttjsGzip = gz(readFileSync(min));
  } catch {
    // not installed: the row says so
  }
  return {
    connector: connector.length,
    connectorGzip: gz(connector),
    ownCode: own.length,
    ownCodeGzip: gz(own),
    core: core.length,
    coreGzip: gz(core),
    added: both.length - core.length,
    addedGzip: gz(both) - gz(core),
    mqttjs,
    mqttjsGzip,
  };
}

// ---------------------------------------------------------------------------------------
// Report


function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function spread(xs: number[], fmt: (x: number) => string): string {
  return `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
}

const LABEL: Readonly<Record<Client, string>> = { raw: "baseline: raw socket", ours: "aimdb-ts", "mqtt.js": "mqtt.js 5" };

function throughputTable(rows: ThroughputRow[], broker: boolean): string[] {
  const out = [
    `| QoS | client | msg/s (median) | spread | ours ÷ mqtt.js |${broker ? " mosquitto busy | lagged |" : " lagged |"}`,
    `|---:|---|---:|---:|---:|${broker ? "---:|---:|" : "---:|"}`,
  ];
  for (const qos of [0, 1] as const) {
    const row = (c: Client) => rows.find((r) => r.qos === qos && r.client === c)!;
    const mps = (c: Client) => median(row(c).runs.map((r) => r.mps));
    for (const c of CLIENTS) {
      const r = row(c);
      const ours = c === "ours";
      const busy = median(r.runs.map((x) => x.brokerBusy));
      const busyCell = broker ? ` ${Number.isNaN(busy) ? "?" : `${(100 * busy).toFixed(0)}%`} |` : "";
      out.push(
        `| ${qos} | ${LABEL[c]} | ${ours ? `**${int(mps(c))}**` : int(mps(c))} | ${spread(r.runs.map((x) => x.mps), int)} | ` +
          `${ours ? `**${(mps("ours") / mps("mqtt.js")).toFixed(2)}**` : ""} |${busyCell} ${ours ? r.lagged : ""} |`,
      );
    }
  }
  return out;
}

function latencyTable(rows: LatencyRow[]): string[] {
  const out = [
    "| QoS | client (publisher → subscriber) | messages | p50 ms | p99 ms | max ms | p99 spread | > 1 ms | lost |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const p50 = median(r.runs.map((x) => x.p50));
    const p99s = r.runs.map((x) => x.p99);
    const max = Math.max(...r.runs.map((x) => x.max));
    const count = r.runs.reduce((a, x) => a + x.count, 0);
    const over = r.runs.reduce((a, x) => a + x.over1 * x.count, 0) / count;
    const lost = r.runs.reduce((a, x) => a + x.lost, 0);
    const name = r.client === "raw" ? "baseline: raw socket → raw socket" : r.client === "ours" ? "aimdb-ts linkTo → aimdb-ts linkFrom + tap" : "mqtt.js 5 → mqtt.js 5";
    const p99 = ms3(median(p99s));
    out.push(`| ${r.qos} | ${name} | ${int(count)} | ${ms3(p50)} | ${r.client === "ours" ? `**${p99}**` : p99} | ${ms3(max)} | ${spread(p99s, ms3)} | ${(100 * over).toFixed(1)}% | ${lost} |`);
  }
  return out;
}

function sizeTable(s: Sizes): string[] {
  const kb = (n: number) => `${int(n)} (${(n / 1024).toFixed(1)} KB)`;
  return [
    "| bundle | minified bytes | gzip -9 bytes |",
    "|---|---:|---:|",
    `| aimdb-ts MQTT connector alone: src/connectors/mqtt/index.ts with the core modules it imports | **${kb(s.connector)}** | ${int(s.connectorGzip)} |`,
    `| the same with src/core/* external (imported, not bundled) | ${kb(s.ownCode)} | ${int(s.ownCodeGzip)} |`,
    `| what the connector adds to an app bundle that has the core: (src/index.ts + connector) − src/index.ts | ${kb(s.added)} | ${int(s.addedGzip)} |`,
    `| for scale: the aimdb-ts core, src/index.ts | ${kb(s.core)} | ${int(s.coreGzip)} |`,
    s.mqttjs === undefined
      ? "| mqtt.js 5 browser bundle | not in node_modules | |"
      : `| mqtt.js 5 browser bundle, node_modules/mqtt/dist/mqtt.min.js as shipped | **${kb(s.mqttjs)}** | ${int(s.mqttjsGzip!)} |`,
  ];
}

/** Runs the MQTT bench in a fresh process and returns a markdown section. */
export async function runMqttBench(): Promise<string> {
  const m = await runChild();
  const s = await sizes();
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const rate = (rows: ThroughputRow[], client: Client, qos: 0 | 1) => median(rows.find((r) => r.qos === qos && r.client === client)!.runs.map((x) => x.mps));
  const ratio = (rows: ThroughputRow[], qos: 0 | 1) => rate(rows, "ours", qos) / rate(rows, "mqtt.js", qos);
  const p99 = (qos: 0 | 1) => median(m.latency.find((r) => r.client === "ours" && r.qos === qos)!.runs.map((x) => x.p99));
  const verdict = (ok: boolean) => (ok ? "met" : "missed");
  const goals = [
    ...([0, 1] as const).map(
      (qos) =>
        `QoS ${qos} throughput ours ≥ 2 × mqtt.js: ${verdict(ratio(m.pairs, qos) >= 2)} end to end through mosquitto (${ratio(m.pairs, qos).toFixed(2)}), ` +
        `${verdict(ratio(m.solo, qos) >= 2)} publishing to mosquitto (${ratio(m.solo, qos).toFixed(2)}), ` +
        `${verdict(ratio(m.throughput, qos) >= 2)} through mosquitto to a subscriber (${ratio(m.throughput, qos).toFixed(2)}), ` +
        `${verdict(ratio(m.ceiling, qos) >= 2)} against the null broker (${ratio(m.ceiling, qos).toFixed(2)})`,
    ),
    ...([0, 1] as const).map((qos) => `QoS ${qos} p99 ≤ 1 ms: ${verdict(p99(qos) <= 1)} (${ms3(p99(qos))} ms)`),
  ];
  const flow =
    `The bench hands over ${BATCH} messages, yields a turn (setImmediate), and waits while more than ${RING - BATCH} are not yet taken ` +
    `(ours: produced − the link's \`sent\`; mqtt.js: \`publish\` callbacks outstanding, i.e. not yet written at QoS 0, not yet acknowledged at QoS 1; ` +
    `raw: bytes in the socket's buffer at QoS 0, PUBACKs outstanding at QoS 1).`;
  return [
    "## aimdb-ts MQTT: throughput and latency against mosquitto, size",
    "",
    `Node ${process.version} on ${cpu}, ${os.cpus().length} cores; mosquitto ${m.broker.version} on 127.0.0.1 started by the bench ` +
      `(\`${m.broker.settings.join("`, `")}\`, logging up to \`information\`), one broker with the same settings for every client. ` +
      `MQTT 3.1.1, ${PAYLOAD_BYTES}-byte payloads, each client with its defaults: aimdb-ts maxInflight 1024 (its default), one socket write per burst and TCP no-delay (the Node host sets it ` +
      `when the connector asks); mqtt.js 5 no inflight limit, Nagle on. "baseline: raw socket" is a minimal hand-written client: ` +
      `pre-encoded packets on a plain \`net\` socket, no library; it shows what the broker and this machine allow. ` +
      `Everything timed runs in one fresh Node process (${m.seconds.toFixed(1)} s).`,
    "",
    "### Publish throughput to mosquitto",
    "",
    `aimdb-ts: an AimDb on the Node host with a record \`spmcRing(${RING})\` and \`.linkTo("mqtt://bench/solo/…?qos=Q")\`, whose serializer returns ` +
      `one reused ${PAYLOAD_BYTES}-byte array; values go in with \`db.produce\`. mqtt.js: \`connectAsync\`, then \`client.publish(topic, payload, {qos}, cb)\`. ` +
      `raw: ${BATCH} packets per \`socket.write\`. ${flow} No client subscribes to these topics: a run ends when mosquitto has read every message, ` +
      "which the publisher learns on its own connection, where the broker reads packets in order: raw sends a PINGREQ and waits for the PINGRESP, " +
      "aimdb-ts and mqtt.js publish one QoS 1 message to another topic and wait for its PUBACK; at QoS 1 every PUBACK is in as well. " +
      `${int(THROUGHPUT_N[0])} messages per run at QoS 0, ${int(THROUGHPUT_N[1])} at QoS 1; ` +
      `one warm-up run of ${int(WARM_N)} per client, then ${THROUGHPUT_REPS} runs per client, rotating which goes first; median and min–max spread. ` +
      `"mosquitto busy": mosquitto's CPU time over the run's wall time (from /proc; 100% = one core, mosquitto is single-threaded). ` +
      `"lagged" is the aimdb-ts link's counter after all runs (0: the ring was never overrun).`,
    "",
    ...throughputTable(m.solo, true),
    "",
    "### End-to-end throughput through mosquitto: each client's publisher to its own subscriber",
    "",
    "The same publishers, each to a topic that a subscriber of the same client takes at the run's QoS, as a user of that client would run it: " +
      `aimdb-ts: another AimDb with \`.linkFrom("mqtt://bench/pair/…?qos=Q")\` into a \`spmcRing(${4 * RING})\` record and a \`tap\` that counts; ` +
      "mqtt.js: another mqtt.js client, `subscribeAsync` and `on(\"message\")` counting; raw: a raw socket that counts PUBLISH headers (and answers QoS 1 " +
      "with a PUBACK per message). A run ends when the subscriber has every message and every PUBACK is in.",
    "",
    ...throughputTable(m.pairs, true),
    "",
    "### Publish throughput through mosquitto to a subscriber",
    "",
    "The same publishers, publishing to topics one subscriber takes: a raw socket subscribed to `bench/x/#` at QoS 0 that counts PUBLISH headers, " +
      "the same for every publisher. A run ends when it has received all messages and, at QoS 1, every PUBACK is in. Here mosquitto routes every " +
      "message to a second connection as well, and its one thread is the ceiling for every client, the raw socket included.",
    "",
    ...throughputTable(m.throughput, true),
    "",
    "### Publish throughput against a null broker (the clients' own ceiling)",
    "",
    "The same publishers and flow control, against a worker thread in the bench process that accepts MQTT connections, answers CONNECT and " +
      "QoS 1 PUBLISH at once, counts PUBLISH packets and forwards nothing; a run ends when it has counted them all (and every PUBACK is in). " +
      "No broker limits these rows: they show what each client can push through one socket on this machine.",
    "",
    ...throughputTable(m.ceiling, false),
    "",
    "### End-to-end latency, publisher → mosquitto → subscriber",
    "",
    "Each client end to end, publisher and subscriber in this process: aimdb-ts is one AimDb publishing (`linkTo`) and another AimDb " +
      "receiving (`linkFrom` + `tap`); mqtt.js is one mqtt.js publisher and one mqtt.js subscriber (`on(\"message\")`); raw is two raw sockets " +
      `(one write per message, no-delay). ${int(LAT_RATE)} messages/s on a 1 ms timer (two or three per tick), ${LAT_MS / 1000} s per run, ` +
      `${LAT_REPS} runs per client and QoS after a ${LAT_WARM_MS} ms warm-up, rotating the order. The payload carries \`performance.now()\` ` +
      "taken when the value is handed to the client (`db.produce` / `client.publish` / `socket.write`); the subscriber's callback subtracts it. " +
      "The subscriber subscribes at the same QoS. p50 and p99: median over runs; max: over all runs; p99 spread: min–max over runs; " +
      "\"> 1 ms\": share of all messages slower than 1 ms.",
    "",
    ...latencyTable(m.latency),
    "",
    "### Minified size",
    "",
    "esbuild: bundle, minify, ESM, platform neutral, es2022. mqtt.js's file is its browser build as published (it carries its own Buffer, " +
      "stream and WebSocket shims), measured as is.",
    "",
    ...sizeTable(s),
    "",
    `Goals: ${goals.join("; ")}.`,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes("--child")) {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => process.exit(130));
    measure().then(
      (m) => {
        process.stdout.write(JSON.stringify(m));
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`mqtt bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(1);
      },
    );
  }
}
if (!process.argv.includes("--child")) runIfMain(import.meta.url, runMqttBench);
