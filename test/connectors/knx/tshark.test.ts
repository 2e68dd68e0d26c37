/**
 * An independent decoder reads our bytes: the golden vectors, a datapoint telegram per
 * datapoint vector and random frames go into a pcap (Debian's text2pcap, one UDP
 * datagram each, port 3671), and tshark's KNXnet/IP and cEMI dissectors must read each
 * as the frame we mean (service, channel, sequence, status, endpoints, device, and for
 * cEMI the message code, addresses, control fields, APCI and data) with no malformed or
 * expert field. A deliberately broken datagram proves the check can fail.
 *
 * Needs tshark (`apt-get install tshark`, which brings text2pcap): skipped without it,
 * except when CI=true, where a missing tshark fails the run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, type TestContext } from "vitest";
import { groupTelegram } from "../../../src/connectors/knx/cemi.js";
import { encodeDpt } from "../../../src/connectors/knx/dpt.js";
import { encodeFrame } from "../../../src/connectors/knx/encode.js";
import { isLData, type Frame, type Hpai } from "../../../src/connectors/knx/frames.js";
import { hex } from "./codec.suite.js";
import { needTools } from "../../support/peers.js";
import { DPT_VECTORS } from "./dpt-vectors.js";
import { randomFrame, Rng, SERVICES } from "./random.js";
import { FRAME_VECTORS } from "./vectors.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-knx-pcap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function needTshark(ctx: TestContext): void {
  needTools(ctx, ["tshark", "text2pcap"], "tshark");
}

const FIELDS = [
  "knxip.service.type", "knxip.channel", "knxip.seqctr", "knxip.status", "knxip.ipaddr", "knxip.port", "knxip.knxaddr",
  "knxip.device.name", "knxip.macaddr", "knxip.mcaddr", "knxip.sernr", "cemi.mc", "cemi.sa", "cemi.da", "cemi.len",
  "cemi.prio", "cemi.hc", "cemi.at", "cemi.ft", "cemi.rep", "cemi.ac", "cemi.data", "cemi.ad", "_ws.expert.message",
  "_ws.malformed",
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

/** Writes one UDP datagram per frame to a pcap and returns tshark's fields for each. */
function dissect(name: string, datagrams: Uint8Array[]): Row[] {
  const input = path.join(dir, `${name}.txt`);
  const pcap = path.join(dir, `${name}.pcap`);
  writeFileSync(input, datagrams.map((d) => `0000 ${hex(d)}\n`).join("\n"));
  const made = spawnSync("text2pcap", ["-q", "-u", "3671,3671", input, pcap], { encoding: "utf8" });
  expect(made.status, made.stderr).toBe(0);
  const read = spawnSync("tshark", ["-r", pcap, "-T", "fields", "-E", "occurrence=a", ...FIELDS.flatMap((f) => ["-e", f])], { encoding: "utf8", maxBuffer: 1 << 26 });
  expect(read.status, read.stderr).toBe(0);
  return read.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const cells = line.split("\t");
      return Object.fromEntries(FIELDS.map((f, i) => [f, cells[i] ?? ""])) as Row;
    });
}

const num = (s: string) => (s === "" ? undefined : Number(s));
const nums = (s: string) => (s === "" ? [] : s.split(",").map(Number));

/** What tshark shows of a frame, in our terms: only the fields the frame has. */
function ours(f: Frame): Record<string, unknown> {
  const out: Record<string, unknown> = { service: f.service };
  const g = f as unknown as Partial<Record<string, unknown>>;
  if (g["channelId"] !== undefined) out["channel"] = g["channelId"];
  if (g["sequenceCounter"] !== undefined) out["seq"] = g["sequenceCounter"];
  if (g["status"] !== undefined) out["status"] = g["status"];
  if (g["deviceState"] !== undefined) out["status"] = g["deviceState"];
  const endpoints = ["discoveryEndpoint", "controlEndpoint", "dataEndpoint"].map((k) => g[k] as Hpai | undefined).filter((h) => h !== undefined);
  if (endpoints.length) {
    out["ip"] = endpoints.map((h) => h.address).join(",");
    out["port"] = endpoints.map((h) => h.port);
  }
  if (f.service === 0x0202 || f.service === 0x0204) {
    const d = f.device;
    Object.assign(out, { knxaddr: [d.address], name: d.name, mac: d.macAddress, mc: d.multicastAddress, serial: BigInt(`0x${d.serialNumber}`) });
  }
  if (f.service === 0x0205 && f.cri.address !== undefined) out["knxaddr"] = [f.cri.address];
  if (f.service === 0x0206 && f.crd?.address !== undefined) out["knxaddr"] = [f.crd.address];
  if ((f.service === 0x0420 || f.service === 0x0530) && isLData(f.cemi)) {
    const c = f.cemi;
    const data = c.data ?? new Uint8Array(0);
    const length = c.apci === undefined ? 0 : c.short ? 1 : 1 + data.length;
    Object.assign(out, {
      mc: c.messageCode, sa: c.source ?? 0, da: c.destination, len: length, prio: c.priority ?? 3, hc: c.hopCount ?? 6,
      at: (c.group ?? true) ? 1 : 0, ft: c.extended ?? length > 15 ? 0 : 1, rep: c.repeat ? 0 : 1,
    });
    if (c.apci !== undefined) out["ac"] = c.apci >> 6;
    if (c.apci !== undefined && c.apci < 0x0c0 && data.length) out[c.short ? "ad" : "data"] = c.short ? data[0] : hex(data).replace(/ /g, "");
  }
  return out;
}

/** The same fields as tshark read them, for the keys `want` has. */
function theirs(row: Row, want: Record<string, unknown>): Record<string, unknown> {
  const all: Record<string, unknown> = {
    service: num(row["knxip.service.type"]), channel: num(row["knxip.channel"]), seq: num(row["knxip.seqctr"]),
    status: num(row["knxip.status"]), ip: row["knxip.ipaddr"], port: nums(row["knxip.port"]), knxaddr: nums(row["knxip.knxaddr"]),
    name: row["knxip.device.name"], mac: row["knxip.macaddr"], mc: num(row["cemi.mc"]) ?? row["knxip.mcaddr"],
    serial: row["knxip.sernr"] ? BigInt(row["knxip.sernr"]) : undefined, sa: num(row["cemi.sa"]), da: num(row["cemi.da"]),
    len: num(row["cemi.len"]), prio: num(row["cemi.prio"]), hc: num(row["cemi.hc"]), at: num(row["cemi.at"]), ft: num(row["cemi.ft"]),
    rep: num(row["cemi.rep"]), ac: num(row["cemi.ac"]), ad: num(row["cemi.ad"]),
    // With additional information, cemi.data lists each block's data first: the APDU's is the last.
    data: row["cemi.data"].split(",").at(-1),
  };
  return Object.fromEntries(Object.keys(want).map((k) => [k, all[k]]));
}

function check(rows: Row[], frames: Frame[], names: string[]): void {
  expect(rows).toHaveLength(frames.length);
  rows.forEach((row, i) => {
    const want = ours(frames[i]!);
    expect(theirs(row, want), names[i]).toEqual(want);
    expect({ expert: row["_ws.expert.message"], malformed: row["_ws.malformed"] }, names[i]).toEqual({ expert: "", malformed: "" });
  });
}

describe("tshark decoding KNXnet/IP", () => {
  it("reads every golden vector as the frame we mean, with nothing malformed", (ctx) => {
    needTshark(ctx);
    const rows = dissect("vectors", FRAME_VECTORS.map((v) => new Uint8Array(v.bytes)));
    check(rows, FRAME_VECTORS.map((v) => v.frame), FRAME_VECTORS.map((v) => v.name));
  });

  it("reads a group write of every datapoint vector with the data and form we chose", (ctx) => {
    needTshark(ctx);
    const frames: Frame[] = DPT_VECTORS.map((v) => ({ service: 0x0530, cemi: groupTelegram(0x29, 0x080, 0x0a03, encodeDpt(v.dpt, v.value)) }));
    const rows = dissect("dpt", frames.map(encodeFrame));
    check(rows, frames, DPT_VECTORS.map((v) => `DPT ${v.dpt} ${String(v.value)}`));
    rows.forEach((row, i) => expect(row["cemi.ad"] !== "", `DPT ${DPT_VECTORS[i]!.dpt} travels short`).toBe(DPT_VECTORS[i]!.short));
  });

  it("reads 600 random frames of every service as we encoded them", (ctx) => {
    needTshark(ctx);
    const r = new Rng(0x4b4e58);
    const frames = Array.from({ length: 600 }, (_, i) => randomFrame(r, SERVICES[i % SERVICES.length]!, true));
    const rows = dissect("random", frames.map(encodeFrame));
    check(rows, frames, frames.map((f, i) => `random frame ${i}: ${hex(encodeFrame(f))}`));
  });

  it("flags a malformed datagram, so the checks above can fail", (ctx) => {
    needTshark(ctx);
    const good = new Uint8Array(FRAME_VECTORS[0]!.bytes);
    const bad = good.slice();
    bad[5]! += 1; // total length one past the datagram
    const rows = dissect("control", [good, bad]);
    expect(rows[0]!["_ws.malformed"] + rows[0]!["_ws.expert.message"]).toBe("");
    expect(rows[1]!["_ws.malformed"] + rows[1]!["_ws.expert.message"]).not.toBe("");
  });
});
