/** Sensor and hub databases joined through a real broker, for the MQTT connector tests. */
import { AimDbBuilder, BufferCfg, contract, type AimDb, type LogLevel } from "../../../src/index.js";
import { mqtt, type MqttOptions } from "../../../src/connectors/mqtt/index.js";
import { nodeHost } from "../../../hosts/node/index.js";

export const Reading = contract("test.reading", 1, { n: "u32", celsius: "f32" }, { envelope: true });
export type Reading = typeof Reading.Type;

export const quietHost = (lines?: string[]) => nodeHost({ logLevel: "debug", onLog: (l: LogLevel, m: string) => lines?.push(`${l} ${m}`) });

/** Resolves once `check()` is true, polling every 10 ms; rejects after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Pair {
  sensor: AimDb;
  hub: AimDb;
  received: Reading[];
  stop(): Promise<void>;
}

/** A sensor with `sensor.temp` linked to `topic` and a hub linked from `filter`; both running and connected. */
export async function sensorAndHub(
  broker: Partial<MqttOptions> & { url: string },
  opts: { topic?: string; filter?: string; ring?: number; qos?: 0 | 1; sensor?: Partial<MqttOptions>; hub?: Partial<MqttOptions>; log?: string[] } = {},
): Promise<Pair> {
  const topic = opts.topic ?? "test/sensor/temp";
  const qos = opts.qos ?? 1;
  const host = quietHost(opts.log);
  const received: Reading[] = [];
  const hubB = new AimDbBuilder(host).withConnector(mqtt({ clientId: "hub", ...broker, ...opts.hub }));
  hubB.configure<Reading>("hub.temp", (r) =>
    r
      .buffer(BufferCfg.spmcRing(4096))
      .linkFrom(`mqtt://${opts.filter ?? topic}?qos=${qos}`)
      .withDeserializer(Reading.decode)
      .tap((v) => void received.push(v)),
  );
  const sensorB = new AimDbBuilder(host).withConnector(mqtt({ clientId: "sensor", ...broker, ...opts.sensor }));
  sensorB.configure<Reading>("sensor.temp", (r) =>
    r.buffer(BufferCfg.spmcRing(opts.ring ?? 256)).linkTo(`mqtt://${topic}?qos=${qos}`).withSerializer(Reading.encode),
  );
  const hub = await hubB.build();
  const sensor = await sensorB.build();
  await hub.run();
  await sensor.run();
  const up = (db: AimDb) => db.records()[0]!.links[0]!.state === "up";
  await until(() => up(hub) && up(sensor), 5000, "both links up");
  // The hub's SUBSCRIBE is sent right after CONNACK; give the broker a moment to apply it.
  await new Promise((r) => setTimeout(r, 100));
  return {
    sensor,
    hub,
    received,
    stop: async () => {
      await sensor.stop();
      await hub.stop();
    },
  };
}
