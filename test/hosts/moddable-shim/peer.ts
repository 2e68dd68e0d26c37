/**
 * Node side of the Moddable shim: keeps the real sockets, timers and DNS queries that the
 * XS side (bridge.ts and the shim modules) asks for (`handle`, once per request a batch's
 * reply carries) and queues what happens to them as events. The test hands the queue to
 * XS in batches (`nextBatch`), so XS runs only when something happened: a timer fired,
 * bytes arrived, a write was handed to the kernel. Nothing here spins; when nothing is
 * due, `nextBatch` waits until something is, or until the caller's deadline.
 */
import dgram from "node:dgram";
import dns from "node:dns";
import net from "node:net";

export interface PeerEvent {
  t: string;
  id: number;
  [field: string]: unknown;
}

export class ModdablePeer {
  /** Lines XS traced (the host's log), newest last; capped. */
  readonly traces: string[] = [];
  /** Exceptions that escaped a callback inside XS. */
  readonly uncaught: string[] = [];
  /** Other messages XS sent that the test reads (e.g. the preload report). */
  readonly reports: Record<string, unknown>[] = [];
  /** TCP connections XS opened, by address. */
  readonly connections: string[] = [];
  /** Names the network's DNS knows, before the system resolver is asked (".invalid" never resolves). */
  readonly names: Record<string, string> = {};
  /** Names XS asked to resolve, in order. */
  readonly resolved: string[] = [];
  /** Multicast joins and leaves XS asked for, in order. */
  readonly groups: string[] = [];
  #events: PeerEvent[] = [];
  #wake: (() => void) | undefined;
  readonly #timers = new Map<number, NodeJS.Timeout>();
  readonly #tcp = new Map<number, { socket: net.Socket; errored: boolean }>();
  readonly #udp = new Map<number, dgram.Socket>();

  /** One request from XS. */
  handle(message: Record<string, unknown>): unknown {
    const op = message.op as string;
    switch (op) {
      case "trace":
        this.traces.push(String(message.text).trimEnd());
        if (this.traces.length > 500) this.traces.shift();
        return null;
      case "uncaught":
        this.uncaught.push(String(message.text));
        return null;
      case "timer.set": {
        const n = message.n as number;
        this.#timers.set(
          n,
          setTimeout(() => {
            this.#timers.delete(n);
            this.#push({ t: "timer", id: n });
          }, Math.max(0, message.ms as number)),
        );
        return null;
      }
      case "timer.clear":
        clearTimeout(this.#timers.get(message.n as number));
        this.#timers.delete(message.n as number);
        return null;
      case "resolve": {
        const n = message.n as number;
        const name = message.host as string;
        this.resolved.push(name);
        const known = this.names[name];
        if (known !== undefined || name.endsWith(".invalid")) setImmediate(() => this.#push({ t: "resolve", id: n, address: known ?? null }));
        else dns.lookup(name, { family: 4 }, (err, address) => this.#push({ t: "resolve", id: n, address: err ? null : address }));
        return null;
      }
      case "tcp.open":
        this.#open(message.n as number, message.address as string, message.port as number, message.nodelay === true);
        return null;
      case "tcp.write": {
        const c = this.#tcp.get(message.n as number);
        if (!c || c.errored) return null;
        const bytes = Uint8Array.from(message.bytes as number[]);
        c.socket.write(bytes, (err) => {
          if (!err) this.#push({ t: "tcp.sent", id: message.n as number, count: bytes.length });
        });
        return null;
      }
      case "tcp.redeliver":
        this.#push({ t: "tcp.error", id: message.n as number });
        return null;
      case "tcp.close": {
        const c = this.#tcp.get(message.n as number);
        this.#tcp.delete(message.n as number);
        c?.socket.destroy();
        return null;
      }
      case "udp.open":
        this.#openUdp(message.n as number, message.port as number);
        return null;
      case "udp.write":
        this.#udp.get(message.n as number)?.send(Uint8Array.from(message.bytes as number[]), message.port as number, message.address as string);
        return null;
      case "udp.add":
      case "udp.remove":
        // Recorded only: multicast on this machine's loopback is not dependable.
        this.groups.push(`${op === "udp.add" ? "join" : "leave"} ${String(message.group)}`);
        return null;
      case "udp.close": {
        const s = this.#udp.get(message.n as number);
        this.#udp.delete(message.n as number);
        s?.close();
        return null;
      }
      default:
        this.reports.push(message);
        return null;
    }
  }

  /** Queues a control event (answered by the XS entry) for the next batch. */
  control(op: string, fields: Record<string, unknown> = {}): void {
    this.#push({ t: "control", id: 0, op, ...fields });
  }

  /** Everything that happened since the last batch; waits for something until `deadline` (ms, Date.now()). */
  async nextBatch(deadline: number): Promise<PeerEvent[]> {
    if (this.#events.length === 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.#wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    const batch = this.#events;
    this.#events = [];
    return batch;
  }

  /** Timers, sockets and queries still open (0 after a clean stop). */
  get open(): { timers: number; tcp: number; udp: number } {
    return { timers: this.#timers.size, tcp: this.#tcp.size, udp: this.#udp.size };
  }

  close(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    for (const c of this.#tcp.values()) c.socket.destroy();
    this.#tcp.clear();
    for (const s of this.#udp.values()) s.close();
    this.#udp.clear();
  }

  #push(e: PeerEvent): void {
    this.#events.push(e);
    this.#wake?.();
  }

  #open(n: number, address: string, port: number, nodelay: boolean): void {
    this.connections.push(`${address}:${port}`);
    const socket = net.connect({ host: address, port });
    const c = { socket, errored: false };
    this.#tcp.set(n, c);
    socket.setNoDelay(nodelay);
    socket.on("connect", () => this.#push({ t: "tcp.connected", id: n }));
    socket.on("data", (chunk: Buffer) => this.#push({ t: "tcp.data", id: n, bytes: Array.from(chunk) }));
    const failed = () => {
      if (c.errored || !this.#tcp.has(n)) return;
      c.errored = true;
      this.#push({ t: "tcp.error", id: n });
    };
    socket.on("error", failed);
    socket.on("close", failed);
  }

  #openUdp(n: number, port: number): void {
    const s = dgram.createSocket({ type: "udp4", reuseAddr: true });
    s.bind(port, "127.0.0.1");
    s.on("message", (msg, rinfo) => this.#push({ t: "udp.data", id: n, bytes: Array.from(msg), address: rinfo.address, port: rinfo.port }));
    this.#udp.set(n, s);
  }
}
