/**
 * Runs inside XS (xsnap), bundled by moddable.xs.test.ts from the modules `npm run
 * build:xs` makes for the Moddable manifests: the library, the MQTT connector, the
 * Moddable host, the station app and the simulator's sensor module. Moddable's own
 * modules come from ./moddable-shim.
 *
 * As on a device, the modules are evaluated first (the preload), then the built-ins and
 * every export are frozen, and only then does the app's main run (control event
 * `start`). The entry reports the freeze before and after, then answers the test's other
 * control events: `stats`, `gc`, `stop`, a UDP round trip and failing connections
 * through the host.
 */
/// <reference path="../../hosts/moddable/moddable.d.ts" />
/// <reference path="../../boards/common/board.d.ts" />
import * as core from "../../src/index.js";
import * as mqtt from "../../src/connectors/mqtt/index.js";
import * as moddable from "../../hosts/moddable/index.js";
import * as app from "../../boards/common/main.js";
import * as sensor from "../../boards/sim/sensor.js";
import { simulatePreload } from "../xs/preload.js";
import Time from "./moddable-shim/time.js";
import { bridge } from "./moddable-shim/bridge.js";

declare const gc: () => void;

const namespaces = [core, mqtt, moddable, app, sensor];
const state: { db: core.AimDb | undefined; udp: string[]; failures: string[] } = { db: undefined, udp: [], failures: [] };

function isFrozenValue(v: unknown): boolean {
  return (typeof v !== "object" && typeof v !== "function") || v === null || Object.isFrozen(v);
}

/** How frozen the environment is, and whether changing an export throws. */
function freezeReport(): Record<string, unknown> {
  let probe = "no error";
  try {
    (moddable.moddableHost as unknown as Record<string, unknown>).probe = 1;
    delete (moddable.moddableHost as unknown as Record<string, unknown>).probe;
  } catch (err) {
    probe = err instanceof TypeError ? "TypeError" : String(err);
  }
  return {
    intrinsics: [Object, Array.prototype, Error.prototype, Promise.prototype, Uint8Array.prototype, Map.prototype].every((v) => Object.isFrozen(v)),
    exports: namespaces.every((ns) => Object.values(ns).every(isFrozenValue)),
    prototypes: [core.AimDbBuilder.prototype, core.AimDbError.prototype].every((v) => Object.isFrozen(v)),
    probe,
  };
}

/** A host of its own, to watch the monotonic clock across the wrap of `Time.ticks`. */
const clock = moddable.moddableHost({ onLog: () => {} });

function stats(db: core.AimDb): Record<string, unknown> {
  const out: Record<string, unknown> = { clock: { ticks: Time.ticks, now: clock.now() } };
  for (const r of db.records()) {
    const link = r.links[0];
    out[r.key] = { produced: r.counters.produced, state: link?.state, ...link?.counters };
  }
  out.connector = db.connectors()[0]?.detail;
  return out;
}

function udpRoundTrip(port: number): void {
  const host = moddable.moddableHost({ onLog: () => {} });
  const socket = host.udp!({
    port: 0,
    multicast: [{ group: "224.0.23.12" }],
    onReadable: (bytes, address) => {
      state.udp.push(`${host.utf8.decode(bytes)} from ${address}`);
      socket.close();
    },
    onError: (err) => state.udp.push(`error ${err.message}`),
  });
  socket.send(host.utf8.encode("ping ü"), "127.0.0.1", port);
}

/** Connections that must fail, each through onError then onClose, with the code named. */
function failures(closedPort: number): void {
  const host = moddable.moddableHost({ onLog: () => {} });
  const tries: [string, string, number, boolean][] = [
    ["unknown name", "no-such-host.invalid", 1883, false],
    ["refused", "127.0.0.1", closedPort, false],
    ["TLS without a TLS socket", "127.0.0.1", closedPort, true],
  ];
  for (const [what, name, port, tls] of tries) {
    const seen: string[] = [];
    host.tcp!({
      host: name,
      port,
      ...(tls ? { tls: {} } : {}),
      onConnect: () => seen.push("connect"),
      onReadable: () => seen.push("readable"),
      onError: (err) => seen.push((err as core.AimDbError).code ?? err.message),
      onClose: () => state.failures.push(`${what}: ${[...seen, "close"].join(" ")}`),
    });
  }
}

bridge.send({ op: "preload", stage: "before", ...freezeReport() });
simulatePreload(namespaces);
bridge.send({ op: "preload", stage: "after", ...freezeReport() });

bridge.control = (e) => {
  switch (e.op) {
    case "stats":
      return state.db ? stats(state.db) : null;
    case "gc":
      gc();
      return null;
    case "stop":
      state.db?.stop().then(
        () => bridge.send({ op: "stopped" }),
        (err: unknown) => bridge.send({ op: "stopped", error: String(err) }),
      );
      return null;
    case "udp":
      udpRoundTrip((e as unknown as { port: number }).port);
      return null;
    case "udp-result":
      return state.udp;
    case "failures":
      failures((e as unknown as { port: number }).port);
      return null;
    case "failures-result":
      return state.failures;
    case "start":
      // What Moddable does once the set-up is done: call the main module's default export.
      app.default().then((db) => {
        state.db = db;
        bridge.send({ op: "started", ok: db !== undefined });
      });
      return null;
    default:
      return null;
  }
};
