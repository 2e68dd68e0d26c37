/**
 * The three MQTT clients the bench compares (a raw socket, aimdb-ts, mqtt.js), each in
 * the three shapes the runs use: a publisher with the bench's flow control, its own
 * subscriber as a counting sink, and a publisher → subscriber pair that records latency.
 */
import mqttjs from "mqtt";
import { AimDbBuilder, BufferCfg, type AimDb } from "../../src/index.js";
import { mqtt } from "../../src/connectors/mqtt/index.js";
import { nodeHost } from "../../hosts/node/index.js";
import { BATCH, PAYLOAD_BYTES, RING, sleep, turn, until } from "./common.js";
import { publishPacket, RawClient } from "./raw-client.js";

export type Client = "raw" | "ours" | "mqtt.js";
export const CLIENTS: readonly Client[] = ["raw", "ours", "mqtt.js"];

export interface Publisher {
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

/** What a throughput run waits on: the counting subscriber, or the null broker's count. */
export interface Sink {
  readonly count: number;
  reset(): void;
  /** Resolves once `n` PUBLISH packets have arrived since the last `reset()`. */
  reached(n: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Publishers, all with one flow control: BATCH messages handed over, a turn, and a wait
// while more than RING − BATCH are not yet taken.

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
  const b = new AimDbBuilder(quietNodeHost()).withConnector(mqtt({ url: `mqtt://127.0.0.1:${port}`, clientId: `bench-ours-q${qos}` }));
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

export const PUBLISHERS: Readonly<Record<Client, (port: number, qos: 0 | 1, topic: string) => Promise<Publisher>>> = {
  raw: rawPublisher,
  ours: oursPublisher,
  "mqtt.js": mqttjsPublisher,
};

// ---------------------------------------------------------------------------------------
// Sinks: what a throughput run counts deliveries with.

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
export const OWN_SINKS: Readonly<Record<Client, (port: number, qos: 0 | 1, topic: string) => Promise<{ sink: Sink; close(): unknown }>>> = {
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
// Latency pairs: each client end to end (its own publisher and its own subscriber); the
// payload carries performance.now() from the moment the value is handed over.

export interface LatencyPair {
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

export const PAIRS: Readonly<Record<Client, (port: number, qos: 0 | 1, topic: string) => Promise<LatencyPair>>> = {
  raw: rawPair,
  ours: oursPair,
  "mqtt.js": mqttjsPair,
};
