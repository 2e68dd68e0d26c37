/**
 * The KNX connector with its tunnelling and routing engines on the sim host's virtual
 * clock and in-memory UDP, against the mini gateway and against each other. Runs under
 * vitest and inside XS.
 */
import { AimDbBuilder, BufferCfg, type AimDb } from "../../../src/index.js";
import { knx, knxDpt, type KnxConnector, type KnxOptions } from "../../../src/connectors/knx/index.js";
import { decodeFrame } from "../../../src/connectors/knx/decode.js";
import { encodeFrame } from "../../../src/connectors/knx/encode.js";
import { isLData, type LData } from "../../../src/connectors/knx/frames.js";
import { SimHost } from "../../../hosts/sim/index.js";
import { MiniGateway } from "../../support/mini-gateway.js";
import { deepEq, eq, ok, rejectsCode } from "../../support/check.js";
import type { Suite } from "../../support/suite.js";
import { stopsPromptly } from "../../support/prompt-stop.js";

const GW = "127.0.0.1:3671";
const temp = knxDpt("9.001");
const sw = knxDpt("1.001");
const pct = knxDpt("5.001");
const ga = (main: number, middle: number, sub: number) => (main << 11) | (middle << 8) | sub;
const hex = (b: Uint8Array | undefined) => Array.from(b ?? [], (x) => x.toString(16).padStart(2, "0")).join(" ");

async function node(host: SimHost, connector: KnxConnector, declare: (b: AimDbBuilder) => void): Promise<AimDb> {
  const b = new AimDbBuilder(host).withConnector(connector);
  declare(b);
  const db = await b.build();
  await db.run();
  return db;
}

const detail = (db: AimDb) => db.connectors()[0]!.detail as Record<string, unknown>;
const tunnel = (o: Partial<KnxOptions> = {}) => knx({ mode: "tunnel", gateway: GW, ...o } as KnxOptions);
const services = (gw: MiniGateway, service: number) => gw.seen.filter((s) => s.frame.service === service);

/** A db writing `out` (9.001) to 1/2/3 and reading `in` (1.001) from 1/2/4, answering reads of 1/2/4. */
async function pair(host: SimHost, c: KnxConnector): Promise<AimDb> {
  return node(host, c, (b) => {
    b.configure<number>("out", (r) => r.buffer(BufferCfg.spmcRing(16)).linkTo("knx://1/2/3?dpt=9.001").withSerializer(temp.serialize));
    b.configure<boolean>("in", (r) =>
      r.buffer(BufferCfg.singleLatest()).linkFrom("knx://1/2/4?dpt=1.001&respond=true").withDeserializer(sw.deserialize).withSerializer(sw.serialize),
    );
  });
}

export const knxEngineSuite: Suite = (t) => {
  t.test("a tunnel connects in NAT mode and a write closes with the gateway's L_Data.con", async () => {
    const host = new SimHost({ seed: 3 });
    const gw = new MiniGateway(host);
    const db = await pair(host, tunnel());
    await host.advance(10);
    const connect = services(gw, 0x0205)[0]!.frame as { controlEndpoint: { address: string; port: number }; cri: { layer: number } };
    deepEq([connect.controlEndpoint.address, connect.controlEndpoint.port, connect.cri.layer], ["0.0.0.0", 0, 2], "CONNECT_REQUEST asks for a link-layer tunnel in NAT mode");
    eq(db.records()[0]!.links[0]!.state, "up", "the link is up once connected");
    eq(detail(db)["address"], "1.1.250", "the tunnel's individual address comes from the CRD");
    db.produce("out", 21.5);
    await host.advance(10);
    const w = gw.telegrams[0]!;
    deepEq([w.messageCode, w.destination, w.apci, w.short, hex(w.data)], [0x11, ga(1, 2, 3), 0x80, false, "0c 33"], "an L_Data.req GroupValue_Write of 21.5 °C in the long form");
    eq(db.records()[0]!.links[0]!.counters.sent, 1, "the publish resolved once confirmed");
    await db.stop();
    await host.advance(10);
    eq(services(gw, 0x0209).length, 1, "stop() sends DISCONNECT_REQUEST");
    eq(gw.clients, 0, "the gateway released the channel");
    eq(host.pendingTimers, 0, "stopping leaves no timer behind");
    eq(host.udpNetwork.sockets, 1, "stopping closes the socket (only the gateway's is left)");
  });

  t.test("1-bit values travel in the short form, 1-octet DPT 5 values in the long form", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const db = await node(host, tunnel(), (b) => {
      b.configure<boolean>("s", (r) => r.buffer(BufferCfg.mailbox()).linkTo("knx://1/0/1?dpt=1.001").withSerializer(sw.serialize));
      b.configure<number>("p", (r) => r.buffer(BufferCfg.mailbox()).linkTo("knx://1/0/2?dpt=5.001").withSerializer(pct.serialize));
    });
    await host.advance(10);
    db.produce("s", true);
    db.produce("p", 10);
    await host.advance(50);
    const by = (d: number) => gw.telegrams.find((x) => x.destination === d)!;
    deepEq([by(ga(1, 0, 1)).short, hex(by(ga(1, 0, 1)).data)], [true, "01"], "DPT 1 in the 6 APCI bits");
    deepEq([by(ga(1, 0, 2)).short, hex(by(ga(1, 0, 2)).data)], [false, "1a"], "DPT 5.001 10 % as one octet after the APCI, even though it would fit 6 bits");
    await db.stop();
  });

  t.test("group writes and responses reach linkFrom decoded; a repeated request is acknowledged and dropped", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const db = await pair(host, tunnel());
    const sub = db.subscribe<boolean>("in");
    await host.advance(10);
    gw.indicate(0x80, ga(1, 2, 4), Uint8Array.of(1), true, 0x1105, 2);
    await host.advance(10);
    eq(sub.tryNext(), true, "the write arrives decoded as DPT 1.001");
    eq(sub.tryNext(), undefined, "the repetition is not applied twice");
    deepEq(gw.acked, [0, 0], "both copies of the request are acknowledged");
    eq(detail(db)["duplicates"], 1, "the repetition is counted");
    gw.indicate(0x40, ga(1, 2, 4), Uint8Array.of(0), false);
    await host.advance(10);
    eq(sub.tryNext(), false, "a GroupValue_Response in the long form arrives too");
    deepEq(gw.acked, [0, 0, 1], "and is acknowledged");
    const raw = encodeFrame({ service: 0x0420, channelId: 1, sequenceCounter: 9, cemi: { messageCode: 0x29, destination: ga(1, 2, 4), apci: 0x80, data: Uint8Array.of(1), short: true } });
    gw.sendRaw(raw);
    await host.advance(10);
    eq(sub.tryNext(), undefined, "an out-of-sequence request is discarded");
    eq(gw.acked.includes(9), false, "…without an ACK");
    gw.sendRaw(Uint8Array.of(0x06, 0x10, 0x04, 0x20, 0x00, 0x40)); // a header that claims 64 bytes
    gw.sendRaw(Uint8Array.of(0xde, 0xad));
    gw.indicate(0x80, ga(1, 2, 4), Uint8Array.of(0), true);
    await host.advance(10);
    eq(detail(db)["protocolErrors"], 2, "two datagrams that are not frames are counted");
    eq(sub.tryNext(), false, "and dropped: the next telegram still arrives");
    sub.close();
    await db.stop();
  });

  t.test("a GroupValue_Read is answered from the record's current value only with respond=true", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const db = await pair(host, tunnel());
    await host.advance(10);
    gw.indicate(0x00, ga(1, 2, 4), undefined, false);
    await host.advance(10);
    eq(gw.telegrams.length, 0, "no value yet: no answer");
    gw.indicate(0x80, ga(1, 2, 4), Uint8Array.of(1), true);
    await host.advance(10);
    gw.indicate(0x00, ga(1, 2, 4), undefined, false);
    gw.indicate(0x00, ga(1, 2, 3), undefined, false);
    await host.advance(10);
    const answers = gw.telegrams.filter((x) => x.apci === 0x40);
    deepEq(answers.map((x) => [x.destination, x.short, hex(x.data)]), [[ga(1, 2, 4), true, "01"]], "one GroupValue_Response for 1/2/4, none for 1/2/3 (no respond)");
    eq(detail(db)["readsAnswered"], 1, "answers are counted");
    await db.stop();
  });

  t.test("a linkTo with respond=true answers with its last value; read=true asks the bus at every connect", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const db = await node(host, tunnel({ backoff: { initialMs: 100, jitter: 0 } }), (b) => {
      b.configure<number>("t", (r) => r.buffer(BufferCfg.spmcRing(4)).linkTo("knx://2/0/1?dpt=9.001&respond=true").withSerializer(temp.serialize));
      b.configure<number>("s", (r) => r.buffer(BufferCfg.singleLatest()).linkFrom("knx://2/0/2?dpt=9.001&read=true").withDeserializer(temp.deserialize));
    });
    await host.advance(10);
    const reads = () => gw.telegrams.filter((x) => x.apci === 0x00 && x.destination === ga(2, 0, 2)).length;
    eq(reads(), 1, "a GroupValue_Read of 2/0/2 once connected");
    db.produce("t", 19.5);
    await host.advance(10);
    gw.indicate(0x00, ga(2, 0, 1), undefined, false);
    await host.advance(10);
    const answer = gw.telegrams.find((x) => x.apci === 0x40)!;
    deepEq([answer.destination, hex(answer.data)], [ga(2, 0, 1), hex(temp.serialize(19.5))], "the read of 2/0/1 is answered with 19.5");
    gw.disconnectAll();
    await host.advance(500);
    eq(reads(), 2, "and again after a reconnect");
    await db.stop();
  });

  t.test("read() polls a group address and resolves with the response", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const c = tunnel({ timeouts: { readMs: 500 } });
    await rejectsCode(c.read("1/2/9"), "KNX_NOT_RUNNING", "read() needs a running database");
    const db = await pair(host, c);
    await host.advance(10);
    const p = c.read("1/2/9");
    await host.advance(10);
    const req = gw.telegrams[0]!;
    deepEq([req.apci, req.destination], [0x00, ga(1, 2, 9)], "a GroupValue_Read goes out");
    gw.indicate(0x40, ga(1, 2, 9), Uint8Array.of(0x0c, 0x33), false, 0x1107);
    await host.advance(10);
    const v = await p;
    deepEq([v.source, v.destination, hex(v.data), temp.deserialize(v.data)], ["1.1.7", "1/2/9", "0c 33", 21.5], "the response's source, address and data");
    const late = c.read("1/2/9");
    await host.advance(600);
    await rejectsCode(late, "KNX_READ_TIMEOUT", "no response within readMs");
    await db.stop();
  });

  t.test("an unacknowledged request is repeated once, then the tunnel reconnects and sends it again", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const db = await pair(host, tunnel({ backoff: { initialMs: 500, jitter: 0 } }));
    await host.advance(10);
    gw.dropAcks = 1;
    db.produce("out", 1);
    await host.advance(1500);
    const reqs = services(gw, 0x0420);
    eq(reqs.length, 2, "sent twice");
    ok(reqs[1]!.at - reqs[0]!.at >= 1000, "the repetition waits TUNNELLING_REQUEST_TIMEOUT (1 s)");
    eq((reqs[1]!.frame as { sequenceCounter: number }).sequenceCounter, 0, "with the same sequence counter");
    eq(gw.telegrams.length, 1, "and reaches the bus once");
    gw.dropAcks = 2;
    db.produce("out", 2);
    await host.advance(2100);
    eq(detail(db)["connected"], false, "a second silence loses the connection");
    ok(/KNX_ACK_TIMEOUT|TUNNELLING_ACK/.test(String(detail(db)["lastError"])), "the reason names the missing ACK");
    await host.advance(1000);
    eq(detail(db)["connected"], true, "reconnected after the backoff");
    eq(gw.telegrams.length, 2, "the value went out on the new connection");
    eq((services(gw, 0x0420).at(-1)!.frame as { sequenceCounter: number }).sequenceCounter, 0, "which starts its sequence again");
    await db.stop();
  });

  t.test("a missing or negative L_Data.con refuses the publish", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const db = await pair(host, tunnel());
    await host.advance(10);
    gw.noConfirm = true;
    db.produce("out", 1);
    await host.advance(2900);
    eq(db.records()[0]!.links[0]!.counters.publishErrors, 0, "still waiting before 3 s");
    await host.advance(200);
    eq(db.records()[0]!.links[0]!.counters.publishErrors, 1, "refused after the confirm timeout");
    eq(detail(db)["connected"], true, "the connection stays");
    gw.noConfirm = false;
    gw.confirmError = true;
    db.produce("out", 2);
    await host.advance(10);
    eq(db.records()[0]!.links[0]!.counters.publishErrors, 2, "an L_Data.con with the error flag refuses it");
    gw.confirmError = false;
    db.produce("out", 3);
    await host.advance(10);
    eq(db.records()[0]!.links[0]!.counters.sent, 1, "the next one goes through");
    await db.stop();
  });

  t.test("heartbeats every 60 s; a silent gateway is given up after 3 attempts and rejoined when back", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const db = await pair(host, tunnel({ backoff: { initialMs: 1000, maxMs: 4000, jitter: 0 } }));
    await host.advance(130_000);
    const beats = services(gw, 0x0207).map((s) => s.at);
    deepEq(beats.map((t) => Math.round(t / 1000)), [60, 120], "CONNECTIONSTATE_REQUEST at 60 s and 120 s");
    gw.silent = true;
    const t0 = host.now();
    while (detail(db)["connected"] && host.now() - t0 < 200_000) await host.advance(500);
    const took = host.now() - t0;
    ok(took >= 60_000 && took <= 81_000, `given up ${took} ms after going silent: the 60 s interval plus 2 × 10 s`);
    eq(services(gw, 0x0207).filter((s) => s.at > t0).length, 3, "three attempts");
    ok(/CONNECTIONSTATE/.test(String(detail(db)["lastError"])), "the reason names the heartbeat");
    await host.advance(60_000);
    const attempts = services(gw, 0x0205).filter((s) => s.at > t0).map((s) => s.at);
    const gaps = attempts.slice(1).map((a, i) => a - attempts[i]!);
    ok(gaps.length >= 3 && gaps[1]! > gaps[0]! && gaps.every((g) => g <= 4000 + 10_000), `reconnect attempts back off: ${gaps.join(", ")} ms after the 10 s connect timeouts`);
    gw.silent = false;
    gw.restart();
    await host.advance(20_000);
    eq(detail(db)["connected"], true, "rejoined once the gateway answers");
    db.produce("out", 5);
    await host.advance(10);
    eq(gw.telegrams.length, 1, "and traffic resumes");
    await db.stop();
  });

  t.test("a restarted gateway (unknown channel) or its DISCONNECT_REQUEST makes the tunnel reconnect", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    const db = await pair(host, tunnel({ backoff: { initialMs: 200, jitter: 0 } }));
    await host.advance(10);
    gw.restart();
    db.produce("out", 1);
    await host.advance(10);
    eq(detail(db)["connected"], false, "an ACK with E_CONNECTION_ID loses the connection");
    await host.advance(500);
    eq(detail(db)["connected"], true, "reconnected");
    eq(gw.telegrams.length, 1, "the value went out on the new channel");
    gw.disconnectAll();
    await host.advance(10);
    eq(services(gw, 0x020a).length, 1, "the tunnel answers with DISCONNECT_RESPONSE");
    eq(detail(db)["connected"], false, "a DISCONNECT_REQUEST closes the tunnel");
    await host.advance(500);
    eq(detail(db)["connects"], 3, "and it connects again");
    await db.stop();
  });

  t.test("a refused connection is retried with growing delays and reported", async () => {
    const host = new SimHost();
    const gw = new MiniGateway(host);
    gw.refuse = 0x24;
    const db = await pair(host, tunnel({ backoff: { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0.2 } }));
    await host.advance(40_000);
    const at = services(gw, 0x0205).map((s) => s.at);
    const gaps = at.slice(1).map((a, i) => a - at[i]!);
    ok(gaps[0]! >= 800 && gaps[0]! <= 1200 && gaps[1]! >= 1600 && gaps[1]! <= 2400 && gaps.at(-1)! <= 9600, `delays ${gaps.join(", ")} ms grow ×2 with ±20 % jitter up to 8 s`);
    ok(/0x24 \(no more connections accepted\)/.test(String(detail(db)["lastError"])), "the status is named");
    eq(db.records()[0]!.links[0]!.state, "down", "the links are down");
    await db.stop();
    eq(host.pendingTimers, 0, "stopping while refused leaves no timer");
  });

  t.test("stopping with the gateway unreachable refuses the queued write at once and counts it", async () => {
    const logs: string[] = [];
    const host = new SimHost({ onLog: (_level, message) => logs.push(message) });
    const db = await pair(host, tunnel()); // no gateway answers
    db.produce("out", 20);
    await host.advance(10);
    await stopsPromptly(host, db, logs);
    eq(db.records()[0]!.links[0]!.counters.publishErrors, 1, "the write that could not be sent is a publish error");
  });

  t.test("routing: indications on the multicast group, our echo dropped, reads answered", async () => {
    const host = new SimHost();
    const a = await pair(host, knx({ mode: "routing", individualAddress: "1.1.250" }));
    const b = await node(host, knx({ mode: "routing", individualAddress: "1.1.251" }), (x) => {
      x.configure<number>("t", (r) => r.buffer(BufferCfg.spmcRing(8)).linkFrom("knx://1/2/3?dpt=9.001").withDeserializer(temp.deserialize));
      x.configure<boolean>("s", (r) => r.buffer(BufferCfg.mailbox()).linkTo("knx://1/2/4?dpt=1.001").withSerializer(sw.serialize));
    });
    const frames: LData[] = [];
    const spy = host.udpNetwork.open({ port: 3671, multicast: [{ group: "224.0.23.12" }], onReadable: (bytes) => {
      const f = decodeFrame(bytes);
      if (f.service === 0x0530 && isLData(f.cemi)) frames.push(f.cemi);
    } });
    const temps = b.subscribe<number>("t");
    const ins = a.subscribe<boolean>("in");
    await host.advance(10);
    a.produce("out", -3.5);
    b.produce("s", true);
    await host.advance(10);
    eq(temps.tryNext(), -3.5, "router b receives a's write");
    eq(ins.tryNext(), true, "router a receives b's write");
    deepEq(frames.map((f) => [f.messageCode, f.source, f.destination]), [[0x29, 0x11fa, ga(1, 2, 3)], [0x29, 0x11fb, ga(1, 2, 4)]], "L_Data.ind from each router's own address");
    eq(detail(a)["echoes"], 1, "a's own datagram came back and was dropped");
    spy.close();
    const sender = host.udpNetwork.open({ port: 40000, onReadable: () => {} });
    sender.send(Uint8Array.of(0x06, 0x10, 0x05, 0x30, 0x00, 0x07, 0x29), "224.0.23.12", 3671); // a cEMI cut short
    sender.close();
    a.produce("out", 4);
    await host.advance(10);
    eq(detail(b)["protocolErrors"], 1, "a datagram that is not a frame is counted");
    eq(temps.tryNext(), 4, "and dropped: the next indication still arrives");
    const c = knx({ mode: "routing", individualAddress: "1.1.252" });
    const third = await node(host, c, () => {});
    await host.advance(10);
    const v = await (async () => {
      const p = c.read("1/2/4");
      await host.advance(10);
      return p;
    })();
    deepEq([v.source, hex(v.data), v.short], ["1.1.250", "01", true], "a answers the read of 1/2/4 with its current value");
    temps.close();
    ins.close();
    for (const db of [a, b, third]) await db.stop();
    eq(host.udpNetwork.sockets, 0, "every socket closed");
  });

  t.test("routing: at most 50 telegrams per second, and ROUTING_BUSY pauses sending", async () => {
    const host = new SimHost();
    const at: number[] = [];
    const spy = host.udpNetwork.open({ port: 3671, multicast: [{ group: "224.0.23.12" }], onReadable: (bytes) => {
      if (decodeFrame(bytes).service === 0x0530) at.push(host.now());
    } });
    const db = await node(host, knx({ mode: "routing", individualAddress: "1.1.250" }), (b) =>
      b.configure<number>("n", (r) => r.buffer(BufferCfg.spmcRing(256)).linkTo("knx://2/0/0?dpt=7.001").withSerializer(knxDpt("7.001").serialize)),
    );
    await host.advance(10);
    for (let i = 0; i < 110; i++) db.produce("n", i);
    await host.advance(3000);
    eq(at.length, 110, "every value is sent");
    const span = at.at(-1)! - at[0]!;
    ok(span >= 1950 && span <= 2050, `110 telegrams with a burst of 10 take about 2 s at 50/s, took ${span} ms`);
    const busy = encodeFrame({ service: 0x0532, deviceState: 0, waitTimeMs: 100, control: 0 });
    spy.send(busy, "224.0.23.12", 3671);
    await host.advance(5);
    const t0 = host.now();
    at.length = 0;
    db.produce("n", 1);
    await host.advance(300);
    ok(at.length === 1 && at[0]! - t0 >= 90 && at[0]! - t0 <= 160, `a telegram waits out the 100 ms busy time plus at most 50 ms: ${at[0]! - t0} ms`);
    spy.send(encodeFrame({ service: 0x0531, deviceState: 0, lostMessages: 7 }), "224.0.23.12", 3671);
    await host.advance(5);
    deepEq([detail(db)["busy"], detail(db)["lostMessages"]], [1, 7], "ROUTING_BUSY and ROUTING_LOST_MESSAGE are counted");
    spy.close();
    await db.stop();
  });

  t.test("links are checked at build: group address, datapoint type, options", async () => {
    const host = new SimHost();
    const b = new AimDbBuilder(host).withConnector(tunnel());
    b.configure<number>("a", (r) => r.buffer(BufferCfg.mailbox()).linkTo("knx://1/2/3?dpt=99.001").withSerializer(temp.serialize));
    b.configure<number>("b", (r) => r.buffer(BufferCfg.mailbox()).linkTo("knx://32/0/0?dpt=9.001").withSerializer(temp.serialize));
    b.configure<number>("c", (r) => r.buffer(BufferCfg.mailbox()).linkTo("knx://1/2/3").withSerializer(temp.serialize));
    b.configure<number>("d", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("knx://1/2/3?qos=1").withDeserializer(temp.deserialize));
    b.configure<number>("e", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("knx://1/2/3?respond=true").withDeserializer(temp.deserialize));
    try {
      await b.build();
      ok(false, "bad links must not build");
    } catch (err) {
      const problems = (err as { problems: { key: string; message: string }[] }).problems;
      deepEq(problems.map((p) => p.key), ["a", "b", "c", "d", "e"], "each bad link is reported");
      ok(/unknown datapoint type "99.001"/.test(problems[0]!.message), `the unknown DPT is named: ${problems[0]!.message}`);
    }
    let threw = "";
    try {
      knxDpt("4.001");
    } catch (err) {
      threw = (err as { code: string }).code;
    }
    eq(threw, "KNX_DPT_UNKNOWN", "knxDpt refuses an unknown type at once");
  });
};
