/** The simulator has no sensor: the station simulates its readings. */
import type { SensorFactory } from "../common/sensor.js";

const sensor: SensorFactory = () => undefined;

export default sensor;
