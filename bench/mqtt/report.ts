/**
 * The MQTT bench's markdown section: what was run and how, one table per throughput
 * setting, the latency table, the size table, and whether the goals were met.
 */
import os from "node:os";
import { CLIENTS, type Client } from "./clients.js";
import { BATCH, int, LAT_MS, LAT_RATE, LAT_REPS, LAT_WARM_MS, ms3, PAYLOAD_BYTES, RING, THROUGHPUT_N, THROUGHPUT_REPS, WARM_N } from "./common.js";
import type { LatencyRow, Measured, ThroughputRow } from "./runs.js";
import type { Sizes } from "./size.js";

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function spread(xs: number[], fmt: (x: number) => string): string {
  return `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
}

const LABEL: Readonly<Record<Client, string>> = { raw: "baseline: raw socket", ours: "aimdb-ts", "mqtt.js": "mqtt.js 5" };

function throughputTable(rows: ThroughputRow[], broker: boolean): string[] {
  const out = [
    `| QoS | client | msg/s (median) | spread | ours ÷ mqtt.js |${broker ? " mosquitto busy | lagged |" : " lagged |"}`,
    `|---:|---|---:|---:|---:|${broker ? "---:|---:|" : "---:|"}`,
  ];
  for (const qos of [0, 1] as const) {
    const row = (c: Client) => rows.find((r) => r.qos === qos && r.client === c)!;
    const mps = (c: Client) => median(row(c).runs.map((r) => r.mps));
    for (const c of CLIENTS) {
      const r = row(c);
      const ours = c === "ours";
      const busy = median(r.runs.map((x) => x.brokerBusy));
      const busyCell = broker ? ` ${Number.isNaN(busy) ? "?" : `${(100 * busy).toFixed(0)}%`} |` : "";
      out.push(
        `| ${qos} | ${LABEL[c]} | ${ours ? `**${int(mps(c))}**` : int(mps(c))} | ${spread(r.runs.map((x) => x.mps), int)} | ` +
          `${ours ? `**${(mps("ours") / mps("mqtt.js")).toFixed(2)}**` : ""} |${busyCell} ${ours ? r.lagged : ""} |`,
      );
    }
  }
  return out;
}

function latencyTable(rows: LatencyRow[]): string[] {
  const out = [
    "| QoS | client (publisher → subscriber) | messages | p50 ms | p99 ms | max ms | p99 spread | > 1 ms | lost |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const p50 = median(r.runs.map((x) => x.p50));
    const p99s = r.runs.map((x) => x.p99);
    const max = Math.max(...r.runs.map((x) => x.max));
    const count = r.runs.reduce((a, x) => a + x.count, 0);
    const over = r.runs.reduce((a, x) => a + x.over1 * x.count, 0) / count;
    const lost = r.runs.reduce((a, x) => a + x.lost, 0);
    const name = r.client === "raw" ? "baseline: raw socket → raw socket" : r.client === "ours" ? "aimdb-ts linkTo → aimdb-ts linkFrom + tap" : "mqtt.js 5 → mqtt.js 5";
    const p99 = ms3(median(p99s));
    out.push(`| ${r.qos} | ${name} | ${int(count)} | ${ms3(p50)} | ${r.client === "ours" ? `**${p99}**` : p99} | ${ms3(max)} | ${spread(p99s, ms3)} | ${(100 * over).toFixed(1)}% | ${lost} |`);
  }
  return out;
}

function sizeTable(s: Sizes): string[] {
  const kb = (n: number) => `${int(n)} (${(n / 1024).toFixed(1)} KB)`;
  return [
    "| bundle | minified bytes | gzip -9 bytes |",
    "|---|---:|---:|",
    `| aimdb-ts MQTT connector alone: src/connectors/mqtt/index.ts with the core modules it imports | **${kb(s.connector)}** | ${int(s.connectorGzip)} |`,
    `| the same with src/core/* external (imported, not bundled) | ${kb(s.ownCode)} | ${int(s.ownCodeGzip)} |`,
    `| what the connector adds to an app bundle that has the core: (src/index.ts + connector) − src/index.ts | ${kb(s.added)} | ${int(s.addedGzip)} |`,
    `| for scale: the aimdb-ts core, src/index.ts | ${kb(s.core)} | ${int(s.coreGzip)} |`,
    s.mqttjs === undefined
      ? "| mqtt.js 5 browser bundle | not in node_modules | |"
      : `| mqtt.js 5 browser bundle, node_modules/mqtt/dist/mqtt.min.js as shipped | **${kb(s.mqttjs)}** | ${int(s.mqttjsGzip!)} |`,
  ];
}

/** The markdown section for the figures `m` measured and the sizes `s`. */
export function mqttReport(m: Measured, s: Sizes): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const rate = (rows: ThroughputRow[], client: Client, qos: 0 | 1) => median(rows.find((r) => r.qos === qos && r.client === client)!.runs.map((x) => x.mps));
  const ratio = (rows: ThroughputRow[], qos: 0 | 1, client: Client = "ours") => rate(rows, client, qos) / rate(rows, "mqtt.js", qos);
  const p99 = (qos: 0 | 1, client: Client = "ours") => median(m.latency.find((r) => r.client === client && r.qos === qos)!.runs.map((x) => x.p99));
  const verdict = (ok: boolean) => (ok ? "met" : "missed");
  // Each verdict comes with the raw socket's figure: what no client can beat through this broker on this machine.
  const through = (rows: ThroughputRow[], qos: 0 | 1, where: string) =>
    `${verdict(ratio(rows, qos) >= 2)} ${where} (${ratio(rows, qos).toFixed(2)}; raw socket ${ratio(rows, qos, "raw").toFixed(2)})`;
  const goals = [
    ...([0, 1] as const).map(
      (qos) =>
        `QoS ${qos} throughput ours ≥ 2 × mqtt.js: ${through(m.pairs, qos, "end to end through mosquitto")}, ` +
        `${through(m.solo, qos, "publishing to mosquitto")}, ${through(m.throughput, qos, "through mosquitto to a subscriber")}, ` +
        `${verdict(ratio(m.ceiling, qos) >= 2)} against the null broker (${ratio(m.ceiling, qos).toFixed(2)})`,
    ),
    ...([0, 1] as const).map((qos) => `QoS ${qos} p99 ≤ 1 ms: ${verdict(p99(qos) <= 1)} (${ms3(p99(qos))} ms; raw socket ${ms3(p99(qos, "raw"))} ms)`),
    `size ≤ 9 KB: ${verdict(s.connector <= 9216)} (${int(s.connector)} bytes)`,
  ];
  const flow =
    `The bench hands over ${BATCH} messages, yields a turn (setImmediate), and waits while more than ${RING - BATCH} are not yet taken ` +
    `(ours: produced − the link's \`sent\`; mqtt.js: \`publish\` callbacks outstanding, i.e. not yet written at QoS 0, not yet acknowledged at QoS 1; ` +
    `raw: bytes in the socket's buffer at QoS 0, PUBACKs outstanding at QoS 1).`;
  return [
    "## aimdb-ts MQTT: throughput and latency against mosquitto, size",
    "",
    `Node ${process.version} on ${cpu}, ${os.cpus().length} cores; mosquitto ${m.broker.version} on 127.0.0.1 started by the bench ` +
      `(\`${m.broker.settings.join("`, `")}\`, logging up to \`information\`), one broker with the same settings for every client. ` +
      `MQTT 3.1.1, ${PAYLOAD_BYTES}-byte payloads, each client with its defaults: aimdb-ts maxInflight 1024 (its default), one socket write per burst and TCP no-delay (the Node host sets it ` +
      `when the connector asks); mqtt.js 5 no inflight limit, Nagle on. "baseline: raw socket" is a minimal hand-written client: ` +
      `pre-encoded packets on a plain \`net\` socket, no library; it shows what the broker and this machine allow. ` +
      `Everything timed runs in one fresh Node process (${m.seconds.toFixed(1)} s).`,
    "",
    "### Publish throughput to mosquitto",
    "",
    `aimdb-ts: an AimDb on the Node host with a record \`spmcRing(${RING})\` and \`.linkTo("mqtt://bench/solo/…?qos=Q")\`, whose serializer returns ` +
      `one reused ${PAYLOAD_BYTES}-byte array; values go in with \`db.produce\`. mqtt.js: \`connectAsync\`, then \`client.publish(topic, payload, {qos}, cb)\`. ` +
      `raw: ${BATCH} packets per \`socket.write\`. ${flow} No client subscribes to these topics: a run ends when mosquitto has read every message, ` +
      "which the publisher learns on its own connection, where the broker reads packets in order: raw sends a PINGREQ and waits for the PINGRESP, " +
      "aimdb-ts and mqtt.js publish one QoS 1 message to another topic and wait for its PUBACK; at QoS 1 every PUBACK is in as well. " +
      `${int(THROUGHPUT_N[0])} messages per run at QoS 0, ${int(THROUGHPUT_N[1])} at QoS 1; ` +
      `one warm-up run of ${int(WARM_N)} per client, then ${THROUGHPUT_REPS} runs per client, rotating which goes first; median and min–max spread. ` +
      `"mosquitto busy": mosquitto's CPU time over the run's wall time (from /proc; 100% = one core, mosquitto is single-threaded). ` +
      `"lagged" is the aimdb-ts link's counter after all runs (0: the ring was never overrun).`,
    "",
    ...throughputTable(m.solo, true),
    "",
    "### End-to-end throughput through mosquitto: each client's publisher to its own subscriber",
    "",
    "The same publishers, each to a topic that a subscriber of the same client takes at the run's QoS, as a user of that client would run it: " +
      `aimdb-ts: another AimDb with \`.linkFrom("mqtt://bench/pair/…?qos=Q")\` into a \`spmcRing(${4 * RING})\` record and a \`tap\` that counts; ` +
      "mqtt.js: another mqtt.js client, `subscribeAsync` and `on(\"message\")` counting; raw: a raw socket that counts PUBLISH headers (and answers QoS 1 " +
      "with a PUBACK per message). A run ends when the subscriber has every message and every PUBACK is in.",
    "",
    ...throughputTable(m.pairs, true),
    "",
    "### Publish throughput through mosquitto to a subscriber",
    "",
    "The same publishers, publishing to topics one subscriber takes: a raw socket subscribed to `bench/x/#` at QoS 0 that counts PUBLISH headers, " +
      "the same for every publisher. A run ends when it has received all messages and, at QoS 1, every PUBACK is in. Here mosquitto routes every " +
      "message to a second connection as well, and its one thread is the ceiling for every client, the raw socket included.",
    "",
    ...throughputTable(m.throughput, true),
    "",
    "### Publish throughput against a null broker (the clients' own ceiling)",
    "",
    "The same publishers and flow control, against a worker thread in the bench process that accepts MQTT connections, answers CONNECT and " +
      "QoS 1 PUBLISH at once, counts PUBLISH packets and forwards nothing; a run ends when it has counted them all (and every PUBACK is in). " +
      "No broker limits these rows: they show what each client can push through one socket on this machine.",
    "",
    ...throughputTable(m.ceiling, false),
    "",
    "### End-to-end latency, publisher → mosquitto → subscriber",
    "",
    "Each client end to end, publisher and subscriber in this process: aimdb-ts is one AimDb publishing (`linkTo`) and another AimDb " +
      "receiving (`linkFrom` + `tap`); mqtt.js is one mqtt.js publisher and one mqtt.js subscriber (`on(\"message\")`); raw is two raw sockets " +
      `(one write per message, no-delay). ${int(LAT_RATE)} messages/s on a 1 ms timer (two or three per tick), ${LAT_MS / 1000} s per run, ` +
      `${LAT_REPS} runs per client and QoS after a ${LAT_WARM_MS} ms warm-up, rotating the order. The payload carries \`performance.now()\` ` +
      "taken when the value is handed to the client (`db.produce` / `client.publish` / `socket.write`); the subscriber's callback subtracts it. " +
      "The subscriber subscribes at the same QoS. p50 and p99: median over runs; max: over all runs; p99 spread: min–max over runs; " +
      "\"> 1 ms\": share of all messages slower than 1 ms.",
    "",
    ...latencyTable(m.latency),
    "",
    "### Minified size",
    "",
    "esbuild: bundle, minify, ESM, platform neutral, es2022. mqtt.js's file is its browser build as published (it carries its own Buffer, " +
      "stream and WebSocket shims), measured as is.",
    "",
    ...sizeTable(s),
    "",
    `Goals: ${goals.join("; ")}.`,
  ].join("\n");
}
