/**
 * The MQTT connector against real brokers: aedes in process, and Debian's mosquitto
 * (3.1.1 and 5) started by the tests, with mosquitto_pub/mosquitto_sub as independent clients.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { AimDbBuilder, BufferCfg, utf8Decode, utf8Encode } from "../../../src/index.js";
import { mqtt } from "../../../src/connectors/mqtt/index.js";
import { skipWithout, startAedes, startMosquitto, type Aedes, type Mosquitto } from "../../support/peers.js";
import { Reading, quietHost, sensorAndHub, until } from "./mqtt-support.js";

describe("MQTT with aedes (in process)", () => {
  let broker: Aedes;
  beforeAll(async () => {
    broker = await startAedes();
  });
  afterAll(async () => {
    await broker.stop();
  });

  for (const qos of [0, 1] as const) {
    it(`carries QoS ${qos} values from a sensor database to a hub database in order`, async () => {
      const p = await sensorAndHub({ url: `mqtt://127.0.0.1:${broker.port}` }, { qos, topic: `aedes/q${qos}` });
      for (let n = 1; n <= 200; n++) p.sensor.produce("sensor.temp", { n, celsius: 20 + n / 10 });
      await until(() => p.received.length === 200, 5000, "200 values at the hub");
      expect(p.received.map((r) => r.n)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(p.received[9]!.celsius).toBeCloseTo(21, 5);
      expect(p.sensor.records()[0]!.links[0]!.counters).toMatchObject({ sent: 200, publishErrors: 0, lagged: 0 });
      await p.stop();
    });
  }
});

const noMosquitto = skipWithout("mosquitto", "mosquitto_sub", "mosquitto_pub");

describe.skipIf(noMosquitto).each([4, 5] as const)("MQTT %i with mosquitto", (version) => {
  let broker: Mosquitto;
  const url = () => `mqtt://127.0.0.1:${broker.port}`;
  const v = version === 5 ? ["-V", "mqttv5"] : ["-V", "mqttv311"];
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it("round-trips values between two databases through the broker", async () => {
    const p = await sensorAndHub({ url: url(), protocolVersion: version }, { topic: `rt/${version}` });
    for (let n = 1; n <= 100; n++) p.sensor.produce("sensor.temp", { n, celsius: n });
    await until(() => p.received.length === 100, 5000, "100 values");
    expect(p.received.map((r) => r.n)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await p.stop();
  });

  it("publishes what mosquitto_sub sees, with the right payload, QoS and retain flag", async () => {
    const topic = `sub/${version}/out`;
    const subacks = () => broker.log().split("Sending SUBACK").length;
    const before = subacks();
    const sub = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(broker.port), ...v, "-q", "1", "-t", topic, "-C", "2", "-F", "%t|%q|%r|%x", "-W", "10"]);
    let out = "";
    sub.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => sub.once("exit", r));
    await until(() => subacks() > before, 5000, "mosquitto_sub subscribed");
    const host = quietHost();
    const b = new AimDbBuilder(host).withConnector(mqtt({ url: url(), protocolVersion: version, clientId: `pub-${version}` }));
    b.configure<string>("text", (r) => r.buffer(BufferCfg.spmcRing(8)).linkTo(`mqtt://${topic}?qos=1&retain=true`).withSerializer((s) => utf8Encode(s)));
    const db = await b.build();
    await db.run();
    db.produce("text", "héllo");
    db.produce("text", "wörld");
    expect(await exited).toBe(0);
    const hex = (s: string) => Buffer.from(s).toString("hex");
    // A live subscriber receives retained publishes with retain 0 [MQTT-3.3.1-9].
    expect(out.trim().split("\n")).toEqual([`${topic}|1|0|${hex("héllo")}`, `${topic}|1|0|${hex("wörld")}`]);
    // A late subscriber gets the retained value with the retain flag set.
    const late = spawnSync("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(broker.port), ...v, "-t", topic, "-C", "1", "-F", "%r|%x", "-W", "5"], { encoding: "utf8" });
    expect(late.stdout.trim()).toBe(`1|${hex("wörld")}`);
    await db.stop();
  });

  it("receives what mosquitto_pub sends, with wildcards and the matched topic", async () => {
    const host = quietHost();
    const b = new AimDbBuilder(host).withConnector(mqtt({ url: url(), protocolVersion: version, clientId: `hub-w-${version}` }));
    b.configure<string>("any", (r) =>
      r
        .buffer(BufferCfg.spmcRing(16))
        .linkFrom(`mqtt://pub/${version}/+/temp?qos=1`)
        .withDeserializer((bytes, meta) => `${meta.topic}=${utf8Decode(bytes)}`),
    );
    const db = await b.build();
    await db.run();
    await until(() => db.records()[0]!.links[0]!.state === "up", 5000, "link up");
    await new Promise((r) => setTimeout(r, 100));
    const sub = db.subscribe<string>("any");
    for (const station of ["alpha", "beta"]) {
      const r = spawnSync("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(broker.port), ...v, "-q", "1", "-t", `pub/${version}/${station}/temp`, "-m", `21.${station.length}`]);
      expect(r.status).toBe(0);
    }
    spawnSync("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(broker.port), ...v, "-t", `pub/${version}/alpha/humidity`, "-m", "x"]);
    const got: string[] = [];
    for await (const s of sub) if (got.push(s) === 2) break;
    expect(got).toEqual([`pub/${version}/alpha/temp=21.5`, `pub/${version}/beta/temp=21.4`]);
    await db.stop();
  });
});
