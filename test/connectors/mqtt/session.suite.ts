/**
 * The MQTT connector and session on the sim host's virtual clock and in-memory network,
 * against the mini broker. Runs under vitest and inside XS.
 */
import { AimDbBuilder, BufferCfg, utf8Decode, utf8Encode, type AimDb } from "../../../src/index.js";
import { mqtt, type MqttOptions } from "../../../src/connectors/mqtt/index.js";
import { SimHost } from "../../../hosts/sim/index.js";
import { MiniBroker } from "../../support/mini-broker.js";
import { BrokerParser } from "../../support/mqtt-broker-codec.js";
import type { ClientPacket } from "../../../src/connectors/mqtt/packets.js";
import { MqttSession, type SessionOptions } from "../../../src/connectors/mqtt/session.js";
import { deepEq, eq, ok } from "../../support/check.js";
import type { Suite } from "../../support/suite.js";
import { stopsPromptly } from "../../support/prompt-stop.js";

const PORT = 1883;
const url = `mqtt://127.0.0.1:${PORT}`;
const text = { ser: (s: string) => utf8Encode(s), de: (b: Uint8Array) => utf8Decode(b) };

async function node(host: SimHost, opts: Partial<MqttOptions>, declare: (b: AimDbBuilder) => void): Promise<AimDb> {
  const b = new AimDbBuilder(host).withConnector(mqtt({ url, ...opts }));
  declare(b);
  const db = await b.build();
  await db.run();
  return db;
}

const detail = (db: AimDb) => db.connectors()[0]!.detail as { connected: boolean; lastError?: string; connects: number; resent: number; protocolErrors: number };

function drain(sub: { tryNext(): string | undefined }): string[] {
  const out: string[] = [];
  for (let v = sub.tryNext(); v !== undefined; v = sub.tryNext()) out.push(v);
  return out;
}

/** A session alone, with its effects recorded: what it writes, refuses and signals. */
function harness(version: 4 | 5, options: Partial<SessionOptions> = {}) {
  const written: Uint8Array[] = [];
  const refused: number[] = [];
  const ready = { count: 0 };
  const o: SessionOptions = {
    version, clientId: "ring", clean: true, sessionExpirySec: 0, keepaliveSec: 0, username: undefined, password: undefined, will: undefined,
    maxInflight: 4, maxPacketSize: 1024, connectTimeoutMs: 1000, backoff: { initialMs: 1, maxMs: 1, factor: 1, jitter: 0 }, subscriptions: [], random: () => 0,
    ...options,
  };
  const session = new MqttSession(o, {
    connect: () => {}, disconnect: () => {}, deliver: () => {}, state: () => {}, subscribed: () => {},
    write: (b) => (written.push(b), true),
    ready: () => void ready.count++,
    refused: (token) => void refused.push(token),
  });
  /** The PUBLISH packets written since the last call. */
  const sent = () => {
    const out: { id: number; dup: boolean; text: string }[] = [];
    const parser = new BrokerParser(version);
    for (const b of written.splice(0)) parser.feed(b, (p) => p.type === 3 && out.push({ id: p.packetId!, dup: p.dup, text: utf8Decode(p.payload) }));
    return out;
  };
  /** Every packet written since the last call. */
  const packets = () => {
    const out: ClientPacket[] = [];
    const parser = new BrokerParser(version);
    for (const b of written.splice(0)) parser.feed(b, (p) => out.push(p));
    return out;
  };
  /** Opens a connection whose CONNACK carries `props` (MQTT 5 property bytes). */
  const connect = (now: number, props: number[] = []) => {
    session.start(now);
    session.opened(now);
    const present = o.clean ? 0 : 1; // a broker that keeps sessions
    session.receive(version === 5 ? Uint8Array.of(0x20, 3 + props.length, present, 0, props.length, ...props) : Uint8Array.of(0x20, 2, present, 0), now);
  };
  const ack = (id: number) => session.receive(Uint8Array.of(0x40, 2, id >> 8, id & 255), 1);
  const pub = (text: string, token = 0) => session.publish(token, "r/a", utf8Encode(text), 1, false, 1);
  return { session, sent, packets, connect, ack, pub, refused, ready };
}

export function mqttSessionSuite(version: 4 | 5): Suite {
  return (t) => {
    const setup = async (host: SimHost, broker: MiniBroker, sensorOpts: Partial<MqttOptions> = {}) => {
      const hub = await node(host, { clientId: "hub", protocolVersion: version }, (b) =>
        b.configure<string>("in", (r) => r.buffer(BufferCfg.spmcRing(64)).linkFrom("mqtt://s/+/v?qos=1").withDeserializer(text.de)),
      );
      const sensor = await node(host, { clientId: "sensor", protocolVersion: version, ...sensorOpts }, (b) =>
        b.configure<string>("out", (r) => r.buffer(BufferCfg.spmcRing(8)).linkTo("mqtt://s/a/v?qos=1").withSerializer(text.ser)),
      );
      await host.advance(10);
      ok(broker.clients.size === 2, "both clients connected");
      return { hub, sensor, sub: hub.subscribe<string>("in") };
    };

    t.test("connects, subscribes and carries QoS 1 values on virtual time", async () => {
      const host = new SimHost({ seed: 7 });
      const broker = new MiniBroker(host, PORT);
      const { hub, sensor, sub } = await setup(host, broker);
      const connect = broker.seen.find((s) => s.client === "sensor" && s.packet.type === 1)!.packet as { protocolVersion: number; keepalive: number; clean: boolean };
      deepEq([connect.protocolVersion, connect.keepalive, connect.clean], [version, 30, true], "CONNECT carries version, keepalive and clean session");
      for (const v of ["1", "2", "3"]) sensor.produce("out", v);
      await host.advance(10);
      deepEq(drain(sub), ["1", "2", "3"], "values arrive in order");
      eq(sensor.records()[0]!.links[0]!.state, "up", "the sensor link is up");
      await sensor.stop();
      await hub.stop();
      await host.advance(10);
      ok(broker.seen.some((s) => s.client === "sensor" && s.packet.type === 14), "stop() sends DISCONNECT");
      eq(host.pendingTimers, 0, "stopping leaves no timer behind");
    });

    t.test("pings when idle and declares a silent broker dead within 1.5 × keepalive", async () => {
      const host = new SimHost();
      const broker = new MiniBroker(host, PORT);
      const db = await node(host, { clientId: "ka", protocolVersion: version, keepalive: 10, backoff: { initialMs: 60_000, maxMs: 60_000 } }, (b) =>
        b.configure<string>("x", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://ka").withSerializer(text.ser)),
      );
      await host.advance(10_000);
      ok(broker.seen.some((s) => s.packet.type === 12), "a PINGREQ after 10 idle seconds");
      eq(detail(db).connected, true, "answered pings keep the connection");
      broker.silent = true;
      const t0 = host.now();
      while (detail(db).connected && host.now() - t0 < 60_000) await host.advance(100);
      const took = host.now() - t0;
      ok(took <= 15_000, `detected after ${took} ms, within 15 s`);
      ok(/PINGREQ/.test(detail(db).lastError ?? ""), "the reason names the unanswered ping");
      await db.stop();
    });

    t.test("after the broker drops the connection it reconnects, resubscribes and resends unacknowledged QoS 1 with DUP in its session", async () => {
      const host = new SimHost({ seed: 3 });
      const broker = new MiniBroker(host, PORT);
      const { hub, sensor, sub } = await setup(host, broker, { clean: false, backoff: { initialMs: 1000, maxMs: 8000, jitter: 0 } });
      broker.silent = true; // the broker reads but no longer acknowledges
      sensor.produce("out", "lost-ack");
      await host.advance(10);
      broker.silent = false;
      broker.dropAll();
      await host.advance(999);
      eq(detail(sensor).connected, false, "still waiting for the first backoff delay");
      await host.advance(50);
      eq(detail(sensor).connected, true, "reconnected after 1 s");
      eq(detail(hub).connects, 2, "the hub reconnected too");
      const resent = broker.publishes("s/a/v").filter((p) => (p as { dup: boolean }).dup);
      eq(resent.length, 1, "the unacknowledged publish was resent once");
      eq(detail(sensor).resent, 1, "and counted");
      sensor.produce("out", "after");
      await host.advance(10);
      deepEq(drain(sub), ["lost-ack", "after"], "the hub resubscribed and got both");
      await sensor.stop();
      await hub.stop();
    });

    t.test("resends the bytes it first sent, though the serializer reuses one array", async () => {
      const host = new SimHost({ seed: 5 });
      const broker = new MiniBroker(host, PORT);
      const shared = new Uint8Array(4);
      const sensor = await node(host, { clientId: "reuser", protocolVersion: version, clean: false, backoff: { initialMs: 100, jitter: 0 } }, (b) =>
        b.configure<string>("out", (r) =>
          r
            .buffer(BufferCfg.spmcRing(8))
            .linkTo("mqtt://s/r/v?qos=1")
            .withSerializer((s) => (shared.set(utf8Encode(s)), shared)),
        ),
      );
      await host.advance(10);
      broker.silent = true;
      for (const v of ["aaaa", "bbbb", "cccc"]) sensor.produce("out", v);
      await host.advance(10);
      broker.silent = false;
      broker.dropAll();
      await host.advance(200);
      eq(detail(sensor).connected, true, "reconnected");
      const payloads = (dup: boolean) => broker.publishes("s/r/v").filter((p) => p.dup === dup).map((p) => utf8Decode(p.payload));
      deepEq(payloads(false), ["aaaa", "bbbb", "cccc"], "first sent as produced");
      deepEq(payloads(true), ["aaaa", "bbbb", "cccc"], "resent with DUP, each with its own bytes");
      eq(utf8Decode(shared), "cccc", "while the serializer's array holds the last value");
      await sensor.stop();
    });

    t.test("backs off exponentially up to the maximum while the broker refuses", async () => {
      const host = new SimHost();
      const broker = new MiniBroker(host, PORT);
      broker.refuse = version === 5 ? 0x87 : 5;
      const db = await node(host, { clientId: "r", protocolVersion: version, backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 } }, (b) =>
        b.configure<string>("x", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://r").withSerializer(text.ser)),
      );
      await host.advance(5000);
      const times = broker.seen.filter((s) => s.packet.type === 1).map((s) => s.at);
      const gaps = times.slice(1).map((at, i) => at - times[i]!);
      deepEq(gaps.slice(0, 6), [100, 200, 400, 800, 1000, 1000], "delays double, then stay at the maximum");
      ok(/not authorized/.test(detail(db).lastError ?? ""), "the refusal is reported in words");
      eq(db.records()[0]!.links[0]!.state, "down", "the link is down");
      await db.stop();
    });

    t.test("garbage from the broker is a protocol error: disconnect, count, reconnect", async () => {
      const host = new SimHost();
      const broker = new MiniBroker(host, PORT);
      const db = await node(host, { clientId: "g", protocolVersion: version, backoff: { initialMs: 100, maxMs: 100, jitter: 0 } }, (b) =>
        b.configure<string>("x", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("mqtt://g").withDeserializer(text.de)),
      );
      await host.advance(10);
      broker.sendRaw(new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])); // a 5-byte Remaining Length
      await host.advance(10);
      eq(detail(db).protocolErrors, 1, "the malformed packet is counted");
      await host.advance(200);
      eq(detail(db).connected, true, "and the session came back");
      eq(broker.connects, 2, "with a second CONNECT");
      await db.stop();
    });

    t.test("a ring link keeps its capacity while the broker is away and counts what it dropped", async () => {
      const host = new SimHost();
      const broker = new MiniBroker(host, PORT);
      broker.stop();
      const sensor = await node(host, { clientId: "sensor", protocolVersion: version, backoff: { initialMs: 500, maxMs: 500, jitter: 0 } }, (b) =>
        b.configure<string>("out", (r) => r.buffer(BufferCfg.spmcRing(4)).linkTo("mqtt://s/a/v?qos=1").withSerializer(text.ser)),
      );
      sensor.produce("out", "1");
      await host.advance(10); // the pump takes "1" and waits for the connector to accept it
      for (let i = 2; i <= 10; i++) sensor.produce("out", String(i));
      await host.advance(100);
      eq(sensor.records()[0]!.links[0]!.state, "down", "no broker yet");
      broker.start();
      await host.advance(1000);
      const got = broker.publishes("s/a/v").map((p) => utf8Decode((p as { payload: Uint8Array }).payload));
      deepEq(got, ["1", "7", "8", "9", "10"], "the value the pump held, then the ring's last four");
      eq(sensor.records()[0]!.links[0]!.counters.lagged, 5, "the five that fell out of the ring are counted");
      await sensor.stop();
    });

    t.test("stopping refuses at once what waits for a broker that is gone, and counts it", async () => {
      const logs: string[] = [];
      const host = new SimHost({ onLog: (_level, message) => logs.push(message) });
      const broker = new MiniBroker(host, PORT);
      broker.stop();
      const db = await node(host, { clientId: "gone", protocolVersion: version, backoff: { initialMs: 500, maxMs: 500, jitter: 0 } }, (b) =>
        b.configure<string>("out", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://gone").withSerializer(text.ser)),
      );
      db.produce("out", "v");
      await host.advance(10); // the pump holds "v" in the connector
      await stopsPromptly(host, db, logs);
      eq(db.records()[0]!.links[0]!.counters.publishErrors, 1, "the value that could not be sent is a publish error");
    });

    t.test("stopping waits for the PUBACKs in flight, and counts those a dead connection leaves unconfirmed", async () => {
      const host = new SimHost();
      host.network.latencyMs = 5;
      const broker = new MiniBroker(host, PORT);
      const open = async (id: string) => {
        const db = await node(host, { clientId: id, protocolVersion: version, backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 } }, (b) =>
          b.configure<string>("out", (r) => r.buffer(BufferCfg.spmcRing(8)).linkTo(`mqtt://${id}?qos=1`).withSerializer(text.ser)),
        );
        await host.advance(50);
        for (const v of ["a", "b", "c"]) db.produce("out", v);
        await host.flush(); // handed over and on the wire, no PUBACK yet
        return db;
      };
      const live = await open("live");
      const stopping = live.stop();
      await host.advance(20);
      await stopping;
      const c1 = live.records()[0]!.links[0]!.counters;
      deepEq([c1.sent, c1.publishErrors, broker.publishes("live").length], [3, 0, 3], "a live broker acknowledges all three before DISCONNECT");
      const cut = await open("cut");
      broker.dropAll(); // the connection dies before the publishes reach the broker
      await host.advance(50);
      await cut.stop();
      const c2 = cut.records()[0]!.links[0]!.counters;
      deepEq([c2.sent, c2.publishErrors, broker.publishes("cut").length], [3, 3, 0], "the three unconfirmed are publish errors");
    });

    t.test("values produced just before stop() still go out, or are counted when they cannot", async () => {
      for (const live of [true, false]) {
        const host = new SimHost({ onLog: () => {} });
        const broker = new MiniBroker(host, PORT);
        const db = await node(host, { clientId: "last", protocolVersion: version, maxInflight: 1, backoff: { initialMs: 500, maxMs: 500, jitter: 0 } }, (b) =>
          b.configure<string>("out", (r) => r.buffer(BufferCfg.spmcRing(8)).linkTo("mqtt://last?qos=1").withSerializer(text.ser)),
        );
        await host.advance(10);
        if (!live) broker.stop();
        for (const v of ["a", "b", "c", "d"]) db.produce("out", v);
        const stopping = db.stop(); // at once: the pump has taken none of them yet
        await host.advance(100);
        await stopping;
        const c = db.records()[0]!.links[0]!.counters;
        const got = broker.publishes("last").map((p) => utf8Decode(p.payload));
        if (live) deepEq([got, c.sent, c.publishErrors], [["a", "b", "c", "d"], 4, 0], "a live broker gets all four, one window at a time");
        else deepEq([got, c.publishErrors], [[], 4], "with the broker gone each of the four is a publish error");
      }
    });

    t.test("a value waiting for the first connection, still under way at stop(), goes out once it connects", async () => {
      const host = new SimHost();
      host.network.latencyMs = 20;
      const broker = new MiniBroker(host, PORT);
      const db = await node(host, { clientId: "early", protocolVersion: version }, (b) =>
        b.configure<string>("out", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://early?qos=1").withSerializer(text.ser)),
      );
      db.produce("out", "first");
      await host.flush();
      eq(detail(db).connected, false, "not connected yet");
      const stopping = db.stop();
      await host.advance(200);
      await stopping;
      const c = db.records()[0]!.links[0]!.counters;
      deepEq([broker.publishes("early").map((p) => utf8Decode(p.payload)), c.sent, c.publishErrors], [["first"], 1, 0], "sent and acknowledged");
    });

    t.test("one link's full QoS 1 window does not hold back another link's QoS 0", async () => {
      const host = new SimHost();
      const broker = new MiniBroker(host, PORT);
      const db = await node(host, { clientId: "hol", protocolVersion: version, keepalive: 0, maxInflight: 1 }, (b) => {
        b.configure<string>("a", (r) => r.buffer(BufferCfg.spmcRing(8)).linkTo("mqtt://hol/a?qos=1").withSerializer(text.ser));
        b.configure<string>("b", (r) => r.buffer(BufferCfg.spmcRing(8)).linkTo("mqtt://hol/b?qos=0&timeoutMs=1000").withSerializer(text.ser));
      });
      await host.advance(10);
      broker.silent = true; // reads, never acknowledges
      db.produce("a", "a1");
      db.produce("a", "a2"); // waits: a window of one is full
      await host.advance(10);
      db.produce("b", "b1");
      await host.advance(2000);
      const b = db.records()[1]!.links[0]!.counters;
      deepEq([b.sent, b.publishErrors, broker.publishes("hol/b").length], [1, 0, 1], "b1 went out at once");
      eq(db.records()[0]!.links[0]!.counters.sent, 1, "while a2 still waits for room");
      const stopping = db.stop();
      await host.advance(3500);
      await stopping;
      eq(host.pendingTimers, 0, "stopping leaves no timer behind");
    });

    t.test("a linkFrom is up once its SUBACK grants the filter; a refused one stays down across reconnects", async () => {
      const host = new SimHost({ onLog: () => {} });
      const broker = new MiniBroker(host, PORT);
      broker.suback = (filter, qos) => (filter === "secret/#" ? 0x80 : qos);
      broker.subackDelayMs = 100;
      const db = await node(host, { clientId: "subs", protocolVersion: version, keepalive: 0, backoff: { initialMs: 50, maxMs: 50, jitter: 0 } }, (b) => {
        b.configure<string>("open", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("mqtt://open/+").withDeserializer(text.de));
        b.configure<string>("secret", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("mqtt://secret/#").withDeserializer(text.de));
      });
      const states = () => db.records().map((r) => r.links[0]!.state).join(" ");
      for (let round = 1; round <= 2; round++) {
        await host.advance(10);
        eq(detail(db).connected, true, `connected (${round})`);
        eq(states(), "down down", `before the SUBACK neither filter is in place (${round})`);
        await host.advance(100);
        eq(states(), "up down", `the SUBACK grants open/+ and refuses secret/# (${round})`);
        broker.dropAll();
        await host.advance(40);
      }
      await db.stop();
    });

    t.test("on a clean session, an unacknowledged QoS 1 publish goes again as a new publish, without DUP", async () => {
      const host = new SimHost({ seed: 4 });
      const broker = new MiniBroker(host, PORT);
      const { hub, sensor, sub } = await setup(host, broker, { backoff: { initialMs: 100, maxMs: 100, jitter: 0 } });
      broker.silent = true;
      sensor.produce("out", "unconfirmed");
      await host.advance(10);
      broker.silent = false;
      broker.dropAll();
      await host.advance(200);
      const sent = broker.publishes("s/a/v").map((p) => [utf8Decode(p.payload), p.dup]);
      deepEq(sent, [["unconfirmed", false], ["unconfirmed", false]], "sent again on the new session, DUP clear [MQTT-4.4.0-1]");
      eq((sensor.connectors()[0]!.detail as { inflight: number }).inflight, 0, "and acknowledged there");
      sub.close();
      await sensor.stop();
      await hub.stop();
    });

    t.test("the inflight ring grows from a wrapped tail, keeps its window and resends in order", () => {
      const { session, sent, connect, ack, pub, refused, ready } = harness(version, { clean: false });
      connect(0);
      sent();
      ok(pub("a") && pub("b"), "two taken");
      session.flush();
      const [a, b] = sent();
      ack(a!.id);
      ok(pub("c") && pub("d") && pub("e"), "three more: the ring unrolls from its tail and grows to 4");
      eq(pub("f"), false, "the fifth waits: window of 4 (b, c, d, e in flight)");
      eq(session.inflight, 4, "four in flight");
      session.flush();
      const later = sent();
      deepEq(later.map((p) => p.text), ["c", "d", "e"], "sent in order");
      ack(later[1]!.id); // d before c: a hole, the window stays full
      eq([session.inflight, pub("f")].join(), "3,false", "a hole keeps its place until the tail is acknowledged");
      const before = ready.count;
      ack(b!.id);
      ok(ready.count > before, "acknowledging the tail frees room and says so");
      ok(pub("f", 7), "now f is taken");
      session.closed(2);
      connect(3);
      session.flush();
      const resent = sent();
      deepEq(resent.map((p) => [p.text, p.dup]), [["c", true], ["e", true], ["f", true]], "unacknowledged ones resent in order with DUP");
      deepEq(resent.map((p) => p.id), [later[0]!.id, later[2]!.id, resent[2]!.id], "with their packet ids");
      if (version === 5) {
        session.receive(Uint8Array.of(0x40, 3, resent[0]!.id >> 8, resent[0]!.id & 255, 0x87), 4);
        deepEq(refused, [0], "a refusal is reported for its token");
      }
      session.stop();
    });

    t.test("a new CONNACK resets what the last one said: Server Keep Alive, Receive Maximum", () => {
      const h = harness(version, { keepaliveSec: 30, maxInflight: 8, clean: false });
      h.connect(0, version === 5 ? [0x13, 0, 0] : []); // keep alive off
      if (version === 5) eq(h.session.nextDeadline(), Number.POSITIVE_INFINITY, "the broker's keep alive 0: no ping");
      ok(["a", "b", "c", "d"].every((v) => h.pub(v)), "four in flight");
      h.session.flush();
      eq(h.sent().length, 4, "all four sent");
      h.session.closed(10);
      h.connect(20, version === 5 ? [0x21, 0, 2] : []); // Receive Maximum 2 this time
      eq(h.session.nextDeadline(), 20 + 30_000, "without Server Keep Alive the client's own 30 s apply again");
      h.session.flush();
      const resent = h.sent();
      const dup = (texts: string[]) => texts.map((t) => [t, true]);
      deepEq(resent.map((p) => [p.text, p.dup]), dup(version === 5 ? ["a", "b"] : ["a", "b", "c", "d"]), "resends stay within the new window");
      if (version === 5) {
        eq(h.pub("e"), false, "new publishes wait while resends are owed");
        h.ack(resent[0]!.id);
        h.session.flush();
        const c = h.sent();
        deepEq(c.map((p) => [p.text, p.dup]), dup(["c"]), "each acknowledgement lets one more resend go");
        h.ack(resent[1]!.id);
        h.session.flush();
        deepEq(h.sent().map((p) => [p.text, p.dup]), dup(["d"]), "the last one");
        eq(h.pub("e"), false, "c and d fill the window");
        h.ack(c[0]!.id);
        ok(h.pub("e"), "then new publishes go");
        eq(h.pub("f"), false, "within the window of 2 (d, e)");
      }
    });

    t.test("a QoS 1 publish the broker never acknowledges is sent on five connections, then dropped and reported", () => {
      const h = harness(version, { clean: false });
      h.connect(0);
      h.pub("poison", 9);
      h.pub("fine", 4);
      h.session.flush();
      const first = h.sent();
      h.ack(first[1]!.id); // the broker took "fine", then closed on "poison"
      for (let i = 1; i <= 4; i++) {
        h.session.closed(10 * i);
        h.connect(10 * i + 1);
        h.session.flush();
        deepEq(h.sent().map((p) => [p.text, p.dup]), [["poison", true]], `resent on connection ${i + 1}`);
      }
      deepEq(h.refused, [], "not given up yet");
      h.session.closed(100);
      h.connect(101);
      h.session.flush();
      deepEq([h.sent().length, h.refused, h.session.inflight], [0, [9], 0], "the sixth connection drops it and reports it for its link");
      ok(h.pub("next"), "and the link goes on");
    });

    t.test("a SUBACK must answer this connection's SUBSCRIBE: another packet id or another count of codes is a protocol error", () => {
      for (const [id, codes, what] of [[0x1234, [1, 1], "another packet id"], [1, [1], "one code for two filters"]] as const) {
        const h = harness(version, { subscriptions: [{ topic: "a/#", qos: 1 }, { topic: "b/#", qos: 1 }] });
        h.connect(0);
        h.session.flush();
        const subscribe = h.packets().find((p) => p.type === 8) as { packetId: number };
        eq(subscribe.packetId, 1, "the SUBSCRIBE has packet id 1");
        const body = [id >> 8, id & 255, ...(version === 5 ? [0] : []), ...codes];
        h.session.receive(Uint8Array.of(0x90, body.length, ...body), 1);
        deepEq([h.session.connected, h.session.stats.protocolErrors], [false, 1], what);
      }
    });

    t.test("a CONNACK that reports a session on a clean start is a protocol error", () => {
      const h = harness(version);
      h.session.start(0);
      h.session.opened(0);
      h.session.receive(version === 5 ? Uint8Array.of(0x20, 3, 1, 0, 0) : Uint8Array.of(0x20, 2, 1, 0), 0);
      deepEq([h.session.connected, h.session.stats.protocolErrors], [false, 1], "[MQTT-3.2.2-4]: the client closes");
      ok(/session on a clean start/.test(h.session.lastError?.message ?? ""), "and says why");
    });

    t.test("backoff starts over only after a connection that lasted backoff.maxMs", () => {
      const h = harness(version, { backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 } });
      const delays: number[] = [];
      let now = 0;
      const upFor = (ms: number) => {
        h.session.poll(now);
        h.session.opened(now);
        h.session.receive(version === 5 ? Uint8Array.of(0x20, 3, 0, 0, 0) : Uint8Array.of(0x20, 2, 0, 0), now);
        ok(h.session.connected, "connected");
        now += ms;
        h.session.closed(now);
        delays.push(h.session.nextDeadline() - now);
        now = h.session.nextDeadline();
      };
      h.session.start(now);
      for (const ms of [10, 10, 10, 1000, 10]) upFor(ms);
      deepEq(delays, [100, 200, 400, 100, 200], "a connection dropped soon after CONNACK keeps backing off; one that lasted starts over");
    });

    t.test("publishes a broker refuses in its CONNACK, or over the maximum packet size, are refused here", () => {
      const h = harness(version, { maxPacketSize: 200 });
      h.connect(0, version === 5 ? [0x24, 0, 0x25, 0] : []); // Maximum QoS 0, Retain Available 0
      const code = (f: () => unknown) => {
        try {
          f();
        } catch (err) {
          return (err as { code?: string }).code;
        }
        return "none";
      };
      eq(code(() => h.session.publish(1, "t", new Uint8Array(300), 0, false, 1)), "MQTT_TOO_LARGE", "over maxPacketSize");
      eq(code(() => h.session.publish(1, "t", new Uint8Array(1), 1, false, 1)), version === 5 ? "MQTT_QOS_NOT_SUPPORTED" : "none", "QoS 1 to a QoS 0 broker");
      eq(code(() => h.session.publish(1, "t", new Uint8Array(1), 0, true, 1)), version === 5 ? "MQTT_RETAIN_NOT_SUPPORTED" : "none", "retain where it is not available");
      ok(h.session.publish(1, "t", new Uint8Array(1), 0, false, 1), "a plain QoS 0 publish goes");
    });

    if (version === 5) {
      t.test("an inbound Topic Alias, which CONNECT did not allow, is a protocol error 0x94", () => {
        const h = harness(version);
        h.connect(0);
        h.packets();
        h.session.receive(Uint8Array.of(0x30, 10, 0, 3, 116, 47, 97, 3, 0x23, 0, 1, 120), 1);
        const disconnect = h.packets().find((p) => p.type === 14) as { reasonCode?: number } | undefined;
        deepEq([h.session.connected, h.session.stats.received, disconnect?.reasonCode], [false, 1, 0x94], "DISCONNECT with Topic Alias invalid [MQTT-3.2.2-17]");
      });

      t.test("an Assigned Client Identifier is sent in every later CONNECT, so the session can be resumed", () => {
        const h = harness(version, { clientId: "", clean: false, sessionExpirySec: 300 });
        h.connect(0, [0x12, 0, 3, 97, 98, 99]);
        const first = h.packets().find((p) => p.type === 1) as { clientId: string };
        h.session.closed(10);
        h.session.poll(h.session.nextDeadline());
        h.session.opened(20);
        const second = h.packets().find((p) => p.type === 1) as { clientId: string };
        deepEq([first.clientId, second.clientId], ["", "abc"], "empty, then the id the broker assigned");
      });

      t.test("the broker's Reason String is in the error of a DISCONNECT and of a refused CONNECT", () => {
        const h = harness(version);
        h.connect(0);
        h.session.receive(Uint8Array.of(0xe0, 9, 0x8e, 7, 0x1f, 0, 4, 107, 105, 99, 107), 1);
        eq(h.session.lastError?.message, "broker sent DISCONNECT (reason 0x8e): kick", "DISCONNECT");
        h.session.poll(h.session.nextDeadline());
        h.session.opened(10);
        h.session.receive(Uint8Array.of(0x20, 8, 0, 0x87, 5, 0x1f, 0, 2, 110, 111), 10);
        eq(h.session.lastError?.message, "broker refused the connection: not authorized (reason code 135): no", "CONNACK");
      });

      t.test("an unacknowledged QoS 1 publish the broker no longer takes is dropped and reported, the others resent", () => {
        for (const [props, what] of [[[0x24, 0], "QoS 0 only"], [[0x27, 0, 0, 0, 100], "packets up to 100 bytes"], [[0x25, 0], "no retained messages"]] as const) {
          const h = harness(version);
          h.connect(0);
          h.session.publish(7, "r/a", new Uint8Array(200), 1, true, 1);
          h.pub("ok", 8);
          h.session.flush();
          h.sent();
          h.session.closed(1);
          h.connect(2, [...props]);
          h.session.flush();
          const resent = h.sent().map((p) => p.text);
          deepEq([h.refused, h.session.inflight], what === "QoS 0 only" ? [[7, 8], 0] : [[7], 1], `${what}: refused for its link, the slot freed`);
          deepEq(resent, what === "QoS 0 only" ? [] : ["ok"], `${what}: what the broker takes is resent`);
        }
      });

      t.test("a 3.1.1 broker's refusal of an MQTT 5 CONNECT is reported in words, not as a malformed packet", () => {
        const h = harness(version);
        h.session.start(0);
        h.session.opened(0);
        h.session.receive(Uint8Array.of(0x20, 2, 0, 1, 0xff, 0xff), 1); // and garbage after it
        eq(h.session.connected, false, "not connected");
        ok(/unacceptable protocol version.*protocolVersion 4/.test(h.session.lastError?.message ?? ""), "the reason names the version");
        eq(h.session.stats.protocolErrors, 0, "not counted as a protocol error");
      });
    }
  };
}
