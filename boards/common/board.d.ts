/** The board's sensor module: the manifest maps "board/sensor" to one per board. */
declare module "board/sensor" {
  import type { SensorFactory } from "./sensor.js";
  const sensor: SensorFactory;
  export default sensor;
}
