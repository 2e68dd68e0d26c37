/**
 * The page's side of the WebSocket protocol, with no dependencies beyond a `WebSocket`
 * class and timers, both given to it (`aimdb-ts/websocket/browser` passes the page's; npm
 * `ws` and Node's timers in tests). It keeps a mirror of the records it subscribed to
 * (`records`: key → { seq, value }), tells listeners of every change, writes with
 * acknowledgement, and reconnects with exponential backoff, subscribing again after each
 * welcome (the snapshots then refresh the mirror). Values are plain JSON; a page that
 * shares contracts with the hub may check them with `Contract.decode` (it reads JSON).
 *
 * States: "connecting" (also while waiting to reconnect), "open" (welcomed) and
 * "closed" (after `close()`, or when the hub refused the token or the version: 4001,
 * 4002, since retrying with the same token cannot succeed).
 */
import { AimDbError } from "../../core/errors.js";
import * as P from "./protocol.js";

/** The part of the WHATWG WebSocket this client uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Timer functions (default: the page's setTimeout and clearTimeout). */
export interface BrowserTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface BrowserClientOptions {
  /** The hub, e.g. `ws://hub.local:8080/aimdb`. */
  url: string;
  /** Sent in hello. */
  token?: string;
  /** The WebSocket class: the page's `WebSocket` (filled in by `aimdb-ts/websocket/browser`), or npm `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Timers: the page's `setTimeout` / `clearTimeout` (filled in by `aimdb-ts/websocket/browser`), or Node's. */
  timers?: BrowserTimers;
  /** Reconnect delays (defaults 500 ms, 30 s, ×2), with ±20 % jitter. */
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** A write not acknowledged in this time rejects with WS_TIMEOUT (default 10 s). */
  writeTimeoutMs?: number;
}

export type ConnectionState = "connecting" | "open" | "closed";

/** A mirrored record: the hub's sequence number for the key and the value. */
export interface MirrorEntry {
  readonly seq: number;
  readonly value: unknown;
}

interface Request {
  resolve(): void;
  reject(error: Error): void;
  timer: unknown;
}

export class BrowserClient {
  /** The mirror of every subscribed record seen so far. */
  readonly records = new Map<string, MirrorEntry>();
  /** What the last welcome offered (the records this client may read or write). */
  offers: readonly P.RecordOffer[] = [];
  state: ConnectionState = "connecting";
  /** Events the hub dropped because this page read too slowly. */
  dropped = 0;
  lastError: string | undefined;
  readonly #o: BrowserClientOptions;
  readonly #Ws: WebSocketConstructor;
  readonly #timers: BrowserTimers;
  readonly #patterns: string[] = [];
  readonly #requests = new Map<number, Request>();
  /** subscribe() calls made while not open: settled by the next subscription's ack. */
  #waiting: Request[] = [];
  readonly #changeListeners = new Set<(key: string, entry: MirrorEntry) => void>();
  readonly #stateListeners = new Set<(state: ConnectionState) => void>();
  #socket: WebSocketLike | undefined;
  #attempt = 0;
  #nextId = 1;
  #reconnectTimer: unknown;

  constructor(options: BrowserClientOptions) {
    this.#o = options;
    const Ws = options.WebSocket;
    const timers = options.timers;
    if (!Ws || !timers) throw new AimDbError("WS_NO_CLIENT", "no WebSocket or timers: pass options.WebSocket and options.timers (aimdb-ts/websocket/browser fills in the page's)");
    this.#Ws = Ws;
    this.#timers = timers;
    this.#connect();
  }

  /** Calls `listener(key, entry)` on every event and snapshot; returns a function that stops it. */
  onChange(listener: (key: string, entry: MirrorEntry) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Calls `listener(state)` on every state change; returns a function that stops it. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Subscribes to keys matching `patterns`; resolves once the hub acknowledged (after a reconnect if need be). */
  subscribe(patterns: readonly string[]): Promise<void> {
    for (const p of patterns) {
      const why = P.patternError(p);
      if (why !== undefined) return Promise.reject(new AimDbError(P.WS_BAD_PATTERN, why));
    }
    const fresh = patterns.filter((p, i) => !this.#patterns.includes(p) && patterns.indexOf(p) === i);
    this.#patterns.push(...fresh);
    if (this.state === "closed") return Promise.reject(new AimDbError(P.WS_NOT_CONNECTED, this.lastError ?? "closed"));
    if (this.state !== "open") return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject, timer: undefined }));
    if (fresh.length === 0) return Promise.resolve();
    return this.#request((id) => P.subscribeFrame("subscribe", id, fresh), undefined);
  }

  /** Stops the patterns and forgets mirrored keys no remaining pattern matches. */
  unsubscribe(patterns: readonly string[]): Promise<void> {
    const gone = patterns.filter((p) => this.#patterns.includes(p));
    for (const p of gone) this.#patterns.splice(this.#patterns.indexOf(p), 1);
    for (const key of [...this.records.keys()]) if (!P.matchesAny(this.#patterns, key)) this.records.delete(key);
    if (this.state !== "open" || gone.length === 0) return Promise.resolve();
    return this.#request((id) => P.subscribeFrame("unsubscribe", id, gone), undefined);
  }

  /** Writes `value` to a writable record; resolves on the hub's ack, rejects with the error frame's code. */
  write(key: string, value: unknown): Promise<void> {
    if (this.state !== "open") return Promise.reject(new AimDbError(P.WS_NOT_CONNECTED, `not connected (${this.state})`));
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (err) {
      return Promise.reject(new AimDbError(P.WS_BAD_VALUE, `value is not JSON: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (json === undefined) return Promise.reject(new AimDbError(P.WS_BAD_VALUE, "value is not JSON"));
    return this.#request((id) => P.writeFrame(id, key, json), this.#o.writeTimeoutMs ?? 10_000);
  }

  /** Closes for good: no reconnect; pending requests reject with WS_NOT_CONNECTED. */
  close(): void {
    this.#stop("closed by the page");
    const s = this.#socket;
    this.#socket = undefined;
    if (s) {
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      s.close(1000, "bye");
    }
  }

  #setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const l of this.#stateListeners) l(state);
  }

  #request(frame: (id: number) => string, timeoutMs: number | undefined): Promise<void> {
    const id = this.#nextId++;
    return new Promise<void>((resolve, reject) => {
      const r: Request = { resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) {
        r.timer = this.#timers.set(() => {
          if (this.#requests.delete(id)) reject(new AimDbError(P.WS_TIMEOUT, `no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.#requests.set(id, r);
      this.#socket!.send(frame(id));
    });
  }

  #settle(id: number, error: Error | undefined): void {
    const r = this.#requests.get(id);
    if (!r) return;
    this.#requests.delete(id);
    if (r.timer !== undefined) this.#timers.clear(r.timer);
    if (error) r.reject(error);
    else r.resolve();
  }

  #connect(): void {
    this.#reconnectTimer = undefined;
    this.#setState("connecting");
    const s = new this.#Ws(this.#o.url);
    this.#socket = s;
    s.onopen = () => s.send(P.helloFrame(this.#o.token));
    s.onmessage = (e) => {
      if (typeof e.data === "string") this.#message(e.data);
    };
    s.onerror = () => {
      this.lastError = "connection error";
    };
    s.onclose = (e) => {
      if (this.#socket !== s) return;
      this.#socket = undefined;
      this.#lost(e.code, e.reason);
    };
  }

  #message(text: string): void {
    const f = P.parseServerFrame(text);
    if (!f) return;
    switch (f.type) {
      case "welcome": {
        if (f.version !== P.PROTOCOL_VERSION) return this.#socket?.close(1000, "version");
        this.offers = f.records;
        this.#attempt = 0;
        this.lastError = undefined;
        this.#setState("open");
        const waiting = this.#waiting;
        this.#waiting = [];
        if (this.#patterns.length === 0) return waiting.forEach((w) => w.resolve());
        void this.#request((id) => P.subscribeFrame("subscribe", id, this.#patterns), undefined).then(
          () => waiting.forEach((w) => w.resolve()),
          (err: Error) => waiting.forEach((w) => w.reject(err)),
        );
        return;
      }
      case "event":
      case "snapshot": {
        if (!P.matchesAny(this.#patterns, f.key)) return;
        const entry: MirrorEntry = { seq: f.seq, value: f.value };
        this.records.set(f.key, entry);
        for (const l of this.#changeListeners) l(f.key, entry);
        return;
      }
      case "ack":
        return this.#settle(f.id, undefined);
      case "error":
        if (f.id !== undefined && this.#requests.has(f.id)) return this.#settle(f.id, new AimDbError(f.code, f.message));
        this.lastError = `${f.code}: ${f.message}`;
        return;
      case "dropped":
        this.dropped += f.count;
        return;
      case "pong":
        return;
    }
  }

  #lost(code: number, reason: string): void {
    const why = `closed ${code}${reason ? ` ${reason}` : ""}`;
    if (code === P.CLOSE_UNAUTHORIZED || code === P.CLOSE_VERSION) return this.#stop(why);
    this.lastError = why;
    this.#failRequests(why);
    this.#setState("connecting");
    const b = this.#o.backoff ?? {};
    const delay = Math.min(b.maxMs ?? 30_000, (b.initialMs ?? 500) * Math.pow(b.factor ?? 2, this.#attempt++));
    this.#reconnectTimer = this.#timers.set(() => this.#connect(), delay * (0.8 + 0.4 * Math.random()));
  }

  #failRequests(why: string): void {
    for (const id of [...this.#requests.keys()]) this.#settle(id, new AimDbError(P.WS_NOT_CONNECTED, why));
  }

  #stop(why: string): void {
    if (this.#reconnectTimer !== undefined) this.#timers.clear(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.lastError = why;
    this.#failRequests(why);
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const w of waiting) w.reject(new AimDbError(P.WS_NOT_CONNECTED, why));
    this.#setState("closed");
  }
}

/** Connects to a hub; see `BrowserClient`. */
export function browserClient(options: BrowserClientOptions): BrowserClient {
  return new BrowserClient(options);
}
