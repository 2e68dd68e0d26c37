/**
 * Seeded random KNXnet/IP frames and datapoint values for the fuzz, differential and
 * tshark tests: every frame is one the encoder accepts. `plain` keeps to what a
 * dissector reads without remarks (known additional info types, a device management
 * family next to tunnelling, group value APCIs).
 */
import type { Cemi, Frame, Hpai, LData } from "../../../src/connectors/knx/frames.js";

import { Rng } from "../../support/rng.js";

export { Rng };

export const SERVICES = [0x0201, 0x0202, 0x0203, 0x0204, 0x0205, 0x0206, 0x0207, 0x0208, 0x0209, 0x020a, 0x0420, 0x0421, 0x0530, 0x0531, 0x0532] as const;

function ip(r: Rng): string {
  return r.bool(0.2) ? "0.0.0.0" : `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
}

function hpai(r: Rng, plain: boolean): Hpai {
  return { protocol: plain || r.bool(0.9) ? 1 : 2, address: ip(r), port: r.int(0, 65535) };
}

function hexDigits(r: Rng, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += "0123456789abcdef"[r.int(0, 15)];
  return out;
}

function name(r: Rng): string {
  let out = "";
  for (let n = r.int(0, 30); n > 0; n--) out += String.fromCharCode(r.bool(0.9) ? r.int(0x20, 0x7e) : r.int(0xa0, 0xff));
  return out;
}

/** A random L_Data frame: mostly group value services, in both forms. */
export function randomLData(r: Rng, plain: boolean): LData {
  const f: LData = {
    messageCode: r.pick([0x11, 0x2e, 0x29] as const),
    additionalInfo: [],
    repeat: r.bool(),
    systemBroadcast: r.bool(0.1),
    priority: r.int(0, 3),
    ackRequest: r.bool(0.2),
    confirmError: r.bool(0.1),
    group: r.bool(0.8),
    hopCount: r.int(0, 7),
    extendedFormat: 0,
    source: r.int(0, 0xffff),
    destination: r.int(0, 0xffff),
    tpci: 0,
    data: new Uint8Array(0),
    short: false,
  };
  for (let n = r.bool(0.2) ? r.int(1, 3) : 0; n > 0; n--) {
    f.additionalInfo!.push(plain ? { type: 0x04, data: r.bytes(2, 2) } : { type: r.int(0, 255), data: r.bytes(0, 20) });
  }
  const kind = r.int(0, 9);
  if (kind < 7 || plain) {
    f.apci = r.pick([0x000, 0x040, 0x080]);
    if (f.apci !== 0x000) {
      if (r.bool()) {
        f.short = true;
        f.data = Uint8Array.of(r.int(0, 63));
      } else f.data = r.bytes(1, r.bool(0.9) ? 14 : 60);
    }
  } else if (kind === 7) {
    // A control TPDU: T_Connect, T_Disconnect, or a numbered T_ACK / T_NAK.
    const code = r.pick([0x80, 0x81, 0xc2, 0xc3]);
    f.tpci = code & 0x40 ? code | (r.int(0, 15) << 2) : code;
  } else {
    f.tpci = r.bool() ? 0x40 | (r.int(0, 15) << 2) : 0;
    f.apci = r.int(0xc0, 0x3ff);
    f.data = r.bytes(0, 20);
  }
  const length = f.apci === undefined ? 0 : f.short ? 1 : 1 + f.data!.length;
  f.extended = length > 15 || r.bool(0.05);
  if (f.extended) f.extendedFormat = plain ? 0 : r.int(0, 15);
  return f;
}

function randomCemi(r: Rng, plain: boolean): Cemi {
  if (!plain && r.bool(0.1)) return { messageCode: r.pick([0x2b, 0xfc, 0xfb, 0xf0, 0x10]), raw: r.bytes(0, 30) };
  return randomLData(r, plain);
}

/** A random frame of service `service` that the encoder accepts. */
export function randomFrame(r: Rng, service: (typeof SERVICES)[number], plain = false): Frame {
  const families = () => {
    // tshark expects every device to offer core and device management.
    const all = [2, 3, 4, 5, 6, 7, 8].filter((f) => (plain && f < 4) || r.bool());
    return all.map((family) => ({ family, version: r.int(1, 2) }));
  };
  const device = () => ({
    medium: r.pick([0x02, 0x04, 0x10, 0x20]), programmingMode: r.bool(0.2), address: r.int(0, 0xffff),
    projectInstallationId: r.int(0, 0xffff), serialNumber: hexDigits(r, 12), multicastAddress: r.bool() ? "224.0.23.12" : "0.0.0.0",
    macAddress: [0, 1, 2, 3, 4, 5].map(() => hexDigits(r, 2)).join(":"), name: name(r),
  });
  const dibs = () => (plain || r.bool(0.6) ? [] : [{ type: r.pick([0x03, 0x04, 0x05, 0xfe]), data: r.bytes(0, 40) }]);
  switch (service) {
    case 0x0201: return { service, discoveryEndpoint: hpai(r, plain) };
    case 0x0202: return { service, controlEndpoint: hpai(r, plain), device: device(), families: families(), dibs: dibs() };
    case 0x0203: return { service, controlEndpoint: hpai(r, plain) };
    case 0x0204: return { service, device: device(), families: families(), dibs: dibs() };
    case 0x0205: {
      const tunnel = plain || r.bool(0.8);
      const cri = tunnel ? { connectionType: 4, layer: r.pick([0x02, 0x04, 0x80]), ...(r.bool(0.3) ? { address: r.int(0, 0xffff) } : {}) } : { connectionType: r.pick([3, 6, 7, 8]) };
      return { service, controlEndpoint: hpai(r, plain), dataEndpoint: hpai(r, plain), cri };
    }
    case 0x0206: {
      const status = r.bool(0.7) ? 0 : r.pick([0x22, 0x23, 0x24, 0x26, 0x27, 0x29]);
      if (status && r.bool()) return { service, channelId: 0, status };
      return { service, channelId: r.int(0, 255), status, dataEndpoint: hpai(r, plain), crd: { connectionType: 4, address: r.int(0, 0xffff) } };
    }
    case 0x0207:
    case 0x0209: return { service, channelId: r.int(0, 255), controlEndpoint: hpai(r, plain) };
    case 0x0208:
    case 0x020a: return { service, channelId: r.int(0, 255), status: r.pick([0, 0x21, 0x26, 0x27]) };
    case 0x0420: return { service, channelId: r.int(0, 255), sequenceCounter: r.int(0, 255), cemi: randomCemi(r, plain) };
    case 0x0421: return { service, channelId: r.int(0, 255), sequenceCounter: r.int(0, 255), status: r.pick([0, 0x04, 0x21, 0x29]) };
    case 0x0530: return { service, cemi: randomCemi(r, plain) };
    case 0x0531: return { service, deviceState: r.int(0, 3), lostMessages: r.int(0, 0xffff) };
    case 0x0532: return { service, deviceState: r.int(0, 3), waitTimeMs: r.int(0, 0xffff), control: r.bool(0.8) ? 0 : r.int(1, 0xffff) };
  }
}
