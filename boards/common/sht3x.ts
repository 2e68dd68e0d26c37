/**
 * Sensirion SHT3x (SHT30/31/35) temperature and humidity over ECMA-419 I2C.
 *
 * The sensor runs in periodic mode (2 measurements a second, high repeatability), so a
 * reading is one synchronous "fetch data" transaction: no wait between command and
 * result, as the station's `read` needs. While no new measurement is ready the sensor
 * NACKs the read; the last good values are returned then. A frame whose CRC does not
 * match is dropped the same way. (Datasheet SHT3x-DIS, v7: 4.5 periodic mode, 4.6
 * readout with "fetch data" 0xE000, 4.12 CRC-8 poly 0x31 init 0xFF, 4.13 conversion.)
 *
 * The I2C class comes in through the arguments, so the driver imports no platform and
 * tests run it against a simulated sensor.
 */

/** What the driver needs of an ECMA-419 I2C instance. */
export interface I2cLike {
  read(count: number): ArrayBuffer;
  write(bytes: Uint8Array): void;
  close(): void;
}

export type I2cClass = new (options: { data: number; clock: number; hz: number; address: number }) => I2cLike;

export interface Sht3xOptions {
  /** SDA pin (GPIO number). */
  data: number;
  /** SCL pin (GPIO number). */
  clock: number;
  /** 0x44 (ADDR pin low, the default) or 0x45. */
  address?: number;
  /** Bus speed (default 100 kHz). */
  hz?: number;
}

export interface Sht3xReading {
  celsius: number;
  percent: number;
}

/** Periodic mode, 2 measurements per second, high repeatability (datasheet table 10). */
const PERIODIC_2MPS_HIGH = Object.freeze([0x22, 0x36]);
/** Stops periodic mode. */
const BREAK = Object.freeze([0x30, 0x93]);

/** CRC-8 of `length` bytes from `offset` (polynomial 0x31, initial 0xFF, no final XOR). */
export function sht3xCrc(bytes: Uint8Array, offset: number, length: number): number {
  let crc = 0xff;
  for (let i = offset; i < offset + length; i++) {
    crc ^= bytes[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** Decodes a 6-byte measurement frame; undefined when a CRC does not match. */
export function sht3xDecode(frame: Uint8Array): Sht3xReading | undefined {
  if (frame.length < 6) return undefined;
  if (sht3xCrc(frame, 0, 2) !== frame[2] || sht3xCrc(frame, 3, 2) !== frame[5]) return undefined;
  const t = (frame[0]! << 8) | frame[1]!;
  const rh = (frame[3]! << 8) | frame[4]!;
  return { celsius: -45 + (175 * t) / 65535, percent: (100 * rh) / 65535 };
}

/** An SHT3x in periodic mode; `read()` returns the newest measurement, or undefined before the first. */
export class Sht3x {
  readonly #i2c: I2cLike;
  /** "Fetch data": readout of the latest periodic measurement. */
  readonly #fetch = Uint8Array.of(0xe0, 0x00);
  #last: Sht3xReading | undefined;
  /** Readouts the sensor refused (no new data yet) or that failed their CRC. */
  missed = 0;

  constructor(I2C: I2cClass, o: Sht3xOptions) {
    this.#i2c = new I2C({ data: o.data, clock: o.clock, hz: o.hz ?? 100_000, address: o.address ?? 0x44 });
    this.#i2c.write(Uint8Array.from(PERIODIC_2MPS_HIGH));
  }

  read(): Sht3xReading | undefined {
    try {
      this.#i2c.write(this.#fetch);
      const reading = sht3xDecode(new Uint8Array(this.#i2c.read(6)));
      if (reading) this.#last = reading;
      else this.missed++;
    } catch {
      this.missed++; // NACK: no measurement since the last readout
    }
    return this.#last;
  }

  close(): void {
    try {
      this.#i2c.write(Uint8Array.from(BREAK));
    } finally {
      this.#i2c.close();
    }
  }
}
