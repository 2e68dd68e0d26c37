/**
 * KNX connector options: defaults, the gateway address, and the checks done at build.
 * Bad options are reported as one `ConfigError` by `knx()` itself, before anything
 * opens; bad links by `validateKnxLink` when the database is built.
 */
import { ConfigError, type ConfigProblem } from "../../core/errors.js";
import type { LinkDeclaration } from "../spi.js";
import { parseGroupAddress, parseIndividualAddress } from "./address.js";
import {
  CONFIRM_TIMEOUT_MS, CONNECT_REQUEST_TIMEOUT_MS, CONNECTIONSTATE_REQUEST_TIMEOUT_MS, HEARTBEAT_ATTEMPTS,
  HEARTBEAT_INTERVAL_MS, KNXNETIP_PORT, ROUTING_MULTICAST, ROUTING_RATE_PER_S, TUNNELLING_REQUEST_TIMEOUT_MS,
} from "./constants.js";
import { dptInfo, type DptInfo } from "./dpt.js";
import type { Backoff } from "./engine.js";

/** Options common to both modes. */
interface KnxCommon {
  /** Time limits in ms; the defaults are the specification's (3.8.2 §5.4). */
  timeouts?: {
    /** CONNECT_REQUEST → CONNECT_RESPONSE (10 s). */
    connectMs?: number;
    /** TUNNELLING_REQUEST → TUNNELLING_ACK, before the one repetition (1 s). */
    ackMs?: number;
    /** TUNNELLING_ACK → L_Data.con (3 s); 0 for a gateway that never confirms (the ACK closes a write). */
    confirmMs?: number;
    /** Between two CONNECTIONSTATE_REQUESTs (60 s). */
    heartbeatMs?: number;
    /** CONNECTIONSTATE_REQUEST → CONNECTIONSTATE_RESPONSE (10 s), for each of 3 attempts. */
    heartbeatTimeoutMs?: number;
    /** `read()` → GroupValue_Response (3 s). */
    readMs?: number;
  };
  /** Reconnect delays (defaults 1 s, 30 s, factor 2, jitter 0.2). */
  backoff?: Partial<Backoff>;
  /** Routing: telegrams per second (default 50; 0 lifts the limit) and the largest burst (default 10). */
  rateLimit?: { perSecond?: number; burst?: number };
  /** The link scheme this connector serves (default `"knx"`); set it to use two gateways. */
  scheme?: string;
}

/** A tunnelling connection to a KNXnet/IP gateway (a UDP unicast client). */
export interface KnxTunnelOptions extends KnxCommon {
  mode: "tunnel";
  /** `"host[:port]"` or `{ host, port }`, port 3671 by default. */
  gateway: string | { host: string; port?: number };
  /**
   * Our endpoint as the gateway should answer it (address and a fixed UDP port to bind).
   * Default: NAT mode, a free port, and the gateway answers where our datagrams came from.
   */
  local?: { address: string; port: number };
}

/** KNXnet/IP routing: telegrams on the multicast group, as a KNX IP device. */
export interface KnxRoutingOptions extends KnxCommon {
  mode: "routing";
  /** Our individual address, the source of every telegram sent (`"1.1.250"`). */
  individualAddress: string;
  /** IPv4 address of the interface to join the group on (default: the system's choice). */
  interface?: string;
  /** Multicast group and port (default 224.0.23.12:3671). */
  multicastAddress?: string;
  port?: number;
  /** Receive our own multicast datagrams (default true: needed for a peer on this machine). */
  loopback?: boolean;
}

export type KnxOptions = KnxTunnelOptions | KnxRoutingOptions;

/** Options after defaults and checks. */
export interface ResolvedKnx {
  scheme: string;
  mode: "tunnel" | "routing";
  gateway: { host: string; port: number };
  local: { address: string; port: number } | undefined;
  address: number;
  multicast: { address: string; port: number; interface: string | undefined; loopback: boolean };
  connectMs: number;
  ackMs: number;
  confirmMs: number;
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  readMs: number;
  backoff: Backoff;
  ratePerS: number;
  burst: number;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:/?#\s[\]]+)(?::(\d{1,5}))?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Checks and completes the options; throws a `ConfigError` listing every problem. */
export function resolveKnxOptions(o: KnxOptions): ResolvedKnx {
  const problems: string[] = [];
  const t = o.timeouts ?? {};
  const num = (name: string, v: number | undefined, dflt: number, min: number, max: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== "number" || !(v >= min && v <= max)) problems.push(`${name} must be a number from ${min} to ${max}, got ${String(v)}`);
    return v;
  };
  const b = o.backoff ?? {};
  const backoff: Backoff = { initialMs: b.initialMs ?? 1000, maxMs: b.maxMs ?? 30_000, factor: b.factor ?? 2, jitter: b.jitter ?? 0.2 };
  if (!(backoff.initialMs > 0 && backoff.maxMs >= backoff.initialMs && backoff.factor >= 1 && backoff.jitter >= 0 && backoff.jitter < 1)) {
    problems.push("backoff needs initialMs > 0, maxMs ≥ initialMs, factor ≥ 1 and 0 ≤ jitter < 1");
  }
  const r: ResolvedKnx = {
    scheme: o.scheme ?? "knx",
    mode: o.mode,
    gateway: { host: "", port: KNXNETIP_PORT },
    local: undefined,
    address: 0,
    multicast: { address: ROUTING_MULTICAST, port: KNXNETIP_PORT, interface: undefined, loopback: true },
    connectMs: num("timeouts.connectMs", t.connectMs, CONNECT_REQUEST_TIMEOUT_MS, 1, 3_600_000),
    ackMs: num("timeouts.ackMs", t.ackMs, TUNNELLING_REQUEST_TIMEOUT_MS, 1, 60_000),
    confirmMs: num("timeouts.confirmMs", t.confirmMs, CONFIRM_TIMEOUT_MS, 0, 60_000),
    heartbeatMs: num("timeouts.heartbeatMs", t.heartbeatMs, HEARTBEAT_INTERVAL_MS, 1, 110_000),
    heartbeatTimeoutMs: num("timeouts.heartbeatTimeoutMs", t.heartbeatTimeoutMs, CONNECTIONSTATE_REQUEST_TIMEOUT_MS, 1, 60_000),
    readMs: num("timeouts.readMs", t.readMs, 3000, 1, 3_600_000),
    backoff,
    ratePerS: num("rateLimit.perSecond", o.rateLimit?.perSecond, ROUTING_RATE_PER_S, 0, 1_000_000),
    burst: num("rateLimit.burst", o.rateLimit?.burst, 10, 1, 1_000_000),
  };
  if (o.mode === "tunnel") {
    const g = o.gateway;
    const m = typeof g === "string" ? HOST_PORT.exec(g) : null;
    if (typeof g === "string") {
      if (!m) problems.push(`gateway must look like "host[:port]", got ${JSON.stringify(g)}`);
      else r.gateway = { host: m[1]!.replace(/^\[|\]$/g, ""), port: m[2] !== undefined ? Number(m[2]) : KNXNETIP_PORT };
    } else if (g && typeof g === "object" && typeof g.host === "string" && g.host.length > 0) r.gateway = { host: g.host, port: g.port ?? KNXNETIP_PORT };
    else problems.push(`gateway must be "host[:port]" or { host, port }, got ${String(g)}`);
    if (!(Number.isInteger(r.gateway.port) && r.gateway.port >= 1 && r.gateway.port <= 65535)) problems.push(`gateway port must be 1 to 65535, got ${r.gateway.port}`);
    if (o.local !== undefined) {
      if (!IPV4.test(String(o.local.address)) || !Number.isInteger(o.local.port) || o.local.port < 1 || o.local.port > 65535) {
        problems.push("local must be { address: dotted IPv4, port: 1–65535 }");
      }
      r.local = o.local;
    }
  } else if (o.mode === "routing") {
    try {
      r.address = parseIndividualAddress(o.individualAddress);
    } catch {
      problems.push(`individualAddress must be "area.line.device" (e.g. "1.1.250"), got ${JSON.stringify(o.individualAddress)}`);
    }
    const mc = o.multicastAddress ?? ROUTING_MULTICAST;
    if (!IPV4.test(mc) || parseInt(mc, 10) < 224 || parseInt(mc, 10) > 239) problems.push(`multicastAddress must be an IPv4 multicast address, got ${JSON.stringify(mc)}`);
    if (o.interface !== undefined && !IPV4.test(o.interface)) problems.push(`interface must be the interface's IPv4 address, got ${JSON.stringify(o.interface)}`);
    r.multicast = { address: mc, port: num("port", o.port, KNXNETIP_PORT, 1, 65535), interface: o.interface, loopback: o.loopback ?? true };
  } else problems.push(`mode must be "tunnel" or "routing", got ${JSON.stringify((o as { mode?: unknown }).mode)}`);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((message): ConfigProblem => ({ key: "", code: "BAD_CONNECTOR_OPTION", message: `knx(): ${message}` })));
  }
  return r;
}

const LINK_KEYS: readonly string[] = Object.freeze(["dpt", "respond", "read", "timeoutMs"]);

/** A link option given as a query string or a `withConfig` boolean. */
export function flag(v: unknown): boolean {
  return v === true || v === "true";
}

/**
 * Checks one link at build: the group address, the datapoint type (required on a
 * linkTo and with `respond`, since the telegram's form and size follow it), known options.
 */
export function validateKnxLink(link: LinkDeclaration): string | undefined {
  const c = link.config;
  for (const k of Object.keys(c)) if (!LINK_KEYS.includes(k)) return `unknown option "${k}" (knx links take ${LINK_KEYS.join(", ")})`;
  try {
    parseGroupAddress(link.resource);
  } catch (err) {
    return (err as Error).message;
  }
  for (const k of ["respond", "read"]) {
    const v = c[k];
    if (v !== undefined && v !== true && v !== false && v !== "true" && v !== "false") return `${k} must be true or false, got ${String(v)}`;
  }
  if (flag(c["read"]) && link.direction !== "from") return "read=true (read the value at start) applies to linkFrom only";
  if (c["dpt"] === undefined) {
    if (link.direction === "to") return "a knx linkTo needs ?dpt=… (e.g. dpt=9.001): the telegram's form and size follow the datapoint type";
    if (flag(c["respond"])) return "respond=true needs ?dpt=… to answer in the datapoint type's form";
    return undefined;
  }
  try {
    dptInfo(String(c["dpt"]));
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
}

/** The datapoint type of a link, if it names one (checked at build). */
export function linkDpt(link: LinkDeclaration): DptInfo | undefined {
  const d = link.config["dpt"];
  return d === undefined ? undefined : dptInfo(String(d));
}
