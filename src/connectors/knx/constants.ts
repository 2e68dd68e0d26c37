/**
 * KNXnet/IP and cEMI wire constants: service type identifiers, status codes, structure
 * codes, cEMI message codes, control field bits, TPCI/APCI codes, the codes of the
 * errors the codec throws, and frame limits derived from the specification. Everything
 * here is an integer or a string, so the module holds no state once preloaded.
 *
 * Citations name the KNX Standard document: 3.8.2 is KNXnet/IP Core, 3.8.4 Tunnelling,
 * 3.8.5 Routing, 3.6.3 the External Message Interface (its cEMI part), 3.3.4 the
 * Transport Layer, 3.3.7 the Application Layer, 3.7.2 the Datapoint Types.
 */

// The KNXnet/IP header (3.8.2 "Frame format"): header length, protocol version,
// service type identifier, total length.
export const HEADER_SIZE = 0x06;
export const KNXNETIP_VERSION_10 = 0x10;

// Service type identifiers (3.8.2, 3.8.4, 3.8.5).
export const SEARCH_REQUEST = 0x0201;
export const SEARCH_RESPONSE = 0x0202;
export const DESCRIPTION_REQUEST = 0x0203;
export const DESCRIPTION_RESPONSE = 0x0204;
export const CONNECT_REQUEST = 0x0205;
export const CONNECT_RESPONSE = 0x0206;
export const CONNECTIONSTATE_REQUEST = 0x0207;
export const CONNECTIONSTATE_RESPONSE = 0x0208;
export const DISCONNECT_REQUEST = 0x0209;
export const DISCONNECT_RESPONSE = 0x020a;
export const TUNNELLING_REQUEST = 0x0420;
export const TUNNELLING_ACK = 0x0421;
export const ROUTING_INDICATION = 0x0530;
export const ROUTING_LOST_MESSAGE = 0x0531;
export const ROUTING_BUSY = 0x0532;

// Status codes (3.8.2 "Error codes", 3.8.4 "Connection response status codes").
export const E_NO_ERROR = 0x00;
export const E_HOST_PROTOCOL_TYPE = 0x01;
export const E_VERSION_NOT_SUPPORTED = 0x02;
export const E_SEQUENCE_NUMBER = 0x04;
export const E_ERROR = 0x0f;
export const E_CONNECTION_ID = 0x21;
export const E_CONNECTION_TYPE = 0x22;
export const E_CONNECTION_OPTION = 0x23;
export const E_NO_MORE_CONNECTIONS = 0x24;
export const E_NO_MORE_UNIQUE_CONNECTIONS = 0x25;
export const E_DATA_CONNECTION = 0x26;
export const E_KNX_CONNECTION = 0x27;
export const E_AUTHORISATION_ERROR = 0x28;
export const E_TUNNELLING_LAYER = 0x29;
export const E_NO_TUNNELLING_ADDRESS = 0x2d;
export const E_CONNECTION_IN_USE = 0x2e;

// Host protocol codes of an HPAI (3.8.2 "HPAI").
export const IPV4_UDP = 0x01;
export const IPV4_TCP = 0x02;
/** KNXnet/IP UDP port and routing multicast group (3.8.2 "Constants"). */
export const KNXNETIP_PORT = 3671;
export const ROUTING_MULTICAST = "224.0.23.12";

// Connection type codes of a CRI/CRD (3.8.2 "CRI").
export const DEVICE_MGMT_CONNECTION = 0x03;
export const TUNNEL_CONNECTION = 0x04;
export const REMLOG_CONNECTION = 0x06;
export const REMCONF_CONNECTION = 0x07;
export const OBJSVR_CONNECTION = 0x08;
// Tunnelling KNX layers (3.8.4 "Tunnelling CRI").
export const TUNNEL_LINKLAYER = 0x02;
export const TUNNEL_RAW = 0x04;
export const TUNNEL_BUSMONITOR = 0x80;

// Description type codes of a DIB (3.8.2 "DIB").
export const DIB_DEVICE_INFO = 0x01;
export const DIB_SUPP_SVC_FAMILIES = 0x02;
export const DIB_IP_CONFIG = 0x03;
export const DIB_IP_CUR_CONFIG = 0x04;
export const DIB_KNX_ADDRESSES = 0x05;
export const DIB_MFR_DATA = 0xfe;
// KNX medium codes of DIB_DEVICE_INFO.
export const MEDIUM_TP1 = 0x02;
export const MEDIUM_PL110 = 0x04;
export const MEDIUM_RF = 0x10;
export const MEDIUM_IP = 0x20;
/** Device status bit 0 of DIB_DEVICE_INFO: programming mode on. */
export const DEVICE_PROGRAMMING_MODE = 0x01;
// Service family identifiers of DIB_SUPP_SVC_FAMILIES.
export const FAMILY_CORE = 0x02;
export const FAMILY_DEVICE_MANAGEMENT = 0x03;
export const FAMILY_TUNNELLING = 0x04;
export const FAMILY_ROUTING = 0x05;
export const FAMILY_REMOTE_LOGGING = 0x06;
export const FAMILY_REMOTE_CONFIGURATION = 0x07;
export const FAMILY_OBJECT_SERVER = 0x08;

// Structure sizes, length byte included.
export const HPAI_SIZE = 8; // 3.8.2 "HPAI": length, protocol, IPv4 address, port
export const CONNECTION_HEADER_SIZE = 4; // 3.8.4: length, channel id, sequence counter, status
export const TUNNEL_CRI_SIZE = 4; // 3.8.4: length, type, KNX layer, reserved
export const TUNNEL_CRI_EXTENDED_SIZE = 6; // 3.8.4 (v2): … plus the individual address asked for
export const TUNNEL_CRD_SIZE = 4; // 3.8.4: length, type, individual address
export const PLAIN_CRI_SIZE = 2; // 3.8.2: length, type (device management and the others)
export const DEVICE_INFO_SIZE = 54; // 3.8.2 "DIB device information"
export const DEVICE_NAME_SIZE = 30; // friendly name, ISO 8859-1, padded with 0
export const ROUTING_BUSY_SIZE = 6; // 3.8.5: length, device state, wait time, control field
export const ROUTING_LOST_SIZE = 4; // 3.8.5: length, device state, lost messages
// Device state bits of ROUTING_BUSY and ROUTING_LOST_MESSAGE (3.8.5).
export const STATE_KNX_FAULT = 0x01;
export const STATE_IP_FAULT = 0x02;

// cEMI message codes (3.6.3, "Message Code").
export const L_DATA_REQ = 0x11;
export const L_DATA_CON = 0x2e;
export const L_DATA_IND = 0x29;

// cEMI control field 1 (3.6.3, "Control Field 1").
export const CTRL1_STANDARD_FRAME = 0x80; // 1 = standard frame, 0 = extended frame
export const CTRL1_DO_NOT_REPEAT = 0x20; // req: 1 = do not repeat on error; ind: 1 = not a repetition
export const CTRL1_BROADCAST = 0x10; // 1 = broadcast, 0 = system broadcast
export const CTRL1_PRIORITY_SHIFT = 2;
export const CTRL1_ACK_REQUEST = 0x02;
export const CTRL1_CONFIRM_ERROR = 0x01; // con: 1 = the frame was not sent
// cEMI control field 2.
export const CTRL2_GROUP_ADDRESS = 0x80; // destination address type: 1 = group
export const CTRL2_HOP_COUNT_SHIFT = 4;
export const DEFAULT_HOP_COUNT = 6;
// Priorities.
export const PRIORITY_SYSTEM = 0;
export const PRIORITY_NORMAL = 1;
export const PRIORITY_URGENT = 2;
export const PRIORITY_LOW = 3;

// TPCI (3.3.4): bit 7 says control (1) or data (0) packet; T_Data_Group is 0b000000.
export const TPCI_CONTROL = 0x80;
export const TPCI_DATA_GROUP = 0x00;
// APCI (3.3.7), as 10-bit values; the group services use 4 bits and leave 6 for short data.
export const GROUP_VALUE_READ = 0x000;
export const GROUP_VALUE_RESPONSE = 0x040;
export const GROUP_VALUE_WRITE = 0x080;
/** APCIs below this one are the group value services above. */
export const APCI_GROUP_END = 0x0c0;
/** The 6 data bits of a short (6-bit) group value APDU. */
export const APCI_SHORT_DATA = 0x3f;

// Frame limits. The cEMI length octet counts the TPDU octets after the first (the TPCI).
/** Standard frame: a TPDU of at most 16 octets, so a length of at most 15 (3.6.3, TP1 3.2.2). */
export const MAX_STANDARD_LENGTH = 15;
/** Extended frame: 255 is reserved as an escape, so a length of at most 254 (3.6.3). */
export const MAX_EXTENDED_LENGTH = 254;
/** Bytes of additional information in one cEMI frame: its length is one octet. */
export const MAX_ADDITIONAL_INFO = 255;
/** Largest cEMI L_Data frame: code, info length, info, control fields, addresses, length, TPDU. */
export const MAX_CEMI_SIZE = 2 + MAX_ADDITIONAL_INFO + 7 + MAX_EXTENDED_LENGTH + 1;
/** Largest TUNNELLING_REQUEST: header, connection header and the largest cEMI frame (529 bytes). */
export const MAX_TUNNELLING_SIZE = HEADER_SIZE + CONNECTION_HEADER_SIZE + MAX_CEMI_SIZE;

// Codes of the ProtocolError the codec throws (`side` says who broke the protocol).
export const KNX_BAD_HEADER = "KNX_BAD_HEADER"; // header length other than 6, or protocol version other than 1.0
export const KNX_BAD_LENGTH = "KNX_BAD_LENGTH"; // total or structure length that disagrees with the bytes
export const KNX_TRUNCATED = "KNX_TRUNCATED"; // fewer bytes than the header or a mandatory structure needs
export const KNX_UNKNOWN_SERVICE = "KNX_UNKNOWN_SERVICE"; // service type this codec does not know
export const KNX_BAD_CEMI = "KNX_BAD_CEMI"; // malformed cEMI frame (lengths, TPDU, control fields)
export const KNX_BAD_VALUE = "KNX_BAD_VALUE"; // a field out of its range (unknown code, bad IP address…)
export const KNX_BAD_ADDRESS = "KNX_BAD_ADDRESS"; // group or individual address that does not parse or fit
export const KNX_DPT_UNKNOWN = "KNX_DPT_UNKNOWN"; // datapoint type not supported
export const KNX_DPT_RANGE = "KNX_DPT_RANGE"; // value outside its datapoint type's range
export const KNX_DPT_LENGTH = "KNX_DPT_LENGTH"; // data of the wrong size or form for its datapoint type

// Timing of a tunnelling connection (3.8.2 §5.4 "Timeout constants", 3.8.4), in ms.
export const CONNECT_REQUEST_TIMEOUT_MS = 10_000;
export const CONNECTIONSTATE_REQUEST_TIMEOUT_MS = 10_000;
/** A client sends CONNECTIONSTATE_REQUEST every 60 s (3.8.2 §5.4: the server drops it after 120 s). */
export const HEARTBEAT_INTERVAL_MS = 60_000;
/** Attempts of CONNECTIONSTATE_REQUEST before the connection is given up (3.8.2 §5.4). */
export const HEARTBEAT_ATTEMPTS = 3;
export const TUNNELLING_REQUEST_TIMEOUT_MS = 1_000;
/** How long a tunnelled L_Data.req waits for its L_Data.con. */
export const CONFIRM_TIMEOUT_MS = 3_000;
/** Routing flow control (3.8.5 "Flow control"): at most 50 telegrams/s; ROUTING_BUSY adds N × 50 ms of random wait. */
export const ROUTING_RATE_PER_S = 50;
export const ROUTING_BUSY_RANDOM_MS = 50;
export const ROUTING_BUSY_SLOW_MS = 100;
export const ROUTING_BUSY_DECREMENT_MS = 5;

// Codes of the AimDbError the engines and the connector report.
export const KNX_CONNECT_TIMEOUT = "KNX_CONNECT_TIMEOUT"; // no CONNECT_RESPONSE in time
export const KNX_CONNECT_REFUSED = "KNX_CONNECT_REFUSED"; // CONNECT_RESPONSE with an error status
export const KNX_ACK_TIMEOUT = "KNX_ACK_TIMEOUT"; // a TUNNELLING_REQUEST unacknowledged after its repetition
export const KNX_HEARTBEAT_TIMEOUT = "KNX_HEARTBEAT_TIMEOUT"; // CONNECTIONSTATE_REQUEST unanswered, every attempt
export const KNX_CONNECTION_LOST = "KNX_CONNECTION_LOST"; // the gateway disconnected or forgot the channel
export const KNX_CONFIRM_TIMEOUT = "KNX_CONFIRM_TIMEOUT"; // no L_Data.con for a telegram in time
export const KNX_NOT_CONFIRMED = "KNX_NOT_CONFIRMED"; // L_Data.con with the error flag, an error ACK, or lost before it came
export const KNX_QUEUE_FULL = "KNX_QUEUE_FULL"; // too many telegrams waiting
export const KNX_PUBLISH_TIMEOUT = "KNX_PUBLISH_TIMEOUT"; // a link's timeoutMs passed before the telegram left
export const KNX_READ_TIMEOUT = "KNX_READ_TIMEOUT"; // no GroupValue_Response to a read in time
export const KNX_NOT_RUNNING = "KNX_NOT_RUNNING"; // read() before the database runs or after it stopped
export const KNX_NO_UDP = "KNX_NO_UDP"; // the host has no UDP
