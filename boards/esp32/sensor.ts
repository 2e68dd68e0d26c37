/**
 * The ESP32 node's sensor: an SHT3x on I2C when the build sets `sensor=sht3x` (pins
 * `sda`, `scl`, address `sht3xAddress`; defaults 21, 22 and 0x44 as on most ESP32 dev
 * boards), otherwise none, and the station simulates its readings.
 */
import I2C from "embedded:io/i2c";
import { Sht3x } from "../common/sht3x.js";
import { configNumber, type SensorFactory } from "../common/sensor.js";

const sensor: SensorFactory = (config) => {
  if (config.sensor !== "sht3x") return undefined;
  const sht = new Sht3x(I2C, {
    data: configNumber(config.sda, 21),
    clock: configNumber(config.scl, 22),
    address: configNumber(config.sht3xAddress, 0x44),
  });
  return { name: "sht3x", read: () => sht.read() };
};

export default sensor;
