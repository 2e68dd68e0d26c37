/**
 * `knx()`: the KNX/IP connector. Thin glue between a sans-IO engine (tunnel.ts or
 * routing.ts) and the Host: one UDP socket, one timer armed from `nextDeadline()`, and
 * the runtime's links.
 *
 * - linkTo: each value, serialized to a datapoint's data bytes, goes out as a
 *   GroupValue_Write in the form its link's `dpt` dictates (6-bit short form for 1.x,
 *   2.x, 3.x; the bytes after the APCI for every other type, 1-octet ones included).
 *   The publish resolves when the tunnel's L_Data.con confirms it (routing: once sent).
 * - linkFrom: GroupValue_Write and GroupValue_Response telegrams to the link's group
 *   address reach its deserializer; the transport says `service` ("write" or
 *   "response"), `source` ("1.1.5") and `short`. With `read=true` a GroupValue_Read asks
 *   the bus for the current value whenever the connection comes up.
 * - `respond=true` (linkTo, or linkFrom with a `withSerializer`): a GroupValue_Read to
 *   the address is answered with a GroupValue_Response carrying the record's current
 *   value, when it has one.
 * - `read(groupAddress)` on the builder polls an address explicitly.
 */
import type { Host, TimerHandle, UdpSocket } from "../../host.js";
import type { Connector, ConnectorBuilder, ConnectorContext, LinkDeclaration } from "../spi.js";
import { AimDbError } from "../../core/errors.js";
import { formatGroupAddress, formatIndividualAddress, parseGroupAddress } from "./address.js";
import {
  APCI_SHORT_DATA, GROUP_VALUE_READ, GROUP_VALUE_RESPONSE, GROUP_VALUE_WRITE, KNX_DPT_LENGTH, KNX_NO_UDP,
  KNX_NOT_RUNNING, KNX_PUBLISH_TIMEOUT, KNX_READ_TIMEOUT,
} from "./constants.js";
import type { DptInfo } from "./dpt.js";
import { NONE, type EngineEffects, type GroupEvent, type KnxEngine, type Telegram } from "./engine.js";
import { flag, linkDpt, resolveKnxOptions, validateKnxLink, type KnxOptions, type ResolvedKnx } from "./options.js";
import { KnxRouter } from "./routing.js";
import { KnxTunnel } from "./tunnel.js";

/** A group value as `read()` returns it. */
export interface KnxGroupValue {
  /** The individual address that answered, e.g. "1.1.5". */
  source: string;
  /** The group address, 3-level. */
  destination: string;
  /** The datapoint's data bytes (a copy); decode them with `knxDpt(id).deserialize`. */
  data: Uint8Array;
  /** Whether the value came in the 6-bit short form. */
  short: boolean;
}

/** The KNX connector builder: a `ConnectorBuilder` that can also poll a group address. */
export interface KnxConnector extends ConnectorBuilder {
  /**
   * Sends a GroupValue_Read to `groupAddress` and resolves with the first
   * GroupValue_Response to it (which linkFroms of that address receive too). Rejects
   * with KNX_READ_TIMEOUT after `timeoutMs` (default `timeouts.readMs`, 3 s), and with
   * KNX_NOT_RUNNING while no database runs this connector.
   */
  read(groupAddress: string, options?: { timeoutMs?: number }): Promise<KnxGroupValue>;
}

/** Makes a KNX connector for `AimDbBuilder.withConnector`. Throws `ConfigError` on bad options. */
export function knx(options: KnxOptions): KnxConnector {
  const o = resolveKnxOptions(options);
  let running: Running | undefined;
  return {
    scheme: o.scheme,
    validateLink: validateKnxLink,
    build: async (ctx) => {
      const r = start(o, ctx, () => {
        if (running === r) running = undefined;
      });
      running = r;
      return r.connector;
    },
    read: (groupAddress, opts) => {
      if (!running) return Promise.reject(new AimDbError(KNX_NOT_RUNNING, "read() needs a running database with this connector"));
      return running.read(groupAddress, opts?.timeoutMs ?? o.readMs);
    },
  };
}

interface Running {
  connector: Connector;
  read(groupAddress: string, timeoutMs: number): Promise<KnxGroupValue>;
}

interface Waiting {
  resolve: () => void;
  reject: (e: Error) => void;
  timer: TimerHandle | undefined;
}

interface Reader {
  resolve: (v: KnxGroupValue) => void;
  reject: (e: Error) => void;
  timer: TimerHandle;
}

function start(o: ResolvedKnx, ctx: ConnectorContext, onClose: () => void): Running {
  const host: Host = ctx.host;
  if (!host.udp) throw new AimDbError(KNX_NO_UDP, `host "${host.name}" has no UDP`);
  const tunnel = o.mode === "tunnel";
  const name = tunnel ? `knx tunnel ${o.gateway.host}:${o.gateway.port}` : `knx routing ${o.multicast.address}:${o.multicast.port}`;
  const groups = new Map<string, number>(); // resource → group address
  const dpts = new Map<number, DptInfo>(); // link id → datapoint type
  const responders = new Map<number, LinkDeclaration[]>();
  const initReads = new Set<number>();
  for (const l of ctx.links) {
    const ga = parseGroupAddress(l.resource);
    groups.set(l.resource, ga);
    const info = linkDpt(l);
    if (info) dpts.set(l.id, info);
    if (flag(l.config["respond"])) responders.set(ga, [...(responders.get(ga) ?? []), l]);
    if (flag(l.config["read"])) initReads.add(ga);
  }
  const waiting = new Map<number, Waiting>();
  const readers = new Map<number, Reader[]>();
  const counts = { readsAnswered: 0, readsUnanswered: 0 };
  let nextToken = 1;
  let timer: TimerHandle | undefined;
  let timerAt = NONE;
  let current = -1; // the group address being delivered, for `matches`
  let currentTopic = "";
  let logged = "";
  let stopping = false;

  const settle = (token: number, error: Error | undefined) => {
    const w = waiting.get(token);
    if (!w) return;
    waiting.delete(token);
    if (w.timer !== undefined) host.clearTimer(w.timer);
    if (error) w.reject(error);
    else w.resolve();
  };
  /** While stopping and down: what still waits in the engine's queue is refused, not kept for a reconnect. */
  const refuseQueued = () => {
    if (!stopping || engine.connected) return;
    const error = notSent();
    for (const token of [...waiting.keys()]) if (engine.cancel(token)) settle(token, error);
  };
  const send = (apci: number, destination: number, data: Uint8Array, short: boolean): number => {
    const t: Telegram = { token: nextToken++, apci, destination, data, short };
    step(() => engine.request(t, host.now()));
    return t.token;
  };
  const fx: EngineEffects = {
    send: (bytes, address, port) => socket?.send(bytes, address, port),
    event: (e) => onEvent(e),
    settle,
    state: (up, error) => {
      ctx.setState(up ? "up" : "down");
      if (up) {
        logged = "";
        host.log("info", `${name}: connected${tunnel ? ` (channel ${tunnelEngine!.channel}, address ${formatIndividualAddress(engine.address)})` : ""}`);
        for (const ga of initReads) send(GROUP_VALUE_READ, ga, EMPTY, false);
      } else if (error && error.message !== logged && (error as AimDbError).code !== "STOPPED") {
        logged = error.message;
        host.log("warn", `${name}: ${error.message}`);
      }
      if (!up) refuseQueued();
    },
  };
  const tunnelEngine = tunnel
    ? new KnxTunnel({
        gateway: o.gateway, local: o.local, connectMs: o.connectMs, ackMs: o.ackMs, confirmMs: o.confirmMs,
        heartbeatMs: o.heartbeatMs, heartbeatTimeoutMs: o.heartbeatTimeoutMs, heartbeatAttempts: 3,
        backoff: o.backoff, random: () => host.random(),
      }, fx)
    : undefined;
  const engine: KnxEngine = tunnelEngine ?? new KnxRouter({ address: o.address, multicast: o.multicast, ratePerS: o.ratePerS, burst: o.burst, random: () => host.random() }, fx);

  function onEvent(e: GroupEvent): void {
    if (e.apci === GROUP_VALUE_READ) {
      respond(e.destination);
      return;
    }
    if (e.apci === GROUP_VALUE_RESPONSE) {
      const list = readers.get(e.destination);
      if (list) {
        readers.delete(e.destination);
        const v: KnxGroupValue = { source: formatIndividualAddress(e.source), destination: formatGroupAddress(e.destination), data: e.data.slice(), short: e.short };
        for (const r of list) {
          host.clearTimer(r.timer);
          r.resolve(v);
        }
      }
    }
    current = e.destination;
    currentTopic = formatGroupAddress(e.destination);
    ctx.deliver(currentTopic, e.data, {
      service: e.apci === GROUP_VALUE_WRITE ? "write" : "response",
      source: formatIndividualAddress(e.source),
      short: e.short,
    });
    current = -1;
  }

  /** Answers a GroupValue_Read from the first responding link whose record has a value. */
  function respond(ga: number): void {
    const links = responders.get(ga);
    if (!links) return;
    for (const l of links) {
      const bytes = ctx.current(l.id);
      if (!bytes) continue;
      const problem = formProblem(dpts.get(l.id)!, bytes);
      if (problem) {
        host.log("warn", `${name}: cannot answer a read of ${l.resource}: ${problem}`);
        return;
      }
      counts.readsAnswered++;
      send(GROUP_VALUE_RESPONSE, ga, bytes, dpts.get(l.id)!.short);
      return;
    }
    counts.readsUnanswered++;
  }

  /** Runs an engine input, then re-arms the single timer from the engine's next deadline. */
  function step(input: () => void): void {
    input();
    const at = engine.nextDeadline();
    if (at === timerAt) return;
    if (timer !== undefined) host.clearTimer(timer);
    timer = undefined;
    timerAt = at;
    if (at !== NONE) {
      timer = host.setTimer(() => {
        timer = undefined;
        timerAt = NONE;
        step(() => engine.poll(host.now()));
      }, Math.max(0, at - host.now()));
    }
  }

  const m = o.multicast;
  let socket: UdpSocket | undefined = host.udp({
    ...(tunnel ? (o.local ? { address: o.local.address, port: o.local.port } : {}) : { port: m.port }),
    ...(tunnel ? {} : { multicast: [{ group: m.address, interface: m.interface, loopback: m.loopback }] }),
    onReadable: (bytes, address, port) => step(() => engine.receive(bytes, address, port, host.now())),
    onError: (err) => host.log("warn", `${name}: UDP: ${err.message}`),
  });
  step(() => engine.start(host.now()));

  const connector: Connector = {
    publish(destination, config, payload, link) {
      let ga = groups.get(destination);
      if (ga === undefined) {
        try {
          ga = parseGroupAddress(destination);
        } catch (err) {
          return Promise.reject(err);
        }
      }
      const info = dpts.get(link.id)!;
      const problem = formProblem(info, payload);
      if (problem) return Promise.reject(new AimDbError(KNX_DPT_LENGTH, problem));
      if (stopping && !engine.connected) return Promise.reject(notSent());
      const timeoutMs = config.timeoutMs as number | undefined;
      return new Promise<void>((resolve, reject) => {
        const w: Waiting = { resolve, reject, timer: undefined };
        const token = nextToken;
        waiting.set(token, w);
        if (timeoutMs !== undefined) {
          w.timer = host.setTimer(() => {
            if (engine.cancel(token)) settle(token, new AimDbError(KNX_PUBLISH_TIMEOUT, `not sent within ${timeoutMs} ms (gateway unreachable?)`));
          }, timeoutMs);
        }
        send(GROUP_VALUE_WRITE, ga, payload, info.short);
      });
    },
    matches: (resource, topic) => resource === topic || groups.get(resource) === (topic === currentTopic ? current : -2),
    info: () => ({
      mode: o.mode,
      ...(tunnel ? { gateway: `${o.gateway.host}:${o.gateway.port}`, channel: tunnelEngine!.channel } : { multicast: `${m.address}:${m.port}` }),
      connected: engine.connected,
      address: formatIndividualAddress(engine.address),
      lastError: engine.lastError?.message,
      ...engine.stats,
      ...counts,
    }),
    stopping: () => {
      stopping = true;
      refuseQueued();
    },
    close: async () => {
      step(() => engine.stop(host.now()));
      if (timer !== undefined) host.clearTimer(timer);
      timer = undefined;
      timerAt = NONE;
      socket?.close();
      socket = undefined;
      const stopped = new AimDbError("STOPPED", "the KNX connector is closing");
      for (const list of readers.values()) {
        for (const r of list) {
          host.clearTimer(r.timer);
          r.reject(stopped);
        }
      }
      readers.clear();
      for (const token of [...waiting.keys()]) settle(token, stopped);
      ctx.setState("down");
      onClose();
    },
  };

  return {
    connector,
    read(groupAddress, timeoutMs) {
      let ga: number;
      try {
        ga = parseGroupAddress(groupAddress);
      } catch (err) {
        return Promise.reject(err);
      }
      return new Promise<KnxGroupValue>((resolve, reject) => {
        const r: Reader = {
          resolve,
          reject,
          timer: host.setTimer(() => fail(ga, r, new AimDbError(KNX_READ_TIMEOUT, `no GroupValue_Response from ${groupAddress} within ${timeoutMs} ms`)), timeoutMs),
        };
        readers.set(ga, [...(readers.get(ga) ?? []), r]);
        const token = nextToken;
        // The read telegram itself may be refused (queue full, stopping): that ends the read.
        waiting.set(token, { resolve: () => {}, reject: (e) => fail(ga, r, e), timer: undefined });
        send(GROUP_VALUE_READ, ga, EMPTY, false);
      });
    },
  };

  function fail(ga: number, r: Reader, e: Error): void {
    const list = readers.get(ga);
    const i = list ? list.indexOf(r) : -1;
    if (i < 0) return;
    list!.splice(i, 1);
    if (list!.length === 0) readers.delete(ga);
    host.clearTimer(r.timer);
    r.reject(e);
  }
}

/** Why `bytes` cannot travel as datapoint type `info`, or undefined when they can. */
function formProblem(info: DptInfo, bytes: Uint8Array): string | undefined {
  if (info.short) return bytes.length === 1 && bytes[0]! <= APCI_SHORT_DATA ? undefined : `DPT ${info.dpt} travels as 6 bits: one byte ≤ 0x3F expected, got ${bytes.length} byte(s)`;
  return bytes.length === info.size ? undefined : `DPT ${info.dpt} takes ${info.size} byte(s), the serializer gave ${bytes.length}`;
}

const EMPTY: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array;

function notSent(): AimDbError {
  return new AimDbError("STOPPED", "not sent: stopping while the gateway is unreachable");
}
