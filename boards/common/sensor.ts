/** What a board's "board/sensor" module provides, and config helpers for it. */

export interface SensorReading {
  celsius: number;
  percent: number;
}

/** A board's sensor: `read()` gives the newest values, or undefined before the first. */
export interface Sensor {
  readonly name: string;
  read(): SensorReading | undefined;
}

/** What the "board/sensor" module exports: a sensor for this config, or undefined to simulate. */
export type SensorFactory = (config: Readonly<Record<string, unknown>>) => Sensor | undefined;

/** A number from the config (mcconfig passes command-line values as strings). */
export function configNumber(value: unknown, fallback: number): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}
