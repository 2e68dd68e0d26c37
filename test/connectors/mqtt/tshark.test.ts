/**
 * An independent decoder reads our bytes: the golden vectors of each version go into a
 * pcap (Debian's text2pcap, one TCP segment per packet, CONNECT first so Wireshark knows
 * the version) and tshark's MQTT dissector must decode each as its type with no
 * malformed or expert field. Packets a client sends are freshly encoded by
 * `encodePacket`; packets only a broker sends (the encoder refuses those) are the
 * vectors' bytes. A deliberately broken packet proves the check can fail.
 *
 * Needs tshark (`apt-get install tshark`, which brings text2pcap): skipped without it,
 * except when CI=true, where a missing tshark fails the run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, type TestContext } from "vitest";
import { encodePacket } from "../../../src/connectors/mqtt/encode.js";
import { hex } from "./codec.suite.js";
import { needTools } from "../../support/peers.js";
import { sentByClient, VECTORS, type Vector } from "./vectors.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-mqtt-pcap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function needTshark(ctx: TestContext): void {
  needTools(ctx, ["tshark", "text2pcap"], "tshark");
}

interface Row {
  msgtype: string;
  topic: string;
  expert: string;
  malformed: string;
}

/** Writes one TCP segment per packet to a pcap and returns tshark's fields for each frame. */
function dissect(name: string, packets: Uint8Array[]): Row[] {
  const input = path.join(dir, `${name}.txt`);
  const pcap = path.join(dir, `${name}.pcap`);
  writeFileSync(input, packets.map((p) => `0000 ${hex(p)}\n`).join("\n"));
  const made = spawnSync("text2pcap", ["-q", "-T", "1883,40000", input, pcap], { encoding: "utf8" });
  expect(made.status, made.stderr).toBe(0);
  const fields = ["mqtt.msgtype", "mqtt.topic", "_ws.expert.message", "_ws.malformed"].flatMap((f) => ["-e", f]);
  const read = spawnSync("tshark", ["-r", pcap, "-d", "tcp.port==1883,mqtt", "-T", "fields", ...fields], { encoding: "utf8" });
  expect(read.status, read.stderr).toBe(0);
  return read.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [msgtype = "", topic = "", expert = "", malformed = ""] = line.split("\t");
      return { msgtype, topic, expert, malformed };
    });
}

describe("tshark decoding the golden vectors", () => {
  for (const version of [4, 5] as const) {
    it(`decodes every MQTT ${version === 5 ? "5" : "3.1.1"} vector as its type, with nothing malformed`, (ctx) => {
      needTshark(ctx);
      const vectors: Vector[] = VECTORS.filter((v) => v.version === version);
      expect(vectors[0]!.packet.type, "the capture starts with a CONNECT").toBe(1);
      const rows = dissect(`v${version}`, vectors.map((v) => new Uint8Array(v.bytes)));
      expect(rows).toHaveLength(vectors.length);
      rows.forEach((row, i) => {
        const v = vectors[i]!;
        expect(row, v.name).toEqual({ ...row, msgtype: String(v.packet.type), expert: "", malformed: "" });
        if (v.packet.type === 3 && v.packet.topic) expect(row.topic, v.name).toBe(v.packet.topic);
      });
    });

    it(`decodes freshly encoded MQTT ${version === 5 ? "5" : "3.1.1"} client packets, with broker vectors between them, in one TCP segment`, (ctx) => {
      needTshark(ctx);
      const vectors = VECTORS.filter((v) => v.version === version);
      const all = vectors.map((v) => (sentByClient(v) ? encodePacket(v.packet, version) : new Uint8Array(v.bytes)));
      expect(vectors.filter(sentByClient).length, "most packets are freshly encoded").toBeGreaterThan(vectors.length / 2);
      const segment = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
      all.reduce((at, p) => (segment.set(p, at), at + p.length), 0);
      const rows = dissect(`v${version}-segment`, [segment]);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.msgtype.split(","), "every packet of the segment is dissected").toEqual(vectors.map((v) => String(v.packet.type)));
      expect(rows[0]!.expert + rows[0]!.malformed).toBe("");
    });
  }

  it("flags a malformed packet, so the checks above can fail", (ctx) => {
    needTshark(ctx);
    const connect = new Uint8Array(VECTORS.find((v) => v.version === 4)!.bytes);
    // PUBLISH whose topic length (5) runs past its remaining length (3).
    const rows = dissect("control", [connect, new Uint8Array([0x30, 0x03, 0x00, 0x05, 0x61])]);
    expect(rows[0]!.malformed).toBe("");
    expect(rows[1]!.malformed).not.toBe("");
  });
});
