/**
 * Fuzzing the decoders: random bytes, plausible headers over noise, and valid frames of
 * every service, mutated. `decodeFrame` either returns a frame or throws ProtocolError
 * (side "remote", a KNX code), never anything else; every frame it returns is one the
 * encoder accepts and that decodes back to itself: what one side refuses to write, the
 * other refuses to read. `decodeDpt` is fuzzed the same way with random data.
 */
import { describe, expect, it } from "vitest";
import { ProtocolError } from "../../../src/core/errors.js";
import { decodeFrame } from "../../../src/connectors/knx/decode.js";
import { decodeDpt, encodeDpt } from "../../../src/connectors/knx/dpt.js";
import { encodeFrame } from "../../../src/connectors/knx/encode.js";
import type { Frame } from "../../../src/connectors/knx/frames.js";
import { canon, DECODE_CODES, hex } from "./codec.suite.js";
import { DPT_VECTORS } from "./dpt-vectors.js";
import { randomFrame, Rng, SERVICES } from "./random.js";
import { FRAME_VECTORS } from "./vectors.js";

const DATAGRAMS = 8000;

function mutate(r: Rng, bytes: number[]): number[] {
  const out = bytes.slice();
  for (let m = r.bool(0.6) ? 1 : r.int(2, 3); m > 0 && out.length; m--) {
    const at = r.int(0, out.length - 1);
    switch (r.int(0, 5)) {
      case 0: out[at] = out[at]! ^ (1 << r.int(0, 7)); break; // flip a bit
      case 1: out[at] = r.int(0, 255); break; // replace a byte
      case 2: out.splice(at, 0, r.int(0, 255)); break; // insert a byte
      case 3: out.splice(at, 1); break; // delete a byte
      case 4: out.length = at; break; // truncate
      default: out.splice(at, 0, ...out.slice(at, at + r.int(1, 8))); // repeat a run
    }
  }
  // Most of the time, keep the header's total length true, so the body's checks are reached.
  if (out.length >= 6 && r.bool(0.8)) {
    out[4] = (out.length >> 8) & 0xff;
    out[5] = out.length & 0xff;
  }
  return out;
}

function randomDatagram(r: Rng): number[] {
  switch (r.int(0, 5)) {
    case 0:
      return Array.from(r.bytes(0, 80)); // noise
    case 1: {
      // a valid header over noise
      const service = r.pick(SERVICES);
      const body = Array.from(r.bytes(0, 70));
      const total = 6 + body.length;
      return [0x06, 0x10, service >> 8, service & 0xff, total >> 8, total & 0xff, ...body];
    }
    case 2:
      return mutate(r, r.pick(FRAME_VECTORS).bytes);
    default:
      return mutate(r, Array.from(encodeFrame(randomFrame(r, r.pick(SERVICES)))));
  }
}

function checkDecoded(f: Frame, bytes: number[]): void {
  let again: Uint8Array;
  try {
    again = encodeFrame(f);
  } catch (err) {
    throw new Error(`the encoder refuses a frame the decoder accepted: ${(err as Error).message} in ${canon(f)} from ${hex(bytes)}`);
  }
  expect(canon(decodeFrame(again)), "a decoded frame encodes and decodes back to itself").toBe(canon(f));
}

describe("fuzzing the KNXnet/IP decoder", () => {
  it(`survives ${DATAGRAMS} random and mutated datagrams`, () => {
    const r = new Rng(0x4b4e5801);
    const outcomes = { frames: 0, errors: 0 };
    const codes = new Set<string>();
    const started = Date.now();
    for (let i = 0; i < DATAGRAMS; i++) {
      const bytes = randomDatagram(r);
      let frame: Frame;
      try {
        frame = decodeFrame(new Uint8Array(bytes));
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw new Error(`datagram ${i} threw ${String(err)}: ${hex(bytes)}`);
        expect(err.side).toBe("remote");
        expect(DECODE_CODES).toContain(err.code);
        codes.add(err.code);
        outcomes.errors++;
        continue;
      }
      checkDecoded(frame, bytes);
      outcomes.frames++;
    }
    expect(Date.now() - started, "the whole run stays quick").toBeLessThan(20_000);
    // The corpus must reach both outcomes and every error, or it tests nothing.
    expect(outcomes.frames).toBeGreaterThan(700);
    expect(outcomes.errors).toBeGreaterThan(5000);
    for (const code of DECODE_CODES) expect(codes, `the fuzz corpus reaches ${code}`).toContain(code);
  }, 60_000);

  it("round-trips 3000 random frames of every service", () => {
    const r = new Rng(7);
    for (let i = 0; i < 3000; i++) {
      const f = randomFrame(r, SERVICES[i % SERVICES.length]!);
      const bytes = encodeFrame(f);
      expect(canon(decodeFrame(bytes)), `random frame ${i}`).toBe(canon(f));
      expect(hex(encodeFrame(decodeFrame(bytes))), `random frame ${i}`).toBe(hex(bytes));
    }
  });

  it("decodes random datapoint data into a value or a typed error, and a value encodes back", () => {
    const r = new Rng(0xd97);
    const ids = [...new Set(DPT_VECTORS.map((v) => v.dpt))];
    let values = 0;
    for (let i = 0; i < 6000; i++) {
      const dpt = r.pick(ids);
      const short = r.bool(0.3);
      const data = r.bool(0.7) ? r.bytes(1, 4) : r.bytes(14, 14);
      let value: unknown;
      try {
        value = decodeDpt(dpt, data, short);
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw new Error(`DPT ${dpt} ${hex(data)} threw ${String(err)}`);
        expect(["KNX_DPT_LENGTH", "KNX_DPT_RANGE"]).toContain(err.code);
        expect(err.side).toBe("remote");
        continue;
      }
      values++;
      const again = encodeDpt(dpt, value as never);
      expect(canon(decodeDpt(dpt, again.data, again.short)), `DPT ${dpt} ${hex(data)}`).toBe(canon(value));
    }
    expect(values).toBeGreaterThan(500);
  });
});
