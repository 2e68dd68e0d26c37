/**
 * cEMI messages (3.6.3, "cEMI"): L_Data.req, .con and .ind, read and written field by
 * field; every other message code is kept as its raw bytes, so a tunnelling engine can
 * still acknowledge the frame that carried it.
 *
 * An L_Data frame is: message code, additional information length and blocks, control
 * fields 1 and 2, source and destination address, the length octet L, then a TPDU of
 * L + 1 octets (3.6.3, "L_Data"). Inside a frame every inconsistency (a block running
 * past the information length, L disagreeing with the bytes, a standard frame with L
 * over 15) throws ProtocolError KNX_BAD_CEMI.
 */
import {
  APCI_GROUP_END, APCI_SHORT_DATA, CTRL1_ACK_REQUEST, CTRL1_BROADCAST, CTRL1_CONFIRM_ERROR, CTRL1_DO_NOT_REPEAT,
  CTRL1_PRIORITY_SHIFT, CTRL1_STANDARD_FRAME, CTRL2_GROUP_ADDRESS, CTRL2_HOP_COUNT_SHIFT, DEFAULT_HOP_COUNT,
  GROUP_VALUE_READ, KNX_BAD_CEMI, KNX_BAD_VALUE, L_DATA_CON, L_DATA_IND, L_DATA_REQ, MAX_ADDITIONAL_INFO,
  MAX_EXTENDED_LENGTH, MAX_STANDARD_LENGTH, PRIORITY_LOW, TPCI_CONTROL, TPCI_DATA_GROUP,
} from "./constants.js";
import type { AdditionalInfo, Cemi, LData } from "./frames.js";
import type { DptData } from "./dpt.js";
import { byte, checkInt, local, put, remote, u16, u8, view, word, type Cursor, type Sink } from "./wire.js";

/** Shared by every frame without data; frozen, and empty anyway. */
const EMPTY: Uint8Array = Object.freeze(new Uint8Array(0));

/** Reads one cEMI message spanning `c.p..c.e` exactly. */
export function readCemi(c: Cursor): Cemi {
  const shortfall = c.t;
  c.t = KNX_BAD_CEMI;
  const messageCode = u8(c, "cEMI message code");
  if (messageCode !== L_DATA_REQ && messageCode !== L_DATA_CON && messageCode !== L_DATA_IND) {
    const raw = view(c, c.e - c.p, "cEMI");
    c.t = shortfall;
    return { messageCode, raw };
  }
  // Additional information: a length octet, then blocks of type, length, data (3.6.3, "Additional Information").
  const infoEnd = u8(c, "additional info length") + c.p;
  if (infoEnd > c.e) throw remote(KNX_BAD_CEMI, "additional info runs past the frame");
  const additionalInfo: AdditionalInfo[] = [];
  const outer = c.e;
  c.e = infoEnd; // a block may not run past the information length
  while (c.p < infoEnd) {
    const type = u8(c, "additional info type");
    additionalInfo.push({ type, data: view(c, u8(c, "additional info block length"), "additional info block") });
  }
  c.e = outer;
  const ctrl1 = u8(c, "control field 1");
  const ctrl2 = u8(c, "control field 2");
  const source = u16(c, "source address");
  const destination = u16(c, "destination address");
  const length = u8(c, "length");
  const extended = (ctrl1 & CTRL1_STANDARD_FRAME) === 0;
  if (length > (extended ? MAX_EXTENDED_LENGTH : MAX_STANDARD_LENGTH)) throw remote(KNX_BAD_CEMI, `length ${length} in a ${extended ? "extended" : "standard"} frame`);
  // The TPDU is L + 1 octets, and ends the frame.
  if (c.e - c.p !== length + 1) throw remote(KNX_BAD_CEMI, `length ${length} announces a TPDU of ${length + 1} bytes, ${c.e - c.p} follow`);
  const frame: LData = {
    messageCode, additionalInfo, extended,
    repeat: (ctrl1 & CTRL1_DO_NOT_REPEAT) === 0,
    systemBroadcast: (ctrl1 & CTRL1_BROADCAST) === 0,
    priority: (ctrl1 >> CTRL1_PRIORITY_SHIFT) & 3,
    ackRequest: (ctrl1 & CTRL1_ACK_REQUEST) !== 0,
    confirmError: (ctrl1 & CTRL1_CONFIRM_ERROR) !== 0,
    group: (ctrl2 & CTRL2_GROUP_ADDRESS) !== 0,
    hopCount: (ctrl2 >> CTRL2_HOP_COUNT_SHIFT) & 7,
    extendedFormat: ctrl2 & 15,
    source, destination, tpci: 0, data: EMPTY, short: false,
  };
  const first = u8(c, "TPCI");
  if (first & TPCI_CONTROL) {
    // T_Connect, T_Disconnect, T_ACK, T_NAK (3.3.4): the TPCI octet alone.
    if (length !== 0) throw remote(KNX_BAD_CEMI, "a control TPDU carries no APDU");
    frame.tpci = first;
  } else {
    if (length === 0) throw remote(KNX_BAD_CEMI, "a data TPDU needs an APCI");
    frame.tpci = first & 0xfc;
    const apci = ((first & 3) << 8) | u8(c, "APCI");
    if (apci < APCI_GROUP_END) {
      // Group value services: 4 APCI bits, then 6 bits of data (short form) or unused bits (3.3.7).
      frame.apci = apci & ~APCI_SHORT_DATA;
      if (length === 1 && frame.apci !== GROUP_VALUE_READ) {
        frame.short = true;
        frame.data = Uint8Array.of(apci & APCI_SHORT_DATA);
      }
    } else frame.apci = apci;
    if (length > 1) frame.data = view(c, length - 1, "APDU");
  }
  c.t = shortfall;
  return frame;
}

/** Writes one cEMI message, checking every field (the measuring pass finds the errors). */
export function writeCemi(w: Sink, cemi: Cemi): void {
  const messageCode = checkInt(cemi.messageCode, 255, "cEMI message code");
  byte(w, messageCode);
  if ("raw" in cemi) {
    if (messageCode === L_DATA_REQ || messageCode === L_DATA_CON || messageCode === L_DATA_IND) {
      throw local(KNX_BAD_VALUE, "an L_Data message is written from its fields, not raw");
    }
    put(w, cemi.raw);
    return;
  }
  if (messageCode !== L_DATA_REQ && messageCode !== L_DATA_CON && messageCode !== L_DATA_IND) {
    throw local(KNX_BAD_VALUE, `message code ${messageCode} is not L_Data.req, .con or .ind`);
  }
  const info = cemi.additionalInfo ?? [];
  let infoLength = 0;
  for (const block of info) infoLength += 2 + checkInt(block.data.length, 255, "additional info block length");
  if (infoLength > MAX_ADDITIONAL_INFO) throw local(KNX_BAD_VALUE, `additional info of ${infoLength} bytes, more than ${MAX_ADDITIONAL_INFO}`);
  byte(w, infoLength);
  for (const block of info) {
    byte(w, checkInt(block.type, 255, "additional info type"));
    byte(w, block.data.length);
    put(w, block.data);
  }
  const { length, first, second } = tpdu(cemi);
  const extended = cemi.extended ?? length > MAX_STANDARD_LENGTH;
  if (length > (extended ? MAX_EXTENDED_LENGTH : MAX_STANDARD_LENGTH)) {
    throw local(KNX_BAD_VALUE, `a TPDU of ${length + 1} bytes does not fit a${extended ? "n extended" : " standard"} frame`);
  }
  byte(w,
    (extended ? 0 : CTRL1_STANDARD_FRAME) | (cemi.repeat ? 0 : CTRL1_DO_NOT_REPEAT) | (cemi.systemBroadcast ? 0 : CTRL1_BROADCAST) |
    (checkInt(cemi.priority ?? PRIORITY_LOW, 3, "priority") << CTRL1_PRIORITY_SHIFT) |
    (cemi.ackRequest ? CTRL1_ACK_REQUEST : 0) | (cemi.confirmError ? CTRL1_CONFIRM_ERROR : 0));
  byte(w,
    ((cemi.group ?? true) ? CTRL2_GROUP_ADDRESS : 0) | (checkInt(cemi.hopCount ?? DEFAULT_HOP_COUNT, 7, "hop count") << CTRL2_HOP_COUNT_SHIFT) |
    checkInt(cemi.extendedFormat ?? 0, 15, "extended frame format"));
  word(w, checkInt(cemi.source ?? 0, 0xffff, "source address"));
  word(w, checkInt(cemi.destination, 0xffff, "destination address"));
  byte(w, length);
  byte(w, first);
  if (second >= 0) byte(w, second);
  if (!cemi.short && cemi.data) put(w, cemi.data);
}

/** The length octet and the first one or two TPDU octets of an L_Data frame. */
function tpdu(cemi: LData): { length: number; first: number; second: number } {
  const tpci = checkInt(cemi.tpci ?? TPCI_DATA_GROUP, 255, "TPCI");
  const data = cemi.data ?? EMPTY;
  const { apci, short } = cemi;
  if (apci === undefined) {
    // A control TPDU is the TPCI octet alone.
    if (!(tpci & TPCI_CONTROL) || data.length || short) throw local(KNX_BAD_VALUE, "a TPDU without APCI is a control TPDU (TPCI bit 7) and carries nothing");
    return { length: 0, first: tpci, second: -1 };
  }
  if (tpci & (TPCI_CONTROL | 3)) throw local(KNX_BAD_VALUE, `TPCI ${tpci} of a data TPDU has bit 7 or its APCI bits set`);
  checkInt(apci, 0x3ff, "APCI");
  const first = tpci | (apci >> 8);
  if (apci < APCI_GROUP_END) {
    if (apci & APCI_SHORT_DATA) throw local(KNX_BAD_VALUE, `group value APCI ${apci} has data bits set: put the value in data`);
    if (short) {
      // Short form: the value takes the 6 low APCI bits (3.3.7); GroupValue_Read carries none.
      if (apci === GROUP_VALUE_READ || data.length !== 1 || data[0]! > APCI_SHORT_DATA) {
        throw local(KNX_BAD_VALUE, "the short form carries one value of at most 6 bits, in a response or a write");
      }
      return { length: 1, first, second: (apci & 0xff) | data[0]! };
    }
    // A long response or write with no data would read back as a short one with value 0.
    if (apci !== GROUP_VALUE_READ && !data.length) throw local(KNX_BAD_VALUE, "a long group value response or write needs data");
  } else if (short) throw local(KNX_BAD_VALUE, `APCI ${apci} has no short form`);
  return { length: 1 + data.length, first, second: apci & 0xff };
}

/**
 * An L_Data frame carrying a group value service to group address `destination`, with
 * the defaults of `LData` (control fields 0xBC, 0xE0). `value` is what `encodeDpt`
 * returns, and sets the form; GroupValue_Read takes none.
 */
export function groupTelegram(messageCode: LData["messageCode"], apci: number, destination: number, value?: DptData): LData {
  const frame: LData = { messageCode, destination, apci };
  if (value) {
    frame.data = value.data;
    frame.short = value.short;
  }
  return frame;
}

/** Encodes one cEMI message on its own (as a USB or serial interface carries it). */
export function encodeCemi(cemi: Cemi): Uint8Array {
  const w: Sink = { o: EMPTY, p: 0 };
  writeCemi(w, cemi);
  w.o = new Uint8Array(w.p);
  w.p = 0;
  writeCemi(w, cemi);
  return w.o;
}

/** Decodes one cEMI message that fills `bytes`; byte fields are views into `bytes`. */
export function decodeCemi(bytes: Uint8Array): Cemi {
  return readCemi({ b: bytes, p: 0, e: bytes.length, t: KNX_BAD_CEMI });
}
