/**
 * The SHT3x driver of the ESP32 board against a simulated sensor on a fake ECMA-419 I2C
 * bus. Values and CRCs follow the datasheet (SHT3x-DIS v7, 4.12 and 4.13).
 */
import { describe, expect, it } from "vitest";
import { Sht3x, sht3xCrc, sht3xDecode, type I2cLike } from "../../boards/common/sht3x.js";

/** A frame as the sensor sends it: raw temperature and humidity, each with its CRC. */
function frame(t: number, rh: number): Uint8Array {
  const f = Uint8Array.of(t >> 8, t & 0xff, 0, rh >> 8, rh & 0xff, 0);
  f[2] = sht3xCrc(f, 0, 2);
  f[5] = sht3xCrc(f, 3, 2);
  return f;
}

/** A sensor on the bus: answers "fetch data" with the next queued frame, NACKs when none is queued. */
function bus() {
  const writes: number[][] = [];
  const frames: Uint8Array[] = [];
  const opened: Record<string, number>[] = [];
  let closed = false;
  class FakeI2C implements I2cLike {
    constructor(options: { data: number; clock: number; hz: number; address: number }) {
      opened.push(options);
    }
    write(bytes: Uint8Array): void {
      writes.push([...bytes]);
    }
    read(count: number): ArrayBuffer {
      const f = frames.shift();
      if (!f) throw new Error("NACK");
      return f.slice(0, count).buffer;
    }
    close(): void {
      closed = true;
    }
  }
  return { FakeI2C, writes, frames, opened, closed: () => closed };
}

describe("SHT3x", () => {
  it("computes the datasheet's CRC example (0xBEEF gives 0x92)", () => {
    expect(sht3xCrc(Uint8Array.of(0xbe, 0xef), 0, 2)).toBe(0x92);
  });

  it("converts raw values with the datasheet's formulas", () => {
    expect(sht3xDecode(frame(0, 0))).toEqual({ celsius: -45, percent: 0 });
    expect(sht3xDecode(frame(0xffff, 0xffff))).toEqual({ celsius: 130, percent: 100 });
    const r = sht3xDecode(frame(0x6666, 0x8000))!;
    expect(r.celsius).toBeCloseTo(25, 2);
    expect(r.percent).toBeCloseTo(50, 2);
  });

  it("drops a frame whose CRC does not match", () => {
    const f = frame(0x6666, 0x8000);
    f[4]! ^= 1;
    expect(sht3xDecode(f)).toBeUndefined();
  });

  it("starts periodic mode at 0x44 by default, then reads with fetch data", () => {
    const b = bus();
    const s = new Sht3x(b.FakeI2C, { data: 21, clock: 22 });
    expect(b.opened).toEqual([{ data: 21, clock: 22, hz: 100_000, address: 0x44 }]);
    expect(b.writes).toEqual([[0x22, 0x36]]);
    b.frames.push(frame(0x6666, 0x8000));
    expect(s.read()?.celsius).toBeCloseTo(25, 2);
    expect(b.writes.at(-1)).toEqual([0xe0, 0x00]);
  });

  it("keeps the last values while the sensor has no new measurement (NACK) or sends a bad frame", () => {
    const b = bus();
    const s = new Sht3x(b.FakeI2C, { data: 21, clock: 22, address: 0x45 });
    expect(s.read(), "nothing measured yet").toBeUndefined();
    b.frames.push(frame(0x6666, 0x8000));
    const first = s.read();
    expect(s.read()).toEqual(first);
    const bad = frame(0x7000, 0x9000);
    bad[2]! ^= 0xff;
    b.frames.push(bad);
    expect(s.read()).toEqual(first);
    expect(s.missed).toBe(3);
  });

  it("stops periodic mode and releases the bus on close", () => {
    const b = bus();
    new Sht3x(b.FakeI2C, { data: 21, clock: 22 }).close();
    expect(b.writes.at(-1)).toEqual([0x30, 0x93]);
    expect(b.closed()).toBe(true);
  });
});
