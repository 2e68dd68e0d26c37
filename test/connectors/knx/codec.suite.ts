/**
 * The KNXnet/IP codec contract: every golden frame decodes, encodes and round-trips;
 * every cut of a datagram is refused with a typed error; every error vector is refused
 * with its code and side; every datapoint vector encodes in its form, decodes and
 * travels through a whole frame; every numeric datapoint type keeps to its range;
 * addresses parse strictly. The same file runs under vitest and inside XS, so it uses
 * neither Buffer nor TextEncoder.
 */
import { decodeCemi, encodeCemi, groupTelegram } from "../../../src/connectors/knx/cemi.js";
import { decodeFrame } from "../../../src/connectors/knx/decode.js";
import { decodeDpt, dptInfo, encodeDpt, type AnyDptValue } from "../../../src/connectors/knx/dpt.js";
import { encodeFrame } from "../../../src/connectors/knx/encode.js";
import { isLData, type LData } from "../../../src/connectors/knx/frames.js";
import {
  formatGroupAddress, formatIndividualAddress, parseGroupAddress, parseIndividualAddress,
} from "../../../src/connectors/knx/address.js";
import { canon, eq, fail, hex, ok, throwsCode } from "../../support/check.js";
import type { Suite } from "../../support/suite.js";
import { DPT_DECODE_ERRORS, DPT_ENCODE_ERRORS, DPT_VECTORS, RANGE_IDS } from "./dpt-vectors.js";
import { DECODE_ERRORS, ENCODE_ERRORS, FRAME_VECTORS } from "./vectors.js";

export { canon, hex };

/** Every code the decoder may throw. */
export const DECODE_CODES = ["KNX_TRUNCATED", "KNX_BAD_HEADER", "KNX_BAD_LENGTH", "KNX_UNKNOWN_SERVICE", "KNX_BAD_VALUE", "KNX_BAD_CEMI"];

type Thrown = Error & { code?: string; side?: string };

function thrown(fn: () => unknown): Thrown | undefined {
  try {
    fn();
  } catch (err) {
    return err as Thrown;
  }
  return undefined;
}

const DPT_LABEL = (v: { dpt: string; value: unknown }) => `${v.dpt} ${typeof v.value === "object" && v.value ? canon(v.value) : String(v.value)}`;

export const knxCodecSuite: Suite = (t) => {
  for (const v of FRAME_VECTORS) {
    const bytes = new Uint8Array(v.bytes);
    const expected = canon(v.frame);

    t.test(`decodes ${v.name}`, () => {
      eq(canon(decodeFrame(bytes)), expected, "decoding the vector's bytes gives the vector's frame");
    });

    t.test(`encodes ${v.name}`, () => {
      eq(hex(encodeFrame(v.frame)), hex(bytes), "encoding the vector's frame gives the vector's bytes");
    });

    t.test(`round-trips ${v.name}`, () => {
      eq(canon(decodeFrame(encodeFrame(v.frame))), expected, "decode(encode(frame)) is the frame");
      eq(hex(encodeFrame(decodeFrame(bytes))), hex(bytes), "encode(decode(bytes)) is the bytes");
    });

    t.test(`refuses ${v.name} cut at every length`, () => {
      for (let n = 0; n < bytes.length; n++) {
        const err = thrown(() => decodeFrame(bytes.slice(0, n)));
        eq(err?.code, "KNX_TRUNCATED", `a datagram cut to ${n} of ${bytes.length} bytes is truncated`);
        eq(err?.side, "remote", "the peer sent it");
      }
      // The same cuts with the total length fixed up: the body itself is short.
      for (let n = 6; n < bytes.length; n++) {
        const cut = bytes.slice(0, n);
        cut[4] = n >> 8;
        cut[5] = n & 0xff;
        const err = thrown(() => decodeFrame(cut));
        if (err) {
          ok(DECODE_CODES.includes(err.code ?? ""), `a body cut to ${n} bytes is refused with a KNX code, not ${err.code}: ${err.message}`);
          eq(err.side, "remote", "the peer sent it");
        } else {
          // Only a cut between optional structures (a DIB, a refusal's tail) may still be a frame.
          eq(hex(encodeFrame(decodeFrame(cut))), hex(cut), `a body cut to ${n} bytes that decodes is a frame of its own`);
        }
      }
    });
  }

  for (const e of DECODE_ERRORS) {
    t.test(`refuses ${e.name} with ${e.code}`, () => {
      const err = throwsCode(() => decodeFrame(new Uint8Array(e.bytes)), e.code, `decodeFrame refuses ${e.name}`) as Thrown;
      eq(err.name, "ProtocolError", "the error is a ProtocolError");
      eq(err.side, "remote", "the peer broke the protocol");
    });
  }

  for (const e of ENCODE_ERRORS) {
    t.test(`will not encode ${e.name}`, () => {
      const err = throwsCode(() => encodeFrame(e.frame), e.code, `encodeFrame refuses ${e.name}`) as Thrown;
      eq(err.name, "ProtocolError", "the error is a ProtocolError");
      eq(err.side, "local", "we were asked to send something invalid");
    });
  }

  t.test("decodes a frame without copying: data is a view into the datagram", () => {
    const bytes = new Uint8Array(FRAME_VECTORS.find((v) => v.name.includes("50 %"))!.bytes);
    const f = decodeFrame(bytes);
    ok(f.service === 0x0530 && isLData(f.cemi) && f.cemi.data!.buffer === bytes.buffer, "the APDU data shares the datagram's buffer");
  });

  t.test("decodes and encodes a cEMI message on its own, L_Data or raw", () => {
    const lData = [0x29, 0x00, 0xbc, 0xe0, 0x11, 0xfa, 0x0a, 0x04, 0x02, 0x00, 0x80, 0x80];
    const cemi = decodeCemi(new Uint8Array(lData));
    ok(isLData(cemi) && cemi.apci === 0x080 && cemi.source === 0x11fa, "an L_Data.ind is decoded into fields");
    eq(hex(encodeCemi(cemi)), hex(lData), "and encodes back to its bytes");
    // M_PropRead.req of PID_MEDIUM_TYPE: kept raw, so a tunnel can still acknowledge it.
    const prop = [0xfc, 0x00, 0x08, 0x01, 0x51, 0x10, 0x01];
    const raw = decodeCemi(new Uint8Array(prop));
    ok(!isLData(raw) && raw.messageCode === 0xfc && hex(raw.raw) === hex(prop.slice(1)), "another message code is kept raw");
    eq(hex(encodeCemi(raw)), hex(prop), "and encodes back to its bytes");
    throwsCode(() => decodeCemi(new Uint8Array([0x11, 0x00, 0xbc])), "KNX_BAD_CEMI", "a cut L_Data is refused on its own too");
  });

  t.test("builds group telegrams whose form follows the datapoint type", () => {
    const write = groupTelegram(0x11, 0x080, parseGroupAddress("1/2/3"), encodeDpt("1.001", true));
    const bytes = encodeFrame({ service: 0x0420, channelId: 1, sequenceCounter: 0, cemi: write });
    eq(hex(bytes), hex(FRAME_VECTORS[0]!.bytes), "a 1.001 write is the short-form vector");
    for (const [dpt, value] of [["5.001", 0], ["5.010", 1], ["6.010", 1], ["17.001", 1], ["18.001", { learn: false, scene: 1 }], ["20.102", 1]] as const) {
      const f = decodeFrame(encodeFrame({ service: 0x0530, cemi: groupTelegram(0x29, 0x080, 1, encodeDpt(dpt as string, value)) }));
      const cemi = (f as { cemi: LData }).cemi;
      eq(cemi.short, false, `DPT ${dpt} goes in the long form even for a value that fits 6 bits`);
    }
    const read = groupTelegram(0x11, 0x000, 1);
    eq(hex(encodeCemi(read)), "11 00 bc e0 00 00 00 01 01 00 00", "a read carries no value");
  });

  for (const v of DPT_VECTORS) {
    const label = DPT_LABEL(v);
    const want = canon(v.decoded ?? v.value);

    t.test(`encodes DPT ${label} as ${hex(v.data)}`, () => {
      const got = encodeDpt(v.dpt, v.value);
      eq(got.short, v.short, `DPT ${v.dpt} travels in the ${v.short ? "short" : "long"} form (${v.why})`);
      eq(hex(got.data), hex(v.data), v.why);
    });

    t.test(`decodes DPT ${v.dpt} ${hex(v.data)}`, () => {
      eq(canon(decodeDpt(v.dpt, new Uint8Array(v.data), v.short)), want, v.why);
    });

    t.test(`carries DPT ${label} through a ROUTING_INDICATION`, () => {
      const datagram = encodeFrame({ service: 0x0530, cemi: groupTelegram(0x29, 0x080, 0x0a03, encodeDpt(v.dpt, v.value)) });
      const f = decodeFrame(datagram);
      if (f.service !== 0x0530 || !isLData(f.cemi)) return fail("the datagram decodes to a ROUTING_INDICATION with L_Data");
      eq(canon(decodeDpt(v.dpt, f.cemi.data!, f.cemi.short!)), want, "the value comes out of the frame as it went in");
      eq(canon(encodeDpt(v.dpt, decodeDpt(v.dpt, new Uint8Array(v.data), v.short)).data), canon(new Uint8Array(v.data)), "a decoded value encodes back to the same bytes");
    });
  }

  for (const e of DPT_ENCODE_ERRORS) {
    t.test(`will not encode DPT ${DPT_LABEL(e)} (${e.why})`, () => {
      const err = throwsCode(() => encodeDpt(e.dpt, e.value as AnyDptValue), e.code, e.why) as Thrown;
      eq(err.side, "local", "we were asked to send something invalid");
    });
  }

  for (const e of DPT_DECODE_ERRORS) {
    t.test(`refuses DPT ${e.dpt} data ${hex(e.data)} (${e.why})`, () => {
      const err = throwsCode(() => decodeDpt(e.dpt, new Uint8Array(e.data), e.short), e.code, e.why) as Thrown;
      eq(err.side, e.code === "KNX_DPT_UNKNOWN" ? "local" : "remote", "bad data is the peer's fault, an unknown id ours");
    });
  }

  t.test("lists the supported datapoint types when one is unknown", () => {
    const err = throwsCode(() => dptInfo("10.001"), "KNX_DPT_UNKNOWN", "10.001 (time of day) is not supported");
    ok(err.message.includes("9.xxx") && err.message.includes("232.600"), "the message lists what is supported");
    eq(dptInfo("5.001").short, false, "dptInfo says 5.001 takes the long form");
    eq(dptInfo("3.007").short, true, "and 3.007 the short one");
    eq(dptInfo("16.001").size, 14, "and that a string takes 14 bytes");
  });

  for (const id of RANGE_IDS) {
    t.test(`keeps DPT ${id} within its range`, () => {
      const { min, max } = dptInfo(id);
      if (min === undefined || max === undefined) return fail(`DPT ${id} has a numeric range`);
      for (const edge of [min, max]) {
        const { data, short } = encodeDpt(id, edge);
        eq(decodeDpt(id, data, short), edge, `DPT ${id}: ${edge}, an end of the range, encodes and decodes exactly`);
      }
      const step = Math.max(1, (max - min) / 1000);
      for (const beyond of [min - step, max + step]) {
        const err = throwsCode(() => encodeDpt(id, beyond), "KNX_DPT_RANGE", `DPT ${id}: ${beyond} is outside ${min}–${max}`) as Thrown;
        eq(err.side, "local", "the caller asked for it");
      }
      // 9.x alone gives NaN a meaning: 7FFFh, invalid data.
      if (dptInfo(id).format !== 9) throwsCode(() => encodeDpt(id, NaN), "KNX_DPT_RANGE", `DPT ${id} refuses NaN`);
    });
  }

  t.test("decodes every octet of the 1-byte types and encodes it back", () => {
    for (const id of ["5.001", "5.003", "5.004", "5.010", "6.001", "17.001", "20.102"]) {
      const top = id === "17.001" ? 63 : id === "20.102" ? 4 : 255;
      for (let b = 0; b <= top; b++) {
        const value = decodeDpt(id, Uint8Array.of(b), false);
        eq(hex(encodeDpt(id, value).data), hex([b]), `DPT ${id}: octet ${b} reads as ${value} and writes back`);
      }
    }
  });

  t.test("decodes every 9.x code to a value that encodes to the same value", () => {
    let invalid = 0;
    for (let raw = 0; raw <= 0xffff; raw++) {
      const value = decodeDpt("9.001", Uint8Array.of(raw >> 8, raw & 0xff), false);
      if (Number.isNaN(value)) {
        invalid++;
        continue;
      }
      const again = encodeDpt("9.001", value).data;
      const back = decodeDpt("9.001", again, false);
      if (back !== value) fail(`9.x code ${raw.toString(16)} reads as ${value} but writes as ${hex(again)}, which reads as ${back}`);
    }
    eq(invalid, 1, "only 7FFFh is invalid data");
  });

  t.test("reads reserved bits as 0 and 1-bit types from either form", () => {
    eq(decodeDpt("17.001", Uint8Array.of(0xc5), false), 5, "bits 7–6 of 17.001 are reserved");
    eq(decodeDpt("1.001", Uint8Array.of(0x3f), true), true, "1.x takes bit 0 of the 6-bit field");
    eq(decodeDpt("1.001", Uint8Array.of(0x01), false), true, "a 1-bit value sent in the long form is read too");
    eq(canon(decodeDpt("3.008", Uint8Array.of(0x3f), true)), canon({ down: true, step: 7 }), "3.x takes bits 3–0");
  });

  const GROUP: [string, number, 1 | 2 | 3][] = [
    ["1/2/3", 0x0a03, 3], ["0/0/1", 0x0001, 3], ["31/7/255", 0xffff, 3], ["0/0/0", 0, 3],
    ["1/515", 0x0a03, 2], ["31/2047", 0xffff, 2], ["2563", 0x0a03, 1], ["65535", 0xffff, 1], ["0", 0, 1],
  ];
  t.test("parses and formats group addresses in 3-level, 2-level and free notation", () => {
    for (const [text, value, style] of GROUP) {
      eq(parseGroupAddress(text), value, `"${text}" is ${value}`);
      eq(formatGroupAddress(value, style), text, `${value} formats as "${text}" in ${style}-level notation`);
    }
    eq(formatGroupAddress(0x0a03), "1/2/3", "3-level is the default notation");
  });

  t.test("parses and formats individual addresses", () => {
    for (const [text, value] of [["1.1.250", 0x11fa], ["0.0.0", 0], ["15.15.255", 0xffff], ["1.2.3", 0x1203]] as const) {
      eq(parseIndividualAddress(text), value, `"${text}" is ${value}`);
      eq(formatIndividualAddress(value), text, `${value} formats as "${text}"`);
    }
  });

  t.test("refuses malformed addresses with KNX_BAD_ADDRESS", () => {
    const badGroup = ["32/0/0", "1/8/0", "1/2/256", "1/2048", "65536", "1/2/3/4", "01/2/3", "1//3", "", "1/2/", " 1/2/3", "1/2/3 ", "-1", "1.2.3", "1/2/x", "+1/2/3", "1e3"];
    for (const text of badGroup) {
      const err = throwsCode(() => parseGroupAddress(text), "KNX_BAD_ADDRESS", `"${text}" is not a group address`) as Thrown;
      eq(err.side, "local", "an address is ours to get right");
    }
    for (const text of ["16.0.0", "1.16.0", "1.1.256", "1/1/1", "1.1", "1.1.1.1", "1.01.1", "1.1.x", ""]) {
      throwsCode(() => parseIndividualAddress(text), "KNX_BAD_ADDRESS", `"${text}" is not an individual address`);
    }
    for (const n of [-1, 65536, 1.5, NaN]) {
      throwsCode(() => formatGroupAddress(n), "KNX_BAD_ADDRESS", `${n} is not a 16-bit address`);
      throwsCode(() => formatIndividualAddress(n), "KNX_BAD_ADDRESS", `${n} is not a 16-bit address`);
    }
  });
};
