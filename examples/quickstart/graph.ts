/**
 * The quick-start graph: a simulated thermometer, a derived Fahrenheit record, a
 * comfort flag joined from temperature and humidity, and a setpoint mailbox. It uses
 * only the Host, so it runs on Node, on the sim host and inside XS.
 */
import { AimDbBuilder, BufferCfg, type AimDb, type Host } from "../../src/index.js";

export interface Reading {
  celsius: number;
  at: number;
}

/** Builds the quick-start database; `report` receives one line per comfort change. */
export async function buildQuickstart(host: Host, report: (line: string) => void): Promise<AimDb> {
  const builder = new AimDbBuilder(host);

  builder.configure<Reading>("room.temp", (reg) =>
    reg.buffer(BufferCfg.spmcRing(64)).source(async (ctx, producer) => {
      for (let i = 0; ; i++) {
        const celsius = 21 + 2 * Math.sin(i / 10) + (host.random() - 0.5) * 0.2;
        producer.send({ celsius: Math.round(celsius * 10) / 10, at: ctx.time.now() });
        await ctx.sleep(250);
      }
    }),
  );

  builder.configure<number>("room.humidity", (reg) =>
    reg.buffer(BufferCfg.singleLatest()).source(async (ctx, producer) => {
      for (let i = 0; ; i++) {
        producer.send(Math.round(45 + 10 * Math.cos(i / 7)));
        await ctx.sleep(1000);
      }
    }),
  );

  builder.configure<number>("room.temp_f", (reg) =>
    reg.buffer(BufferCfg.singleLatest()).transform<Reading>("room.temp", (r) => Math.round((r.celsius * 9) / 5 + 32)),
  );

  builder.configure<string>("room.comfort", (reg) =>
    reg
      .buffer(BufferCfg.singleLatest())
      .transformStateful<number>("room.temp_f", () => {
        let last = "";
        return (f) => {
          const state = f < 68 ? "cool" : f > 72 ? "warm" : "comfortable";
          if (state === last) return undefined; // only changes
          last = state;
          return state;
        };
      })
      .tap((state, ctx) => report(`${ctx.time.now().toFixed(0).padStart(6)} ms  comfort: ${state}`)),
  );

  builder.configure<{ celsius: number; humidity: number }>("room.summary", (reg) =>
    reg
      .buffer(BufferCfg.singleLatest())
      .join<[Reading, number]>(["room.temp", "room.humidity"], ([t, h]) => (t && h !== undefined ? { celsius: t.celsius, humidity: h } : undefined)),
  );

  builder.configure<number>("room.setpoint", (reg) =>
    reg.buffer(BufferCfg.mailbox()).tap((celsius, ctx) => ctx.log.info(`setpoint applied: ${celsius} °C`)),
  );

  return builder.build();
}
