/**
 * Options of the WebSocket connectors: defaults and the checks done when the connector is
 * made (one `ConfigError` listing every problem), and the link checks done at `build()`.
 */
import { ConfigError, type ConfigProblem } from "../../core/errors.js";
import type { LinkDeclaration } from "../spi.js";
import { isKey, MAX_PATTERNS, patternError } from "./protocol.js";

/** What a client may do: patterns of keys it may read and write, or `true` for all. */
export interface WsGrants {
  readonly read: readonly string[] | true;
  readonly write: readonly string[] | true;
}

/** Options of `websocketServer({...})`; every one has a default. */
export interface WebSocketServerOptions {
  /** Port to listen on (default 8080; 0 picks a free one). Ignored with `server`. */
  port?: number;
  /** Address to listen on (default `"127.0.0.1"`). Ignored with `server`. */
  host?: string;
  /** The path upgraded to WebSocket (default `"/aimdb"`). */
  path?: string;
  /** Frames queued per client while its socket is full (default 256); then the oldest event is dropped. */
  queue?: number;
  /** Largest client frame read, bytes (default 65536); larger ones get a WS_TOO_BIG error. */
  maxFrameBytes?: number;
  /** Clients at once (default 1024); more are closed with 1013. */
  maxClients?: number;
  /** Bytes a client's socket may hold before frames queue (default 65536). */
  highWaterBytes?: number;
  /** Time a client has to send hello (default 10 s); then it is closed with 4003. */
  helloTimeoutMs?: number;
  /**
   * Decides what a client may read and write from its token (`?token=` in the URL, an
   * `Authorization: Bearer` header, or `hello.token`, the last winning). Undefined refuses
   * the client (close 4001). Without it, every client may read and write everything.
   */
  authorize?: (token: string | undefined) => WsGrants | undefined;
  /** A host server to attach to instead of listening (Node: an `http.Server`). */
  server?: unknown;
  /** The link scheme served (default `"ws"`). */
  scheme?: string;
}

export interface ResolvedServer {
  scheme: string;
  host: string;
  port: number;
  path: string;
  queue: number;
  maxFrameBytes: number;
  maxClients: number;
  highWaterBytes: number;
  helloTimeoutMs: number;
  authorize: ((token: string | undefined) => WsGrants | undefined) | undefined;
  server: unknown;
}

/** Reconnect delays: initial, maximum, growth factor, jitter fraction. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: number;
}

/** Options of `websocketClient({...})`. Only `url` is required. */
export interface WebSocketClientOptions {
  /** The hub, e.g. `"ws://hub.local:8080/aimdb"`. */
  url: string;
  /** Sent in hello; the hub's `authorize` decides. */
  token?: string;
  /** The link scheme served (default `"ws"`). */
  scheme?: string;
  /** Reconnect delays (defaults 500 ms, 30 s, 2, 0.2). */
  backoff?: Partial<Backoff>;
  /** A ping after this much silence; a hub silent for twice as long is dropped (default 15 s, 0: never). */
  keepaliveMs?: number;
}

export interface ResolvedClient {
  url: string;
  token: string | undefined;
  scheme: string;
  backoff: Backoff;
  keepaliveMs: number;
}

type Problems = string[];

function int(problems: Problems, name: string, v: number | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min || v > max) problems.push(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
  return v;
}

function fail(fn: string, problems: Problems): void {
  if (problems.length > 0) {
    throw new ConfigError(problems.map((message): ConfigProblem => ({ key: "", code: "BAD_CONNECTOR_OPTION", message: `${fn}(): ${message}` })));
  }
}

function scheme(problems: Problems, s: string | undefined): string {
  if (s !== undefined && !/^[a-z][a-z0-9+.-]*$/.test(s)) problems.push(`scheme must be a URL scheme, got ${JSON.stringify(s)}`);
  return s ?? "ws";
}

export function resolveServerOptions(o: WebSocketServerOptions): ResolvedServer {
  const p: Problems = [];
  const path = o.path ?? "/aimdb";
  if (typeof path !== "string" || !path.startsWith("/") || /[?#\s]/.test(path)) p.push(`path must start with "/" and hold no query, got ${JSON.stringify(path)}`);
  if (o.authorize !== undefined && typeof o.authorize !== "function") p.push("authorize must be a function");
  const r: ResolvedServer = {
    scheme: scheme(p, o.scheme),
    host: o.host ?? "127.0.0.1",
    port: int(p, "port", o.port, 8080, 0, 65535),
    path,
    queue: int(p, "queue", o.queue, 256, 1, 1 << 20),
    maxFrameBytes: int(p, "maxFrameBytes", o.maxFrameBytes, 65536, 256, 1 << 26),
    maxClients: int(p, "maxClients", o.maxClients, 1024, 1, 1 << 20),
    highWaterBytes: int(p, "highWaterBytes", o.highWaterBytes, 65536, 1, 1 << 30),
    helloTimeoutMs: int(p, "helloTimeoutMs", o.helloTimeoutMs, 10_000, 1, 3_600_000),
    authorize: o.authorize,
    server: o.server,
  };
  fail("websocketServer", p);
  return r;
}

export function resolveClientOptions(o: WebSocketClientOptions): ResolvedClient {
  const p: Problems = [];
  if (typeof o.url !== "string" || !/^wss?:\/\/[^\s/?#]+/.test(o.url)) p.push(`url must look like ws://host[:port]/path, got ${JSON.stringify(o.url)}`);
  if (o.token !== undefined && typeof o.token !== "string") p.push("token must be a string");
  const b = o.backoff ?? {};
  const backoff: Backoff = { initialMs: b.initialMs ?? 500, maxMs: b.maxMs ?? 30_000, factor: b.factor ?? 2, jitter: b.jitter ?? 0.2 };
  if (!(backoff.initialMs > 0 && backoff.maxMs >= backoff.initialMs && backoff.factor >= 1 && backoff.jitter >= 0 && backoff.jitter < 1)) {
    p.push("backoff needs initialMs > 0, maxMs ≥ initialMs, factor ≥ 1 and 0 ≤ jitter < 1");
  }
  const r: ResolvedClient = {
    url: o.url,
    token: o.token,
    scheme: scheme(p, o.scheme),
    backoff,
    keepaliveMs: int(p, "keepaliveMs", o.keepaliveMs, 15_000, 0, 3_600_000),
  };
  fail("websocketClient", p);
  return r;
}

/** The only link option either side takes. */
const LINK_KEYS: readonly string[] = Object.freeze(["timeoutMs"]);

function unknownOption(link: LinkDeclaration): string | undefined {
  for (const k of Object.keys(link.config)) if (!LINK_KEYS.includes(k)) return `unknown option "${k}" (websocket links take ${LINK_KEYS.join(", ")})`;
  return undefined;
}

/** Server links: every resource is a key, exposed (linkTo) or writable (linkFrom). */
export function validateServerLink(link: LinkDeclaration): string | undefined {
  if (link.direction === "from" && link.config.timeoutMs !== undefined) return "timeoutMs applies to linkTo only";
  return unknownOption(link) ?? (isKey(link.resource) ? undefined : `a hub link names one key (dot-separated letters, digits, '_', '-'), got "${link.resource}"`);
}

/** Client links: linkTo writes one key, linkFrom subscribes to a pattern. */
export function validateClientLink(link: LinkDeclaration): string | undefined {
  const bad = unknownOption(link);
  if (bad !== undefined) return bad;
  if (link.direction === "to") return isKey(link.resource) ? undefined : `a linkTo names one key of the hub, got "${link.resource}"`;
  if (link.config.timeoutMs !== undefined) return "timeoutMs applies to linkTo only";
  return patternError(link.resource);
}

/** At most MAX_PATTERNS distinct linkFrom patterns per client connector. */
export function clientPatterns(links: readonly LinkDeclaration[]): string[] {
  const set = new Set<string>();
  for (const l of links) if (l.direction === "from") set.add(l.resource);
  const out = [...set];
  if (out.length > MAX_PATTERNS) throw new ConfigError([{ key: "", code: "BAD_CONNECTOR_OPTION", message: `websocketClient(): at most ${MAX_PATTERNS} distinct linkFrom patterns` }]);
  return out;
}
