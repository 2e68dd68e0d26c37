/**
 * The KNX connector against knxd 0.14 (dummy backend) in a network namespace, with
 * knxtool as the independent client on knxd's bus: our tunnel's writes as knxtool's bus
 * monitor decodes them, knxtool's writes decoded by our linkFrom, group reads answered,
 * an explicit read, the same through routing multicast, and a knxd restart that the
 * tunnel survives on its own. Our side runs in an agent child in the second namespace,
 * so every datagram crosses a veth pair.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_IP, GW_IP, KnxLab, knxSkip, Lines, RECORDS, until, type Agent } from "./knx-peers.js";

const skip = knxSkip();
const lab = new KnxLab();


const values = (a: Agent, key: string) => a.events.filter((e) => e["ev"] === "value" && e["key"] === key);

describe.skipIf(skip)("knx connector against knxd", () => {
  let monitor: Lines;
  let listen: Lines;

  beforeAll(async () => {
    lab.setup();
    await lab.startKnxd();
    monitor = new Lines(lab.knxtoolProcess("vbusmonitor1"));
    listen = await lab.listen();
  }, 30_000);
  afterAll(() => lab.close(), 30_000);

  describe("tunnelling", () => {
    let a: Agent;
    beforeAll(async () => {
      a = await lab.agent(lab.dev);
      await a.request("aimdb", {
        options: { mode: "tunnel", gateway: `${GW_IP}:3671`, timeouts: { heartbeatMs: 2000, heartbeatTimeoutMs: 1000 }, backoff: { initialMs: 200, maxMs: 1000 } },
        records: RECORDS,
      });
      await a.event((e) => e["ev"] === "log" && /connected/.test(e["message"]), 10_000, "the tunnel to connect");
    }, 30_000);
    afterAll(async () => {
      await a?.request("stop").catch(() => {});
    });

    it("writes group values that knxd's bus monitor decodes with the right bytes and form", async () => {
      await a.request("produce", { key: "temp", value: 21.5 });
      await a.request("produce", { key: "switch", value: true });
      await a.request("produce", { key: "level", value: 10 });
      await listen.wait(/^Write from \S+ to 1\/2\/3: 0C 33 $/);
      await listen.wait(/^Write from \S+ to 1\/2\/10: 01$/);
      await monitor.wait(/to 1\/2\/10 .*A_GroupValue_Write \(small\) 01/);
      // DPT 5.001 10 % is one octet after the APCI, never the 6-bit form.
      await monitor.wait(/to 1\/2\/11 .*A_GroupValue_Write 1A/);
      expect(monitor.lines.some((l) => /to 1\/2\/11 .*\(small\)/.test(l)), "DPT 5 never goes short").toBe(false);
      const detail = await a.request("detail");
      const sent = detail.records.filter((r: any) => ["temp", "switch", "level"].includes(r.key)).map((r: any) => r.links[0].counters.sent);
      expect(sent, "each write was confirmed by knxd's L_Data.con").toEqual([1, 1, 1]);
    });

    it("receives knxtool's writes decoded with the link's datapoint type and source", async () => {
      lab.knxtool("groupswrite", "1/2/4", "1");
      lab.knxtool("groupwrite", "1/2/5", "0c", "1a");
      const lamp = await a.event((e) => e["key"] === "lamp", 5000, "the lamp value");
      const sp = await a.event((e) => e["key"] === "setpoint", 5000, "the setpoint value");
      expect([lamp["value"], lamp["service"], lamp["short"]]).toEqual([true, "write", true]);
      expect([sp["value"], sp["service"], sp["short"], sp["hex"]]).toEqual([21, "write", false, "0c1a"]);
      expect(sp["source"]).toMatch(/^0\.0\.\d+$/);
    });

    it("answers a GroupValue_Read with the record's current value (respond=true)", async () => {
      lab.knxtool("groupwrite", "1/2/6", "0c", "33");
      await a.event((e) => e["key"] === "status", 5000, "the status value");
      lab.knxtool("groupread", "1/2/6");
      await listen.wait(/^Response from \S+ to 1\/2\/6: 0C 33 $/, 5000);
      const detail = await a.request("detail");
      expect(detail.connectors[0].detail.readsAnswered).toBe(1);
    });

    it("polls a group address with read() and resolves with the response", async () => {
      const p = a.request("read", { ga: "1/2/7", timeoutMs: 5000 });
      await listen.wait(/^Read from \S+ to 1\/2\/7$/, 5000);
      lab.knxtool("groupsresponse", "1/2/7", "1");
      const v = await p;
      expect([v.destination, v.data, v.short]).toEqual(["1/2/7", "01", true]);
    });

    it("reconnects by itself when knxd restarts, and traffic resumes", async () => {
      const connects = () => a.events.filter((e) => e["ev"] === "log" && /: connected/.test(e["message"])).length;
      const before = connects();
      await lab.stopKnxd();
      await a.event((e) => e["ev"] === "log" && e["level"] === "warn", 15_000, "the tunnel to notice");
      await lab.startKnxd();
      const fresh = await lab.listen();
      await until(() => connects() > before, 20_000, "a new connection");
      await a.request("produce", { key: "temp", value: 22.5 });
      await fresh.wait(/^Write from \S+ to 1\/2\/3: 0C 65 $/, 5000);
      lab.knxtool("groupswrite", "1/2/4", "0");
      await a.event((e) => e["key"] === "lamp" && e["value"] === false, 5000, "a value after the restart");
      const detail = await a.request("detail");
      expect(detail.connectors[0].detail.connects).toBeGreaterThanOrEqual(2);
    }, 60_000);
  });

  describe("routing", () => {
    let a: Agent;
    beforeAll(async () => {
      a = await lab.agent(lab.dev);
      await a.request("aimdb", { options: { mode: "routing", individualAddress: "1.1.250", interface: DEV_IP }, records: RECORDS });
    }, 30_000);
    afterAll(async () => {
      await a?.request("stop").catch(() => {});
    });

    it("sends ROUTING_INDICATIONs that knxd routes to its bus, from our individual address", async () => {
      const l = await lab.listen();
      await a.request("produce", { key: "temp", value: -5 });
      await a.request("produce", { key: "level", value: 100 });
      await l.wait(/^Write from 1\.1\.250 to 1\/2\/3: 86 0C $/, 5000);
      await l.wait(/^Write from 1\.1\.250 to 1\/2\/11: FF $/, 5000);
    });

    it("receives knxd's multicast and answers reads", async () => {
      lab.knxtool("groupwrite", "1/2/5", "0c", "33");
      const sp = await a.event((e) => e["key"] === "setpoint" && e["value"] === 21.5, 5000, "the routed setpoint");
      expect(sp["service"]).toBe("write");
      lab.knxtool("groupwrite", "1/2/6", "0d", "01");
      await a.event((e) => e["key"] === "status" && values(a, "status").length > 0, 5000, "the routed status");
      const l = await lab.listen();
      lab.knxtool("groupread", "1/2/6");
      await l.wait(/^Response from 1\.1\.250 to 1\/2\/6: 0D 01 $/, 5000);
    });
  });
});
