/**
 * Host TCP over ECMA-419 (`embedded:io/socket/tcp`), and TLS over Moddable's ECMA-419
 * TLS socket when the app provides it.
 *
 * Theory of operation. The Host promises what Node's sockets do: `write` always takes
 * the bytes and answers false once the caller should wait for `onWritable`; `onConnect`,
 * `onReadable(bytes)`, `onError(error)` then `onClose()`. An ECMA-419 socket differs:
 * - it takes a dotted IPv4 address only, so a host name is first resolved with
 *   `Net.resolve` (the DNS servers the network interface got from DHCP);
 * - it reports the connection open with its first `onWritable(room)`;
 * - `write` throws when the bytes exceed the room it reported, so this class writes what
 *   fits and keeps the rest (views of the caller's bytes, no copy) until the next
 *   `onWritable`. The MQTT session stops writing once `write` answered false, so that
 *   queue holds about one packet;
 * - `onReadable(count)` only says how much can be read: the bytes are read into one
 *   receive buffer per connection, reused for every read (no allocation per packet);
 * - `onError()` carries no reason and also reports a clean close by the peer.
 * Every failure reaches `onError` and `onClose` from a timer or a socket callback, never
 * from inside `tcp()`, so the caller has its socket before any callback runs.
 */
import TCP from "embedded:io/socket/tcp";
import type { SecureOptions, TLSOptions } from "embedded:io/socket/tcp/tls";
import Net from "net";
import Timer, { type TimerId } from "timer";
import type { TcpOptions, TcpSocket, TlsOptions } from "../../src/host.js";
import { AimDbError } from "../../src/core/errors.js";
import { derBytes } from "./pem.js";

/** Moddable's TLS socket class (`embedded:io/socket/tcp/tls`). */
export type TlsSocketClass = new (options: TLSOptions) => SocketLike;

/** What this class uses of an ECMA-419 TCP or TLS socket. */
interface SocketLike {
  read(into: Uint8Array): number;
  write(bytes: Uint8Array): number;
  close(): void;
}

/** Bytes read from the socket at a time; also the size of each connection's receive buffer. */
const RX_BYTES = 1024;

/** Dotted IPv4: the only form an ECMA-419 socket takes. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export class ModdableTcp implements TcpSocket {
  readonly #o: TcpOptions;
  readonly #tls: TlsSocketClass | undefined;
  #socket: SocketLike | undefined;
  #closed = false;
  #connected = false;
  /** Bytes the socket said it can take now. */
  #room = 0;
  /** Bytes taken by `write` and not yet handed to the socket, oldest first. */
  #queue: Uint8Array[] = [];
  /** `write` answered false: call `onWritable` once the queue is empty. */
  #blocked = false;
  #rx: Uint8Array | undefined;
  #failTimer: TimerId | undefined;

  constructor(o: TcpOptions, tls: TlsSocketClass | undefined) {
    this.#o = o;
    this.#tls = tls;
    if (o.tls && !tls) {
      this.#failLater(new AimDbError("HOST_NO_TLS", `TLS to ${o.host}:${o.port} is not in this build: include hosts/moddable/manifest_tls.json and pass its socket as moddableHost({ tls })`));
      return;
    }
    // lwip's resolver does not know "localhost" (Moddable's DNS example maps it the same way).
    const name = o.host === "localhost" ? "127.0.0.1" : o.host;
    if (IPV4.test(name)) {
      this.#open(name);
      return;
    }
    Net.resolve(name, (_name, address) => {
      if (this.#closed) return;
      if (address === undefined) this.#end(new AimDbError("HOST_DNS", `cannot resolve "${name}"`));
      else this.#open(address);
    });
  }

  write(bytes: Uint8Array): boolean {
    if (this.#closed) return false;
    if (!this.#connected || this.#queue.length > 0) {
      this.#queue.push(bytes);
      this.#blocked = true;
      return false;
    }
    const n = Math.min(this.#room, bytes.length);
    if (n > 0 && !this.#send(n === bytes.length ? bytes : bytes.subarray(0, n))) {
      this.#queue.push(bytes);
      this.#blocked = true;
      return false;
    }
    if (n === bytes.length) return true;
    this.#queue.push(bytes.subarray(n));
    this.#blocked = true;
    return false;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
  }

  #open(address: string): void {
    const o = this.#o;
    const callbacks = {
      format: "buffer" as const,
      onReadable: (count: number) => this.#readable(count),
      onWritable: (count: number) => this.#writable(count),
      onError: () => this.#error(),
    };
    try {
      if (o.tls) {
        const secure = secureOptions(o.tls, o.host);
        this.#socket = new this.#tls!({ address, port: o.port, nodelay: o.noDelay === true, host: o.host, secure, TCP: { io: TCP }, ...callbacks });
      } else {
        this.#socket = new TCP({ address, port: o.port, nodelay: o.noDelay === true, ...callbacks }) as unknown as SocketLike;
      }
    } catch (err) {
      // "no socket", "invalid address"…: reported like any other failure to connect.
      this.#failLater(new AimDbError("HOST_TCP_CONNECT", `cannot connect to ${o.host}:${o.port}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  /** Hands `bytes` (no more than the room) to the socket; false if it refused them. */
  #send(bytes: Uint8Array): boolean {
    try {
      const room = this.#socket!.write(bytes);
      this.#room = typeof room === "number" ? room : 0;
      return true;
    } catch {
      // "would block": the room was less than reported. Wait for the next onWritable.
      this.#room = 0;
      return false;
    }
  }

  #writable(count: number): void {
    if (this.#closed) return;
    this.#room = count;
    if (!this.#connected) {
      this.#connected = true;
      this.#o.onConnect();
      if (this.#closed) return;
    }
    const queue = this.#queue;
    while (queue.length > 0 && this.#room > 0) {
      const head = queue[0]!;
      const n = Math.min(this.#room, head.length);
      if (!this.#send(n === head.length ? head : head.subarray(0, n))) return;
      if (n === head.length) queue.shift();
      else queue[0] = head.subarray(n);
    }
    if (queue.length === 0 && this.#blocked) {
      this.#blocked = false;
      this.#o.onWritable?.();
    }
  }

  #readable(count: number): void {
    const rx = (this.#rx ??= new Uint8Array(RX_BYTES));
    while (count > 0 && !this.#closed) {
      const n = count < RX_BYTES ? count : RX_BYTES;
      const view = n === RX_BYTES ? rx : new Uint8Array(rx.buffer, 0, n);
      this.#socket!.read(view);
      count -= n;
      this.#o.onReadable(view);
    }
  }

  #error(): void {
    if (this.#closed) return;
    const o = this.#o;
    this.#end(
      this.#connected
        ? new AimDbError("HOST_TCP_CLOSED", `connection to ${o.host}:${o.port} closed`)
        : new AimDbError("HOST_TCP_CONNECT", `cannot connect to ${o.host}:${o.port}`),
    );
  }

  #failLater(error: Error): void {
    this.#failTimer = Timer.set(() => {
      this.#failTimer = undefined;
      if (!this.#closed) this.#end(error);
    }, 0);
  }

  /** The connection is over: free everything, then tell the owner. */
  #end(error: Error): void {
    this.#closed = true;
    this.#release();
    this.#o.onError?.(error);
    this.#o.onClose();
  }

  #release(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#queue = [];
    this.#rx = undefined;
    Timer.clear(this.#failTimer);
    this.#failTimer = undefined;
    socket?.close();
  }
}

/** The Host's TLS options in the shape of Moddable's TLS session. */
function secureOptions(t: TlsOptions, host: string): SecureOptions {
  const secure: SecureOptions = { verify: t.insecure !== true };
  // Server name indication takes a name, not an address.
  const name = t.servername ?? (IPV4.test(host) ? undefined : host);
  if (name !== undefined) secure.serverName = name;
  if (t.ca !== undefined) secure.certificate = derBytes(t.ca);
  if (t.cert !== undefined) secure.clientCertificates = [derBytes(t.cert)];
  if (t.key !== undefined) secure.clientKey = derBytes(t.key);
  return secure;
}
