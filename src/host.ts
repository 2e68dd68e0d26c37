/**
 * The Host: everything outside the JavaScript language that the runtime needs.
 * `src/**` talks to the platform only through this interface; `hosts/node`,
 * `hosts/sim` and `hosts/moddable` implement it. It is kept small enough to be
 * implemented over Moddable's Timer and ECMA-419 sockets.
 */

/** Log severity, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** An opaque handle returned by `setTimer`. */
export type TimerHandle = unknown;

/** UTF-8 conversion between strings and bytes. */
export interface Utf8Codec {
  encode(text: string): Uint8Array;
  /** Throws on malformed input. */
  decode(bytes: Uint8Array): string;
}

/** TLS settings for a TCP connection (PEM text or DER bytes). */
export interface TlsOptions {
  ca?: string | Uint8Array;
  cert?: string | Uint8Array;
  key?: string | Uint8Array;
  /** Server name for SNI and certificate checks (default: `host`). */
  servername?: string;
  /** Accept an unverified server certificate (tests only). Default false. */
  insecure?: boolean;
}

/**
 * Options for an outgoing TCP connection, ECMA-419 in spirit: one options object and
 * callbacks, no events. Callbacks never run after `close()` was called.
 */
export interface TcpOptions {
  host: string;
  port: number;
  /** Disable Nagle's algorithm (small packets leave at once). */
  noDelay?: boolean;
  /** Wrap the connection in TLS. A host without TLS calls `onError` at once. */
  tls?: TlsOptions;
  /** The connection is open. */
  onConnect(): void;
  /** Bytes arrived. The view is valid only during the call. */
  onReadable(bytes: Uint8Array): void;
  /** After `write` returned false: there is room again. */
  onWritable?(): void;
  /** The connection failed or broke; `onClose` follows. */
  onError?(error: Error): void;
  /** The connection ended (by the peer, or after an error). */
  onClose(): void;
}

/** An open TCP connection. */
export interface TcpSocket {
  /** Queues bytes; returns false when the host's send buffer is full (wait for `onWritable`). */
  write(bytes: Uint8Array): boolean;
  /** Closes the connection; no callback runs after this. */
  close(): void;
}

/** Options for a UDP socket. */
export interface UdpOptions {
  port?: number;
  address?: string;
  /** Multicast groups to join (KNX routing uses 224.0.23.12). */
  multicast?: { group: string; interface?: string; loopback?: boolean }[];
  onReadable(bytes: Uint8Array, address: string, port: number): void;
  onError?(error: Error): void;
}

/** An open UDP socket. */
export interface UdpSocket {
  send(bytes: Uint8Array, address: string, port: number): void;
  close(): void;
}

/**
 * What a platform provides. The clock, timers, log, UTF-8 and randomness are required;
 * the network factories are optional and used by the connectors that need them.
 */
export interface Host {
  /** A short name for logs (`"node"`, `"sim"`, `"moddable"`). */
  readonly name: string;
  /** Monotonic milliseconds; never goes backwards. */
  now(): number;
  /** Wall-clock Unix milliseconds, or undefined while the host does not know the time (before SNTP). */
  unixMs(): number | undefined;
  /** Calls `callback` once after `delayMs`. */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  log(level: LogLevel, message: string): void;
  /** A number in [0, 1). The sim host seeds it; backoff jitter uses it. */
  random(): number;
  readonly utf8: Utf8Codec;
  /** Opens a TCP connection, when the host has TCP. */
  tcp?(options: TcpOptions): TcpSocket;
  /** Opens a UDP socket, when the host has UDP. */
  udp?(options: UdpOptions): UdpSocket;
}
