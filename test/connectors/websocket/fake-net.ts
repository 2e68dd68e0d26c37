/**
 * An in-memory WebSocket network for the sim host, so the hub and the client connector
 * run deterministically (and inside XS). Messages are delivered on the next promise turn,
 * in order. A server-side connection can be paused: what it is sent then piles up in its
 * `bufferedAmount`, as with a peer that stopped reading, until `resume()`.
 */
import type { WsClientOptions, WsClientSocket, WsConnection, WsServer, WsServerOptions } from "../../../src/host.js";
import { portableUtf8 } from "../../../src/core/utf8.js";
import { SimHost } from "../../../hosts/sim/index.js";

const later = (fn: () => void) => void Promise.resolve().then(fn);

/** The server's end of one connection. */
export class FakeConn implements WsConnection {
  onMessage: ((text: string) => void) | undefined;
  onRefused: ((size: number, binary: boolean) => void) | undefined;
  onClose: ((code: number, reason: string) => void) | undefined;
  bufferedAmount = 0;
  closed = false;
  /** Frames held while paused. */
  readonly held: string[] = [];
  paused = false;
  readonly client: WsClientOptions;
  readonly #maxPayload: number;
  clientClosed = false;

  constructor(client: WsClientOptions, maxPayload: number) {
    this.client = client;
    this.#maxPayload = maxPayload;
  }

  send(text: string): void {
    if (this.closed) return;
    if (this.paused) {
      this.held.push(text);
      this.bufferedAmount += portableUtf8.encode(text).length;
      return;
    }
    later(() => {
      if (!this.clientClosed) this.client.onMessage(text);
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    later(() => {
      if (this.clientClosed) return;
      this.clientClosed = true;
      this.client.onClose(code, reason);
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.bufferedAmount = 0;
    for (const f of this.held.splice(0)) this.send(f);
  }

  /** From the client's end. */
  fromClient(text: string): void {
    if (this.closed) return;
    const size = portableUtf8.encode(text).length;
    if (size > this.#maxPayload) this.onRefused?.(size, false);
    else this.onMessage?.(text);
  }

  clientGone(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose?.(code, "");
  }
}

export class FakeWsNetwork {
  readonly #servers = new Map<string, { options: WsServerOptions; conns: Set<FakeConn> }>();
  /** Every server-side connection made, in order. */
  readonly conns: FakeConn[] = [];

  serve(o: WsServerOptions): WsServer {
    const key = `${o.host}:${o.port}${o.path}`;
    const entry = { options: o, conns: new Set<FakeConn>() };
    this.#servers.set(key, entry);
    later(() => o.onListening?.(o.port));
    return {
      close: () => {
        this.#servers.delete(key);
        for (const c of entry.conns) c.close(1001, "server stopping");
      },
    };
  }

  connect(o: WsClientOptions): WsClientSocket {
    const m = /^wss?:\/\/([^/:]+):(\d+)([^?]*)(\?.*)?$/.exec(o.url);
    const entry = m ? this.#servers.get(`${m[1]}:${m[2]}${m[3]}`) : undefined;
    if (!entry) {
      later(() => o.onClose(1006, ""));
      return { send: () => {}, close: () => {} };
    }
    const conn = new FakeConn(o, entry.options.maxPayload);
    entry.conns.add(conn);
    this.conns.push(conn);
    later(() => {
      entry.options.onConnection(conn, { url: `${m![3]}${m![4] ?? ""}`, headers: {} });
      o.onOpen();
    });
    return {
      send: (text) => later(() => conn.fromClient(text)),
      close: () => {
        conn.clientClosed = true;
        later(() => conn.clientGone(1000));
      },
    };
  }
}

/** The sim host with the in-memory WebSocket network. */
export class WsSimHost extends SimHost {
  readonly wsNet = new FakeWsNetwork();

  wsServer(o: WsServerOptions): WsServer {
    return this.wsNet.serve(o);
  }

  ws(o: WsClientOptions): WsClientSocket {
    return this.wsNet.connect(o);
  }
}

/** A test client speaking the protocol by hand; keeps every frame it receives, parsed. */
export interface RawClient {
  readonly frames: Record<string, unknown>[];
  closed: { code: number; reason: string } | undefined;
  send(frame: unknown): void;
  close(): void;
  /** Frames of one type. */
  of(type: string): Record<string, unknown>[];
}

export function rawClient(net: FakeWsNetwork, url: string): RawClient {
  const c: RawClient = {
    frames: [],
    closed: undefined,
    send: (frame) => socket.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    close: () => socket.close(),
    of: (type) => c.frames.filter((f) => f["type"] === type),
  };
  const socket = net.connect({
    url,
    onOpen: () => {},
    onMessage: (text) => void c.frames.push(JSON.parse(text) as Record<string, unknown>),
    onClose: (code, reason) => {
      c.closed = { code, reason };
    },
  });
  return c;
}
