/**
 * What the tunnelling and the routing engine share: the effects they ask of their glue,
 * the group events they report, the telegrams they are given, a bounded queue of those,
 * and the reconnect backoff. Both engines are sans-IO: they own no socket, timer or
 * clock; the glue feeds them datagrams and commands with the current time, calls
 * `poll(now)` at `nextDeadline()`, and carries out the effects.
 */
import { AimDbError } from "../../core/errors.js";
import {
  E_CONNECTION_ID, E_CONNECTION_OPTION, E_CONNECTION_TYPE, E_DATA_CONNECTION, E_HOST_PROTOCOL_TYPE, E_KNX_CONNECTION,
  E_NO_MORE_CONNECTIONS, E_NO_MORE_UNIQUE_CONNECTIONS, E_SEQUENCE_NUMBER, E_TUNNELLING_LAYER, E_VERSION_NOT_SUPPORTED,
  KNX_QUEUE_FULL,
} from "./constants.js";
import type { LData } from "./frames.js";

/**
 * A group telegram from the bus: GroupValue_Write, _Response or _Read (`apci`), its
 * source individual address and destination group address (16-bit numbers), and the
 * value's data in the form it came in (`short`: the 6 bits in the APCI octet). The
 * object and its `data` are valid only during the `event` call.
 */
export interface GroupEvent {
  apci: number;
  source: number;
  destination: number;
  data: Uint8Array;
  short: boolean;
}

/**
 * Fills the engine's reused `e` from a group L_Data.ind `c` (checked: group, apci below
 * APCI_GROUP_END) and returns it: no object per telegram.
 */
export function toGroupEvent(e: GroupEvent, c: LData): GroupEvent {
  e.apci = c.apci!;
  e.source = c.source ?? 0;
  e.destination = c.destination;
  e.data = c.data!;
  e.short = c.short === true;
  return e;
}

/** A telegram to send: a group value service to a group address, identified by `token`. */
export interface Telegram {
  token: number;
  /** GROUP_VALUE_WRITE, GROUP_VALUE_RESPONSE or GROUP_VALUE_READ. */
  apci: number;
  destination: number;
  /** The value's data (empty for a read). */
  data: Uint8Array;
  short: boolean;
}

/** What an engine asks of its glue. */
export interface EngineEffects {
  /** Send one datagram. */
  send(bytes: Uint8Array, address: string, port: number): void;
  /** A group telegram arrived. */
  event(e: GroupEvent): void;
  /** The telegram `token` is done: confirmed or sent (no error), or refused. */
  settle(token: number, error: Error | undefined): void;
  /** The engine can carry telegrams (up) or not, with the reason it went down. */
  state(up: boolean, error: Error | undefined): void;
}

/** The interface the glue drives, the same for both engines. */
export interface KnxEngine {
  readonly connected: boolean;
  /** True once `stop` was called. */
  readonly stopped: boolean;
  /** Why the engine last went down. */
  readonly lastError: Error | undefined;
  /** The engine's own individual address (the tunnel's, from the gateway), 0 when unknown. */
  readonly address: number;
  /** Counters, for `info()`. */
  readonly stats: object;
  start(now: number): void;
  /** Ends the engine; refuses what waits with STOPPED. */
  stop(now: number): void;
  /** One datagram from `address:port`. */
  receive(bytes: Uint8Array, address: string, port: number, now: number): void;
  /** Queues a telegram; its end is reported through `settle`. */
  request(t: Telegram, now: number): void;
  /** Drops a telegram that has not left yet; false when it is in flight or unknown. */
  cancel(token: number): boolean;
  /** The earliest time `poll` has something to do (Infinity: nothing). */
  nextDeadline(): number;
  poll(now: number): void;
}

/** Reconnect delays: initial, maximum, growth factor, jitter fraction. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: number;
}

export const NONE = Number.POSITIVE_INFINITY;
/** Telegrams waiting in an engine, at most; the runtime keeps one per link outstanding. */
export const MAX_QUEUED = 256;

/** The delay before reconnect attempt `attempt` (0 for the first), jittered by ±jitter. */
export function backoffDelay(b: Backoff, attempt: number, random: () => number): number {
  const base = Math.min(b.maxMs, b.initialMs * b.factor ** attempt);
  return Math.max(0, Math.round(base * (1 + b.jitter * (2 * random() - 1))));
}

/** A FIFO of telegrams, bounded by MAX_QUEUED. */
export class TelegramQueue {
  readonly #items: Telegram[] = [];

  get length(): number {
    return this.#items.length;
  }

  /** Appends `t`; refuses it through `fx.settle` when the queue is full. */
  push(t: Telegram, fx: EngineEffects): void {
    if (this.#items.length >= MAX_QUEUED) fx.settle(t.token, new AimDbError(KNX_QUEUE_FULL, `${MAX_QUEUED} telegrams are already waiting`));
    else this.#items.push(t);
  }

  /** Puts `t` back at the head (a telegram to repeat after a reconnect). */
  unshift(t: Telegram): void {
    this.#items.unshift(t);
  }

  shift(): Telegram | undefined {
    return this.#items.shift();
  }

  remove(token: number): boolean {
    const i = this.#items.findIndex((t) => t.token === token);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  /** Refuses every waiting telegram with `error`. */
  refuseAll(error: Error, fx: EngineEffects): void {
    for (const t of this.#items.splice(0)) fx.settle(t.token, error);
  }
}

/** A status code as words, for error messages (3.8.2 "Error codes", 3.8.4). */
export function statusText(status: number): string {
  switch (status) {
    case E_HOST_PROTOCOL_TYPE: return "host protocol type not supported";
    case E_VERSION_NOT_SUPPORTED: return "protocol version not supported";
    case E_SEQUENCE_NUMBER: return "sequence number out of order";
    case E_CONNECTION_ID: return "no active connection with that channel id";
    case E_CONNECTION_TYPE: return "connection type not supported";
    case E_CONNECTION_OPTION: return "connection option not supported";
    case E_NO_MORE_CONNECTIONS: return "no more connections accepted";
    case E_NO_MORE_UNIQUE_CONNECTIONS: return "no more unique connections";
    case E_DATA_CONNECTION: return "error in the data connection";
    case E_KNX_CONNECTION: return "error in the KNX connection";
    case E_TUNNELLING_LAYER: return "tunnelling layer not supported";
  }
  return "error";
}

/** `status` in hex with its meaning, e.g. "0x24 (no more connections accepted)". */
export function describeStatus(status: number): string {
  return `0x${status.toString(16).padStart(2, "0")} (${statusText(status)})`;
}
