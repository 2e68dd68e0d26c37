/**
 * The hub: receives every station over MQTT, derives dew point per station and a mesh
 * summary with joins, exposes it all to browsers over WebSocket, and carries commands
 * from the dashboard back to a station through a mailbox and MQTT.
 */
import { AimDbBuilder, BufferCfg, type AimDb, type ConnectorBuilder, type Host, type Serializer } from "../../src/index.js";
import { Command, DewPoint, Humidity, MeshSummary, Pressure, STATIONS, Temperature, dewPoint } from "./contracts.js";

export interface HubOptions {
  mqtt: ConnectorBuilder;
  /** A WebSocket server connector (scheme `ws`); without it the hub has no browser side. */
  ws?: ConnectorBuilder;
  stations?: readonly string[];
}

/** Builds (not runs) the hub's database. */
export async function buildHub(host: Host, o: HubOptions): Promise<AimDb> {
  const stations = o.stations ?? STATIONS;
  const b = new AimDbBuilder(host).withConnector(o.mqtt).withSenderId("hub");
  if (o.ws) b.withConnector(o.ws);
  /** Adds `.linkTo("ws://key")` with a JSON serializer when there is a browser side. */
  const toBrowser = <T>(reg: { linkTo(url: string): { withSerializer(s: Serializer<T>): unknown } }, key: string, json: Serializer<T>) => {
    if (o.ws) reg.linkTo(`ws://${key}`).withSerializer(json);
  };

  for (const id of stations) {
    const key = `station.${id}`;
    b.configure<Temperature>(`${key}.temp`, (reg) => {
      reg.buffer(BufferCfg.spmcRing(64)).linkFrom(`mqtt://weather/${id}/temp?qos=1`).withDeserializer(Temperature.decode).deduplicate();
      toBrowser(reg, `${key}.temp`, Temperature.encodeJson);
    });
    b.configure<Humidity>(`${key}.humidity`, (reg) => {
      reg.buffer(BufferCfg.singleLatest()).linkFrom(`mqtt://weather/${id}/humidity`).withDeserializer(Humidity.decode);
      toBrowser(reg, `${key}.humidity`, Humidity.encodeJson);
    });
    b.configure<Pressure>(`${key}.pressure`, (reg) => {
      reg.buffer(BufferCfg.singleLatest()).linkFrom(`mqtt://weather/${id}/pressure`).withDeserializer(Pressure.decode);
      toBrowser(reg, `${key}.pressure`, Pressure.encodeJson);
    });
    b.configure<DewPoint>(`${key}.dewpoint`, (reg) => {
      reg
        .buffer(BufferCfg.singleLatest())
        .join<[Temperature, Humidity]>([`${key}.temp`, `${key}.humidity`], ([t, h]) =>
          t && h ? { celsius: Math.round(dewPoint(t.celsius, h.percent) * 100) / 100, at: t.at } : undefined,
        );
      toBrowser(reg, `${key}.dewpoint`, DewPoint.encodeJson);
    });
    // Written by the dashboard (when there is one), sent to the station over MQTT.
    b.configure<Command>(`${key}.command`, (reg) => {
      reg.buffer(BufferCfg.mailbox());
      if (o.ws) reg.linkFrom(`ws://${key}.command`).withDeserializer(Command.decode);
      reg.linkTo(`mqtt://weather/${id}/command?qos=1`).withSerializer(Command.encode);
    });
  }

  b.configure<MeshSummary>("mesh.summary", (reg) => {
    reg.buffer(BufferCfg.singleLatest()).join<Temperature[]>(
      stations.map((id) => `station.${id}.temp`),
      (temps) => {
        const known = temps.filter((t): t is Temperature => t !== undefined);
        if (known.length === 0) return undefined;
        const c = known.map((t) => t.celsius);
        const mean = c.reduce((a, x) => a + x, 0) / c.length;
        return { stations: known.length, minCelsius: Math.min(...c), maxCelsius: Math.max(...c), meanCelsius: Math.round(mean * 100) / 100, at: Math.max(...known.map((t) => t.at)) };
      },
    );
    toBrowser(reg, "mesh.summary", MeshSummary.encodeJson);
  });

  // Link and connector state for the dashboard, refreshed every second.
  if (o.ws) {
    b.configure<HubStatus>("hub.status", (reg) =>
      reg
        .buffer(BufferCfg.singleLatest())
        .source(async (ctx, status) => {
          while (ctx.running) {
            status.send(hubStatus(db, stations));
            await ctx.sleep(1000);
          }
        })
        .linkTo("ws://hub.status")
        .withSerializer((v) => host.utf8.encode(JSON.stringify(v))),
    );
  }

  const db = await b.build();
  return db;
}

/** What the dashboard shows about the hub's links and connectors. */
export interface HubStatus {
  stations: { id: string; link: "up" | "down"; received: number; lastAt: number | undefined }[];
  connectors: { scheme: string; connected: boolean | undefined; detail: string }[];
}

function hubStatus(db: AimDb, stations: readonly string[]): HubStatus {
  const records = db.records();
  return {
    stations: stations.map((id) => {
      const r = records.find((x) => x.key === `station.${id}.temp`)!;
      const link = r.links.find((l) => l.direction === "from")!;
      return { id, link: link.state, received: link.counters.received, lastAt: db.peek<Temperature>(`station.${id}.temp`)?.at };
    }),
    connectors: db.connectors().map((c) => ({
      scheme: c.scheme,
      connected: c.detail?.connected as boolean | undefined,
      detail: c.scheme === "mqtt" ? String(c.detail?.broker ?? "") : `${String(c.detail?.clients ?? 0)} browser(s)`,
    })),
  };
}
