/**
 * A KNXnet/IP datagram → a typed frame.
 *
 * UDP keeps message boundaries, so a decoder sees one whole datagram at a time and needs
 * no resumable state: `decodeFrame` checks the header (3.8.2 "Frame format": header
 * length 6, protocol version 1.0, a total length equal to the datagram's), then reads
 * the body of the service with a cursor that never passes the total length, and checks
 * that nothing is left over. Every violation throws ProtocolError with side "remote":
 *
 * - KNX_TRUNCATED: the datagram is shorter than its header, its total length, or a
 *   structure (HPAI, CRI, DIB…) it must hold;
 * - KNX_BAD_HEADER: header length or protocol version;
 * - KNX_BAD_LENGTH: a total or structure length that disagrees with the bytes;
 * - KNX_UNKNOWN_SERVICE: a service type not listed in constants.ts;
 * - KNX_BAD_VALUE: an unknown host protocol or connection type;
 * - KNX_BAD_CEMI: anything wrong inside the cEMI frame of a TUNNELLING_REQUEST or a
 *   ROUTING_INDICATION (see cemi.ts).
 *
 * Nothing is copied: byte fields of the result are views into the datagram.
 */
import {
  CONNECT_REQUEST, CONNECT_RESPONSE, CONNECTION_HEADER_SIZE, CONNECTIONSTATE_REQUEST, CONNECTIONSTATE_RESPONSE,
  DESCRIPTION_REQUEST, DESCRIPTION_RESPONSE, DEVICE_INFO_SIZE, DEVICE_MGMT_CONNECTION, DEVICE_NAME_SIZE,
  DEVICE_PROGRAMMING_MODE, DIB_DEVICE_INFO, DIB_SUPP_SVC_FAMILIES, DISCONNECT_REQUEST, DISCONNECT_RESPONSE,
  HEADER_SIZE, HPAI_SIZE, IPV4_TCP, IPV4_UDP, KNX_BAD_HEADER, KNX_BAD_LENGTH, KNX_BAD_VALUE, KNX_TRUNCATED,
  KNX_UNKNOWN_SERVICE, KNXNETIP_VERSION_10, OBJSVR_CONNECTION, PLAIN_CRI_SIZE, REMCONF_CONNECTION,
  REMLOG_CONNECTION, ROUTING_BUSY, ROUTING_BUSY_SIZE, ROUTING_INDICATION, ROUTING_LOST_MESSAGE, ROUTING_LOST_SIZE,
  SEARCH_REQUEST, SEARCH_RESPONSE, TUNNEL_CONNECTION, TUNNEL_CRD_SIZE, TUNNEL_CRI_EXTENDED_SIZE, TUNNEL_CRI_SIZE,
  TUNNELLING_ACK, TUNNELLING_REQUEST,
} from "./constants.js";
import { readCemi } from "./cemi.js";
import type { Crd, Cri, DeviceDescription, DeviceInfo, Frame, Hpai, RawDib, ServiceFamily } from "./frames.js";
import { hexText, ipv4, latin1, need, remote, u16, u8, view, type Cursor } from "./wire.js";

/**
 * A received datagram as a frame, or undefined when it is not one: a bad datagram from the
 * network is counted in `stats.protocolErrors` and dropped, never thrown into the engine.
 */
export function readFrame(datagram: Uint8Array, stats: { protocolErrors: number }): Frame | undefined {
  try {
    return decodeFrame(datagram);
  } catch {
    stats.protocolErrors++;
    return undefined;
  }
}

/** Decodes one whole KNXnet/IP datagram; throws ProtocolError (side "remote") when it is not a valid frame. */
export function decodeFrame(datagram: Uint8Array): Frame {
  const n = datagram.length;
  if (n < HEADER_SIZE) throw remote(KNX_TRUNCATED, `a datagram of ${n} bytes has no room for the 6-byte header`);
  // 3.8.2: a header length other than 06h, or a version other than 10h, is not a frame this codec reads.
  if (datagram[0] !== HEADER_SIZE) throw remote(KNX_BAD_HEADER, `header length ${datagram[0]}`);
  if (datagram[1] !== KNXNETIP_VERSION_10) throw remote(KNX_BAD_HEADER, `protocol version ${datagram[1]}`);
  const service = (datagram[2]! << 8) | datagram[3]!;
  const total = (datagram[4]! << 8) | datagram[5]!;
  // The total length counts the header too, and a datagram holds exactly one frame.
  if (total < HEADER_SIZE) throw remote(KNX_BAD_LENGTH, `total length ${total} is shorter than the header`);
  if (total > n) throw remote(KNX_TRUNCATED, `total length ${total}, datagram of ${n} bytes`);
  if (total < n) throw remote(KNX_BAD_LENGTH, `total length ${total}, datagram of ${n} bytes`);
  const c: Cursor = { b: datagram, p: HEADER_SIZE, e: n, t: KNX_TRUNCATED };
  const frame = body(c, service);
  if (c.p !== c.e) throw remote(KNX_BAD_LENGTH, `${c.e - c.p} bytes left over after the body`);
  return frame;
}

function body(c: Cursor, service: number): Frame {
  switch (service) {
    case SEARCH_REQUEST:
      return { service, discoveryEndpoint: hpai(c, "discovery endpoint") };
    case SEARCH_RESPONSE: {
      const controlEndpoint = hpai(c, "control endpoint");
      return { service, controlEndpoint, ...description(c) };
    }
    case DESCRIPTION_REQUEST:
      return { service, controlEndpoint: hpai(c, "control endpoint") };
    case DESCRIPTION_RESPONSE:
      return { service, ...description(c) };
    case CONNECT_REQUEST: {
      const controlEndpoint = hpai(c, "control endpoint");
      const dataEndpoint = hpai(c, "data endpoint");
      return { service, controlEndpoint, dataEndpoint, cri: cri(c) };
    }
    case CONNECT_RESPONSE: {
      const channelId = u8(c, "channel id");
      const status = u8(c, "status");
      // 3.8.2: an accepted connection names its data endpoint and CRD; a refusal may stop here.
      if (status && c.p === c.e) return { service, channelId, status };
      const dataEndpoint = hpai(c, "data endpoint");
      return { service, channelId, status, dataEndpoint, crd: crd(c) };
    }
    case CONNECTIONSTATE_REQUEST:
    case DISCONNECT_REQUEST: {
      const channelId = u8(c, "channel id");
      u8(c, "reserved");
      return { service, channelId, controlEndpoint: hpai(c, "control endpoint") };
    }
    case CONNECTIONSTATE_RESPONSE:
    case DISCONNECT_RESPONSE:
      return { service, channelId: u8(c, "channel id"), status: u8(c, "status") };
    case TUNNELLING_REQUEST: {
      const h = connectionHeader(c);
      return { service, channelId: h.channelId, sequenceCounter: h.sequenceCounter, cemi: readCemi(c) };
    }
    case TUNNELLING_ACK:
      return { service, ...connectionHeader(c) };
    case ROUTING_INDICATION:
      return { service, cemi: readCemi(c) };
    case ROUTING_LOST_MESSAGE: {
      structureLength(c, ROUTING_LOST_SIZE, "lost message info");
      return { service, deviceState: u8(c, "device state"), lostMessages: u16(c, "lost messages") };
    }
    case ROUTING_BUSY: {
      structureLength(c, ROUTING_BUSY_SIZE, "busy info");
      return { service, deviceState: u8(c, "device state"), waitTimeMs: u16(c, "wait time"), control: u16(c, "control field") };
    }
    default:
      throw remote(KNX_UNKNOWN_SERVICE, `service type 0x${service.toString(16).padStart(4, "0")}`);
  }
}

/** A structure's length octet, which must be `size`. */
function structureLength(c: Cursor, size: number, what: string): void {
  const length = u8(c, what);
  if (length !== size) throw remote(KNX_BAD_LENGTH, `${what} length ${length}, expected ${size}`);
}

/** 3.8.2 "HPAI": length 8, host protocol, IPv4 address, port. */
function hpai(c: Cursor, what: string): Hpai {
  structureLength(c, HPAI_SIZE, what);
  const protocol = u8(c, what);
  if (protocol !== IPV4_UDP && protocol !== IPV4_TCP) throw remote(KNX_BAD_VALUE, `${what}: host protocol ${protocol}`);
  return { protocol, address: ipv4(c, what), port: u16(c, what) };
}

/** 3.8.4 connection header: length 4, channel id, sequence counter, status (reserved in a request). */
function connectionHeader(c: Cursor): { channelId: number; sequenceCounter: number; status: number } {
  structureLength(c, CONNECTION_HEADER_SIZE, "connection header");
  return { channelId: u8(c, "channel id"), sequenceCounter: u8(c, "sequence counter"), status: u8(c, "status") };
}

/** Reads a CRI/CRD length and type, checking the length against the type; returns [length, type]. */
function connectionStructure(c: Cursor, what: string, tunnelSizes: readonly number[]): [number, number] {
  const length = u8(c, what);
  if (length < PLAIN_CRI_SIZE) throw remote(KNX_BAD_LENGTH, `${what} length ${length}`);
  need(c, length - 1, what);
  const type = u8(c, what);
  switch (type) {
    case TUNNEL_CONNECTION:
      if (!tunnelSizes.includes(length)) throw remote(KNX_BAD_LENGTH, `tunnel ${what} length ${length}`);
      break;
    case DEVICE_MGMT_CONNECTION:
    case REMLOG_CONNECTION:
    case REMCONF_CONNECTION:
    case OBJSVR_CONNECTION:
      if (length !== PLAIN_CRI_SIZE) throw remote(KNX_BAD_LENGTH, `${what} length ${length} for connection type ${type}`);
      break;
    default:
      throw remote(KNX_BAD_VALUE, `${what}: connection type ${type}`);
  }
  return [length, type];
}

const CRI_SIZES = Object.freeze([TUNNEL_CRI_SIZE, TUNNEL_CRI_EXTENDED_SIZE]);
const CRD_SIZES = Object.freeze([TUNNEL_CRD_SIZE]);

function cri(c: Cursor): Cri {
  const [length, connectionType] = connectionStructure(c, "CRI", CRI_SIZES);
  if (connectionType !== TUNNEL_CONNECTION) return { connectionType };
  const out: Cri = { connectionType, layer: u8(c, "CRI") };
  u8(c, "CRI"); // reserved
  if (length === TUNNEL_CRI_EXTENDED_SIZE) out.address = u16(c, "CRI");
  return out;
}

function crd(c: Cursor): Crd {
  const [, connectionType] = connectionStructure(c, "CRD", CRD_SIZES);
  return connectionType === TUNNEL_CONNECTION ? { connectionType, address: u16(c, "CRD") } : { connectionType };
}

/**
 * The DIBs of a SEARCH_RESPONSE or DESCRIPTION_RESPONSE, up to the end of the frame
 * (3.8.2 "DIB"): DIB_DEVICE_INFO and DIB_SUPP_SVC_FAMILIES are mandatory; the first of
 * each is decoded, any other DIB is kept as bytes, in order.
 */
function description(c: Cursor): DeviceDescription {
  let device: DeviceInfo | undefined;
  let families: ServiceFamily[] | undefined;
  const dibs: RawDib[] = [];
  while (c.p < c.e) {
    const length = u8(c, "DIB length");
    if (length < 2) throw remote(KNX_BAD_LENGTH, `DIB length ${length}`);
    need(c, length - 1, "DIB");
    const type = u8(c, "DIB type");
    if (type === DIB_DEVICE_INFO && !device) {
      if (length !== DEVICE_INFO_SIZE) throw remote(KNX_BAD_LENGTH, `DIB_DEVICE_INFO length ${length}`);
      const medium = u8(c, "medium");
      const status = u8(c, "device status");
      device = {
        medium,
        programmingMode: (status & DEVICE_PROGRAMMING_MODE) !== 0,
        address: u16(c, "individual address"),
        projectInstallationId: u16(c, "project installation id"),
        serialNumber: hexText(c, 6, "", "serial number"),
        multicastAddress: ipv4(c, "multicast address"),
        macAddress: hexText(c, 6, ":", "MAC address"),
        name: latin1(c, DEVICE_NAME_SIZE, "device name"),
      };
    } else if (type === DIB_SUPP_SVC_FAMILIES && !families) {
      // Pairs of family and version after the length and type octets.
      if (length & 1) throw remote(KNX_BAD_LENGTH, `DIB_SUPP_SVC_FAMILIES length ${length} is odd`);
      families = [];
      for (let i = 2; i < length; i += 2) families.push({ family: u8(c, "service family"), version: u8(c, "version") });
    } else dibs.push({ type, data: view(c, length - 2, "DIB") });
  }
  if (!device || !families) throw remote(KNX_TRUNCATED, "a device description needs DIB_DEVICE_INFO and DIB_SUPP_SVC_FAMILIES");
  return { device, families, dibs };
}
