/**
 * The context given to sources and taps: time, sleep and logging, all from the Host.
 * Sleeps are tracked by the database's `Lifecycle` so that `stop()` can end them: a
 * pending `sleep` rejects with code `STOPPED`, which ends a source loop quietly.
 */
import type { Host, TimerHandle } from "../host.js";
import { AimDbError } from "./errors.js";

/** Time as the host knows it. */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Wall-clock Unix milliseconds, or undefined until the host knows it (e.g. before SNTP). */
  unixMs(): number | undefined;
}

/** Logging with the record key prefixed. */
export interface RecordLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What a source, tap or transform can use. */
export interface RecordContext {
  /** The record this context belongs to. */
  readonly key: string;
  readonly time: Clock;
  /** Resolves after `ms`; rejects with code `STOPPED` when the database stops first. */
  sleep(ms: number): Promise<void>;
  readonly log: RecordLog;
  /** False once the database is stopping. */
  readonly running: boolean;
}

interface PendingSleep {
  handle: TimerHandle;
  reject: (err: Error) => void;
}

/** Run state of one database: whether it runs, and the sleeps to cancel at stop. */
export class Lifecycle {
  running = false;
  stopping = false;
  readonly host: Host;
  /** The clock every record's context shares. */
  readonly clock: Clock;
  readonly #sleeps = new Set<PendingSleep>();

  constructor(host: Host) {
    this.host = host;
    this.clock = new HostClock(host);
  }

  sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.reject(stoppedError());
    return new Promise<void>((resolve, reject) => {
      const entry: PendingSleep = { handle: undefined, reject };
      entry.handle = this.host.setTimer(() => {
        this.#sleeps.delete(entry);
        resolve();
      }, ms > 0 ? ms : 0);
      this.#sleeps.add(entry);
    });
  }

  /** Marks the database stopping and rejects every pending sleep. */
  stop(): void {
    this.running = false;
    this.stopping = true;
    for (const entry of this.#sleeps) {
      this.host.clearTimer(entry.handle);
      entry.reject(stoppedError());
    }
    this.#sleeps.clear();
  }
}

function stoppedError(): AimDbError {
  return new AimDbError("STOPPED", "the database is stopping");
}

/** True for the rejection `sleep` gives at stop. */
export function isStopped(err: unknown): boolean {
  return err instanceof AimDbError && err.code === "STOPPED";
}

/** Logging for one record: two fields per record, the methods live on the prototype. */
class KeyedLog implements RecordLog {
  readonly #host: Host;
  readonly #prefix: string;

  constructor(host: Host, key: string) {
    this.#host = host;
    this.#prefix = `[${key}] `;
  }

  debug(message: string): void {
    this.#host.log("debug", this.#prefix + message);
  }

  info(message: string): void {
    this.#host.log("info", this.#prefix + message);
  }

  warn(message: string): void {
    this.#host.log("warn", this.#prefix + message);
  }

  error(message: string): void {
    this.#host.log("error", this.#prefix + message);
  }
}

/** The host's clocks, shared by every record of a database. */
class HostClock implements Clock {
  readonly #host: Host;

  constructor(host: Host) {
    this.#host = host;
  }

  now(): number {
    return this.#host.now();
  }

  unixMs(): number | undefined {
    return this.#host.unixMs();
  }
}

/**
 * One record's context. Small on purpose: on a device every field of every record costs
 * RAM, while methods on a prototype live in flash.
 */
class Context implements RecordContext {
  readonly key: string;
  readonly time: Clock;
  readonly log: RecordLog;
  /** An own function, so `const { sleep } = ctx` works too. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly #life: Lifecycle;

  constructor(key: string, life: Lifecycle, clock: Clock) {
    this.key = key;
    this.time = clock;
    this.log = new KeyedLog(life.host, key);
    this.sleep = (ms) => life.sleep(ms);
    this.#life = life;
  }

  get running(): boolean {
    return this.#life.running;
  }
}

/** Makes the context of one record; `clock` is shared by the database's records. */
export function makeContext(key: string, life: Lifecycle): RecordContext {
  return new Context(key, life, life.clock);
}
