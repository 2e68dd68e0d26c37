/**
 * A child process the KNX peer tests start inside a network namespace
 * (`ip netns exec <ns> node --import tsx agent.ts`) and drive over stdio, one JSON
 * object per line. It plays one of three roles:
 *
 * - `aimdb`: a database on the Node host with the KNX connector and the links asked
 *   for; every value a linkFrom decodes is reported as `{ ev: "value", … }`.
 * - `knxjs`: npm `knx` (knx.js) as an independent client; its telegrams are reported.
 * - `tunnelserver`: knxultimate's KNXIPTunnelServer; the telegrams it receives are reported.
 *
 * Requests are `{ id, op, … }`, answered with `{ id, ok, result }` or `{ id, ok: false, error }`.
 */
import { createRequire } from "node:module";
import readline from "node:readline";
import { AimDbBuilder, BufferCfg, type AimDb, type BufferConfig } from "../../../src/index.js";
import { knx, knxDpt, type KnxConnector, type KnxOptions } from "../../../src/connectors/knx/index.js";
import { nodeHost } from "../../../hosts/node/index.js";

const require = createRequire(import.meta.url);
type Loose = any; // the libraries' untyped objects

export interface RecordSpec {
  key: string;
  dir: "to" | "from";
  url: string;
  dpt: string;
  /** linkFrom: add the DPT serializer, so `respond=true` can answer. */
  respond?: boolean;
  buffer?: "ring" | "latest";
}

const emit = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
/** Wall-clock ms with sub-ms resolution, comparable between processes on one machine. */
const now = () => performance.timeOrigin + performance.now();

let db: AimDb | undefined;
let connector: KnxConnector | undefined;
let knxjs: Loose;
let server: Loose;

async function aimdb(options: KnxOptions, records: RecordSpec[]): Promise<void> {
  connector = knx(options);
  const b = new AimDbBuilder(nodeHost({ logLevel: "info", onLog: (level, message) => emit({ ev: "log", level, message }) })).withConnector(connector);
  for (const r of records) {
    const codec = knxDpt(r.dpt);
    const buffer: BufferConfig = r.buffer === "latest" ? BufferCfg.singleLatest() : BufferCfg.spmcRing(4096);
    b.configure<unknown>(r.key, (reg) => {
      reg.buffer(buffer);
      if (r.dir === "to") reg.linkTo(r.url).withSerializer(codec.serialize as (v: unknown) => Uint8Array);
      else {
        reg.linkFrom(r.url).withDeserializer((bytes, meta) => {
          const value = codec.deserialize(bytes, meta);
          emit({ ev: "value", key: r.key, value, hex: hex(bytes), at: now(), ...meta.transport });
          return value;
        });
        if (r.respond) reg.withSerializer(codec.serialize as (v: unknown) => Uint8Array);
      }
    });
  }
  db = await b.build();
  await db.run();
}

async function handle(m: Record<string, any>): Promise<unknown> {
  switch (m.op) {
    case "aimdb":
      return aimdb(m.options, m.records);
    case "produce":
      db!.produce(m.key, m.value);
      return now();
    case "burst": {
      // Produces `n` values, then waits until the link has sent (or failed) them all.
      const rec = () => db!.records().find((r) => r.key === m.key)!.links[0]!.counters;
      const before = rec().sent + rec().publishErrors;
      const t0 = performance.now();
      for (let i = 0; i < m.n; i++) db!.produce(m.key, m.values[i % m.values.length]);
      while (rec().sent + rec().publishErrors - before < m.n) await new Promise((r) => setTimeout(r, 2));
      return { ms: performance.now() - t0, errors: rec().publishErrors };
    }
    case "read": {
      const v = await connector!.read(m.ga, { timeoutMs: m.timeoutMs });
      return { ...v, data: hex(v.data) };
    }
    case "detail":
      return { connectors: db!.connectors(), records: db!.records() };
    case "stop":
      await db?.stop();
      db = undefined;
      return null;
    case "knxjs": {
      const lib = require("knx");
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("knx.js did not connect")), 10_000);
        knxjs = new lib.Connection({
          ...m.options,
          loglevel: "error",
          handlers: {
            connected: () => {
              clearTimeout(t);
              resolve();
            },
            event: (evt: string, src: string, dest: string, value: Buffer) =>
              emit({ ev: "knxjs", evt, src, dest, hex: value ? value.toString("hex") : "", at: now() }),
            error: (status: string) => emit({ ev: "log", level: "error", message: `knx.js: ${status}` }),
          },
        });
      });
      return null;
    }
    case "knxjs.write":
      knxjs.write(m.ga, m.value, m.dpt);
      return now();
    case "knxjs.burst":
      for (let i = 0; i < m.n; i++) knxjs.write(m.ga, m.values[i % m.values.length], m.dpt);
      return now();
    case "knxjs.stop":
      await new Promise<void>((resolve) => {
        knxjs.Disconnect(() => resolve());
        setTimeout(resolve, 2000);
      });
      return null;
    case "tunnelserver": {
      const { KNXIPTunnelServer } = require("knxultimate");
      server = new KNXIPTunnelServer(m.options);
      server.on("rawTelegram", (t: Loose) => emit({ ev: "raw", event: t.event, source: t.source, destination: t.destination, hex: t.apdu.hex, bits: t.apdu.bitlength }));
      server.on("sessionUp", (i: Loose) => emit({ ev: "sessionUp", ...i }));
      server.on("sessionDown", (i: Loose) => emit({ ev: "sessionDown", ...i }));
      server.on("error", (e: Error) => emit({ ev: "log", level: "error", message: e.message }));
      await server.start();
      return server.address;
    }
    case "tunnelserver.inject": {
      // A group telegram built by knxultimate itself, sent to every tunnel client.
      const CEMIFactory = require("knxultimate/build/protocol/cEMI/CEMIFactory").default;
      const KNXAddress = require("knxultimate/build/protocol/KNXAddress").default;
      const KNXDataBuffer = require("knxultimate/build/protocol/KNXDataBuffer").default;
      const KNXProtocol = require("knxultimate/build/protocol/KNXProtocol").default;
      const data = new KNXDataBuffer(Buffer.from(m.hex, "hex"), { type: { type: m.short } });
      const cemi = CEMIFactory.newLDataIndicationMessage("write", KNXAddress.createFromString(m.source, 0), KNXAddress.createFromString(m.ga, 1), data);
      server.injectIndication(KNXProtocol.newKNXRoutingIndication(cemi));
      return null;
    }
    case "tunnelserver.stop":
      await server.stop();
      return null;
    case "exit":
      setTimeout(() => process.exit(0), 10);
      return null;
  }
  throw new Error(`unknown op ${String(m.op)}`);
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const m = JSON.parse(line) as Record<string, any>;
  handle(m).then(
    (result) => emit({ id: m.id, ok: true, result }),
    (err: Error) => emit({ id: m.id, ok: false, error: `${err.name}: ${err.message}`, code: (err as { code?: string }).code }),
  );
});
process.stdin.on("end", () => process.exit(0));
emit({ ev: "ready" });
