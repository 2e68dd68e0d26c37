/**
 * A weather station: simulated temperature, humidity and pressure published over MQTT,
 * and a command mailbox the hub can write. It uses only the Host, so the same module
 * runs on Node, on the Moddable simulator and on an ESP32.
 */
import { AimDbBuilder, BufferCfg, type AimDb, type ConnectorBuilder, type Host } from "../../src/index.js";
import { Command, Humidity, Pressure, Temperature } from "./contracts.js";

/** What a station needs: its id, an MQTT connector, and optionally a real sensor. */
export interface StationOptions {
  id: string;
  mqtt: ConnectorBuilder;
  /** Reads the sensor; the default simulates plausible diurnal values with noise. */
  read?: (host: Host, now: number) => { celsius: number; percent: number; hpa: number };
  /** First sampling interval, ms (default 1000); the hub may change it with a command. */
  sampleMs?: number;
}

/** Values that follow the time of day: coolest before dawn, warmest mid-afternoon. */
export function simulatedReading(host: Host, now: number, seed: number): { celsius: number; percent: number; hpa: number } {
  const unix = host.unixMs() ?? now;
  const hours = (unix / 3_600_000) % 24;
  const day = Math.sin(((hours - 9) / 24) * 2 * Math.PI);
  const noise = () => (host.random() - 0.5) * 2;
  const celsius = 14 + seed + 6 * day + 0.3 * noise();
  const percent = Math.min(100, Math.max(5, 65 - 15 * day + 2 * noise()));
  const hpa = 1013 + 4 * Math.sin(unix / 43_200_000 + seed) + 0.2 * noise();
  return { celsius, percent, hpa };
}

/** Builds (not runs) a station's database. */
export async function buildStation(host: Host, o: StationOptions): Promise<AimDb> {
  const id = o.id;
  const seed = id.length % 3;
  const read = o.read ?? ((h: Host, now: number) => simulatedReading(h, now, seed));
  const state = { sampleMs: o.sampleMs ?? 1000 };
  const b = new AimDbBuilder(host).withConnector(o.mqtt).withSenderId(`station-${id}`);

  b.configure<Temperature>(`station.${id}.temp`, (reg) =>
    reg
      .buffer(BufferCfg.spmcRing(32))
      .source(async (ctx, temp) => {
        while (ctx.running) {
          const now = ctx.time.now();
          const r = read(host, now);
          const at = host.unixMs() ?? now;
          temp.send({ celsius: round(r.celsius, 2), at });
          humidity.send({ percent: round(r.percent, 1), at });
          pressure.send({ hpa: round(r.hpa, 1), at });
          await ctx.sleep(state.sampleMs);
        }
      })
      .linkTo(`mqtt://weather/${id}/temp?qos=1`)
      .withSerializer(Temperature.encode),
  );
  // Humidity and pressure are sampled with the temperature; their records are passive
  // and written through these producers.
  const humidity = { send: (v: Humidity) => db.produce(`station.${id}.humidity`, v) };
  const pressure = { send: (v: Pressure) => db.produce(`station.${id}.pressure`, v) };
  b.configure<Humidity>(`station.${id}.humidity`, (reg) =>
    reg.buffer(BufferCfg.singleLatest()).linkTo(`mqtt://weather/${id}/humidity`).withSerializer(Humidity.encode),
  );
  b.configure<Pressure>(`station.${id}.pressure`, (reg) =>
    reg.buffer(BufferCfg.singleLatest()).linkTo(`mqtt://weather/${id}/pressure`).withSerializer(Pressure.encode),
  );

  b.configure<Command>(`station.${id}.command`, (reg) =>
    reg
      .buffer(BufferCfg.mailbox())
      .linkFrom(`mqtt://weather/${id}/command?qos=1`)
      .withDeserializer(Command.decode)
      .maxAgeMs(30_000)
      .ordered()
      .tap((cmd, ctx) => {
        const ms = Math.min(60_000, Math.max(100, cmd.sampleMs));
        ctx.log.info(`sampling every ${ms} ms (asked by ${cmd.from})`);
        state.sampleMs = ms;
      }),
  );

  const db = await b.build();
  return db;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
