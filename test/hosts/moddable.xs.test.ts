/**
 * The ESP32 sensor node without a device. `npm run build:xs` makes the modules the
 * manifests list; this test bundles them (library, MQTT connector, Moddable host,
 * station app) as the device links them and runs them in a real XS engine (xsnap), with
 * Moddable's timer, time, net and ECMA-419 socket modules played by a shim over Node's
 * timers, DNS and sockets (./moddable-shim). The station connects to a real mosquitto
 * and publishes; a hub on Node (examples/weather-mesh/hub.ts) decodes every reading with
 * the same contracts.
 *
 * XS runs only when something happened: Node hands it each batch of events (timers
 * fired, bytes arrived), the reply carries what XS asked for meanwhile (writes, timers)
 * and XS's heap meter, and the test ends when its conditions are met or time is up. Memory is
 * measured after a full collection: slots from xsnap's `currentHeapCount`, chunk bytes
 * from the BLOC record of an XS snapshot; both relative to the state right after the
 * preload (what a device keeps in flash, not RAM).
 */
import "@endo/init/debug.js";
import { xsnap } from "@agoric/xsnap";
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tmpName } from "tmp";
import { build, type Plugin } from "esbuild";
import { MINIFIED } from "../support/minified.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AimDb } from "../../src/index.js";
import { mqtt } from "../../src/connectors/mqtt/index.js";
import { nodeHost } from "../../hosts/node/index.js";
import { buildHub } from "../../examples/weather-mesh/hub.js";
import { freePort, skipWithout, startMosquitto, type Mosquitto } from "../support/peers.js";
import { ModdablePeer, type PeerEvent } from "./moddable-shim/peer.js";
// @ts-expect-error: a plain ES module script without types
import { buildXs, aliases, MODDABLE_MODULES } from "../../scripts/build-xs.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const abs = (f: string) => path.join(ROOT, f);

const STATION = "esp32-test";
const READINGS = 10_000;
/** The station samples as fast as the timers allow (the board default is 1000 ms). */
const SAMPLE_MS = 1;
/** Slot and chunk budget of an ESP32 app whose manifest sets none (mcconfig's defaults). */
const ESP32_SLOTS = 2048;
const ESP32_CHUNK_BYTES = 32 * 1024;

type Files = Record<string, string>;

/** Moddable's modules, played by the shim. */
const SHIM: Readonly<Record<string, string>> = {
  timer: here("./moddable-shim/timer.ts"),
  time: here("./moddable-shim/time.ts"),
  net: here("./moddable-shim/net.ts"),
  "embedded:io/socket/tcp": here("./moddable-shim/tcp.ts"),
  "embedded:io/socket/udp": here("./moddable-shim/udp.ts"),
};

/**
 * Resolves the entry's imports of the sources to the built modules (so what runs is what
 * the manifests list), the modules' imports of each other by manifest name, Moddable's
 * modules to the shim and "mc/config" to the build config.
 */
function stationPlugin(files: Files, config: Record<string, unknown>): Plugin {
  const built: Record<string, string> = {
    [abs("src/index.ts")]: files["aimdb-ts"]!,
    [abs("src/connectors/mqtt/index.ts")]: files["aimdb-ts-mqtt"]!,
    [abs("hosts/moddable/index.ts")]: files["aimdb-ts-moddable"]!,
    [abs("boards/common/main.ts")]: files.station!,
    [abs("boards/sim/sensor.ts")]: files["sensor-sim"]!,
  };
  const names = aliases(files, "sensor-sim") as Record<string, string>;
  return {
    name: "moddable-station",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.path === "mc/config") return { path: "mc/config", namespace: "mc-config" };
        const target = SHIM[args.path] ?? names[args.path];
        if (target) return { path: target };
        if (args.path.startsWith(".")) {
          const file = built[path.resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts")];
          if (file) return { path: file };
        }
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: "mc-config" }, () => ({ contents: `export default Object.freeze(${JSON.stringify(config)});`, loader: "js" }));
    },
  };
}

/** Bytes of chunks an XS snapshot holds (its BLOC record). */
async function snapshotChunks(stream: AsyncIterable<Uint8Array>): Promise<number> {
  const parts: Uint8Array[] = [];
  for await (const p of stream) parts.push(p);
  const buf = Buffer.concat(parts);
  const sizes: Record<string, number> = {};
  // The file is one XS_M record holding records of 4-byte big-endian size and 4-byte tag.
  for (let o = 8; o + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(o);
    const tag = buf.toString("latin1", o + 4, o + 8);
    sizes[tag] = size - 8;
    if (size < 8) break;
    o += size;
  }
  return sizes.BLOC ?? Number.NaN;
}

interface Memory {
  /** Slots in use after a full collection (xsnap's currentHeapCount). */
  slots: number;
  /** Chunk bytes in use after a full collection (an XS snapshot's BLOC record), 64-bit. */
  chunks: number;
}

/** The ESP32 board's `creation` (boards/esp32/manifest.json). */
const BOARD = JSON.parse(fs.readFileSync(abs("boards/esp32/manifest.json"), "utf8")).creation as { heap: { initial: number }; chunk: { initial: number } };

const skip = skipWithout("mosquitto");

type Worker = Awaited<ReturnType<typeof xsnap>> & {
  issueStringCommand(message: string): Promise<{ reply: string; meterUsage: Record<string, number> }>;
  makeSnapshotStream(description?: string): AsyncIterable<Uint8Array>;
};

describe.skipIf(skip)("the ESP32 station app inside XS (Moddable modules shimmed over Node)", () => {
  const peer = new ModdablePeer();
  const memory: Record<"preload" | "connected" | "readings", Memory | undefined> = { preload: undefined, connected: undefined, readings: undefined };
  /** Slots above the preload every 1,000 readings. */
  const series: number[] = [];
  const hubTemps: { celsius: number; at: number }[] = [];
  let broker: Mosquitto | undefined;
  let hub: AimDb | undefined;
  let worker: Worker | undefined;
  let echo: dgram.Socket | undefined;
  let outdir = "";
  let runError: string | undefined;
  let bundleInputs: string[] = [];
  let stationBytes = 0;
  let readingsMs = 0;
  let lastStats: Record<string, Record<string, unknown>> = {};
  let udp: string[] = [];
  let failures: string[] = [];
  /** `Time.ticks` and the host's `now()`, with Node's clock, at every stats call. */
  const clock: { ticks: number; now: number; at: number }[] = [];

  const temp = () => (lastStats[`station.${STATION}.temp`] ?? {}) as Record<string, number | string | undefined>;
  const hubTemp = () => hub!.records().find((r) => r.key === `station.${STATION}.temp`)!.links[0]!;

  /** Hands one batch of events to XS and carries out the requests of its reply. */
  async function deliver(batch: PeerEvent[]): Promise<{ answer: unknown; heap: number }> {
    const r = await worker!.issueStringCommand(JSON.stringify(batch));
    const reply = JSON.parse(r.reply) as { answer: unknown; out: Record<string, unknown>[] };
    for (const m of reply.out) peer.handle(m);
    return { answer: reply.answer, heap: r.meterUsage.currentHeapCount! };
  }

  /** Sends a control event now, with whatever else is queued; returns its answer. */
  async function ask(op: string, fields: Record<string, unknown> = {}): Promise<unknown> {
    peer.control(op, fields);
    return (await deliver(await peer.nextBatch(Date.now()))).answer;
  }

  /** Runs XS on events until `done()`, checked every `everyMs` after `check` (fresh stats by default). */
  async function runUntil(label: string, done: () => boolean, timeoutMs: number, everyMs = 100, check?: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let checkedAt = 0;
    for (;;) {
      if (Date.now() - checkedAt >= everyMs) {
        if (check) await check();
        else await stats();
        checkedAt = Date.now();
        if (done()) return;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}; station ${JSON.stringify(temp())}; log:\n${peer.traces.slice(-10).join("\n")}`);
      const batch = await peer.nextBatch(Math.min(deadline, checkedAt + everyMs));
      if (batch.length > 0) await deliver(batch);
    }
  }

  async function stats(): Promise<void> {
    lastStats = ((await ask("stats")) ?? {}) as typeof lastStats;
    const c = lastStats.clock as { ticks: number; now: number } | undefined;
    if (c) clock.push({ ...c, at: performance.now() });
  }

  async function measure(): Promise<Memory> {
    // Deliver what is pending, then collect in a batch of its own: neither a batch's
    // parsed events nor the jobs it queued are alive then, and nothing but the tiny
    // reply runs after the collection, so the batch's meter counts the live slots.
    await deliver(await peer.nextBatch(Date.now()));
    const { heap } = await deliver([{ t: "control", id: 0, op: "gc" }]);
    return { slots: heap, chunks: await snapshotChunks(worker!.makeSnapshotStream("measure")) };
  }

  const above = (k: "connected" | "readings") => ({ slots: memory[k]!.slots - memory.preload!.slots, chunks: memory[k]!.chunks - memory.preload!.chunks });

  beforeAll(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "aimdb-xs-"));
    const files = (await buildXs(outdir)) as Files;
    broker = await startMosquitto();
    // mosquitto logs every packet, and startMosquitto keeps its whole log in one string:
    // over 10,000 readings that string alone slows Node's event loop more and more.
    // The log is drained instead (it matters only when mosquitto fails to start).
    broker.process.stderr!.removeAllListeners("data");
    broker.process.stderr!.on("data", () => {});

    hub = await buildHub(nodeHost({ onLog: () => {} }), { mqtt: mqtt({ url: `mqtt://127.0.0.1:${broker.port}`, clientId: "hub" }), stations: [STATION] });
    await hub.run();
    const readings = hub.subscribe<{ celsius: number; at: number }>(`station.${STATION}.temp`);
    void (async () => {
      for await (const t of readings) hubTemps.push(t);
    })();
    // The hub's QoS 1 subscription must stand before the station's first reading.
    const deadline = Date.now() + 10_000;
    while (hubTemp().state !== "up") {
      if (Date.now() > deadline) throw new Error("the hub did not connect to mosquitto");
      await new Promise((r) => setTimeout(r, 20));
    }

    // The broker by name: the station resolves it through Net.resolve (the shim's DNS).
    peer.names["broker.test"] = "127.0.0.1";
    const config = { broker: `mqtt://broker.test:${broker.port}`, station: STATION, sampleMs: SAMPLE_MS, logLevel: "info" };
    const out = await build({
      entryPoints: [here("./moddable-entry.ts")],
      bundle: true,
      write: false,
      metafile: true,
      format: "iife",
      platform: "neutral",
      target: "es2022",
      // Modules are strict and an IIFE is not: without this, writes to frozen objects fail silently.
      banner: { js: '"use strict";' },
      plugins: [stationPlugin(files, config)],
      logLevel: "silent",
    });
    bundleInputs = Object.keys(out.metafile!.inputs);
    // The station app as the device holds it: every module it links, minified.
    const station = await build({
      ...MINIFIED,
      entryPoints: [files.station!],
      alias: aliases(files, "sensor-sim"),
      external: (MODDABLE_MODULES as string[]).filter((n) => n !== "board/sensor"),
    });
    stationBytes = station.outputFiles[0]!.contents.length;

    worker = (await xsnap({
      os: os.type(),
      spawn,
      fs: { ...fs, ...fs.promises, tmpName },
      meteringLimit: 0,
      // Requests from XS travel with the replies of the batches (see bridge.ts).
      handleCommand: async () => {
        throw new Error("the shim does not call issueCommand");
      },
    })) as Worker;
    try {
      await worker.evaluate(out.outputFiles[0]!.text);
      await deliver([]);
      memory.preload = await measure();
      await ask("start");
      await runUntil("the station to connect", () => temp().state === "up", 15_000);
      memory.connected = await measure();
      const started = Date.now();
      await runUntil(`${READINGS} published readings`, () => Number(temp().sent) >= READINGS, 240_000, 100, async () => {
        await stats();
        if (Number(temp().sent) >= (series.length + 1) * 1000) series.push((await measure()).slots - memory.preload!.slots);
      });
      readingsMs = Date.now() - started;
      memory.readings = await measure();

      echo = dgram.createSocket("udp4");
      echo.on("message", (msg, rinfo) => echo!.send(Buffer.concat([Buffer.from("pong: "), msg]), rinfo.port, rinfo.address));
      await new Promise<void>((r) => echo!.bind(0, "127.0.0.1", r));
      await ask("udp", { port: echo.address().port });
      await ask("failures", { port: await freePort() });
      await runUntil("the UDP echo and the failing connections", () => udp.length > 0 && failures.length === 3, 10_000, 50, async () => {
        udp = ((await ask("udp-result")) ?? []) as string[];
        failures = ((await ask("failures-result")) ?? []) as string[];
      });
    } catch (err) {
      runError = err instanceof Error ? err.message : String(err);
    }
  }, 300_000);

  afterAll(async () => {
    if (worker) {
      try {
        await ask("stop");
        await runUntil("the station to stop", () => peer.reports.some((r) => r.op === "stopped"), 5_000, 50, async () => {});
      } catch {
        // a station that does not stop fails no figure; the worker is closed anyway
      }
      await worker.close().catch(() => {});
    }
    peer.close();
    echo?.close();
    await hub?.stop();
    await broker?.stop();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
    if (memory.readings) {
      const row = (k: "connected" | "readings") => `${k.padEnd(10)} ${String(above(k).slots).padStart(5)} slots  ${String(above(k).chunks).padStart(6)} chunk bytes`;
      console.log(
        [
          `station app: ${stationBytes} bytes minified; ${READINGS} readings in ${readingsMs} ms`,
          "XS heap above the preload, after a full collection (64-bit xsnap):",
          row("connected"),
          row("readings"),
          `slots every 1,000 readings: ${series.join(" ")}`,
        ].join("\n"),
      );
    }
  });

  it("runs the app from the built modules only, with Moddable's modules from the shim", () => {
    expect(runError).toBeUndefined();
    const fromSource = bundleInputs.filter((f) => /^(src|hosts|boards|examples)\//.test(f));
    expect(fromSource, "nothing of the library or the app is bundled from source").toEqual([]);
    for (const f of ["aimdb-ts", "aimdb-ts-mqtt", "aimdb-ts-moddable", "station", "sensor-sim"]) {
      expect(bundleInputs.some((i) => i.endsWith(`/${f}.js`)), `${f}.js is linked`).toBe(true);
    }
    for (const f of Object.values(SHIM)) expect(bundleInputs.some((i) => f.endsWith(i)), `${path.basename(f)} is linked`).toBe(true);
  });

  it("freezes the built-ins and every export before the app's main runs, as a preload does", () => {
    const [before, after] = peer.reports.filter((r) => r.op === "preload");
    expect(before, "modules are evaluated unfrozen").toMatchObject({ stage: "before", intrinsics: false, probe: "no error" });
    expect(after, "then frozen, and a write to an export throws").toMatchObject({ stage: "after", intrinsics: true, exports: true, prototypes: true, probe: "TypeError" });
    const order = peer.reports.map((r) => (r.op === "preload" ? `preload ${String(r.stage)}` : String(r.op)));
    expect(order.indexOf("preload after"), "frozen before main starts").toBeLessThan(order.indexOf("started"));
    expect(peer.reports.find((r) => r.op === "started")).toMatchObject({ ok: true });
  });

  it("resolves the broker's name with Net.resolve and connects over the ECMA-419 socket", () => {
    expect(peer.resolved[0], "the name went to the device's resolver").toBe("broker.test");
    expect(peer.connections[0]).toBe(`127.0.0.1:${broker!.port}`);
    expect(peer.traces.some((t) => /^info mqtt \S*broker\.test:\d+: connected$/.test(t)), `the host logs through trace(): ${peer.traces.slice(0, 5).join(" / ")}`).toBe(true);
    expect(peer.uncaught).toEqual([]);
  });

  it(`publishes ${READINGS} readings that the Node hub decodes with the same contracts`, async () => {
    const sent = Number(temp().sent);
    expect(sent).toBeGreaterThanOrEqual(READINGS);
    expect(temp().publishErrors).toBe(0);
    // QoS 1: every reading the station handed to the broker reaches the hub.
    const deadline = Date.now() + 10_000;
    while (hubTemp().counters.received < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(hubTemp().counters.received, "the hub received every reading sent").toBeGreaterThanOrEqual(sent);
    expect(hubTemp().counters.deserializeErrors).toBe(0);
    expect(hubTemps.length).toBeGreaterThan(0);
    const now = Date.now();
    for (const t of hubTemps.slice(-100)) {
      expect(t.celsius).toBeGreaterThan(0);
      expect(t.celsius).toBeLessThan(30);
      expect(Math.abs(t.at - now), "issued at a wall-clock time (known inside xsnap)").toBeLessThan(600_000);
    }
    expect(hub!.peek<{ percent: number }>(`station.${STATION}.humidity`)?.percent).toBeGreaterThanOrEqual(5);
    expect(hub!.peek<{ hpa: number }>(`station.${STATION}.pressure`)?.hpa).toBeGreaterThan(1000);
    expect(hub!.peek(`station.${STATION}.dewpoint`), "the hub's join runs on the station's values").toBeDefined();
  });

  it("keeps a flat heap over 10,000 readings, within the ESP32 board's creation", () => {
    const connected = above("connected");
    const readings = above("readings");
    expect(series.length).toBeGreaterThanOrEqual(9);
    const growth = Math.max(...series) - series[0]!;
    expect(growth, `slots every 1,000 readings: ${series.join(" ")}`).toBeLessThanOrEqual(64);
    expect(readings.slots - connected.slots, "slots after 10,000 readings vs after connect").toBeLessThanOrEqual(64);
    expect(readings.chunks - connected.chunks, "chunk bytes after 10,000 readings vs after connect").toBeLessThanOrEqual(1024);
    expect(readings.slots, "slots fit boards/esp32's heap").toBeLessThan(BOARD.heap.initial);
    // 64-bit chunk bytes are an upper bound of the ESP32's (8-byte chunk headers, 16-byte slots in arrays).
    expect(readings.chunks, "chunks fit the default 32 KB chunk heap").toBeLessThan(Math.min(ESP32_CHUNK_BYTES, BOARD.chunk.initial));
  });

  it("fits the 2,048 slots the ESP32 gets when a manifest sets none", () => {
    expect(above("connected").slots).toBeLessThanOrEqual(ESP32_SLOTS);
    expect(above("readings").slots).toBeLessThanOrEqual(ESP32_SLOTS);
  });

  it("keeps a monotonic clock across the wrap of Time.ticks (a signed 32-bit count)", () => {
    expect(clock[0]!.ticks, "the run starts before the wrap").toBeGreaterThan(0);
    expect(clock.at(-1)!.ticks, "and ends after it").toBeLessThan(0);
    for (let i = 1; i < clock.length; i++) {
      const host = clock[i]!.now - clock[i - 1]!.now;
      const node = clock[i]!.at - clock[i - 1]!.at;
      expect(host, "now() never goes back").toBeGreaterThanOrEqual(0);
      expect(Math.abs(host - node), "and advances with real time").toBeLessThan(250);
    }
  });

  it("sends and receives UDP and asks lwip to join and leave a multicast group", () => {
    expect(udp).toEqual(["pong: ping ü from 127.0.0.1"]);
    expect(peer.groups).toEqual(["join 224.0.23.12", "leave 224.0.23.12"]);
  });

  it("reports connections that cannot open through onError with a code, then onClose", () => {
    expect([...failures].sort()).toEqual([
      "TLS without a TLS socket: HOST_NO_TLS close",
      "refused: HOST_TCP_CONNECT close",
      "unknown name: HOST_DNS close",
    ]);
  });
});
