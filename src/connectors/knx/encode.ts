/**
 * A typed frame → one KNXnet/IP datagram.
 *
 * `encodeFrame` runs the same writer over the frame twice: first into an empty array,
 * where stores are dropped, to check every field and measure the body; then into one
 * Uint8Array of the exact size, header first (3.8.2 "Frame format": 06h, 10h, service
 * type, total length). Nothing is concatenated or grown.
 *
 * Invalid input throws ProtocolError with side "local" (nothing may be sent):
 * KNX_BAD_VALUE for a field out of range (a channel id over 255, an address that is not
 * dotted IPv4, a TPDU too long for its frame…), KNX_UNKNOWN_SERVICE for a service this
 * codec does not write.
 */
import {
  CONNECT_REQUEST, CONNECT_RESPONSE, CONNECTION_HEADER_SIZE, CONNECTIONSTATE_REQUEST, CONNECTIONSTATE_RESPONSE,
  DESCRIPTION_REQUEST, DESCRIPTION_RESPONSE, DEVICE_INFO_SIZE, DEVICE_MGMT_CONNECTION, DEVICE_NAME_SIZE,
  DEVICE_PROGRAMMING_MODE, DIB_DEVICE_INFO, DIB_SUPP_SVC_FAMILIES, DISCONNECT_REQUEST, DISCONNECT_RESPONSE,
  E_NO_ERROR, HEADER_SIZE, HPAI_SIZE, IPV4_TCP, IPV4_UDP, KNX_BAD_VALUE, KNX_UNKNOWN_SERVICE, KNXNETIP_VERSION_10,
  OBJSVR_CONNECTION, PLAIN_CRI_SIZE, REMCONF_CONNECTION, REMLOG_CONNECTION, ROUTING_BUSY, ROUTING_BUSY_SIZE,
  ROUTING_INDICATION, ROUTING_LOST_MESSAGE, ROUTING_LOST_SIZE, SEARCH_REQUEST, SEARCH_RESPONSE, TUNNEL_CONNECTION,
  TUNNEL_CRD_SIZE, TUNNEL_CRI_EXTENDED_SIZE, TUNNEL_CRI_SIZE, TUNNELLING_ACK, TUNNELLING_REQUEST,
} from "./constants.js";
import { writeCemi } from "./cemi.js";
import type { Crd, Cri, DeviceDescription, Frame, Hpai } from "./frames.js";
import { byte, checkInt, local, put, word, writeIpv4, writeLatin1, writeMac, writeSerial, type Sink } from "./wire.js";

/** Encodes one frame as a datagram; throws ProtocolError (side "local") when the frame is not valid. */
export function encodeFrame(frame: Frame): Uint8Array {
  const w: Sink = { o: new Uint8Array(0), p: HEADER_SIZE };
  body(w, frame);
  const total = checkInt(w.p, 0xffff, "total length");
  w.o = new Uint8Array(total);
  w.p = 0;
  byte(w, HEADER_SIZE);
  byte(w, KNXNETIP_VERSION_10);
  word(w, frame.service);
  word(w, total);
  body(w, frame);
  return w.o;
}

function body(w: Sink, f: Frame): void {
  switch (f.service) {
    case SEARCH_REQUEST:
      hpai(w, f.discoveryEndpoint, "discovery endpoint");
      return;
    case SEARCH_RESPONSE:
      hpai(w, f.controlEndpoint, "control endpoint");
      description(w, f);
      return;
    case DESCRIPTION_REQUEST:
      hpai(w, f.controlEndpoint, "control endpoint");
      return;
    case DESCRIPTION_RESPONSE:
      description(w, f);
      return;
    case CONNECT_REQUEST:
      hpai(w, f.controlEndpoint, "control endpoint");
      hpai(w, f.dataEndpoint, "data endpoint");
      cri(w, f.cri);
      return;
    case CONNECT_RESPONSE:
      byte(w, checkInt(f.channelId, 255, "channel id"));
      byte(w, checkInt(f.status, 255, "status"));
      if (f.dataEndpoint === undefined && f.crd === undefined && f.status !== E_NO_ERROR) return;
      // 3.8.2: an accepted connection names its data endpoint and its CRD.
      if (!f.dataEndpoint || !f.crd) throw local(KNX_BAD_VALUE, "a CONNECT_RESPONSE carries both a data endpoint and a CRD, or (a refusal) neither");
      hpai(w, f.dataEndpoint, "data endpoint");
      crd(w, f.crd);
      return;
    case CONNECTIONSTATE_REQUEST:
    case DISCONNECT_REQUEST:
      byte(w, checkInt(f.channelId, 255, "channel id"));
      byte(w, 0); // reserved
      hpai(w, f.controlEndpoint, "control endpoint");
      return;
    case CONNECTIONSTATE_RESPONSE:
    case DISCONNECT_RESPONSE:
      byte(w, checkInt(f.channelId, 255, "channel id"));
      byte(w, checkInt(f.status, 255, "status"));
      return;
    case TUNNELLING_REQUEST:
      connectionHeader(w, f.channelId, f.sequenceCounter, 0);
      writeCemi(w, f.cemi);
      return;
    case TUNNELLING_ACK:
      connectionHeader(w, f.channelId, f.sequenceCounter, f.status);
      return;
    case ROUTING_INDICATION:
      writeCemi(w, f.cemi);
      return;
    case ROUTING_LOST_MESSAGE:
      byte(w, ROUTING_LOST_SIZE);
      byte(w, checkInt(f.deviceState, 255, "device state"));
      word(w, checkInt(f.lostMessages, 0xffff, "lost messages"));
      return;
    case ROUTING_BUSY:
      byte(w, ROUTING_BUSY_SIZE);
      byte(w, checkInt(f.deviceState, 255, "device state"));
      word(w, checkInt(f.waitTimeMs, 0xffff, "wait time"));
      word(w, checkInt(f.control, 0xffff, "control field"));
      return;
    default:
      throw local(KNX_UNKNOWN_SERVICE, `service type ${String((f as { service: unknown }).service)}`);
  }
}

function hpai(w: Sink, h: Hpai, what: string): void {
  byte(w, HPAI_SIZE);
  if (h.protocol !== IPV4_UDP && h.protocol !== IPV4_TCP) throw local(KNX_BAD_VALUE, `${what}: host protocol ${String(h.protocol)}`);
  byte(w, h.protocol);
  writeIpv4(w, h.address, what);
  word(w, checkInt(h.port, 0xffff, `${what} port`));
}

function connectionHeader(w: Sink, channelId: number, sequenceCounter: number, status: number): void {
  byte(w, CONNECTION_HEADER_SIZE);
  byte(w, checkInt(channelId, 255, "channel id"));
  byte(w, checkInt(sequenceCounter, 255, "sequence counter"));
  byte(w, checkInt(status, 255, "status"));
}

/** Whether a connection type carries nothing after its type (every type but tunnels). */
function plain(type: number): boolean {
  return type === DEVICE_MGMT_CONNECTION || type === REMLOG_CONNECTION || type === REMCONF_CONNECTION || type === OBJSVR_CONNECTION;
}

function cri(w: Sink, c: Cri): void {
  if (c.connectionType === TUNNEL_CONNECTION) {
    const extended = c.address !== undefined;
    byte(w, extended ? TUNNEL_CRI_EXTENDED_SIZE : TUNNEL_CRI_SIZE);
    byte(w, TUNNEL_CONNECTION);
    byte(w, checkInt(c.layer, 255, "tunnel KNX layer"));
    byte(w, 0); // reserved
    if (extended) word(w, checkInt(c.address, 0xffff, "CRI individual address"));
    return;
  }
  if (!plain(c.connectionType) || c.layer !== undefined || c.address !== undefined) {
    throw local(KNX_BAD_VALUE, `CRI: connection type ${String(c.connectionType)} with a layer or an address`);
  }
  byte(w, PLAIN_CRI_SIZE);
  byte(w, c.connectionType);
}

function crd(w: Sink, c: Crd): void {
  if (c.connectionType === TUNNEL_CONNECTION) {
    byte(w, TUNNEL_CRD_SIZE);
    byte(w, TUNNEL_CONNECTION);
    word(w, checkInt(c.address, 0xffff, "CRD individual address"));
    return;
  }
  if (!plain(c.connectionType) || c.address !== undefined) throw local(KNX_BAD_VALUE, `CRD: connection type ${String(c.connectionType)} with an address`);
  byte(w, PLAIN_CRI_SIZE);
  byte(w, c.connectionType);
}

/** DIB_DEVICE_INFO, DIB_SUPP_SVC_FAMILIES, then any further DIBs as given (3.8.2 "DIB"). */
function description(w: Sink, d: DeviceDescription): void {
  const dev = d.device;
  byte(w, DEVICE_INFO_SIZE);
  byte(w, DIB_DEVICE_INFO);
  byte(w, checkInt(dev.medium, 255, "medium"));
  byte(w, dev.programmingMode ? DEVICE_PROGRAMMING_MODE : 0);
  word(w, checkInt(dev.address, 0xffff, "device individual address"));
  word(w, checkInt(dev.projectInstallationId, 0xffff, "project installation id"));
  writeSerial(w, dev.serialNumber);
  writeIpv4(w, dev.multicastAddress, "multicast address");
  writeMac(w, dev.macAddress);
  writeLatin1(w, dev.name, DEVICE_NAME_SIZE, 0xff, "device name", KNX_BAD_VALUE);
  const families = d.families;
  byte(w, checkInt(2 + 2 * families.length, 254, "DIB_SUPP_SVC_FAMILIES length"));
  byte(w, DIB_SUPP_SVC_FAMILIES);
  for (const f of families) {
    byte(w, checkInt(f.family, 255, "service family"));
    byte(w, checkInt(f.version, 255, "service family version"));
  }
  for (const dib of d.dibs ?? []) {
    byte(w, checkInt(2 + dib.data.length, 255, "DIB length"));
    byte(w, checkInt(dib.type, 255, "DIB type"));
    put(w, dib.data);
  }
}
