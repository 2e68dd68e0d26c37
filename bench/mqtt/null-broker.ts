/**
 * The null broker: a worker thread that accepts MQTT connections, answers CONNECT,
 * SUBSCRIBE, PINGREQ and QoS 1 PUBLISH at once, counts PUBLISH packets and routes nothing.
 * Against it a publisher runs as fast as it can, so its rows are the clients' own ceiling.
 */
import { Worker } from "node:worker_threads";
import type { Sink } from "./clients.js";

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

export async function startNullBroker(): Promise<Sink & { port: number; stop(): Promise<void> }> {
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
