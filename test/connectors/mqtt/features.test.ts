/**
 * MQTT features against mosquitto: last will, MQTT 5 shared subscriptions splitting one
 * stream between two hubs, and mqtts:// with a CA the test makes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AimDbBuilder, BufferCfg, utf8Decode, utf8Encode, type Host, type TcpSocket } from "../../../src/index.js";
import { mqtt } from "../../../src/connectors/mqtt/index.js";
import { nodeHost } from "../../../hosts/node/index.js";
import { freePort, skipWithout, startMosquitto } from "../../support/peers.js";
import { Reading, sensorAndHub, until } from "./mqtt-support.js";

const skip = skipWithout("mosquitto", "mosquitto_sub", "openssl");
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe.skipIf(skip)("MQTT features with mosquitto", () => {
  it("has the broker publish the last will when the connection drops without DISCONNECT", async () => {
    const broker = await startMosquitto();
    cleanup.push(() => broker.stop());
    const sockets: TcpSocket[] = [];
    const base = nodeHost({ onLog: () => {} });
    const host: Host = { ...base, tcp: (o) => sockets[sockets.push(base.tcp!(o)) - 1]! };
    const watcher = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(broker.port), "-t", "status/node-1", "-C", "1", "-F", "%r|%p", "-W", "10"]);
    let out = "";
    watcher.stdout.on("data", (d) => (out += d));
    const done = new Promise((r) => watcher.once("exit", r));
    const b = new AimDbBuilder(host).withConnector(
      mqtt({ url: `mqtt://127.0.0.1:${broker.port}`, clientId: "node-1", will: { topic: "status/node-1", payload: "offline", qos: 1, retain: true } }),
    );
    b.configure<string>("x", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://x").withSerializer((s) => utf8Encode(s)));
    const db = await b.build();
    await db.run();
    cleanup.push(() => db.stop());
    await until(() => db.records()[0]!.links[0]!.state === "up", 5000, "connected");
    await new Promise((r) => setTimeout(r, 200));
    sockets[0]!.close(); // the network goes away: no DISCONNECT reaches the broker
    await done;
    expect(out.trim()).toBe("0|offline"); // live subscribers get retain 0 [MQTT-3.3.1-9]
    const late = spawnSync("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(broker.port), "-t", "status/node-1", "-C", "1", "-F", "%r|%p", "-W", "5"], { encoding: "utf8" });
    expect(late.stdout.trim()).toBe("1|offline"); // and the will was retained
  });

  it("splits one stream between two hubs with an MQTT 5 shared subscription", async () => {
    const broker = await startMosquitto();
    cleanup.push(() => broker.stop());
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const p = await sensorAndHub({ url, protocolVersion: 5 }, { topic: "shared/temp", filter: "$share/hubs/shared/temp", hub: { clientId: "hub-1" } });
    cleanup.push(() => p.stop());
    const second: number[] = [];
    const b = new AimDbBuilder(nodeHost({ onLog: () => {} })).withConnector(mqtt({ url, protocolVersion: 5, clientId: "hub-2" }));
    b.configure<typeof Reading.Type>("hub.temp", (r) =>
      r.buffer(BufferCfg.spmcRing(256)).linkFrom("mqtt://$share/hubs/shared/temp?qos=1").withDeserializer(Reading.decode).tap((v) => void second.push(v.n)),
    );
    const hub2 = await b.build();
    await hub2.run();
    cleanup.push(() => hub2.stop());
    await until(() => hub2.records()[0]!.links[0]!.state === "up", 5000, "hub-2 up");
    await new Promise((r) => setTimeout(r, 200));
    for (let n = 1; n <= 100; n++) p.sensor.produce("sensor.temp", { n, celsius: 0 });
    await until(() => p.received.length + second.length === 100, 5000, "100 values between the two hubs");
    expect(p.received.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect([...p.received.map((r) => r.n), ...second].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it("connects over mqtts:// with the CA it is given, and refuses a server it cannot verify", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-tls-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const ssl = (...args: string[]) => expect(spawnSync("openssl", args, { cwd: dir }).status).toBe(0);
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=aimdb test CA", "-keyout", "ca.key", "-out", "ca.crt");
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
    spawnSync("sh", ["-c", "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext"], { cwd: dir });
    ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "server.crt");
    const port = await freePort();
    const broker = await startMosquitto({
      port,
      dir,
      extra: ["allow_anonymous true", `cafile ${dir}/ca.crt`, `certfile ${dir}/server.crt`, `keyfile ${dir}/server.key`],
    });
    cleanup.push(() => broker.stop());
    const { readFileSync } = await import("node:fs");
    const ca = readFileSync(path.join(dir, "ca.crt"), "utf8");
    const p = await sensorAndHub({ url: `mqtts://localhost:${port}`, tls: { ca } }, { topic: "tls/temp" });
    cleanup.push(() => p.stop());
    p.sensor.produce("sensor.temp", { n: 1, celsius: 21.5 });
    await until(() => p.received.length === 1, 5000, "a value over TLS");
    expect(p.received[0]).toEqual({ n: 1, celsius: 21.5 });

    const b = new AimDbBuilder(nodeHost({ onLog: () => {} })).withConnector(mqtt({ url: `mqtts://localhost:${port}`, clientId: "untrusting" }));
    b.configure<string>("x", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("mqtt://x").withDeserializer((bytes) => utf8Decode(bytes)));
    const db = await b.build();
    await db.run();
    cleanup.push(() => db.stop());
    const info = () => db.connectors()[0]!.detail as { connected: boolean; lastError?: string };
    await until(() => info().lastError !== undefined, 5000, "a TLS error");
    expect(info().connected).toBe(false);
    expect(info().lastError).toMatch(/certificate/i);
  });
});
