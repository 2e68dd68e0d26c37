/**
 * `aimdb-ts/knx`: the KNXnet/IP and cEMI codec, addresses and datapoint types. Sans-IO:
 * frames in and out as Uint8Array; the tunnelling and routing engines build on it.
 */
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
