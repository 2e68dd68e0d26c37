/**
 * The context given to sources and taps: time, sleep and logging, all from the Host.
 * Sleeps are tracked by the database's `Lifecycle` so that `stop()` can end them: a
 * pending `sleep` rejects with code `STOPPED`, which ends a source loop quietly.
 */
import type { Host, LogLevel, TimerHandle } from "../host.js";
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
  readonly #sleeps = new Set<PendingSleep>();

  constructor(host: Host) {
    this.host = host;
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

/** Makes the context of one record. */
export function makeContext(key: string, life: Lifecycle): RecordContext {
  const host = life.host;
  const log = (level: LogLevel) => (message: string) => host.log(level, `[${key}] ${message}`);
  const time: Clock = Object.freeze({ now: () => host.now(), unixMs: () => host.unixMs() });
  return Object.freeze({
    key,
    time,
    sleep: (ms: number) => life.sleep(ms),
    log: Object.freeze({ debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") }),
    get running() {
      return life.running;
    },
  });
}
