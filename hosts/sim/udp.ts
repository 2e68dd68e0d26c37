/**
 * In-memory UDP for the sim host. Sockets bind to an address and port (default
 * 127.0.0.1 and a free port from 50000 up; several sockets may share a port, as with
 * SO_REUSEADDR). A datagram is copied and delivered on the virtual clock after
 * `latencyMs`: to a multicast group, to every socket bound to its port that joined the
 * group (the sender itself only with `loopback`, which defaults to true as on a real
 * stack); to a unicast address, to the first socket bound to that port and address (or
 * to 0.0.0.0). A test may drop or inspect datagrams with `filter`.
 */
import type { UdpOptions, UdpSocket } from "../../src/host.js";

interface Timers {
  setTimer(callback: () => void, delayMs: number): unknown;
}

/** One datagram on the simulated wire. */
export interface SimDatagram {
  readonly bytes: Uint8Array;
  readonly from: { readonly address: string; readonly port: number };
  readonly to: { readonly address: string; readonly port: number };
}

interface Bound {
  address: string;
  port: number;
  groups: string[];
  loopback: boolean;
  open: boolean;
  options: UdpOptions;
}

const FIRST_EPHEMERAL = 50000;

function isMulticast(address: string): boolean {
  const first = parseInt(address, 10);
  return first >= 224 && first <= 239;
}

export class SimUdpNetwork {
  readonly #timers: Timers;
  readonly #sockets: Bound[] = [];
  #nextPort = FIRST_EPHEMERAL;
  latencyMs = 0;
  /** Datagrams sent so far. */
  sent = 0;
  /** Returns false to drop a datagram (a lossy network, a gateway that went silent…). */
  filter: ((d: SimDatagram) => boolean) | undefined = undefined;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  /** Opens a socket, as `host.udp(options)` does. */
  open(options: UdpOptions): UdpSocket {
    const address = options.address ?? "0.0.0.0";
    const port = options.port ?? this.#nextPort++;
    const groups = (options.multicast ?? []).map((m) => m.group);
    const loopback = (options.multicast ?? []).every((m) => m.loopback !== false);
    const me: Bound = { address, port, groups, loopback, open: true, options };
    this.#sockets.push(me);
    const source = { address: address === "0.0.0.0" ? "127.0.0.1" : address, port };
    return {
      send: (bytes, to, toPort) => {
        if (!me.open) return;
        const d: SimDatagram = { bytes: bytes.slice(), from: source, to: { address: to, port: toPort } };
        this.sent++;
        if (this.filter && !this.filter(d)) return;
        this.#timers.setTimer(() => this.#deliver(me, d), this.latencyMs);
      },
      close: () => {
        if (!me.open) return;
        me.open = false;
        this.#sockets.splice(this.#sockets.indexOf(me), 1);
      },
    };
  }

  /** Sockets currently open. */
  get sockets(): number {
    return this.#sockets.length;
  }

  #deliver(from: Bound, d: SimDatagram): void {
    const { address, port } = d.to;
    if (isMulticast(address)) {
      for (const s of this.#sockets.slice()) {
        if (s.open && s.port === port && s.groups.includes(address) && (s !== from || s.loopback)) s.options.onReadable(d.bytes.slice(), d.from.address, d.from.port);
      }
      return;
    }
    const s = this.#sockets.find((x) => x.open && x.port === port && (x.address === address || x.address === "0.0.0.0"));
    if (s) s.options.onReadable(d.bytes, d.from.address, d.from.port);
  }
}
