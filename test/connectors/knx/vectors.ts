/**
 * KNXnet/IP golden vectors: a frame and its exact datagram, with a comment per field.
 * Every service the codec knows appears at least once; the cEMI frames cover the short
 * and the long group value forms, additional information, extended frames, individual
 * destinations and control TPDUs. The bytes follow the structures of KNX 3.8.2 (Core),
 * 3.8.4 (Tunnelling), 3.8.5 (Routing) and 3.6.3 (cEMI), and tshark's KNXnet/IP and cEMI
 * dissectors read each as the same frame (tshark.test.ts).
 *
 * `bytes` is the canonical encoding (what `encodeFrame` writes); decoding it gives
 * `frame` exactly, so every optional field the decoder sets is listed.
 *
 * Runs under vitest and inside XS: no Buffer, no TextEncoder.
 */
import type { Frame, LData } from "../../../src/connectors/knx/frames.js";

export interface FrameVector {
  name: string;
  frame: Frame;
  bytes: number[];
}

export interface DecodeErrorVector {
  name: string;
  bytes: number[];
  code: string;
}

export interface EncodeErrorVector {
  name: string;
  frame: Frame;
  code: string;
}

/** ASCII text as bytes, padded with 0 to `size`. */
export function ascii(text: string, size = text.length): number[] {
  const out: number[] = [];
  for (let i = 0; i < size; i++) out.push(i < text.length ? text.charCodeAt(i) : 0);
  return out;
}

const u8 = (bytes: number[]) => new Uint8Array(bytes);
const NAT = { protocol: 1, address: "0.0.0.0", port: 0 };
const CLIENT = { protocol: 1, address: "192.168.1.20", port: 50100 };
const GATEWAY = { protocol: 1, address: "192.168.1.10", port: 3671 };

/** The fields of an L_Data frame as the decoder sets them, for a standard group telegram. */
function lData(fields: Partial<LData> & Pick<LData, "messageCode" | "destination">): LData {
  return {
    additionalInfo: [], extended: false, repeat: false, systemBroadcast: false, priority: 3, ackRequest: false,
    confirmError: false, group: true, hopCount: 6, extendedFormat: 0, source: 0, tpci: 0, data: u8([]), short: false,
    ...fields,
  };
}

const DEVICE = {
  medium: 0x02, programmingMode: false, address: 0x1100, projectInstallationId: 0, serialNumber: "00ef265006c1",
  multicastAddress: "224.0.23.12", macAddress: "00:24:6d:01:02:03", name: "KNX IP Router",
};
const DEVICE_BYTES = [
  0x36, 0x01, // DIB length 54, DIB_DEVICE_INFO
  0x02, // KNX medium TP1
  0x00, // device status: not in programming mode
  0x11, 0x00, // individual address 1.1.0
  0x00, 0x00, // project-installation id
  0x00, 0xef, 0x26, 0x50, 0x06, 0xc1, // KNX serial number
  0xe0, 0x00, 0x17, 0x0c, // routing multicast address 224.0.23.12
  0x00, 0x24, 0x6d, 0x01, 0x02, 0x03, // MAC address
  ...ascii("KNX IP Router", 30), // friendly name, ISO 8859-1, padded with 0 to 30 bytes
];
const FAMILIES = [{ family: 2, version: 1 }, { family: 3, version: 1 }, { family: 4, version: 1 }, { family: 5, version: 1 }];
const FAMILIES_BYTES = [
  0x0a, 0x02, // DIB length 10, DIB_SUPP_SVC_FAMILIES
  0x02, 0x01, // core, version 1
  0x03, 0x01, // device management, version 1
  0x04, 0x01, // tunnelling, version 1
  0x05, 0x01, // routing, version 1
];

export const FRAME_VECTORS: FrameVector[] = [
  {
    name: "a TUNNELLING_REQUEST carrying L_Data.req GroupValue_Write 1 to 1/2/3 in the short form",
    frame: { service: 0x0420, channelId: 1, sequenceCounter: 0, cemi: lData({ messageCode: 0x11, destination: 0x0a03, apci: 0x080, data: u8([0x01]), short: true }) },
    bytes: [
      0x06, 0x10, 0x04, 0x20, 0x00, 0x15, // header: length 6, version 1.0, TUNNELLING_REQUEST, total 21
      0x04, 0x01, 0x00, 0x00, // connection header: length 4, channel 1, sequence 0, reserved
      0x11, // cEMI L_Data.req
      0x00, // no additional information
      0xbc, // control 1: standard frame, do not repeat, broadcast, priority low, no ack request
      0xe0, // control 2: group destination, hop count 6, standard format
      0x00, 0x00, // source 0.0.0 (the server puts in its own)
      0x0a, 0x03, // destination 1/2/3
      0x01, // length: one octet after the TPCI
      0x00, // TPCI: T_Data_Group
      0x81, // APCI GroupValue_Write (10b), value 1 in the 6 low bits
    ],
  },
  {
    name: "a TUNNELLING_ACK",
    frame: { service: 0x0421, channelId: 1, sequenceCounter: 0, status: 0 },
    bytes: [
      0x06, 0x10, 0x04, 0x21, 0x00, 0x0a, // header: TUNNELLING_ACK, total 10
      0x04, 0x01, 0x00, 0x00, // connection header: length 4, channel 1, sequence 0, E_NO_ERROR
    ],
  },
  {
    name: "a TUNNELLING_ACK refusing a sequence number",
    frame: { service: 0x0421, channelId: 0x15, sequenceCounter: 0xff, status: 0x04 },
    bytes: [
      0x06, 0x10, 0x04, 0x21, 0x00, 0x0a, // header: TUNNELLING_ACK, total 10
      0x04, 0x15, 0xff, 0x04, // connection header: channel 21, sequence 255, E_SEQUENCE_NUMBER
    ],
  },
  {
    name: "a TUNNELLING_REQUEST carrying the L_Data.con of that write, source filled in",
    frame: { service: 0x0420, channelId: 1, sequenceCounter: 7, cemi: lData({ messageCode: 0x2e, source: 0x11fa, destination: 0x0a03, apci: 0x080, data: u8([0x01]), short: true }) },
    bytes: [
      0x06, 0x10, 0x04, 0x20, 0x00, 0x15, // header: TUNNELLING_REQUEST, total 21
      0x04, 0x01, 0x07, 0x00, // connection header: channel 1, sequence 7
      0x2e, // cEMI L_Data.con
      0x00, // no additional information
      0xbc, // control 1: confirm flag clear (sent)
      0xe0, // control 2: group, hop count 6
      0x11, 0xfa, // source 1.1.250
      0x0a, 0x03, // destination 1/2/3
      0x01, 0x00, 0x81, // length 1, T_Data_Group, GroupValue_Write 1
    ],
  },
  {
    name: "a TUNNELLING_REQUEST carrying a GroupValue_Read of 1/2/3",
    frame: { service: 0x0420, channelId: 1, sequenceCounter: 1, cemi: lData({ messageCode: 0x11, destination: 0x0a03, apci: 0x000 }) },
    bytes: [
      0x06, 0x10, 0x04, 0x20, 0x00, 0x15, // header: TUNNELLING_REQUEST, total 21
      0x04, 0x01, 0x01, 0x00, // connection header: channel 1, sequence 1
      0x11, 0x00, 0xbc, 0xe0, // L_Data.req, no additional information, control 1, control 2
      0x00, 0x00, 0x0a, 0x03, // source 0.0.0, destination 1/2/3
      0x01, 0x00, 0x00, // length 1, T_Data_Group, GroupValue_Read (no data)
    ],
  },
  {
    name: "a ROUTING_INDICATION carrying L_Data.ind GroupValue_Write 50 % (DPT 5.001) in the long form",
    frame: { service: 0x0530, cemi: lData({ messageCode: 0x29, source: 0x11fa, destination: 0x0a04, apci: 0x080, data: u8([0x80]) }) },
    bytes: [
      0x06, 0x10, 0x05, 0x30, 0x00, 0x12, // header: ROUTING_INDICATION, total 18
      0x29, // cEMI L_Data.ind
      0x00, // no additional information
      0xbc, 0xe0, // control 1, control 2
      0x11, 0xfa, // source 1.1.250
      0x0a, 0x04, // destination 1/2/4
      0x02, // length 2
      0x00, 0x80, // T_Data_Group, GroupValue_Write, 6 low bits unused
      0x80, // 50 % scaled to 0–255: 128
    ],
  },
  {
    name: "a ROUTING_INDICATION carrying 21.5 °C (DPT 9.001) as a GroupValue_Response",
    frame: { service: 0x0530, cemi: lData({ messageCode: 0x29, source: 0x110a, destination: 0x0a05, apci: 0x040, data: u8([0x0c, 0x33]) }) },
    bytes: [
      0x06, 0x10, 0x05, 0x30, 0x00, 0x13, // header: ROUTING_INDICATION, total 19
      0x29, 0x00, 0xbc, 0xe0, // L_Data.ind, no additional information, control 1, control 2
      0x11, 0x0a, // source 1.1.10
      0x0a, 0x05, // destination 1/2/5
      0x03, // length 3
      0x00, 0x40, // T_Data_Group, GroupValue_Response
      0x0c, 0x33, // 2-octet float: E = 1, M = 1075: 0.01 × 1075 × 2 = 21.5
    ],
  },
  {
    name: "an L_Data.ind with a relative timestamp, urgent priority, repeated, hop count 5",
    frame: {
      service: 0x0420, channelId: 3, sequenceCounter: 200,
      cemi: lData({
        messageCode: 0x29, additionalInfo: [{ type: 0x04, data: u8([0x12, 0x34]) }], repeat: true, priority: 2, hopCount: 5,
        source: 0x1203, destination: 0x0001, apci: 0x080, data: u8([0x00]), short: true,
      }),
    },
    bytes: [
      0x06, 0x10, 0x04, 0x20, 0x00, 0x19, // header: TUNNELLING_REQUEST, total 25
      0x04, 0x03, 0xc8, 0x00, // connection header: channel 3, sequence 200
      0x29, // cEMI L_Data.ind
      0x04, // 4 bytes of additional information
      0x04, 0x02, 0x12, 0x34, // type 04h relative timestamp, length 2, 1234h
      0x98, // control 1: standard, repeated (bit 5 clear), broadcast, priority urgent (10b)
      0xd0, // control 2: group, hop count 5
      0x12, 0x03, // source 1.2.3
      0x00, 0x01, // destination 0/0/1
      0x01, 0x00, 0x80, // length 1, T_Data_Group, GroupValue_Write 0
    ],
  },
  {
    name: "an L_Data.ind carrying a 14-character string (DPT 16.000), the longest standard frame",
    frame: { service: 0x0530, cemi: lData({ messageCode: 0x29, source: 0x11fa, destination: 0x1000, apci: 0x080, data: u8(ascii("KNX is OK", 14)) }) },
    bytes: [
      0x06, 0x10, 0x05, 0x30, 0x00, 0x1f, // header: ROUTING_INDICATION, total 31
      0x29, 0x00, 0xbc, 0xe0, // L_Data.ind, no additional information, control 1, control 2
      0x11, 0xfa, 0x10, 0x00, // source 1.1.250, destination 2/0/0
      0x0f, // length 15: a TPDU of 16 octets, the most a standard frame holds
      0x00, 0x80, // T_Data_Group, GroupValue_Write
      ...ascii("KNX is OK", 14), // "KNX is OK" padded with 0 to 14 bytes
    ],
  },
  {
    name: "an extended L_Data.req carrying 20 bytes",
    frame: {
      service: 0x0420, channelId: 1, sequenceCounter: 2,
      cemi: lData({ messageCode: 0x11, extended: true, destination: 0x0a06, apci: 0x080, data: u8(Array.from({ length: 20 }, (_, i) => i)) }),
    },
    bytes: [
      0x06, 0x10, 0x04, 0x20, 0x00, 0x29, // header: TUNNELLING_REQUEST, total 41
      0x04, 0x01, 0x02, 0x00, // connection header: channel 1, sequence 2
      0x11, 0x00, // L_Data.req, no additional information
      0x3c, // control 1: extended frame (bit 7 clear), do not repeat, broadcast, priority low
      0xe0, // control 2: group, hop count 6, extended frame format 0
      0x00, 0x00, 0x0a, 0x06, // source 0.0.0, destination 1/2/6
      0x15, // length 21
      0x00, 0x80, // T_Data_Group, GroupValue_Write
      ...Array.from({ length: 20 }, (_, i) => i), // 20 data bytes 00h–13h
    ],
  },
  {
    name: "an L_Data.req T_Connect to individual address 1.1.5 (a control TPDU)",
    frame: { service: 0x0420, channelId: 1, sequenceCounter: 3, cemi: lData({ messageCode: 0x11, group: false, destination: 0x1105, tpci: 0x80 }) },
    bytes: [
      0x06, 0x10, 0x04, 0x20, 0x00, 0x14, // header: TUNNELLING_REQUEST, total 20
      0x04, 0x01, 0x03, 0x00, // connection header: channel 1, sequence 3
      0x11, 0x00, 0xbc, // L_Data.req, no additional information, control 1
      0x60, // control 2: individual destination, hop count 6
      0x00, 0x00, 0x11, 0x05, // source 0.0.0, destination 1.1.5
      0x00, // length 0: the TPCI alone
      0x80, // TPCI: T_Connect
    ],
  },
  {
    name: "an L_Data.req A_Memory_Read in a numbered data TPDU",
    frame: {
      service: 0x0420, channelId: 1, sequenceCounter: 4,
      cemi: lData({ messageCode: 0x11, group: false, priority: 0, destination: 0x1105, tpci: 0x44, apci: 0x201, data: u8([0x00, 0x60]) }),
    },
    bytes: [
      0x06, 0x10, 0x04, 0x20, 0x00, 0x17, // header: TUNNELLING_REQUEST, total 23
      0x04, 0x01, 0x04, 0x00, // connection header: channel 1, sequence 4
      0x11, 0x00, // L_Data.req, no additional information
      0xb0, // control 1: standard, do not repeat, broadcast, priority system
      0x60, // control 2: individual destination, hop count 6
      0x00, 0x00, 0x11, 0x05, // source 0.0.0, destination 1.1.5
      0x03, // length 3
      0x46, // TPCI: numbered data, sequence 1 (0100 01b), APCI bits 9–8 (10b)
      0x01, // APCI bits 7–0: A_Memory_Read (1000b), 1 byte
      0x00, 0x60, // memory address 0060h
    ],
  },
  {
    name: "a CONNECT_REQUEST for a link-layer tunnel in NAT mode",
    frame: { service: 0x0205, controlEndpoint: NAT, dataEndpoint: NAT, cri: { connectionType: 4, layer: 2 } },
    bytes: [
      0x06, 0x10, 0x02, 0x05, 0x00, 0x1a, // header: CONNECT_REQUEST, total 26
      0x08, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // control endpoint HPAI: UDP, 0.0.0.0:0 (NAT)
      0x08, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // data endpoint HPAI: UDP, 0.0.0.0:0 (NAT)
      0x04, 0x04, 0x02, 0x00, // CRI: length 4, TUNNEL_CONNECTION, TUNNEL_LINKLAYER, reserved
    ],
  },
  {
    name: "a CONNECT_REQUEST with explicit endpoints and an extended CRI asking for 1.1.254",
    frame: { service: 0x0205, controlEndpoint: CLIENT, dataEndpoint: CLIENT, cri: { connectionType: 4, layer: 2, address: 0x11fe } },
    bytes: [
      0x06, 0x10, 0x02, 0x05, 0x00, 0x1c, // header: CONNECT_REQUEST, total 28
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x14, 0xc3, 0xb4, // control endpoint: UDP 192.168.1.20:50100
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x14, 0xc3, 0xb4, // data endpoint: UDP 192.168.1.20:50100
      0x06, 0x04, 0x02, 0x00, 0x11, 0xfe, // CRI: length 6, tunnel, link layer, reserved, address 1.1.254
    ],
  },
  {
    name: "a CONNECT_REQUEST for device management",
    frame: { service: 0x0205, controlEndpoint: CLIENT, dataEndpoint: CLIENT, cri: { connectionType: 3 } },
    bytes: [
      0x06, 0x10, 0x02, 0x05, 0x00, 0x18, // header: CONNECT_REQUEST, total 24
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x14, 0xc3, 0xb4, // control endpoint
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x14, 0xc3, 0xb4, // data endpoint
      0x02, 0x03, // CRI: length 2, DEVICE_MGMT_CONNECTION
    ],
  },
  {
    name: "a CONNECT_RESPONSE accepting with channel 21 and address 1.1.255",
    frame: { service: 0x0206, channelId: 21, status: 0, dataEndpoint: GATEWAY, crd: { connectionType: 4, address: 0x11ff } },
    bytes: [
      0x06, 0x10, 0x02, 0x06, 0x00, 0x14, // header: CONNECT_RESPONSE, total 20
      0x15, // communication channel id 21
      0x00, // E_NO_ERROR
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x0a, 0x0e, 0x57, // data endpoint: UDP 192.168.1.10:3671
      0x04, 0x04, 0x11, 0xff, // CRD: length 4, TUNNEL_CONNECTION, individual address 1.1.255
    ],
  },
  {
    name: "a CONNECT_RESPONSE refusing with E_NO_MORE_CONNECTIONS",
    frame: { service: 0x0206, channelId: 0, status: 0x24 },
    bytes: [
      0x06, 0x10, 0x02, 0x06, 0x00, 0x08, // header: CONNECT_RESPONSE, total 8
      0x00, // channel id 0
      0x24, // E_NO_MORE_CONNECTIONS; no data endpoint, no CRD
    ],
  },
  {
    name: "a CONNECTIONSTATE_REQUEST in NAT mode",
    frame: { service: 0x0207, channelId: 21, controlEndpoint: NAT },
    bytes: [
      0x06, 0x10, 0x02, 0x07, 0x00, 0x10, // header: CONNECTIONSTATE_REQUEST, total 16
      0x15, 0x00, // channel 21, reserved
      0x08, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // control endpoint: UDP 0.0.0.0:0
    ],
  },
  {
    name: "a CONNECTIONSTATE_RESPONSE reporting E_CONNECTION_ID",
    frame: { service: 0x0208, channelId: 21, status: 0x21 },
    bytes: [
      0x06, 0x10, 0x02, 0x08, 0x00, 0x08, // header: CONNECTIONSTATE_RESPONSE, total 8
      0x15, 0x21, // channel 21, E_CONNECTION_ID
    ],
  },
  {
    name: "a DISCONNECT_REQUEST",
    frame: { service: 0x0209, channelId: 21, controlEndpoint: CLIENT },
    bytes: [
      0x06, 0x10, 0x02, 0x09, 0x00, 0x10, // header: DISCONNECT_REQUEST, total 16
      0x15, 0x00, // channel 21, reserved
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x14, 0xc3, 0xb4, // control endpoint: UDP 192.168.1.20:50100
    ],
  },
  {
    name: "a DISCONNECT_RESPONSE",
    frame: { service: 0x020a, channelId: 21, status: 0 },
    bytes: [
      0x06, 0x10, 0x02, 0x0a, 0x00, 0x08, // header: DISCONNECT_RESPONSE, total 8
      0x15, 0x00, // channel 21, E_NO_ERROR
    ],
  },
  {
    name: "a SEARCH_REQUEST",
    frame: { service: 0x0201, discoveryEndpoint: CLIENT },
    bytes: [
      0x06, 0x10, 0x02, 0x01, 0x00, 0x0e, // header: SEARCH_REQUEST, total 14
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x14, 0xc3, 0xb4, // discovery endpoint: UDP 192.168.1.20:50100
    ],
  },
  {
    name: "a SEARCH_RESPONSE from a KNX IP router",
    frame: { service: 0x0202, controlEndpoint: GATEWAY, device: DEVICE, families: FAMILIES, dibs: [] },
    bytes: [
      0x06, 0x10, 0x02, 0x02, 0x00, 0x4e, // header: SEARCH_RESPONSE, total 78
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x0a, 0x0e, 0x57, // control endpoint: UDP 192.168.1.10:3671
      ...DEVICE_BYTES, // DIB_DEVICE_INFO
      ...FAMILIES_BYTES, // DIB_SUPP_SVC_FAMILIES
    ],
  },
  {
    name: "a DESCRIPTION_REQUEST",
    frame: { service: 0x0203, controlEndpoint: CLIENT },
    bytes: [
      0x06, 0x10, 0x02, 0x03, 0x00, 0x0e, // header: DESCRIPTION_REQUEST, total 14
      0x08, 0x01, 0xc0, 0xa8, 0x01, 0x14, 0xc3, 0xb4, // control endpoint: UDP 192.168.1.20:50100
    ],
  },
  {
    name: "a DESCRIPTION_RESPONSE in programming mode, with manufacturer data",
    frame: {
      service: 0x0204,
      device: { ...DEVICE, programmingMode: true, medium: 0x20, name: "Gateway Küche" },
      families: [{ family: 2, version: 2 }, { family: 3, version: 2 }, { family: 4, version: 2 }],
      dibs: [{ type: 0xfe, data: u8([0x00, 0xc5, 0x01, 0x02]) }],
    },
    bytes: [
      0x06, 0x10, 0x02, 0x04, 0x00, 0x4a, // header: DESCRIPTION_RESPONSE, total 74
      0x36, 0x01, // DIB length 54, DIB_DEVICE_INFO
      0x20, // KNX medium IP
      0x01, // device status: programming mode
      0x11, 0x00, 0x00, 0x00, // individual address 1.1.0, project-installation id 0
      0x00, 0xef, 0x26, 0x50, 0x06, 0xc1, // serial number
      0xe0, 0x00, 0x17, 0x0c, // multicast 224.0.23.12
      0x00, 0x24, 0x6d, 0x01, 0x02, 0x03, // MAC address
      ...ascii("Gateway K\u00fcche", 30), // "Gateway Küche": ü is FCh in ISO 8859-1
      0x08, 0x02, // DIB length 8, DIB_SUPP_SVC_FAMILIES
      0x02, 0x02, 0x03, 0x02, 0x04, 0x02, // core v2, device management v2, tunnelling v2
      0x06, 0xfe, // DIB length 6, DIB_MFR_DATA
      0x00, 0xc5, 0x01, 0x02, // manufacturer id 00C5h, then its data
    ],
  },
  {
    name: "a ROUTING_BUSY asking for a 100 ms pause",
    frame: { service: 0x0532, deviceState: 0, waitTimeMs: 100, control: 0 },
    bytes: [
      0x06, 0x10, 0x05, 0x32, 0x00, 0x0c, // header: ROUTING_BUSY, total 12
      0x06, // busy info length 6
      0x00, // device state: no fault
      0x00, 0x64, // routing busy wait time 100 ms
      0x00, 0x00, // routing busy control field
    ],
  },
  {
    name: "a ROUTING_LOST_MESSAGE counting 5 lost messages",
    frame: { service: 0x0531, deviceState: 1, lostMessages: 5 },
    bytes: [
      0x06, 0x10, 0x05, 0x31, 0x00, 0x0a, // header: ROUTING_LOST_MESSAGE, total 10
      0x04, // lost message info length 4
      0x01, // device state: KNX fault
      0x00, 0x05, // 5 lost messages
    ],
  },
];

/** A TUNNELLING_REQUEST header and connection header around `cemi`. */
function tunnelled(cemi: number[]): number[] {
  const total = 10 + cemi.length;
  return [0x06, 0x10, 0x04, 0x20, total >> 8, total & 0xff, 0x04, 0x01, 0x00, 0x00, ...cemi];
}

export const DECODE_ERRORS: DecodeErrorVector[] = [
  { name: "a datagram shorter than the header", bytes: [0x06, 0x10, 0x02, 0x01, 0x00], code: "KNX_TRUNCATED" },
  { name: "a header length of 5", bytes: [0x05, 0x10, 0x02, 0x08, 0x00, 0x08, 0x15, 0x00], code: "KNX_BAD_HEADER" },
  { name: "protocol version 2.0", bytes: [0x06, 0x20, 0x02, 0x08, 0x00, 0x08, 0x15, 0x00], code: "KNX_BAD_HEADER" },
  { name: "a total length shorter than the header", bytes: [0x06, 0x10, 0x02, 0x08, 0x00, 0x04, 0x15, 0x00], code: "KNX_BAD_LENGTH" },
  { name: "a total length past the datagram", bytes: [0x06, 0x10, 0x02, 0x08, 0x00, 0x09, 0x15, 0x00], code: "KNX_TRUNCATED" },
  { name: "bytes after the total length", bytes: [0x06, 0x10, 0x02, 0x08, 0x00, 0x08, 0x15, 0x00, 0x00], code: "KNX_BAD_LENGTH" },
  { name: "a body with a byte left over", bytes: [0x06, 0x10, 0x02, 0x08, 0x00, 0x09, 0x15, 0x00, 0x00], code: "KNX_BAD_LENGTH" },
  { name: "SEARCH_REQUEST_EXT, a service this codec does not know", bytes: [0x06, 0x10, 0x02, 0x0b, 0x00, 0x0e, 0x08, 0x01, 0, 0, 0, 0, 0, 0], code: "KNX_UNKNOWN_SERVICE" },
  { name: "service type 0", bytes: [0x06, 0x10, 0x00, 0x00, 0x00, 0x06], code: "KNX_UNKNOWN_SERVICE" },
  { name: "an HPAI of length 7", bytes: [0x06, 0x10, 0x02, 0x01, 0x00, 0x0e, 0x07, 0x01, 0, 0, 0, 0, 0, 0], code: "KNX_BAD_LENGTH" },
  { name: "an HPAI with host protocol 3", bytes: [0x06, 0x10, 0x02, 0x01, 0x00, 0x0e, 0x08, 0x03, 0, 0, 0, 0, 0, 0], code: "KNX_BAD_VALUE" },
  { name: "a connection header of length 5", bytes: [0x06, 0x10, 0x04, 0x21, 0x00, 0x0a, 0x05, 0x01, 0x00, 0x00], code: "KNX_BAD_LENGTH" },
  { name: "a tunnel CRI of length 5", bytes: [0x06, 0x10, 0x02, 0x05, 0x00, 0x1b, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0x05, 0x04, 0x02, 0x00, 0x00], code: "KNX_BAD_LENGTH" },
  { name: "a CRI with connection type 9", bytes: [0x06, 0x10, 0x02, 0x05, 0x00, 0x18, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0x02, 0x09], code: "KNX_BAD_VALUE" },
  { name: "a CRI whose length runs past the frame", bytes: [0x06, 0x10, 0x02, 0x05, 0x00, 0x18, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0x04, 0x04], code: "KNX_TRUNCATED" },
  { name: "an accepting CONNECT_RESPONSE without data endpoint", bytes: [0x06, 0x10, 0x02, 0x06, 0x00, 0x08, 0x15, 0x00], code: "KNX_TRUNCATED" },
  { name: "a ROUTING_BUSY info of length 5", bytes: [0x06, 0x10, 0x05, 0x32, 0x00, 0x0c, 0x05, 0x00, 0x00, 0x64, 0x00, 0x00], code: "KNX_BAD_LENGTH" },
  { name: "a DIB of length 1", bytes: [0x06, 0x10, 0x02, 0x04, 0x00, 0x08, 0x01, 0x01], code: "KNX_BAD_LENGTH" },
  { name: "a DIB_DEVICE_INFO of length 53", bytes: [0x06, 0x10, 0x02, 0x04, 0x00, 0x3b, 0x35, 0x01, ...new Array<number>(51).fill(0)], code: "KNX_BAD_LENGTH" },
  { name: "a DIB_SUPP_SVC_FAMILIES of odd length", bytes: [0x06, 0x10, 0x02, 0x04, 0x00, 0x41, ...DEVICE_BYTES, 0x05, 0x02, 0x02, 0x01, 0x04], code: "KNX_BAD_LENGTH" },
  { name: "a DESCRIPTION_RESPONSE without DIB_SUPP_SVC_FAMILIES", bytes: [0x06, 0x10, 0x02, 0x04, 0x00, 0x3c, ...DEVICE_BYTES], code: "KNX_TRUNCATED" },
  { name: "a DIB whose length runs past the frame", bytes: [0x06, 0x10, 0x02, 0x04, 0x00, 0x0a, 0x08, 0xfe, 0x00, 0xc5], code: "KNX_TRUNCATED" },
  { name: "a ROUTING_INDICATION with no cEMI frame", bytes: [0x06, 0x10, 0x05, 0x30, 0x00, 0x06], code: "KNX_BAD_CEMI" },
  { name: "a cEMI L_Data cut after its addresses", bytes: tunnelled([0x11, 0x00, 0xbc, 0xe0, 0x00, 0x00, 0x0a, 0x03]), code: "KNX_BAD_CEMI" },
  { name: "cEMI additional information past the frame", bytes: tunnelled([0x29, 0x20, 0x04, 0x02, 0x12, 0x34, 0xbc, 0xe0, 0, 0, 0x0a, 0x03, 0x01, 0x00, 0x81]), code: "KNX_BAD_CEMI" },
  { name: "a cEMI additional info block past its length", bytes: tunnelled([0x29, 0x03, 0x04, 0x02, 0x12, 0x34, 0xbc, 0xe0, 0, 0, 0x0a, 0x03, 0x01, 0x00, 0x81]), code: "KNX_BAD_CEMI" },
  { name: "a cEMI length announcing more than follows", bytes: tunnelled([0x11, 0x00, 0xbc, 0xe0, 0, 0, 0x0a, 0x03, 0x02, 0x00, 0x81]), code: "KNX_BAD_CEMI" },
  { name: "a cEMI length announcing less than follows", bytes: tunnelled([0x11, 0x00, 0xbc, 0xe0, 0, 0, 0x0a, 0x03, 0x01, 0x00, 0x80, 0x01]), code: "KNX_BAD_CEMI" },
  { name: "a standard frame of length 16", bytes: tunnelled([0x11, 0x00, 0xbc, 0xe0, 0, 0, 0x0a, 0x03, 0x10, 0x00, 0x80, ...new Array<number>(15).fill(0)]), code: "KNX_BAD_CEMI" },
  { name: "an extended frame of length 255", bytes: tunnelled([0x11, 0x00, 0x3c, 0xe0, 0, 0, 0x0a, 0x03, 0xff, 0x00, 0x80, ...new Array<number>(254).fill(0)]), code: "KNX_BAD_CEMI" },
  { name: "a control TPDU with an APDU", bytes: tunnelled([0x11, 0x00, 0xbc, 0x60, 0, 0, 0x11, 0x05, 0x01, 0x80, 0x00]), code: "KNX_BAD_CEMI" },
  { name: "a data TPDU without APCI", bytes: tunnelled([0x11, 0x00, 0xbc, 0xe0, 0, 0, 0x0a, 0x03, 0x00, 0x00]), code: "KNX_BAD_CEMI" },
];

const WRITE = (fields: Partial<LData>): Frame => ({
  service: 0x0420, channelId: 1, sequenceCounter: 0, cemi: { messageCode: 0x11, destination: 0x0a03, apci: 0x080, ...fields },
});

export const ENCODE_ERRORS: EncodeErrorVector[] = [
  { name: "a channel id of 256", frame: { service: 0x0208, channelId: 256, status: 0 }, code: "KNX_BAD_VALUE" },
  { name: "a negative sequence counter", frame: { service: 0x0421, channelId: 1, sequenceCounter: -1, status: 0 }, code: "KNX_BAD_VALUE" },
  { name: "an HPAI address with three parts", frame: { service: 0x0201, discoveryEndpoint: { protocol: 1, address: "192.168.1", port: 3671 } }, code: "KNX_BAD_VALUE" },
  { name: "an HPAI address part over 255", frame: { service: 0x0201, discoveryEndpoint: { protocol: 1, address: "192.168.1.256", port: 3671 } }, code: "KNX_BAD_VALUE" },
  { name: "an HPAI address part with a leading zero", frame: { service: 0x0201, discoveryEndpoint: { protocol: 1, address: "192.168.01.2", port: 3671 } }, code: "KNX_BAD_VALUE" },
  { name: "an HPAI port over 65535", frame: { service: 0x0201, discoveryEndpoint: { protocol: 1, address: "0.0.0.0", port: 65536 } }, code: "KNX_BAD_VALUE" },
  { name: "an HPAI with host protocol 3", frame: { service: 0x0201, discoveryEndpoint: { protocol: 3, address: "0.0.0.0", port: 0 } }, code: "KNX_BAD_VALUE" },
  { name: "an accepting CONNECT_RESPONSE without CRD", frame: { service: 0x0206, channelId: 1, status: 0, dataEndpoint: NAT }, code: "KNX_BAD_VALUE" },
  { name: "a device management CRI with a layer", frame: { service: 0x0205, controlEndpoint: NAT, dataEndpoint: NAT, cri: { connectionType: 3, layer: 2 } }, code: "KNX_BAD_VALUE" },
  { name: "a tunnel CRI without a layer", frame: { service: 0x0205, controlEndpoint: NAT, dataEndpoint: NAT, cri: { connectionType: 4 } }, code: "KNX_BAD_VALUE" },
  { name: "a device name of 31 characters", frame: { service: 0x0204, device: { ...DEVICE, name: "x".repeat(31) }, families: [] }, code: "KNX_BAD_VALUE" },
  { name: "a device name outside ISO 8859-1", frame: { service: 0x0204, device: { ...DEVICE, name: "5 \u20ac" }, families: [] }, code: "KNX_BAD_VALUE" },
  { name: "a MAC address of five bytes", frame: { service: 0x0204, device: { ...DEVICE, macAddress: "00:24:6d:01:02" }, families: [] }, code: "KNX_BAD_VALUE" },
  { name: "a serial number of 11 digits", frame: { service: 0x0204, device: { ...DEVICE, serialNumber: "00ef265006c" }, families: [] }, code: "KNX_BAD_VALUE" },
  { name: "a short value over 6 bits", frame: WRITE({ data: u8([0x40]), short: true }), code: "KNX_BAD_VALUE" },
  { name: "a short value of two bytes", frame: WRITE({ data: u8([0x01, 0x01]), short: true }), code: "KNX_BAD_VALUE" },
  { name: "a GroupValue_Read in the short form", frame: WRITE({ apci: 0x000, data: u8([0x01]), short: true }), code: "KNX_BAD_VALUE" },
  { name: "a long GroupValue_Write without data", frame: WRITE({ data: u8([]) }), code: "KNX_BAD_VALUE" },
  { name: "a group value APCI with data bits set", frame: WRITE({ apci: 0x081 }), code: "KNX_BAD_VALUE" },
  { name: "an APCI over 10 bits", frame: WRITE({ apci: 0x400, data: u8([1]) }), code: "KNX_BAD_VALUE" },
  { name: "a short form for A_Memory_Read", frame: WRITE({ apci: 0x201, data: u8([1]), short: true }), code: "KNX_BAD_VALUE" },
  { name: "a control TPDU with data", frame: WRITE({ apci: undefined, tpci: 0x80, data: u8([1]) }), code: "KNX_BAD_VALUE" },
  { name: "a data TPDU with TPCI bit 7 set", frame: WRITE({ tpci: 0x80, data: u8([1]) }), code: "KNX_BAD_VALUE" },
  { name: "15 data bytes in a frame marked standard", frame: WRITE({ extended: false, data: u8(new Array<number>(15).fill(1)) }), code: "KNX_BAD_VALUE" },
  { name: "254 data bytes, over the extended frame's 253", frame: WRITE({ data: u8(new Array<number>(254).fill(1)) }), code: "KNX_BAD_VALUE" },
  { name: "a hop count of 8", frame: WRITE({ hopCount: 8, data: u8([1]) }), code: "KNX_BAD_VALUE" },
  { name: "a priority of 4", frame: WRITE({ priority: 4, data: u8([1]) }), code: "KNX_BAD_VALUE" },
  { name: "a destination over 16 bits", frame: WRITE({ destination: 0x10000, data: u8([1]) }), code: "KNX_BAD_VALUE" },
  { name: "an L_Data message given as raw bytes", frame: { service: 0x0530, cemi: { messageCode: 0x29, raw: u8([0x00]) } }, code: "KNX_BAD_VALUE" },
  { name: "a message code of L_Busmon.ind given as fields", frame: { service: 0x0530, cemi: { messageCode: 0x2b as 0x29, destination: 1 } }, code: "KNX_BAD_VALUE" },
  { name: "an unknown service", frame: { service: 0x0999 } as unknown as Frame, code: "KNX_UNKNOWN_SERVICE" },
];
