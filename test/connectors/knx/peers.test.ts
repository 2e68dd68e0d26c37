/**
 * The KNX connector against independent implementations, across a veth pair between
 * two namespaces: knxultimate's KNXIPTunnelServer as the gateway, npm `knx` (knx.js) as
 * another client of knxd, and tshark decoding a capture (dumpcap inside the namespace)
 * of our tunnelling and routing traffic.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_IP, GW_IP, KnxLab, knxSkip, Lines, RECORDS, until, type Agent } from "./knx-peers.js";

const skip = knxSkip("tshark", "dumpcap");
const lab = new KnxLab();


const tunnelTo = (extra: Record<string, unknown> = {}) => ({ mode: "tunnel", gateway: `${GW_IP}:3671`, ...extra });

describe.skipIf(skip)("knx connector against independent peers", () => {
  beforeAll(() => lab.setup(), 30_000);
  afterAll(() => lab.close(), 30_000);

  describe("knxultimate KNXIPTunnelServer as the gateway", () => {
    let server: Agent;
    beforeAll(async () => {
      server = await lab.agent(lab.gw);
      await server.request("tunnelserver", { options: { listenHost: GW_IP, listenPort: 3671, advertiseHost: GW_IP, assignedIndividualAddress: "1.1.200", loglevel: "error" } });
    }, 30_000);
    afterAll(async () => {
      await server?.request("tunnelserver.stop").catch(() => {});
    });

    it("carries our writes to it and its telegrams to our linkFrom", async () => {
      const a = await lab.agent(lab.dev);
      // The emulator acknowledges but never sends L_Data.con: the ACK must close a write.
      await a.request("aimdb", { options: tunnelTo({ timeouts: { confirmMs: 0 } }), records: RECORDS });
      await server.event((e) => e["ev"] === "sessionUp", 10_000, "our tunnel session");
      await a.request("produce", { key: "temp", value: 21.5 });
      await a.request("produce", { key: "switch", value: true });
      await a.request("produce", { key: "level", value: 10 });
      const t = await server.event((e) => e["ev"] === "raw" && e["destination"] === "1/2/3", 5000, "the temperature write");
      const s = await server.event((e) => e["ev"] === "raw" && e["destination"] === "1/2/10", 5000, "the switch write");
      const l = await server.event((e) => e["ev"] === "raw" && e["destination"] === "1/2/11", 5000, "the level write");
      expect([t["event"], t["hex"], t["bits"]]).toEqual(["GroupValue_Write", "0c33", 16]);
      expect([s["hex"], s["bits"]], "DPT 1 in the 6-bit form").toEqual(["01", 6]);
      expect([l["hex"], l["bits"]], "DPT 5.001 as a whole octet").toEqual(["1a", 8]);
      await server.request("tunnelserver.inject", { ga: "1/2/5", hex: "0c33", short: false, source: "1.1.9" });
      await server.request("tunnelserver.inject", { ga: "1/2/4", hex: "01", short: true, source: "1.1.9" });
      const sp = await a.event((e) => e["key"] === "setpoint", 5000, "the injected setpoint");
      const lamp = await a.event((e) => e["key"] === "lamp", 5000, "the injected lamp value");
      expect([sp["value"], sp["source"], lamp["value"], lamp["short"]]).toEqual([21.5, "1.1.9", true, true]);
      const detail = await a.request("detail");
      expect(detail.records.find((r: any) => r.key === "temp").links[0].counters).toMatchObject({ sent: 1, publishErrors: 0 });
      await a.request("stop");
      await server.event((e) => e["ev"] === "sessionDown", 5000, "the session to end with our DISCONNECT_REQUEST");
      await a.close();
    });

    it("refuses a write that is never confirmed when the default 3 s confirmation applies", async () => {
      const a = await lab.agent(lab.dev);
      await a.request("aimdb", { options: tunnelTo(), records: RECORDS });
      await a.event((e) => e["ev"] === "log" && /connected/.test(e["message"]), 10_000, "the tunnel");
      await a.request("produce", { key: "temp", value: 1 });
      await server.event((e) => e["ev"] === "raw" && e["hex"] === "0064", 5000, "the write");
      const t0 = Date.now();
      let counters: any;
      while (Date.now() - t0 < 6000) {
        counters = (await a.request("detail")).records.find((r: any) => r.key === "temp").links[0].counters;
        if (counters.publishErrors > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(counters, "KNX_CONFIRM_TIMEOUT after 3 s").toMatchObject({ sent: 0, publishErrors: 1 });
      await a.request("stop");
      await a.close();
    });
  });

  describe("npm knx (knx.js) as another client of knxd", () => {
    let js: Agent;
    let a: Agent;
    beforeAll(async () => {
      await lab.startKnxd();
      js = await lab.agent(lab.dev);
      await js.request("knxjs", { options: { ipAddr: GW_IP, ipPort: 3671, forceTunneling: true, interface: lab.devIf } });
      a = await lab.agent(lab.dev);
      await a.request("aimdb", { options: tunnelTo(), records: RECORDS });
      await a.event((e) => e["ev"] === "log" && /connected/.test(e["message"]), 10_000, "our tunnel");
    }, 40_000);
    afterAll(async () => {
      await js?.request("knxjs.stop").catch(() => {});
      await a?.request("stop").catch(() => {});
      await lab.stopKnxd();
    });

    it("exchanges group values with knx.js through knxd, both ways", async () => {
      await a.request("produce", { key: "temp", value: 21.5 });
      const seen = await js.event((e) => e["ev"] === "knxjs" && e["dest"] === "1/2/3", 5000, "knx.js to see our write");
      expect([seen["evt"], seen["hex"]]).toEqual(["GroupValue_Write", "0c33"]);
      await js.request("knxjs.write", { ga: "1/2/5", value: 21.5, dpt: "DPT9.001" });
      await js.request("knxjs.write", { ga: "1/2/4", value: 1, dpt: "DPT1.001" });
      const sp = await a.event((e) => e["key"] === "setpoint", 5000, "knx.js's setpoint");
      const lamp = await a.event((e) => e["key"] === "lamp", 5000, "knx.js's lamp value");
      expect([sp["value"], lamp["value"]]).toEqual([21.5, true]);
    });
  });

  describe("tshark reading a capture of our traffic", () => {
    it("decodes our tunnelling and routing frames with nothing malformed, as the telegrams we meant", async () => {
      await lab.startKnxd();
      const pcap = path.join(lab.dir, "knx.pcapng");
      const cap = new Lines(spawn("ip", ["netns", "exec", lab.dev, "dumpcap", "-i", lab.devIf, "-f", "udp port 3671", "-w", pcap], { stdio: ["ignore", "pipe", "pipe"] }));
      lab.track(cap.child);
      await cap.wait(/Capturing on/, 10_000);
      const t = await lab.agent(lab.dev);
      await t.request("aimdb", { options: tunnelTo(), records: RECORDS });
      await t.event((e) => e["ev"] === "log" && /connected/.test(e["message"]), 10_000, "our tunnel");
      await t.request("produce", { key: "temp", value: 21.5 });
      await t.request("produce", { key: "switch", value: true });
      lab.knxtool("groupwrite", "1/2/6", "0c", "33");
      await t.event((e) => e["key"] === "status", 5000, "the status value");
      lab.knxtool("groupread", "1/2/6");
      await new Promise((r) => setTimeout(r, 500));
      await t.request("stop");
      const r = await lab.agent(lab.dev);
      await r.request("aimdb", { options: { mode: "routing", individualAddress: "1.1.250", interface: DEV_IP }, records: RECORDS });
      await r.request("produce", { key: "level", value: 10 });
      await new Promise((res) => setTimeout(res, 500));
      await r.request("stop");
      await cap.stop();
      await lab.stopKnxd();

      const fields = ["ip.src", "knxip.service.type", "cemi.mc", "cemi.sa", "cemi.da", "cemi.ac", "cemi.data", "cemi.ad", "_ws.expert.message", "_ws.malformed"];
      const out = spawnSync("tshark", ["-r", pcap, "-Y", "kip", "-T", "fields", "-E", "occurrence=a", ...fields.flatMap((f) => ["-e", f])], { encoding: "utf8" });
      expect(out.status, out.stderr).toBe(0);
      const rows = out.stdout.split("\n").filter(Boolean).map((l) => Object.fromEntries(l.split("\t").map((v, i) => [fields[i]!, v])) as Record<string, string>);
      const ours = rows.filter((x) => x["ip.src"] === DEV_IP);
      expect(ours.length, "our frames were captured").toBeGreaterThan(5);
      for (const x of rows) expect([x["_ws.expert.message"], x["_ws.malformed"]], `nothing malformed: ${JSON.stringify(x)}`).toEqual(["", ""]);
      const services = new Set(ours.map((x) => Number(x["knxip.service.type"])));
      for (const s of [0x0205, 0x0420, 0x0421, 0x0209, 0x0530]) expect(services.has(s), `we sent service 0x${s.toString(16)}`).toBe(true);
      const telegram = (mc: number, da: number, ac: number) => ours.find((x) => Number(x["cemi.mc"]) === mc && Number(x["cemi.da"]) === da && Number(x["cemi.ac"]) === ac);
      const ga = (a: number, b: number, c: number) => (a << 11) | (b << 8) | c;
      expect(telegram(0x11, ga(1, 2, 3), 2)?.["cemi.data"], "tunnelled GroupValue_Write 21.5 °C to 1/2/3").toBe("0c33");
      expect(telegram(0x11, ga(1, 2, 10), 2)?.["cemi.ad"], "tunnelled GroupValue_Write true to 1/2/10, short").toBe("0x01");
      expect(telegram(0x11, ga(1, 2, 6), 1)?.["cemi.data"], "tunnelled GroupValue_Response 21.5 °C to 1/2/6").toBe("0c33");
      const routed = telegram(0x29, ga(1, 2, 11), 2);
      expect([routed?.["cemi.sa"], routed?.["cemi.data"], routed?.["cemi.ad"]], "routed GroupValue_Write 10 % from 1.1.250, long").toEqual(["0x11fa", "1a", ""]);
    }, 60_000);
  });
});
