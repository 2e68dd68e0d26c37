/**
 * `websocketClient()`: a node links its records to a hub's WebSocket server.
 *
 * linkFrom("ws://pattern") subscribes: the hub's events and snapshots for matching keys
 * are handed to the runtime with the key as topic (`matches` implements the dot
 * patterns). linkTo("ws://key") writes: each value is sent as a write frame and the
 * publish resolves on the hub's ack, or rejects with the error frame's code (counted as a
 * publish error of the link).
 *
 * Connection: hello, welcome, one subscribe for every pattern, then the writes waiting.
 * On any close it reports the links down and reconnects with exponential backoff and
 * jitter; after the next welcome it subscribes again and sends again the write each link
 * had waiting (a write the hub applied just before the break may so apply twice: writes
 * are at least once). A ping after `keepaliveMs` of silence, and a hub silent for twice
 * that is dropped. At most one write per link waits here (the pump awaits it).
 */
import type { Host, TimerHandle, WsClientSocket } from "../../host.js";
import type { Connector, ConnectorBuilder, ConnectorContext } from "../spi.js";
import { AimDbError } from "../../core/errors.js";
import { clientPatterns, resolveClientOptions, validateClientLink, type ResolvedClient, type WebSocketClientOptions } from "./options.js";
import * as P from "./protocol.js";

export type { WebSocketClientOptions, Backoff } from "./options.js";

/** Makes the WebSocket client connector for `AimDbBuilder.withConnector`. Throws `ConfigError` on bad options. */
export function websocketClient(options: WebSocketClientOptions): ConnectorBuilder {
  const o = resolveClientOptions(options);
  return { scheme: o.scheme, validateLink: validateClientLink, build: async (ctx) => new HubLink(o, ctx).start() };
}

/** What a deserializer sees in `meta.transport` for a snapshot (the value a late joiner gets). */
const SNAPSHOT: Readonly<Record<string, unknown>> = Object.freeze({ snapshot: true });

interface Pending {
  readonly linkId: number;
  readonly key: string;
  readonly json: string;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  /** Frame id on the current connection; 0 while not sent on it. */
  id: number;
  timer: TimerHandle | undefined;
}

interface ClientStats {
  connects: number;
  disconnects: number;
  events: number;
  snapshots: number;
  writes: number;
  writeErrors: number;
  /** Events the hub dropped for this client because it read too slowly. */
  droppedByHub: number;
  badFrames: number;
}

class HubLink {
  readonly #o: ResolvedClient;
  readonly #ctx: ConnectorContext;
  readonly #host: Host;
  readonly #patterns: string[];
  readonly #pending = new Map<number, Pending>();
  readonly #byFrameId = new Map<number, Pending>();
  readonly stats: ClientStats = { connects: 0, disconnects: 0, events: 0, snapshots: 0, writes: 0, writeErrors: 0, droppedByHub: 0, badFrames: 0 };
  #socket: WsClientSocket | undefined;
  #welcomed = false;
  #attempt = 0;
  #nextId = 1;
  #subscribeId = 0;
  #pingOut = false;
  #reconnectTimer: TimerHandle | undefined;
  #keepaliveTimer: TimerHandle | undefined;
  #stopped = false;
  /** The database is stopping: see `#refuseWhileRetrying`. */
  #ending = false;
  #lastError: string | undefined;

  constructor(o: ResolvedClient, ctx: ConnectorContext) {
    this.#o = o;
    this.#ctx = ctx;
    this.#host = ctx.host;
    this.#patterns = clientPatterns(ctx.links);
  }

  start(): Connector {
    if (!this.#host.ws) throw new AimDbError("WS_NO_CLIENT", `host "${this.#host.name}" has no WebSocket client`);
    this.#open();
    return {
      publish: (destination, config, payload, link) => this.#publish(destination, config.timeoutMs as number | undefined, payload, link.id),
      matches: P.patternMatches,
      info: () => ({ url: this.#o.url, connected: this.#welcomed, lastError: this.#lastError, ...this.stats }),
      stopping: () => {
        this.#ending = true;
        this.#refuseWhileRetrying();
      },
      close: async () => this.#close(),
    };
  }

  #open(): void {
    this.#reconnectTimer = undefined;
    this.#pingOut = false;
    const socket: WsClientSocket = this.#host.ws!({
      url: this.#o.url,
      onOpen: () => socket.send(P.helloFrame(this.#o.token)),
      onMessage: (text) => this.#message(text),
      onError: (err) => {
        this.#lastError = err.message;
      },
      onClose: (code, reason) => {
        if (this.#socket !== socket) return;
        this.#socket = undefined;
        this.#lost(code === 1006 && this.#lastError !== undefined && !this.#welcomed ? this.#lastError : `closed by the hub: ${code}${reason ? ` ${reason}` : ""}`);
      },
    });
    this.#socket = socket;
    if (this.#o.keepaliveMs > 0) this.#keepalive();
  }

  #keepalive(): void {
    this.#keepaliveTimer = this.#host.setTimer(() => {
      this.#keepaliveTimer = undefined;
      const socket = this.#socket;
      if (!socket) return;
      if (this.#pingOut) {
        this.#socket = undefined;
        socket.close();
        return this.#lost(`hub silent for ${2 * this.#o.keepaliveMs} ms`);
      }
      if (this.#welcomed) socket.send(P.pingFrame(this.#id()));
      this.#pingOut = this.#welcomed;
      this.#keepalive();
    }, this.#o.keepaliveMs);
  }

  #id(): number {
    const id = this.#nextId;
    this.#nextId = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }

  #fromLinks(state: "up" | "down"): void {
    for (const l of this.#ctx.links) if (l.direction === "from") this.#ctx.setState(state, l.id);
  }

  #message(text: string): void {
    this.#pingOut = false;
    const f = P.parseServerFrame(text);
    if (!f) {
      this.stats.badFrames++;
      return;
    }
    switch (f.type) {
      case "welcome":
        return this.#welcome(f.version);
      case "event":
      case "snapshot":
        if (f.type === "event") this.stats.events++;
        else this.stats.snapshots++;
        this.#ctx.deliver(f.key, this.#host.utf8.encode(JSON.stringify(f.value)), f.type === "snapshot" ? SNAPSHOT : undefined);
        return;
      case "ack":
        if (f.id === this.#subscribeId) return this.#fromLinks("up");
        return this.#settle(this.#byFrameId.get(f.id), undefined);
      case "error": {
        const p = f.id === undefined ? undefined : this.#byFrameId.get(f.id);
        if (p) return this.#settle(p, new AimDbError(f.code, `hub refused the write to "${p.key}": ${f.message}`));
        this.#lastError = `${f.code}: ${f.message}`;
        this.#host.log("warn", `websocket ${this.#o.url}: ${this.#lastError}`);
        if (f.id !== undefined && f.id === this.#subscribeId) this.#fromLinks("down");
        return;
      }
      case "dropped":
        this.stats.droppedByHub += f.count;
        return;
      case "pong":
        return;
    }
  }

  #welcome(version: number): void {
    if (version !== P.PROTOCOL_VERSION) {
      const socket = this.#socket;
      this.#socket = undefined;
      socket?.close();
      return this.#lost(`hub speaks protocol version ${version}, not ${P.PROTOCOL_VERSION}`);
    }
    this.#welcomed = true;
    this.#attempt = 0;
    this.#lastError = undefined;
    this.stats.connects++;
    this.#host.log("info", `websocket ${this.#o.url}: connected`);
    for (const l of this.#ctx.links) if (l.direction === "to") this.#ctx.setState("up", l.id);
    if (this.#patterns.length > 0) {
      this.#subscribeId = this.#id();
      this.#socket!.send(P.subscribeFrame("subscribe", this.#subscribeId, this.#patterns));
    }
    for (const p of this.#pending.values()) this.#sendWrite(p);
  }

  #lost(reason: string): void {
    const was = this.#welcomed;
    this.#welcomed = false;
    this.#subscribeId = 0;
    this.#byFrameId.clear();
    for (const p of this.#pending.values()) p.id = 0;
    if (this.#keepaliveTimer !== undefined) this.#host.clearTimer(this.#keepaliveTimer);
    this.#keepaliveTimer = undefined;
    if (was) this.stats.disconnects++;
    if (was || this.#attempt === 0) this.#host.log("warn", `websocket ${this.#o.url}: ${reason}`);
    this.#lastError = reason;
    this.#ctx.setState("down");
    if (this.#stopped) return;
    const b = this.#o.backoff;
    const base = Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, this.#attempt));
    this.#attempt++;
    this.#reconnectTimer = this.#host.setTimer(() => this.#open(), base * (1 - b.jitter * this.#host.random()));
    this.#refuseWhileRetrying();
  }

  /** While the database stops and the hub is away until the next retry, writes are refused, not kept. */
  #refuseWhileRetrying(): void {
    if (!this.#ending || this.#reconnectTimer === undefined) return;
    for (const p of [...this.#pending.values()]) this.#settle(p, notSent());
  }

  #publish(key: string, timeoutMs: number | undefined, payload: Uint8Array, linkId: number): Promise<void> {
    if (!P.isJsonValue(payload)) return Promise.reject(new AimDbError(P.WS_NOT_JSON, "the serializer must produce one JSON value as UTF-8 (e.g. Contract.encodeJson)"));
    let json: string;
    try {
      json = this.#host.utf8.decode(payload);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#ending && this.#reconnectTimer !== undefined) return Promise.reject(notSent());
    return new Promise<void>((resolve, reject) => {
      const p: Pending = { linkId, key, json, resolve, reject, id: 0, timer: undefined };
      this.#pending.set(linkId, p);
      if (timeoutMs !== undefined) {
        p.timer = this.#host.setTimer(() => {
          p.timer = undefined;
          this.#settle(p, new AimDbError(P.WS_TIMEOUT, `write to "${key}" not acknowledged within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      if (this.#welcomed) this.#sendWrite(p);
    });
  }

  #sendWrite(p: Pending): void {
    p.id = this.#id();
    this.#byFrameId.set(p.id, p);
    this.#socket!.send(P.writeFrame(p.id, p.key, p.json));
  }

  #settle(p: Pending | undefined, error: Error | undefined): void {
    if (!p || this.#pending.get(p.linkId) !== p) return;
    this.#pending.delete(p.linkId);
    this.#byFrameId.delete(p.id);
    if (p.timer !== undefined) this.#host.clearTimer(p.timer);
    if (error) {
      this.stats.writeErrors++;
      p.reject(error);
    } else {
      this.stats.writes++;
      p.resolve();
    }
  }

  #close(): void {
    this.#stopped = true;
    for (const t of [this.#reconnectTimer, this.#keepaliveTimer]) if (t !== undefined) this.#host.clearTimer(t);
    this.#reconnectTimer = this.#keepaliveTimer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
    this.#welcomed = false;
    for (const p of [...this.#pending.values()]) this.#settle(p, new AimDbError("STOPPED", "the database stopped"));
    this.#ctx.setState("down");
  }
}

function notSent(): AimDbError {
  return new AimDbError("STOPPED", "not sent: stopping while the hub is unreachable");
}
