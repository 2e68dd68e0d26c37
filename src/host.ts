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

/** The HTTP request that opened a WebSocket: its URL (path and query) and headers. */
export interface WsRequest {
  /** Path and query as sent, e.g. `"/aimdb?token=abc"`. */
  readonly url: string;
  /** Header names in lower case; repeated headers joined with `", "`. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/**
 * One accepted WebSocket connection, ECMA-419 in spirit: the owner assigns the callbacks
 * after `onConnection`. Only text messages are exchanged; callbacks never run after
 * `close()` was called.
 */
export interface WsConnection {
  /** Sends one text message. Never throws; ignored once the connection is closing. */
  send(text: string): void;
  /** Bytes accepted by `send` and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** Starts the closing handshake with `code` (1000, 4000–4999…) and a short reason. */
  close(code: number, reason: string): void;
  /** A text message arrived. */
  onMessage: ((text: string) => void) | undefined;
  /**
   * A message that is not text, or larger than the server's `maxPayload` bytes, arrived and
   * was discarded undecoded (`size` in bytes; `binary` when it was a binary message).
   */
  onRefused: ((size: number, binary: boolean) => void) | undefined;
  /** The connection ended (`code` 1006 when it broke without a closing handshake). */
  onClose: ((code: number, reason: string) => void) | undefined;
}

/** Options of a WebSocket server. */
export interface WsServerOptions {
  /** Address to listen on (ignored with `server`). */
  host: string;
  /** Port to listen on; 0 picks a free one (ignored with `server`). */
  port: number;
  /** The only path upgraded to WebSocket, e.g. `"/aimdb"`. */
  path: string;
  /**
   * Messages larger than this (bytes) reach `onRefused` instead of `onMessage`. A host may
   * close the connection (1009) on messages far larger, without reading them whole.
   */
  maxPayload: number;
  /** A host-specific server to attach to (Node: an `http.Server`) instead of listening. */
  server?: unknown;
  /** Listening (or attached), on `port`. */
  onListening?(port: number): void;
  /** Listening failed (address in use…). */
  onError?(error: Error): void;
  /** A client completed the opening handshake on `path`. */
  onConnection(connection: WsConnection, request: WsRequest): void;
}

/** A running WebSocket server. */
export interface WsServer {
  /** Stops listening (or detaches) and closes every connection with 1001. */
  close(): void;
}

/** Options of an outgoing WebSocket connection. */
export interface WsClientOptions {
  /** `ws://host:port/path?query` or `wss://…`. */
  url: string;
  /** The opening handshake completed. */
  onOpen(): void;
  /** A text message arrived. */
  onMessage(text: string): void;
  /** The connection failed or broke; `onClose` follows. */
  onError?(error: Error): void;
  /** The connection ended (`code` 1006 when it broke or never opened). */
  onClose(code: number, reason: string): void;
}

/** An outgoing WebSocket connection. */
export interface WsClientSocket {
  /** Sends one text message (dropped if the connection is not open). */
  send(text: string): void;
  /** Closes with 1000; no callback runs after this. */
  close(): void;
}

/**
 * What a platform provides. The clock, timers, log, UTF-8 and randomness are required;
 * the network factories (TCP, UDP, WebSocket) are optional and used by the connectors
 * that need them.
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
  /** Starts a WebSocket server, when the host can serve WebSocket. */
  wsServer?(options: WsServerOptions): WsServer;
  /** Opens a WebSocket connection, when the host has a WebSocket client. */
  ws?(options: WsClientOptions): WsClientSocket;
}
