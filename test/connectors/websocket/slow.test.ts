/**
 * Backpressure over real sockets: one client stops reading (its socket is paused) while
 * the hub publishes 10,000 events of 2 KB (20 MB). Its queue stays at its size, the oldest
 * events are dropped and counted, it is told how many, and the other client receives
 * every event, none dropped.
 */
import { afterEach, describe, expect, it } from "vitest";
import { AimDbBuilder, BufferCfg, type AimDb } from "../../../src/index.js";
import { websocketServer } from "../../../src/connectors/websocket/index.js";
import { freePort } from "../../support/peers.js";
import { peer, quiet, until, type Peer } from "./ws-support.js";

const N = 10_000;
const QUEUE = 64;
const PAD = "x".repeat(2000);

let db: AimDb | undefined;
const peers: Peer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.ws.terminate();
  await db?.stop();
});

describe("a slow WebSocket client", () => {
  it("loses its oldest events, is told, and never slows the hub or the other client", async () => {
    const port = await freePort();
    const b = new AimDbBuilder(quiet()).withConnector(websocketServer({ port, queue: QUEUE }));
    b.configure<{ i: number; pad: string }>("bulk.data", (r) =>
      r.buffer(BufferCfg.spmcRing(1024)).linkTo("ws://bulk.data").withSerializer((v) => new TextEncoder().encode(JSON.stringify(v))),
    );
    db = await b.build();
    await db.run();
    const url = `ws://127.0.0.1:${port}/aimdb`;
    const [fast, slow] = [await peer(url), await peer(url)];
    peers.push(fast, slow);
    for (const c of [fast, slow]) {
      c.send({ type: "hello", version: 1 });
      c.send({ type: "subscribe", id: 1, patterns: ["bulk.#"] });
      await c.next("ack");
      c.stopRecording();
    }
    slow.ws.pause();

    const detail = () => db!.connectors()[0]!.detail as Record<string, number>;
    let fastCount = 0;
    let fastLastSeq = 0;
    let ordered = true;
    fast.ws.on("message", (data) => {
      const f = JSON.parse(data.toString()) as { type: string; seq: number };
      if (f.type !== "event") return;
      if (f.seq !== fastLastSeq + 1) ordered = false;
      fastLastSeq = f.seq;
      fastCount++;
    });
    let peakQueued = 0;
    let peakBuffered = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    for (let i = 1; i <= N; i++) {
      db.produce("bulk.data", { i, pad: PAD });
      if (i % 100 === 0) {
        // The fast client shares this event loop: let it read (it may trail by 200 events,
        // 400 KB, which its socket absorbs), so only the stalled client falls behind.
        await until(() => fastCount >= i - 200, "the fast client to keep up", 10_000);
        peakQueued = Math.max(peakQueued, detail()["queued"]!);
        peakBuffered = Math.max(peakBuffered, detail()["buffered"]!);
      }
    }
    await until(() => fastCount === N, `the fast client's ${N} events`, 20_000);
    const elapsed = performance.now() - t0;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    expect(ordered, "the fast client got every event in order").toBe(true);
    expect(elapsed, "the fast client was served promptly").toBeLessThan(15_000);
    const d = detail();
    expect(d["queuePeak"], "a client's queue never exceeds its size").toBeLessThanOrEqual(QUEUE);
    expect(peakQueued).toBeLessThanOrEqual(QUEUE);
    // What the hub holds for the stalled client: its queue (64 frames of 2 KB) and what its
    // socket buffers (the 64 KiB high-water mark plus at most one frame) - not the 20 MB it missed.
    expect(peakBuffered, "sockets hold at most the high-water mark and a frame each").toBeLessThan(2 * (65536 + 4096));
    expect(d["dropped"], "the slow client lost events").toBeGreaterThan(0);
    expect(db.records()[0]!.links[0]!.counters, "the hub sent every value, none skipped").toMatchObject({ sent: N, lagged: 0, publishErrors: 0 });

    let got = 0;
    let told = 0;
    let lastSeq = 0;
    slow.ws.on("message", (data) => {
      const f = JSON.parse(data.toString()) as { type: string; seq: number; count: number };
      if (f.type === "dropped") told += f.count;
      if (f.type !== "event") return;
      if (f.seq <= lastSeq) ordered = false;
      lastSeq = f.seq;
      got++;
    });
    slow.ws.resume();
    await until(() => got + told === N && lastSeq === N, "the slow client to catch up", 20_000);
    expect(told, "the slow client is told exactly how many it lost").toBe(d["dropped"]);
    expect(ordered, "what the slow client got is in order").toBe(true);
    console.log(`slow client: ${got} delivered, ${told} dropped; fast client: ${N} in ${elapsed.toFixed(0)} ms; peak queued ${peakQueued} frames, peak socket buffers ${peakBuffered} B, heap growth ${(heapGrowth / 1e6).toFixed(1)} MB (garbage included)`);
  }, 60_000);
});
