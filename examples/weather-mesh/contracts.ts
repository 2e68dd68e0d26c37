/**
 * The weather mesh's record contracts: one definition shared by the stations (Node or
 * ESP32), the hub and the dashboard in the browser.
 */
import { contract } from "../../src/index.js";

/** Version 1 of the temperature reading carried tenths of a degree in an integer. */
export const TemperatureV1Fields = { deciCelsius: "i16", at: "u64" } as const;

/** Temperature in °C; reads version-1 payloads from stations not yet updated. */
export const Temperature = contract("weather.temperature", 2, { celsius: "f32", at: "u64" }, { envelope: true }).migrate(
  1,
  (old: { deciCelsius: number; at: number }) => ({ celsius: old.deciCelsius / 10, at: old.at }),
  TemperatureV1Fields,
);
export type Temperature = typeof Temperature.Type;

/** Relative humidity in %. */
export const Humidity = contract("weather.humidity", 1, { percent: "f32", at: "u64" }, { envelope: true });
export type Humidity = typeof Humidity.Type;

/** Air pressure in hPa. */
export const Pressure = contract("weather.pressure", 1, { hpa: "f32", at: "u64" }, { envelope: true });
export type Pressure = typeof Pressure.Type;

/** Dew point in °C, derived by the hub from temperature and humidity. */
export const DewPoint = contract("weather.dewpoint", 1, { celsius: "f32", at: "u64" });
export type DewPoint = typeof DewPoint.Type;

/** The mesh at a glance, derived by the hub from every station's temperature. */
export const MeshSummary = contract("weather.summary", 1, { stations: "u8", minCelsius: "f32", maxCelsius: "f32", meanCelsius: "f32", at: "u64" });
export type MeshSummary = typeof MeshSummary.Type;

/** A command to a station: how often to sample. Carries an envelope for freshness and ordering. */
export const Command = contract("weather.command", 1, { sampleMs: "u32", from: "string" }, { envelope: true });
export type Command = typeof Command.Type;

/** The stations of the demo. */
export const STATIONS = Object.freeze(["alpha", "beta", "gamma"] as const);

/** Dew point by the Magnus formula (Alduchov & Eskridge constants), °C. */
export function dewPoint(celsius: number, percent: number): number {
  const a = 17.625;
  const b = 243.04;
  const g = Math.log(Math.max(percent, 0.1) / 100) + (a * celsius) / (b + celsius);
  return (b * g) / (a - g);
}
