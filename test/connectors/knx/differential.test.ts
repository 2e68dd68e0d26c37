/**
 * Differential tests against two independent KNX stacks from npm: `knx` 2.5 (knx.js)
 * and `knxultimate` 5.4.
 *
 * Datapoint types 1, 5.001, 9.001 and 14 go through both libraries' dptlib both ways.
 * Frames go through knxultimate's KNXProtocol: its group telegrams (tunnelling requests
 * and routing indications, short and long form) decode here to what it meant, ours
 * parse there to what we meant, and its connection frames are byte for byte ours.
 *
 * Where they differ from us, the test pins the difference instead of hiding it: both
 * libraries truncate the 9.x mantissa instead of rounding it (0.29 °C → 0.28 °C), and
 * write the top of the 9.x range with a wrapped mantissa (670760.96 → 83FFh, which
 * reads as -10.25). The random 9.x values therefore compare within one step, and ours
 * must never be the further of the two from the value asked.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { decodeFrame } from "../../../src/connectors/knx/decode.js";
import { decodeDpt, encodeDpt } from "../../../src/connectors/knx/dpt.js";
import { encodeFrame } from "../../../src/connectors/knx/encode.js";
import { isLData, NAT_HPAI, type Frame, type LData } from "../../../src/connectors/knx/frames.js";
import { groupTelegram } from "../../../src/connectors/knx/cemi.js";
import { hex } from "./codec.suite.js";
import { Rng } from "./random.js";

const require = createRequire(import.meta.url);
type Loose = any; // the libraries' untyped objects
const dptlibs: [string, Loose][] = [["knx", require("knx/src/dptlib")], ["knxultimate", require("knxultimate/build/dptlib")]];
const KNXProtocol: Loose = require("knxultimate/build/protocol/KNXProtocol").default;
const CEMIFactory: Loose = require("knxultimate/build/protocol/cEMI/CEMIFactory").default;
const KNXAddress: Loose = require("knxultimate/build/protocol/KNXAddress").default;
const KNXDataBuffer: Loose = require("knxultimate/build/protocol/KNXDataBuffer").default;
const TunnelCRI: Loose = require("knxultimate/build/protocol/TunnelCRI").default;
const HPAI: Loose = require("knxultimate/build/protocol/HPAI").default;

function theirEncode(lib: Loose, dpt: string, value: unknown): Uint8Array {
  const apdu: Loose = {};
  lib.populateAPDU(value, apdu, dpt);
  return Uint8Array.from(apdu.data);
}

const resolved = new Map<string, Loose>();

function theirDecode(lib: Loose, dpt: string, data: Uint8Array): unknown {
  const key = `${dptlibs.findIndex(([, l]) => l === lib)} ${dpt}`;
  if (!resolved.has(key)) resolved.set(key, lib.resolve(dpt));
  return lib.fromBuffer(Buffer.from(data), resolved.get(key));
}

/** The 9.x step at the exponent that encodes `value`: 0.01 × 2^E. */
function f16Step(value: number): number {
  let e = 0;
  while (Math.abs(value) * 100 > 2047 * 2 ** e) e++;
  return 0.01 * 2 ** e;
}

describe("datapoint types against knx and knxultimate", () => {
  for (const [name, lib] of dptlibs) {
    it(`agrees with ${name} on DPT 1 both ways`, () => {
      for (const value of [true, false]) {
        const ours = encodeDpt("1.001", value);
        expect(hex(theirEncode(lib, "1.001", value))).toBe(hex(ours.data));
        expect(theirDecode(lib, "1.001", ours.data)).toBe(value);
      }
    });

    it(`agrees with ${name} on DPT 5.001: the same octet for every half percent, the same percent within 0.5 for every octet`, () => {
      for (let percent = 0; percent <= 100; percent += 0.5) {
        expect(hex(theirEncode(lib, "5.001", percent)), `${percent} %`).toBe(hex(encodeDpt("5.001", percent).data));
      }
      for (let octet = 0; octet <= 255; octet++) {
        const ours = decodeDpt("5.001", Uint8Array.of(octet), false);
        const theirs = theirDecode(lib, "5.001", Uint8Array.of(octet)) as number;
        expect(Math.abs(ours - theirs), `octet ${octet}: ${ours} % here, ${theirs} % there`).toBeLessThanOrEqual(0.5);
      }
    });

    it(`reads every 9.x code as ${name} does`, () => {
      for (let raw = 0; raw <= 0xffff; raw++) {
        if (raw === 0x7fff) continue; // invalid data: NaN here, a number there
        const data = Uint8Array.of(raw >> 8, raw & 0xff);
        const ours = decodeDpt("9.001", data, false);
        const theirs = theirDecode(lib, "9.001", data);
        if (theirs !== ours) expect.fail(`9.x ${hex(data)}: ${ours} here, ${String(theirs)} in ${name}`);
      }
    });

    it(`writes random 9.001 values at least as close as ${name} does, and within one step of it`, () => {
      const r = new Rng(0x9001);
      let same = 0;
      for (let i = 0; i < 3000; i++) {
        const value = Math.round((r.next() * 2 - 1) * 10 ** r.int(0, 5) * 100) / 100;
        const ours = decodeDpt("9.001", encodeDpt("9.001", value).data, false);
        const theirs = decodeDpt("9.001", theirEncode(lib, "9.001", value), false);
        const step = f16Step(value);
        expect(Math.abs(ours - value), `${value} reads back within half a step`).toBeLessThanOrEqual(step / 2 + 1e-9);
        expect(Math.abs(ours - value), `${value}: ${ours} here, ${theirs} in ${name}`).toBeLessThanOrEqual(Math.abs(theirs - value) + 1e-9);
        expect(Math.abs(ours - theirs), `${value}: ${ours} here, ${theirs} in ${name}`).toBeLessThanOrEqual(step + 1e-9);
        if (ours === theirs) same++;
      }
      expect(same, "most values encode alike").toBeGreaterThan(2000);
      // Pinned: the truncation, and the wrapped top of the range.
      expect(hex(theirEncode(lib, "9.001", 0.29))).toBe("00 1c");
      expect(hex(encodeDpt("9.001", 0.29).data)).toBe("00 1d");
      expect(hex(theirEncode(lib, "9.001", 670760.96))).toBe("83 ff");
    });

    it(`agrees with ${name} on DPT 14 for random float32 bit patterns`, () => {
      const r = new Rng(14);
      const f = new Float32Array(1);
      const bits = new Uint32Array(f.buffer);
      for (let i = 0; i < 3000; i++) {
        bits[0] = (r.next() * 2 ** 32) >>> 0;
        const value = f[0]!;
        if (!Number.isFinite(value)) continue;
        const ours = encodeDpt("14.056", value).data;
        expect(hex(theirEncode(lib, "14.056", value)), String(value)).toBe(hex(ours));
        expect(theirDecode(lib, "14.056", ours)).toBe(decodeDpt("14.056", ours, false));
      }
    });
  }
});

const DPTS = ["1.001", "5.001", "9.001", "14.056"] as const;

function randomValue(r: Rng, dpt: (typeof DPTS)[number]): boolean | number {
  switch (dpt) {
    case "1.001": return r.bool();
    case "5.001": return r.int(0, 100);
    case "9.001": return r.int(-2730, 10000) / 10;
    default: return Math.fround((r.next() - 0.5) * 1e6);
  }
}

const ACTIONS = [["read", 0x000], ["response", 0x040], ["write", 0x080]] as const;

describe("frames against knxultimate's KNXProtocol", () => {
  it("decodes knxultimate's group telegrams as it meant them", () => {
    const r = new Rng(0xc0de);
    for (let i = 0; i < 1000; i++) {
      const dpt = r.pick(DPTS);
      const value = randomValue(r, dpt);
      const [action, apci] = r.pick(ACTIONS);
      const { short, data } = encodeDpt(dpt, value);
      const source = r.int(0, 0xffff);
      const destination = r.int(1, 0xffff);
      const routed = r.bool();
      const make = routed ? CEMIFactory.newLDataIndicationMessage : CEMIFactory.newLDataRequestMessage;
      const buffer = action === "read" ? null : new KNXDataBuffer(Buffer.from(data), { type: { type: short } });
      const cemi = make.call(CEMIFactory, action, new KNXAddress(source, 0), new KNXAddress(destination, 1), buffer);
      const channel = r.int(0, 255);
      const seq = r.int(0, 255);
      const bytes: Buffer = routed ? KNXProtocol.newKNXRoutingIndication(cemi).toBuffer() : KNXProtocol.newKNXTunnelingRequest(channel, seq, cemi).toBuffer();
      const f = decodeFrame(new Uint8Array(bytes));
      const label = `${action} ${dpt} ${String(value)}: ${bytes.toString("hex")}`;
      if ((f.service !== 0x0420 && f.service !== 0x0530) || !isLData(f.cemi)) return expect.fail(label);
      if (f.service === 0x0420) expect([f.channelId, f.sequenceCounter], label).toEqual([channel, seq]);
      const c: LData = f.cemi;
      expect([c.messageCode, c.source, c.destination, c.group, c.apci], label).toEqual([routed ? 0x29 : 0x11, source, destination, true, apci]);
      if (action !== "read") {
        expect(c.short, label).toBe(short);
        expect(decodeDpt(dpt, c.data!, c.short!), label).toEqual(decodeDpt(dpt, data, short));
      }
    }
  });

  it("has knxultimate parse our group telegrams as we meant them", () => {
    const r = new Rng(0xfeed);
    for (let i = 0; i < 1000; i++) {
      const dpt = r.pick(DPTS);
      const [, apci] = r.pick(ACTIONS);
      const value = apci ? encodeDpt(dpt, randomValue(r, dpt)) : undefined;
      const cemi = { ...groupTelegram(r.bool() ? 0x29 : 0x11, apci, r.int(1, 0xffff), value), source: r.int(0, 0xffff) };
      const frame: Frame = r.bool() ? { service: 0x0530, cemi } : { service: 0x0420, channelId: r.int(0, 255), sequenceCounter: r.int(0, 255), cemi };
      const bytes = encodeFrame(frame);
      const { knxHeader, knxMessage } = KNXProtocol.parseMessage(Buffer.from(bytes));
      const label = hex(bytes);
      expect(knxHeader.service_type, label).toBe(frame.service);
      if (frame.service === 0x0420) expect([knxMessage.channelID, knxMessage.seqCounter], label).toEqual([frame.channelId, frame.sequenceCounter]);
      const m = knxMessage.cEMIMessage;
      expect([m.msgCode, m.srcAddress.get(), m.dstAddress.get(), m.npdu.action], label).toEqual([cemi.messageCode, cemi.source, cemi.destination, apci >> 6]);
      if (value) expect(hex(m.npdu.dataValue), label).toBe(hex(value.data));
    }
  });

  it("writes the connection frames knxultimate writes, byte for byte", () => {
    const same = (theirs: Loose, ours: Frame) => expect(hex(encodeFrame(ours)), theirs.constructor.name).toBe(hex(theirs.toBuffer()));
    same(KNXProtocol.newKNXConnectRequest(new TunnelCRI(0x02)), { service: 0x0205, controlEndpoint: NAT_HPAI, dataEndpoint: NAT_HPAI, cri: { connectionType: 4, layer: 2 } });
    same(KNXProtocol.newKNXConnectionStateRequest(21), { service: 0x0207, channelId: 21, controlEndpoint: NAT_HPAI });
    same(KNXProtocol.newKNXDisconnectRequest(21), { service: 0x0209, channelId: 21, controlEndpoint: NAT_HPAI });
    same(KNXProtocol.newKNXDisconnectResponse(21, 0), { service: 0x020a, channelId: 21, status: 0 });
    same(KNXProtocol.newKNXTunnelingACK(1, 200, 0x04), { service: 0x0421, channelId: 1, sequenceCounter: 200, status: 0x04 });
    same(KNXProtocol.newKNXSearchRequest(new HPAI("192.168.1.20", 50100)), { service: 0x0201, discoveryEndpoint: { protocol: 1, address: "192.168.1.20", port: 50100 } });
    same(KNXProtocol.newKNXDescriptionRequest(new HPAI("192.168.1.20", 50100)), { service: 0x0203, controlEndpoint: { protocol: 1, address: "192.168.1.20", port: 50100 } });
  });
});
