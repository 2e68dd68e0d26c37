/**
 * The MQTT connector when things go wrong, against a real mosquitto: refused credentials,
 * a publish the ACL denies, a broker restarted under load, a broker that stops answering,
 * and tshark's independent decoding of our bytes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AimDbBuilder, BufferCfg, utf8Decode, utf8Encode, type AimDb } from "../../../src/index.js";
import { mqtt } from "../../../src/connectors/mqtt/index.js";
import { freePort, skipWithout, startMosquitto, type Mosquitto } from "../../support/peers.js";
import { quietHost, sensorAndHub, until } from "./mqtt-support.js";

const skip = skipWithout("mosquitto", "mosquitto_passwd");
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function secured(): Promise<Mosquitto> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-auth-"));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  const pw = spawnSync("mosquitto_passwd", ["-c", "-b", path.join(dir, "passwd"), "dev", "devpass"]);
  expect(pw.status).toBe(0);
  const broker = await startMosquitto({
    dir,
    files: { acl: "user dev\ntopic readwrite dev/#\n" },
    extra: ["allow_anonymous false", `password_file ${path.join(dir, "passwd")}`, `acl_file ${path.join(dir, "acl")}`],
  });
  cleanup.push(() => broker.stop());
  return broker;
}

async function textDb(url: string, opts: Parameters<typeof mqtt>[0] extends infer O ? Partial<O> : never, topic: string): Promise<AimDb> {
  const b = new AimDbBuilder(quietHost()).withConnector(mqtt({ url, ...opts }));
  b.configure<string>("out", (r) => r.buffer(BufferCfg.spmcRing(8)).linkTo(`mqtt://${topic}?qos=1`).withSerializer((s) => utf8Encode(s)));
  const db = await b.build();
  await db.run();
  cleanup.push(() => db.stop());
  return db;
}

const detail = (db: AimDb) => db.connectors()[0]!.detail as { connected: boolean; lastError?: string; connects: number };

describe.skipIf(skip)("MQTT connector against mosquitto when things go wrong", () => {
  it.each([
    [4, /not authorized \(return code 5\)|bad user name or password \(return code 4\)/],
    [5, /bad user name or password \(reason code 134\)|not authorized \(reason code 135\)/],
  ] as const)("reports a refused connection clearly (MQTT %i, bad password)", async (version, reason) => {
    const broker = await secured();
    const db = await textDb(`mqtt://dev:wrong@127.0.0.1:${broker.port}`, { protocolVersion: version, clientId: `bad-${version}` }, "dev/x");
    await until(() => detail(db).lastError !== undefined, 5000, "a connect error");
    expect(detail(db).lastError).toMatch(reason);
    expect(detail(db).connected).toBe(false);
    expect(db.records()[0]!.links[0]!.state).toBe("down");
  });

  it("counts a QoS 1 publish the ACL denies as a publish error (MQTT 5)", async () => {
    const broker = await secured();
    const db = await textDb(`mqtt://dev:devpass@127.0.0.1:${broker.port}`, { protocolVersion: 5, clientId: "acl" }, "forbidden/x");
    await until(() => detail(db).connected, 5000, "connected");
    db.produce("out", "secret");
    await until(() => db.records()[0]!.links[0]!.counters.publishErrors === 1, 5000, "the refusal");
    expect(db.records()[0]!.links[0]!.counters.sent).toBe(1);
  });

  it("drops a QoS 1 publish that mosquitto closes the connection on, after five connections, and goes on (MQTT 3.1.1)", async () => {
    const broker = await startMosquitto({ extra: ["allow_anonymous true", "max_packet_size 200"] });
    cleanup.push(() => broker.stop());
    const db = await textDb(`mqtt://127.0.0.1:${broker.port}`, { clientId: "big", backoff: { initialMs: 20, maxMs: 20, jitter: 0 } }, "big/x");
    await until(() => detail(db).connected, 5000, "connected");
    db.produce("out", "x".repeat(500)); // over mosquitto's 200-byte limit: it hangs up
    const link = () => db.records()[0]!.links[0]!.counters;
    await until(() => link().publishErrors === 1, 10_000, "the publish given up");
    expect((db.connectors()[0]!.detail as { resent: number }).resent).toBe(4);
    expect(detail(db).connects).toBe(6);
    db.produce("out", "small");
    await until(() => link().sent === 2 && (db.connectors()[0]!.detail as { inflight: number }).inflight === 0, 5000, "the next value acknowledged");
    expect(link().publishErrors).toBe(1);
  });

  it("reads past a retained message over maxPacketSize and stays connected (MQTT 3.1.1, which cannot tell the broker its limit)", async () => {
    const broker = await startMosquitto({ extra: ["allow_anonymous true"] });
    cleanup.push(() => broker.stop());
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const big = await textDb(url, { clientId: "big-pub", maxPacketSize: 100_000, retain: true }, "big/r");
    cleanup.push(() => big.stop());
    big.produce("out", "x".repeat(70_000));
    await until(() => big.records()[0]!.links[0]!.counters.sent === 1 && (big.connectors()[0]!.detail as { inflight: number }).inflight === 0, 5000, "the big retained message stored");
    const got: string[] = [];
    const b = new AimDbBuilder(quietHost()).withConnector(mqtt({ url, clientId: "big-hub" })); // maxPacketSize 65536
    b.configure<string>("in", (r) =>
      r
        .buffer(BufferCfg.spmcRing(8))
        .linkFrom("mqtt://big/#?qos=1")
        .withDeserializer((x) => utf8Decode(x))
        .tap((v) => void got.push(v)),
    );
    const hub = await b.build();
    await hub.run();
    cleanup.push(() => hub.stop());
    const hubDetail = () => hub.connectors()[0]!.detail as { connected: boolean; connects: number; protocolErrors: number; tooLarge: number };
    await until(() => hubDetail().tooLarge === 1, 5000, "the big message read past");
    const small = await textDb(url, { clientId: "small-pub" }, "big/s");
    cleanup.push(() => small.stop());
    small.produce("out", "small");
    await until(() => got.length === 1, 5000, "the next message");
    const d = hubDetail();
    expect({ got, connected: d.connected, connects: d.connects, protocolErrors: d.protocolErrors }).toEqual({ got: ["small"], connected: true, connects: 1, protocolErrors: 0 });
  });

  it("resumes by itself after the broker restarts, losing no QoS 1 value within the ring and counting every drop", async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-restart-"));
    const conf = ["persistence true", `persistence_location ${dir}/`, "allow_anonymous true"];
    let broker = await startMosquitto({ port, dir, extra: conf });
    cleanup.push(async () => {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const p = await sensorAndHub(
      { url: `mqtt://127.0.0.1:${port}`, backoff: { initialMs: 100, maxMs: 400 } },
      { ring: 64, topic: "restart/temp", hub: { clean: false, clientId: "restart-hub" } },
    );
    cleanup.push(() => p.stop());
    const total = 600;
    let n = 0;
    const send = async (count: number) => {
      for (let i = 0; i < count; i++) {
        p.sensor.produce("sensor.temp", { n: ++n, celsius: 1 });
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    await send(150);
    await broker.stop(); // SIGTERM: mosquitto saves the hub's session and its queue
    await send(300); // the sensor keeps producing while the broker is gone
    broker = await startMosquitto({ port, dir, extra: conf });
    await send(total - 450);
    const link = () => p.sensor.records()[0]!.links[0]!.counters;
    const unique = () => new Set(p.received.map((r) => r.n)).size;
    await until(() => unique() + link().lagged === total, 15_000, "every value received or counted as dropped");
    expect(link().lagged).toBeGreaterThan(0); // the outage was longer than the ring
    expect(unique() + link().lagged).toBe(total);
    const got = [...new Set(p.received.map((r) => r.n))].sort((a, b) => a - b);
    expect(got.slice(0, 150)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1)); // before the outage: all
    expect(got.at(-1)).toBe(total); // after: up to the last
    expect(detail(p.hub).connects).toBe(2);
  }, 40_000);

  it("detects a broker that stops answering within 1.5 × keepalive", async () => {
    const broker = await startMosquitto();
    cleanup.push(() => broker.stop());
    const db = await textDb(`mqtt://127.0.0.1:${broker.port}`, { keepalive: 2, clientId: "ka", backoff: { initialMs: 60_000, maxMs: 60_000 } }, "ka/x");
    await until(() => detail(db).connected, 5000, "connected");
    await new Promise((r) => setTimeout(r, 300));
    broker.signal("SIGSTOP");
    const t0 = Date.now();
    await until(() => !detail(db).connected, 6000, "the dead connection");
    const took = Date.now() - t0;
    broker.signal("SIGCONT");
    expect(took).toBeLessThanOrEqual(3000 + 100);
    expect(detail(db).lastError).toMatch(/PINGREQ/);
  }, 15_000);
});

const noShark = skipWithout("dumpcap", "tshark", "mosquitto");

describe.skipIf(noShark)("tshark decoding our MQTT session", () => {
  it.each([4, 5] as const)("finds no malformed packet in MQTT %i", async (version) => {
    const broker = await startMosquitto();
    cleanup.push(() => broker.stop());
    const dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-pcap-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "mqtt.pcapng");
    const cap = spawn("dumpcap", ["-q", "-i", "lo", "-f", `tcp port ${broker.port}`, "-w", file], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 1500));
    const p = await sensorAndHub({ url: `mqtt://127.0.0.1:${broker.port}`, protocolVersion: version, keepalive: 1 }, { topic: `shark/${version}` });
    for (let n = 1; n <= 5; n++) p.sensor.produce("sensor.temp", { n, celsius: n });
    await until(() => p.received.length === 5, 5000, "five values");
    await new Promise((r) => setTimeout(r, 1600)); // let a PINGREQ/PINGRESP pass
    await p.stop();
    await new Promise((r) => setTimeout(r, 500));
    cap.kill("SIGINT");
    await new Promise((r) => cap.once("exit", r));
    const r = spawnSync("tshark", ["-r", file, "-d", `tcp.port==${broker.port},mqtt`, "-Y", "mqtt", "-T", "fields", "-e", "mqtt.msgtype", "-e", "mqtt.ver", "-e", "_ws.malformed", "-e", "_ws.expert.severity"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const rows = r.stdout.split("\n").filter((l) => l.length > 0).map((l) => l.split("\t"));
    const types = new Set(rows.flatMap((row) => row[0]!.split(",")).map(Number));
    for (const t of [1, 2, 3, 4, 8, 9, 12, 13, 14]) expect(types, `message type ${t} captured`).toContain(t);
    expect(rows.filter((row) => row[0]!.split(",").includes("1")).map((row) => row[1])).toContain(String(version));
    // No malformed packet and no expert warning or error (severity ≥ 0x00600000) from the MQTT dissector.
    const bad = rows.filter((row) => (row[2] ?? "") !== "" || (row[3] ?? "").split(",").some((s) => s !== "" && Number(s) >= 0x00600000));
    expect(bad).toEqual([]);
    expect(readFileSync(file).length).toBeGreaterThan(0);
  }, 20_000);
});
