/**
 * KNXnet/IP frames and cEMI messages as plain objects: what `decodeFrame` returns and
 * `encodeFrame` takes. Field names follow the specification (3.8.2 Core, 3.8.4
 * Tunnelling, 3.8.5 Routing, 3.6.3 cEMI). Addresses are 16-bit numbers (see address.ts
 * for text), IPv4 addresses are dotted strings as the Host's UDP sockets use them.
 *
 * Byte fields of a decoded frame (`data`, `raw`, DIB `data`) are views into the datagram
 * it was decoded from: copy them (`slice()`) to keep them past the next datagram.
 */
import { IPV4_UDP } from "./constants.js";
import type {
  CONNECT_REQUEST, CONNECT_RESPONSE, CONNECTIONSTATE_REQUEST, CONNECTIONSTATE_RESPONSE, DESCRIPTION_REQUEST,
  DESCRIPTION_RESPONSE, DISCONNECT_REQUEST, DISCONNECT_RESPONSE, L_DATA_CON, L_DATA_IND, L_DATA_REQ, ROUTING_BUSY,
  ROUTING_INDICATION, ROUTING_LOST_MESSAGE, SEARCH_REQUEST, SEARCH_RESPONSE, TUNNELLING_ACK, TUNNELLING_REQUEST,
} from "./constants.js";

/** Host Protocol Address Information: where to send (3.8.2 "HPAI"). NAT mode is `0.0.0.0:0`. */
export interface Hpai {
  /** IPV4_UDP (1) or IPV4_TCP (2). */
  protocol: number;
  address: string;
  port: number;
}

/** The HPAI of NAT mode, 0.0.0.0:0: "answer to the address this datagram came from" (3.8.2). */
export const NAT_HPAI: Readonly<Hpai> = Object.freeze({ protocol: IPV4_UDP, address: "0.0.0.0", port: 0 });

/**
 * Connection Request Information (3.8.2 "CRI"). A tunnel (TUNNEL_CONNECTION) carries the
 * KNX layer asked for, and, in Tunnelling v2, the individual address asked for; the other
 * connection types carry nothing more.
 */
export interface Cri {
  connectionType: number;
  /** TUNNEL_LINKLAYER, TUNNEL_RAW or TUNNEL_BUSMONITOR; tunnels only. */
  layer?: number;
  /** The individual address asked for (extended CRI); tunnels only. */
  address?: number;
}

/** Connection Response Data (3.8.2 "CRD"): a tunnel's individual address. */
export interface Crd {
  connectionType: number;
  /** The individual address the server gave the tunnel; tunnels only. */
  address?: number;
}

/** DIB_DEVICE_INFO (3.8.2 "DIB device information"): enough to list and pick a gateway. */
export interface DeviceInfo {
  /** KNX medium: MEDIUM_TP1, MEDIUM_PL110, MEDIUM_RF, MEDIUM_IP. */
  medium: number;
  programmingMode: boolean;
  /** The device's individual address. */
  address: number;
  projectInstallationId: number;
  /** KNX serial number, 12 lower-case hex digits. */
  serialNumber: string;
  /** Routing multicast address, dotted (0.0.0.0 when the device does not route). */
  multicastAddress: string;
  /** MAC address, `xx:xx:xx:xx:xx:xx` in lower case. */
  macAddress: string;
  /** Friendly name, ISO 8859-1, at most 30 characters. */
  name: string;
}

/** One entry of DIB_SUPP_SVC_FAMILIES: a family (FAMILY_TUNNELLING…) and its version. */
export interface ServiceFamily {
  family: number;
  version: number;
}

/** A DIB this codec keeps as bytes (IP config, manufacturer data…): type and body. */
export interface RawDib {
  type: number;
  data: Uint8Array;
}

/** A cEMI additional information block (3.6.3, "Additional Information"): type and body. */
export interface AdditionalInfo {
  type: number;
  data: Uint8Array;
}

/**
 * A cEMI L_Data.req, .con or .ind (3.6.3, "L_Data"). `decodeFrame` sets every field; for
 * `encodeFrame` the optional ones default to a standard group telegram as most clients
 * send it (control field 1 = 0xBC, control field 2 = 0xE0).
 *
 * The TPDU: `tpci` is its first octet without the two APCI bits. A control TPDU
 * (`tpci` & TPCI_CONTROL: T_Connect, T_ACK…) has no `apci`. A data TPDU has `apci`, a
 * 10-bit value; for the group value services (GROUP_VALUE_READ, _RESPONSE, _WRITE) it is
 * the bare service, and `short` says where the value is: in the 6 low bits of the APCI
 * octet (`short: true`, `data` is one byte ≤ 0x3F) or in the octets after it (`short:
 * false`); the unused low bits of a long-form or read APCI octet are not kept. For every
 * other APCI `data` is what follows the APCI and `short` is false.
 */
export interface LData {
  messageCode: typeof L_DATA_REQ | typeof L_DATA_CON | typeof L_DATA_IND;
  /** Additional information blocks, in order; default none. */
  additionalInfo?: AdditionalInfo[];
  /** Extended frame (control field 1 bit 7 clear); default: only when the TPDU needs it. */
  extended?: boolean;
  /** req: repeat on error; ind: this is a repetition (control field 1 bit 5 clear); default false. */
  repeat?: boolean;
  /** System broadcast (control field 1 bit 4 clear); default false. */
  systemBroadcast?: boolean;
  /** PRIORITY_SYSTEM, _NORMAL, _URGENT or _LOW; default PRIORITY_LOW. */
  priority?: number;
  /** Layer 2 acknowledge requested; default false. */
  ackRequest?: boolean;
  /** Confirm flag of an L_Data.con: true when the frame could not be sent; default false. */
  confirmError?: boolean;
  /** Destination address type (control field 2 bit 7): group (true) or individual; default true. */
  group?: boolean;
  /** Hop count, 0–7; default 6. */
  hopCount?: number;
  /** Extended frame format, control field 2 bits 3–0; default 0. */
  extendedFormat?: number;
  /** Source individual address; default 0.0.0 (a tunnelling server puts in its own). */
  source?: number;
  destination: number;
  /** TPCI bits; default TPCI_DATA_GROUP (0). */
  tpci?: number;
  /** APCI, absent for a control TPDU. */
  apci?: number;
  /** APDU data; default none. */
  data?: Uint8Array;
  /** Value carried in the 6 low APCI bits (group value services only); default false. */
  short?: boolean;
}

/** A cEMI message other than L_Data (management, busmonitor…): its code and the bytes after it. */
export interface CemiRaw {
  messageCode: number;
  raw: Uint8Array;
}

export type Cemi = LData | CemiRaw;

export interface SearchRequest {
  service: typeof SEARCH_REQUEST;
  discoveryEndpoint: Hpai;
}

/** SEARCH_RESPONSE and DESCRIPTION_RESPONSE describe a device with the same DIBs. */
export interface DeviceDescription {
  device: DeviceInfo;
  families: ServiceFamily[];
  /** Further DIBs, in order; default none. */
  dibs?: RawDib[];
}

export interface SearchResponse extends DeviceDescription {
  service: typeof SEARCH_RESPONSE;
  controlEndpoint: Hpai;
}

export interface DescriptionRequest {
  service: typeof DESCRIPTION_REQUEST;
  controlEndpoint: Hpai;
}

export interface DescriptionResponse extends DeviceDescription {
  service: typeof DESCRIPTION_RESPONSE;
}

export interface ConnectRequest {
  service: typeof CONNECT_REQUEST;
  controlEndpoint: Hpai;
  dataEndpoint: Hpai;
  cri: Cri;
}

/** A refusal (`status` ≠ E_NO_ERROR) may leave out the data endpoint and the CRD. */
export interface ConnectResponse {
  service: typeof CONNECT_RESPONSE;
  channelId: number;
  status: number;
  dataEndpoint?: Hpai;
  crd?: Crd;
}

/** CONNECTIONSTATE_REQUEST and DISCONNECT_REQUEST: a channel and the sender's control endpoint. */
export interface ChannelRequest {
  service: typeof CONNECTIONSTATE_REQUEST | typeof DISCONNECT_REQUEST;
  channelId: number;
  controlEndpoint: Hpai;
}

/** CONNECTIONSTATE_RESPONSE and DISCONNECT_RESPONSE: a channel and a status. */
export interface ChannelResponse {
  service: typeof CONNECTIONSTATE_RESPONSE | typeof DISCONNECT_RESPONSE;
  channelId: number;
  status: number;
}

export interface TunnellingRequest {
  service: typeof TUNNELLING_REQUEST;
  channelId: number;
  sequenceCounter: number;
  cemi: Cemi;
}

export interface TunnellingAck {
  service: typeof TUNNELLING_ACK;
  channelId: number;
  sequenceCounter: number;
  status: number;
}

export interface RoutingIndication {
  service: typeof ROUTING_INDICATION;
  cemi: Cemi;
}

export interface RoutingLostMessage {
  service: typeof ROUTING_LOST_MESSAGE;
  /** STATE_KNX_FAULT | STATE_IP_FAULT. */
  deviceState: number;
  lostMessages: number;
}

export interface RoutingBusy {
  service: typeof ROUTING_BUSY;
  deviceState: number;
  waitTimeMs: number;
  /** Routing busy control field; 0 asks every device to pause. */
  control: number;
}

export type Frame =
  | SearchRequest | SearchResponse | DescriptionRequest | DescriptionResponse | ConnectRequest | ConnectResponse
  | ChannelRequest | ChannelResponse | TunnellingRequest | TunnellingAck | RoutingIndication
  | RoutingLostMessage | RoutingBusy;

/** Whether a cEMI message is an L_Data frame (as opposed to one kept raw). */
export function isLData(cemi: Cemi): cemi is LData {
  return !("raw" in cemi);
}
