/**
 * `websocketServer()`: a hub exposes records to WebSocket clients (browsers, other nodes).
 *
 * Theory of operation. Each link resource is a key with one slot, made at start: a
 * linkTo makes the key readable, a linkFrom writable. A slot keeps the key's last value
 * as JSON text (for the snapshot a late subscriber gets), its sequence number and the
 * set of clients subscribed to it, so memory for values is bounded by the link count and
 * an event costs one string build plus one `send` per subscriber.
 *
 * A client connects, sends hello (version, token), is authorized and welcomed, then
 * subscribes with patterns; the server works out once which slots it may read and which
 * it asked for. Writes are re-serialized and handed to the runtime (`ctx.deliver`), which
 * reports whether a link applied them.
 *
 * Backpressure: a frame goes straight to the socket while the socket holds less than
 * `highWaterBytes`; otherwise it waits in the client's FrameQueue (fixed size), and a
 * timer drains the queues as sockets empty. A full queue drops its oldest event and the
 * client is told with a `dropped` frame. Nothing here ever waits for a client, so a slow
 * client costs at most its queue, and the hub and other clients never notice it.
 */
import type { Host, TimerHandle, WsConnection, WsRequest, WsServer } from "../../host.js";
import type { Connector, ConnectorBuilder, ConnectorContext } from "../spi.js";
import { AimDbError } from "../../core/errors.js";
import { resolveServerOptions, validateServerLink, type ResolvedServer, type WebSocketServerOptions, type WsGrants } from "./options.js";
import * as P from "./protocol.js";
import { CONTROL, DATA, DROPPED_OLDEST, FrameQueue, FULL_OF_REPLIES } from "./queue.js";

export type { WebSocketServerOptions, WsGrants } from "./options.js";

/** How often queued frames are retried while a client's socket is full. */
const DRAIN_MS = 10;
const ALL: WsGrants = Object.freeze({ read: true, write: true });

/** Makes the WebSocket server connector for `AimDbBuilder.withConnector`. Throws `ConfigError` on bad options. */
export function websocketServer(options: WebSocketServerOptions = {}): ConnectorBuilder {
  const o = resolveServerOptions(options);
  return { scheme: o.scheme, validateLink: validateServerLink, build: (ctx) => new Hub(o, ctx).start() };
}

interface Slot {
  readonly index: number;
  readonly key: string;
  readonly eventPrefix: string;
  readonly snapshotPrefix: string;
  readable: boolean;
  writable: boolean;
  seq: number;
  /** The last value, as JSON text; undefined until the first. */
  value: string | undefined;
  readonly subscribers: Set<Client>;
}

const HELLO = 0;
const READY = 1;

class Client {
  state = HELLO;
  readonly conn: WsConnection;
  readonly queue: FrameQueue;
  /** Token from the URL or the Authorization header, until hello may replace it. */
  token: string | undefined;
  patterns: string[] = [];
  /** Per slot: 1 when this client may read it, 2 when it may write it. */
  rights: Uint8Array = new Uint8Array(0);
  dropped = 0;
  /** Dropped frames the client has not been told about yet. */
  untold = 0;
  helloTimer: TimerHandle | undefined;

  constructor(conn: WsConnection, queue: number) {
    this.conn = conn;
    this.queue = new FrameQueue(queue);
  }
}

const CAN_READ = 1;
const CAN_WRITE = 2;

/** Counters shown by `db.connectors()[i].detail`. */
interface HubStats {
  connections: number;
  framesSent: number;
  dropped: number;
  badFrames: number;
  refused: number;
  writes: number;
  writeErrors: number;
  queuePeak: number;
}

class Hub {
  readonly #o: ResolvedServer;
  readonly #ctx: ConnectorContext;
  readonly #host: Host;
  readonly #slots: Slot[] = [];
  readonly #byKey = new Map<string, Slot>();
  readonly #clients = new Set<Client>();
  /** Clients with queued frames or an untold drop. */
  readonly #backlog = new Set<Client>();
  readonly stats: HubStats = { connections: 0, framesSent: 0, dropped: 0, badFrames: 0, refused: 0, writes: 0, writeErrors: 0, queuePeak: 0 };
  #server: WsServer | undefined;
  #port = 0;
  #drainTimer: TimerHandle | undefined;
  #stopped = false;

  constructor(o: ResolvedServer, ctx: ConnectorContext) {
    this.#o = o;
    this.#ctx = ctx;
    this.#host = ctx.host;
    for (const l of ctx.links) {
      let slot = this.#byKey.get(l.resource);
      if (!slot) {
        const k = l.resource;
        slot = { index: this.#slots.length, key: k, eventPrefix: P.valuePrefix("event", k), snapshotPrefix: P.valuePrefix("snapshot", k), readable: false, writable: false, seq: 0, value: undefined, subscribers: new Set() };
        this.#slots.push(slot);
        this.#byKey.set(k, slot);
      }
      if (l.direction === "to") slot.readable = true;
      else slot.writable = true;
    }
  }

  async start(): Promise<Connector> {
    const host = this.#host;
    if (!host.wsServer) throw new AimDbError("WS_NO_SERVER", `host "${host.name}" cannot serve WebSocket`);
    const o = this.#o;
    this.#port = await new Promise<number>((resolve, reject) => {
      this.#server = host.wsServer!({
        host: o.host,
        port: o.port,
        path: o.path,
        maxPayload: o.maxFrameBytes,
        server: o.server,
        onListening: resolve,
        onError: reject,
        onConnection: (conn, request) => this.#accept(conn, request),
      });
    });
    this.#ctx.setState("up");
    host.log("info", `websocket: serving ${o.server === undefined ? `ws://${o.host}:${this.#port}` : `port ${this.#port}`}${o.path}`);
    return {
      publish: async (destination, _config, payload) => this.#publish(destination, payload),
      info: () => this.info(),
      close: async () => this.close(),
    };
  }

  info(): Readonly<Record<string, unknown>> {
    let queued = 0;
    let buffered = 0;
    for (const c of this.#backlog) queued += c.queue.size;
    for (const c of this.#clients) buffered += c.conn.bufferedAmount;
    return { port: this.#port, path: this.#o.path, clients: this.#clients.size, queued, buffered, ...this.stats };
  }

  close(): void {
    this.#stopped = true;
    if (this.#drainTimer !== undefined) this.#host.clearTimer(this.#drainTimer);
    this.#drainTimer = undefined;
    for (const c of [...this.#clients]) this.#drop(c, P.CLOSE_GOING_AWAY, "server stopping");
    this.#server?.close();
    this.#server = undefined;
    this.#ctx.setState("down");
  }

  // ---- outbound: record values to subscribers --------------------------------------------

  #publish(key: string, payload: Uint8Array): void {
    const slot = this.#byKey.get(key);
    if (!slot || !slot.readable) throw new AimDbError(P.WS_UNKNOWN_KEY, `"${key}" is not a linkTo key of this hub (withTopic must return one)`);
    if (!P.isJsonValue(payload)) throw new AimDbError(P.WS_NOT_JSON, "the serializer must produce one JSON value as UTF-8 (e.g. Contract.encodeJson)");
    const text = this.#host.utf8.decode(payload);
    slot.value = text;
    const seq = ++slot.seq;
    if (slot.subscribers.size === 0) return;
    const frame = P.valueFrame(slot.eventPrefix, seq, text);
    for (const c of slot.subscribers) this.#send(c, frame, DATA);
  }

  #send(c: Client, frame: string, kind: typeof DATA | typeof CONTROL): void {
    if (c.queue.size === 0 && c.untold === 0 && c.conn.bufferedAmount < this.#o.highWaterBytes) {
      c.conn.send(frame);
      this.stats.framesSent++;
      return;
    }
    const r = c.queue.push(frame, kind);
    if (r === FULL_OF_REPLIES) {
      this.#drop(c, P.CLOSE_POLICY, "replies not read");
      return;
    }
    if (r === DROPPED_OLDEST) {
      c.dropped++;
      c.untold++;
      this.stats.dropped++;
    }
    if (c.queue.size > this.stats.queuePeak) this.stats.queuePeak = c.queue.size;
    this.#backlog.add(c);
    this.#armDrain();
  }

  #armDrain(): void {
    if (this.#drainTimer !== undefined || this.#stopped) return;
    this.#drainTimer = this.#host.setTimer(() => {
      this.#drainTimer = undefined;
      for (const c of this.#backlog) this.#drain(c);
      if (this.#backlog.size > 0) this.#armDrain();
    }, DRAIN_MS);
  }

  /** Sends what a client's socket has room for: first the news of any drop, then the queue in order. */
  #drain(c: Client): void {
    const hw = this.#o.highWaterBytes;
    while (c.conn.bufferedAmount < hw) {
      if (c.untold > 0) {
        c.conn.send(P.droppedFrame(c.untold));
        c.untold = 0;
      } else {
        const f = c.queue.shift();
        if (f === undefined) break;
        c.conn.send(f);
      }
      this.stats.framesSent++;
    }
    if (c.queue.size === 0 && c.untold === 0) this.#backlog.delete(c);
  }

  // ---- connections ------------------------------------------------------------------------

  #accept(conn: WsConnection, request: WsRequest): void {
    if (this.#stopped) return conn.close(P.CLOSE_GOING_AWAY, "server stopping");
    if (this.#clients.size >= this.#o.maxClients) {
      this.stats.refused++;
      return conn.close(P.CLOSE_TRY_LATER, "too many clients");
    }
    const c = new Client(conn, this.#o.queue);
    c.token = requestToken(request);
    this.#clients.add(c);
    this.stats.connections++;
    c.helloTimer = this.#host.setTimer(() => {
      c.helloTimer = undefined;
      if (c.state === HELLO) this.#drop(c, P.CLOSE_NO_HELLO, "no hello");
    }, this.#o.helloTimeoutMs);
    conn.onMessage = (text) => this.#frame(c, text);
    conn.onRefused = (size, binary) =>
      this.#bad(c, binary ? P.WS_BINARY : P.WS_TOO_BIG, binary ? "frames are JSON text" : `frame of ${size} bytes is over ${this.#o.maxFrameBytes}`);
    conn.onClose = () => this.#forget(c);
  }

  /** Closes a client from this side. */
  #drop(c: Client, code: number, reason: string): void {
    this.#forget(c);
    c.conn.close(code, reason);
  }

  #forget(c: Client): void {
    if (!this.#clients.delete(c)) return;
    if (c.helloTimer !== undefined) this.#host.clearTimer(c.helloTimer);
    for (const s of this.#slots) s.subscribers.delete(c);
    this.#backlog.delete(c);
    c.queue.clear();
    c.conn.onMessage = c.conn.onRefused = c.conn.onClose = undefined;
  }

  #reply(c: Client, frame: string): void {
    this.#send(c, frame, CONTROL);
  }

  #bad(c: Client, code: string, message: string, id?: number): void {
    this.stats.badFrames++;
    this.#reply(c, P.errorFrame(code, message, id));
  }

  // ---- inbound frames ----------------------------------------------------------------------

  #frame(c: Client, text: string): void {
    const f = P.parseClientFrame(text);
    if (f.type === "fault") return this.#bad(c, f.code, f.message, f.id);
    if (c.state === HELLO) {
      if (f.type !== "hello") return this.#bad(c, P.WS_NO_HELLO, "send hello first", "id" in f ? f.id : undefined);
      return this.#hello(c, f.version, f.token ?? c.token);
    }
    switch (f.type) {
      case "hello":
        return this.#bad(c, P.WS_NO_HELLO, "hello was already sent");
      case "subscribe":
        return this.#subscribe(c, f.id, f.patterns);
      case "unsubscribe":
        return this.#unsubscribe(c, f.id, f.patterns);
      case "write":
        return this.#write(c, f.id, f.key, f.value);
      case "ping":
        return this.#reply(c, P.pongFrame(f.id));
    }
  }

  #hello(c: Client, version: number, token: string | undefined): void {
    if (version !== P.PROTOCOL_VERSION) {
      this.stats.refused++;
      this.#reply(c, P.errorFrame(P.WS_VERSION, `this server speaks version ${P.PROTOCOL_VERSION}`));
      return this.#drop(c, P.CLOSE_VERSION, "unsupported protocol version");
    }
    let grants: WsGrants | undefined = ALL;
    if (this.#o.authorize) {
      try {
        grants = this.#o.authorize(token);
      } catch (err) {
        this.#host.log("warn", `websocket: authorize threw: ${err instanceof Error ? err.message : String(err)}`);
        grants = undefined;
      }
    }
    if (!grants) {
      this.stats.refused++;
      this.#reply(c, P.errorFrame(P.WS_UNAUTHORIZED, "token refused"));
      return this.#drop(c, P.CLOSE_UNAUTHORIZED, "unauthorized");
    }
    if (c.helloTimer !== undefined) this.#host.clearTimer(c.helloTimer);
    c.helloTimer = undefined;
    c.state = READY;
    const rights = new Uint8Array(this.#slots.length);
    const offers: P.RecordOffer[] = [];
    for (const s of this.#slots) {
      const r = (s.readable && allowed(grants.read, s.key) ? CAN_READ : 0) | (s.writable && allowed(grants.write, s.key) ? CAN_WRITE : 0);
      rights[s.index] = r;
      if (r !== 0) offers.push({ key: s.key, writable: (r & CAN_WRITE) !== 0 });
    }
    c.rights = rights;
    this.#reply(c, P.welcomeFrame(offers));
  }

  #subscribe(c: Client, id: number, patterns: readonly string[]): void {
    const fresh = patterns.filter((p, i) => !c.patterns.includes(p) && patterns.indexOf(p) === i);
    if (c.patterns.length + fresh.length > P.MAX_PATTERNS) return this.#bad(c, P.WS_TOO_MANY_PATTERNS, `at most ${P.MAX_PATTERNS} patterns per client`, id);
    c.patterns.push(...fresh);
    for (const s of this.#slots) {
      if ((c.rights[s.index]! & CAN_READ) === 0 || s.subscribers.has(c) || !P.matchesAny(fresh, s.key)) continue;
      s.subscribers.add(c);
      if (s.value !== undefined) this.#send(c, P.valueFrame(s.snapshotPrefix, s.seq, s.value), DATA);
    }
    this.#reply(c, P.ackFrame(id));
  }

  #unsubscribe(c: Client, id: number, patterns: readonly string[]): void {
    c.patterns = c.patterns.filter((p) => !patterns.includes(p));
    for (const s of this.#slots) if (s.subscribers.has(c) && !P.matchesAny(c.patterns, s.key)) s.subscribers.delete(c);
    this.#reply(c, P.ackFrame(id));
  }

  #write(c: Client, id: number, key: string, value: unknown): void {
    const slot = this.#byKey.get(key);
    let code: string | undefined;
    let message = "";
    if (!slot || !slot.writable) {
      code = P.WS_NOT_WRITABLE;
      message = `"${key.slice(0, P.MAX_KEY_LENGTH)}" is not writable`;
    } else if ((c.rights[slot.index]! & CAN_WRITE) === 0) {
      code = P.WS_FORBIDDEN;
      message = `not allowed to write "${key}"`;
    } else if (this.#ctx.deliver(key, this.#host.utf8.encode(JSON.stringify(value))) === 0) {
      code = P.WS_BAD_VALUE;
      message = `"${key}" did not accept the value`;
    }
    if (code === undefined) {
      this.stats.writes++;
      return this.#reply(c, P.ackFrame(id));
    }
    this.stats.writeErrors++;
    this.#reply(c, P.errorFrame(code, message, id));
  }
}

function allowed(grant: readonly string[] | true, key: string): boolean {
  return grant === true || P.matchesAny(grant, key);
}

/** The token of `?token=` in the URL, else of an `Authorization: Bearer` header. */
function requestToken(request: WsRequest): string | undefined {
  const url = request.url;
  const q = url.indexOf("?");
  if (q >= 0) {
    for (const part of url.slice(q + 1).split("&")) {
      if (!part.startsWith("token=")) continue;
      try {
        return decodeURIComponent(part.slice(6).replace(/\+/g, " "));
      } catch {
        return undefined;
      }
    }
  }
  const auth = request.headers["authorization"];
  if (auth !== undefined && /^bearer /i.test(auth)) return auth.slice(7).trim();
  return undefined;
}
