/** `aimdb-ts/mqtt`: the MQTT 3.1.1 / 5 connector. */
export { mqtt, type MqttOptions } from "./connector.js";
