/**
 * `aimdb-ts/knx`: the KNX/IP connector (tunnelling and routing), the datapoint type
 * codecs for its links, and the KNXnet/IP and cEMI codec it is built on. Sans-IO:
 * frames in and out as Uint8Array, the engines driven by the connector's glue.
 */
export { knx, type KnxConnector, type KnxGroupValue } from "./connector.js";
export type { KnxOptions, KnxRoutingOptions, KnxTunnelOptions } from "./options.js";
export { knxDpt, type KnxDptCodec } from "./serde.js";
export { KnxTunnel, type TunnelOptions, type TunnelStats } from "./tunnel.js";
export { KnxRouter, type RoutingOptions, type RoutingStats } from "./routing.js";
export type { Backoff, EngineEffects, GroupEvent, KnxEngine, Telegram } from "./engine.js";
export * from "./constants.js";
export type * from "./frames.js";
export { isLData, NAT_HPAI } from "./frames.js";
export { decodeFrame } from "./decode.js";
export { encodeFrame } from "./encode.js";
export { decodeCemi, encodeCemi, groupTelegram } from "./cemi.js";
export { formatGroupAddress, formatIndividualAddress, parseGroupAddress, parseIndividualAddress, type GroupAddressStyle } from "./address.js";
export {
  decodeDpt, dptInfo, encodeDpt, SUPPORTED_DPTS, type AnyDptValue, type BlindsValue, type DimmingValue, type Dpt2Value,
  type DptData, type DptInfo, type DptValue, type RgbValue, type SceneControlValue,
} from "./dpt.js";
