/**
 * MQTT connector options: defaults, the broker URL, and the checks done at build. Bad
 * options are reported as one `ConfigError` by `mqtt()` itself, before anything connects.
 */
import type { TlsOptions } from "../../host.js";
import { ConfigError } from "../../core/errors.js";
import { utf8Encode } from "../../core/utf8.js";
import type { LinkDeclaration } from "../spi.js";
import type { SessionOptions } from "./session.js";

/** Options of `mqtt({...})`. Only `url` is required. */
export interface MqttOptions {
  /** `mqtt://[user:pass@]host[:1883]` or `mqtts://…[:8883]` (TLS). */
  url: string;
  /** Client identifier (default: `aimdb-` and a random suffix). */
  clientId?: string;
  /** 4 = MQTT 3.1.1 (default), 5 = MQTT 5. */
  protocolVersion?: 4 | 5;
  /** Keepalive in seconds (default 30; 0 disables). A silent broker is detected within 1.5 × this. */
  keepalive?: number;
  /** 3.1.1 clean session / 5 clean start (default true). */
  clean?: boolean;
  /** MQTT 5 session expiry in seconds (default 0). */
  sessionExpiry?: number;
  /** Overrides the URL's credentials. */
  username?: string;
  password?: string;
  /** Last will, published by the broker if this client vanishes. */
  will?: { topic: string; payload: Uint8Array | string; qos?: 0 | 1; retain?: boolean };
  /** Defaults for links that do not say (default qos 0, retain false). */
  qos?: 0 | 1;
  retain?: boolean;
  /** Reconnect delays: initial, maximum, growth factor, jitter fraction (defaults 500 ms, 30 s, 2, 0.2). */
  backoff?: { initialMs?: number; maxMs?: number; factor?: number; jitter?: number };
  /** Largest packet sent or accepted, bytes (default 65536; it sizes the receive buffer). */
  maxPacketSize?: number;
  /** QoS 1 publishes in flight at once (default 1024; the broker's Receive Maximum may lower it). Each keeps a copy of its packet until PUBACK. */
  maxInflight?: number;
  /** CONNECT to CONNACK time limit, ms (default 10 s). */
  connectTimeoutMs?: number;
  /** TLS settings for `mqtts://`. */
  tls?: TlsOptions;
  /** The link scheme this connector serves (default `"mqtt"`); set it to use two brokers. */
  scheme?: string;
}

/** Options after defaults and checks: the session's settings, and the connector's own. */
export interface ResolvedMqtt extends Omit<SessionOptions, "clientId" | "subscriptions" | "random"> {
  scheme: string;
  host: string;
  port: number;
  tls: TlsOptions | undefined;
  clientId: string | undefined;
  qos: 0 | 1;
  retain: boolean;
}

const NO_QOS2 = "QoS 2 is not supported: use qos=1, and .deduplicate() on the receiving link for exactly-once";

const URL_RE = /^(mqtts?):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[0-9a-fA-F:.]+\]|[^:/?#\s[\]]+)(?::(\d{1,5}))?\/?$/;

/** Checks and completes the options; throws a `ConfigError` listing every problem. */
export function resolveOptions(o: MqttOptions): ResolvedMqtt {
  const problems: string[] = [];
  const m = typeof o.url === "string" ? URL_RE.exec(o.url) : null;
  if (!m) problems.push(`url must look like mqtt://[user:pass@]host[:port], got ${JSON.stringify(o.url)}`);
  const secure = m?.[1] === "mqtts";
  const int = (name: string, v: number | undefined, dflt: number, min: number, max: number): number => {
    if (v === undefined) return dflt;
    if (!Number.isInteger(v) || v < min || v > max) problems.push(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
    return v;
  };
  const version = o.protocolVersion ?? 4;
  if (version !== 4 && version !== 5) problems.push(`protocolVersion must be 4 (3.1.1) or 5, got ${String(version)}`);
  if (o.qos !== undefined && o.qos !== 0 && o.qos !== 1) problems.push(`qos must be 0 or 1, got ${String(o.qos)}: ${NO_QOS2}`);
  // CONNECT carries these as UTF-8 strings (no U+0000) or binary data, each at most 65535 bytes (§1.5.4, §1.5.6).
  const field = (name: string, v: string | Uint8Array | undefined, text: boolean): Uint8Array | undefined => {
    const bytes = typeof v === "string" ? utf8Encode(v) : v;
    if (bytes && (bytes.length > 0xffff || (text && bytes.indexOf(0) >= 0))) problems.push(`${name} must be at most 65535 bytes${text ? " of UTF-8 without U+0000" : ""}`);
    return bytes;
  };
  const will = o.will;
  if (will && (typeof will.topic !== "string" || !will.topic || /[+#]/.test(will.topic))) problems.push("will.topic must be a topic name without wildcards");
  else if (will) field("will.topic", will.topic, true);
  if (o.clientId !== undefined && typeof o.clientId !== "string") problems.push("clientId must be a string");
  else field("clientId", o.clientId, true);
  // [MQTT-3.1.3-7]: a 3.1.1 broker names no client, so an empty id cannot keep a session.
  if (o.clientId === "" && o.clean === false && version === 4) problems.push('clientId "" needs clean: true in MQTT 3.1.1');
  const b = o.backoff ?? {};
  const backoff = { initialMs: b.initialMs ?? 500, maxMs: b.maxMs ?? 30_000, factor: b.factor ?? 2, jitter: b.jitter ?? 0.2 };
  if (!(backoff.initialMs > 0 && backoff.maxMs >= backoff.initialMs && backoff.factor >= 1 && backoff.jitter >= 0 && backoff.jitter < 1)) {
    problems.push("backoff needs initialMs > 0, maxMs >= initialMs, factor >= 1 and 0 <= jitter < 1");
  }
  const password = o.password ?? (m?.[3] !== undefined ? decodeURIComponent(m[3]) : undefined);
  // `mqtt://:secret@host` names an empty user name, which MQTT 3.1.1 needs before a password.
  const username = o.username ?? (m?.[2] || m?.[3] !== undefined ? decodeURIComponent(m![2]!) : undefined);
  field("username", username, true);
  if (password !== undefined && username === undefined && version === 4) problems.push('password needs a username in MQTT 3.1.1 (username: "" will do)');
  const resolved: ResolvedMqtt = {
    scheme: o.scheme ?? "mqtt",
    host: m ? m[4]!.replace(/^\[|\]$/g, "") : "",
    port: int("port", m?.[5] !== undefined ? Number(m[5]) : undefined, secure ? 8883 : 1883, 1, 65535),
    tls: secure ? (o.tls ?? {}) : undefined,
    clientId: o.clientId,
    version,
    keepaliveSec: int("keepalive", o.keepalive, 30, 0, 65535),
    clean: o.clean ?? true,
    sessionExpirySec: int("sessionExpiry", o.sessionExpiry, 0, 0, 0xffffffff),
    username,
    password: field("password", password, false),
    will: will && {
      topic: will.topic,
      payload: field("will.payload", will.payload, false)!,
      qos: will.qos ?? 0,
      retain: will.retain ?? false,
    },
    qos: o.qos ?? 0,
    retain: o.retain ?? false,
    backoff,
    maxPacketSize: int("maxPacketSize", o.maxPacketSize, 65536, 128, 268_435_455),
    maxInflight: int("maxInflight", o.maxInflight, 1024, 1, 16384),
    connectTimeoutMs: int("connectTimeoutMs", o.connectTimeoutMs, 10_000, 1, 3_600_000),
  };
  if (problems.length > 0) throw new ConfigError(problems.map((p) => ({ key: "", code: "BAD_CONNECTOR_OPTION", message: `mqtt(): ${p}` })));
  return resolved;
}

const LINK_KEYS: readonly string[] = Object.freeze(["qos", "retain", "timeoutMs"]);

/** Checks one link: QoS, topic or filter syntax, known options. */
export function validateMqttLink(link: LinkDeclaration): string | undefined {
  for (const k of Object.keys(link.config)) if (!LINK_KEYS.includes(k)) return `unknown option "${k}" (mqtt links take ${LINK_KEYS.join(", ")})`;
  if (link.config.qos === 2) return NO_QOS2;
  const topic = link.resource;
  if (link.direction === "to") return /[+#]/.test(topic) ? `a linkTo topic cannot contain wildcards: "${topic}"` : undefined;
  if (link.config.retain !== undefined) return "retain applies to linkTo only";
  const levels = topic.split("/");
  const shared = levels[0] === "$share";
  if (shared && (levels.length < 3 || !levels[1] || /[+#]/.test(levels[1]))) return `a shared subscription is $share/<group>/<filter>, got "${topic}"`;
  for (let i = shared ? 2 : 0; i < levels.length; i++) {
    const l = levels[i]!;
    if (l.includes("#") && (l !== "#" || i !== levels.length - 1)) return `"#" must be a whole last level: "${topic}"`; // [MQTT-4.7.1-2]
    if (l.includes("+") && l !== "+") return `"+" must be a whole level: "${topic}"`; // [MQTT-4.7.1-3]
  }
  return undefined;
}

/** The filter a broker matches for a linkFrom resource: `$share/g/f` matches as `f`. */
export function matchFilter(resource: string): string {
  return resource.startsWith("$share/") ? resource.slice(resource.indexOf("/", 7) + 1) : resource;
}
