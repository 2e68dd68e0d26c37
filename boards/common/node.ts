/**
 * The weather-station node on a Moddable device or the simulator: the station of
 * examples/weather-mesh/station.ts, unchanged, on the Moddable host, publishing over
 * MQTT to the broker the build's config names, from the board's sensor when it has one.
 *
 * Config (manifest `config`, or `key=value` on the mcconfig line): `broker`
 * (`mqtt://host:port`, required), `station` (its id; default "esp32"), `sampleMs`
 * (default 1000), `logLevel` (default "info"), `maxPacketSize` (2048), `maxInflight`
 * (4), and what the board's sensor module reads (`sensor=sht3x`, `sda`, `scl`…).
 */
import config from "mc/config";
import sensor from "board/sensor";
import type { AimDb, Host, LogLevel } from "../../src/index.js";
import { mqtt } from "../../src/connectors/mqtt/index.js";
import { moddableHost, type ModdableHostOptions } from "../../hosts/moddable/index.js";
import { buildStation, simulatedReading } from "../../examples/weather-mesh/station.js";
import { configNumber, type Sensor } from "./sensor.js";

export { configNumber, type Sensor, type SensorFactory, type SensorReading } from "./sensor.js";

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Builds and runs the station; resolves to its database, or undefined when the config has no broker. */
export async function startStation(options: ModdableHostOptions = {}): Promise<AimDb | undefined> {
  const level = config.logLevel;
  const host = moddableHost({ logLevel: level === "debug" || level === "warn" || level === "error" ? (level as LogLevel) : "info", ...options });
  const id = String(config.station ?? "esp32");
  const broker = config.broker;
  if (typeof broker !== "string" || broker === "") {
    host.log("error", "no broker: build with broker=mqtt://host:1883");
    return undefined;
  }
  let board: Sensor | undefined;
  try {
    board = sensor(config);
  } catch (err) {
    host.log("warn", `sensor "${String(config.sensor)}" did not start (${describe(err)}): simulating readings`);
  }
  // The station simulates with this seed too; the sensor replaces what it measures.
  const seed = id.length % 3;
  const read =
    board &&
    ((h: Host, now: number) => {
      const simulated = simulatedReading(h, now, seed);
      const r = board.read();
      return r ? { celsius: r.celsius, percent: r.percent, hpa: simulated.hpa } : simulated;
    });
  const db = await buildStation(host, {
    id,
    mqtt: mqtt({
      url: broker,
      clientId: `station-${id}`,
      // The parser's buffer for a packet that arrives in pieces is this large: the
      // connector's 64 KB default is twice the chunk heap of an ESP32.
      maxPacketSize: configNumber(config.maxPacketSize, 2048),
      // Each QoS 1 publish awaiting its PUBACK holds a slot of the inflight table; 4 keep
      // up with a reading a second and cost ~80 fewer XS slots than the default 16.
      maxInflight: configNumber(config.maxInflight, 4),
    }),
    read,
    sampleMs: configNumber(config.sampleMs, 1000),
  });
  await db.run();
  host.log("info", `station "${id}" publishing to ${broker} (${board ? board.name : "simulated readings"})`);
  return db;
}

/** The body of an app's main: starts the station and traces why if it cannot. */
export function runStation(options?: ModdableHostOptions): Promise<AimDb | undefined> {
  return startStation(options).catch((err: unknown) => {
    trace(`station failed: ${describe(err)}\n`);
    return undefined;
  });
}
