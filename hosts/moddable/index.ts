/**
 * The Moddable host: the runtime on the XS engine of an ESP32, or of the Moddable
 * simulator. It imports Moddable modules, so it is built for a Moddable manifest
 * (`npm run build:xs`, then `manifest.json`) and never imported by Node code.
 *
 * - Monotonic clock: `Time.ticks`, the millisecond counter since boot. `Date.now()`
 *   would jump when SNTP (or anything else) sets the wall clock. `ticks` is a 32-bit
 *   integer that wraps after 2^31 ms, so the host counts the unsigned difference between
 *   two readings; `now()` stays right as long as it is called at least once every 49
 *   days (any running connector calls it far more often).
 * - Wall clock: `Date.now()`, but undefined while it reads before 2020: a device boots
 *   at 1970 and only knows the time once SNTP has set it (the Wi-Fi setup does that
 *   before the app's main runs, when it can).
 * - Timers: `Timer.set` / `Timer.clear` (module "timer").
 * - Log: `trace()`, one line per message.
 * - UTF-8: the portable codec (a device has no TextEncoder).
 * - TCP: ECMA-419 `embedded:io/socket/tcp`, names resolved with `Net.resolve`; TLS with
 *   Moddable's ECMA-419 TLS socket when the app passes it (see `tcp.ts`).
 * - UDP: ECMA-419 `embedded:io/socket/udp`, with multicast joins where lwip offers them.
 *
 * Like every preloaded module it keeps no module-level state: everything a host needs
 * lives in the object `moddableHost()` returns.
 */
import Time from "time";
import Timer, { type TimerId } from "timer";
import type { Host, LogLevel, TcpOptions, TcpSocket, TimerHandle, UdpOptions, UdpSocket } from "../../src/host.js";
import { portableUtf8 } from "../../src/core/utf8.js";
import { ModdableTcp, type TlsSocketClass } from "./tcp.js";
import { ModdableUdp } from "./udp.js";

export type { TlsSocketClass } from "./tcp.js";

/** Options of the Moddable host. */
export interface ModdableHostOptions {
  /** Lowest level written (default `"info"`). */
  logLevel?: LogLevel;
  /** Where log lines go (default: `trace`). */
  onLog?: (level: LogLevel, message: string) => void;
  /**
   * Moddable's ECMA-419 TLS socket class (`embedded:io/socket/tcp/tls`, included by
   * `hosts/moddable/manifest_tls.json`). Without it a TLS connection (`mqtts://`) fails
   * through `onError` with code `HOST_NO_TLS`.
   */
  tls?: TlsSocketClass;
}

const LEVELS: Readonly<Record<LogLevel, number>> = Object.freeze({ debug: 0, info: 1, warn: 2, error: 3 });

/** The wall clock is taken as unknown before 2020-01-01 (a device that has not run SNTP reads 1970). */
export const WALL_CLOCK_VALID_FROM_MS = 1_577_836_800_000;

/** The longest delay `Timer.set` takes (a signed 32-bit integer of ms). */
const MAX_DELAY_MS = 0x7fffffff;

/**
 * A Host for the Moddable SDK (ESP32 or simulator). A class, so its methods live on the
 * prototype, which the preload puts in flash with the module: an instance is a few slots
 * of RAM, where an object of closures would be a dozen functions.
 */
export class ModdableHost implements Host {
  readonly name = "moddable";
  readonly utf8 = portableUtf8;
  readonly #min: number;
  readonly #write: ((level: LogLevel, message: string) => void) | undefined;
  readonly #tls: TlsSocketClass | undefined;
  #lastTicks: number;
  #ms: number;

  constructor(options: ModdableHostOptions = {}) {
    this.#min = LEVELS[options.logLevel ?? "info"];
    this.#write = options.onLog;
    this.#tls = options.tls;
    this.#lastTicks = Time.ticks;
    this.#ms = this.#lastTicks >>> 0;
  }

  now(): number {
    const ticks = Time.ticks;
    // The unsigned 32-bit difference is right across the wrap of `ticks`.
    this.#ms += (ticks - this.#lastTicks) >>> 0;
    this.#lastTicks = ticks;
    return this.#ms;
  }

  unixMs(): number | undefined {
    const ms = Date.now();
    return ms >= WALL_CLOCK_VALID_FROM_MS ? ms : undefined;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    // Timer.set truncates to an integer: round up so a deadline is never met early.
    const ms = delayMs > 0 ? Math.min(Math.ceil(delayMs), MAX_DELAY_MS) : 0;
    return Timer.set(callback, ms);
  }

  clearTimer(handle: TimerHandle): void {
    Timer.clear(handle as TimerId | undefined);
  }

  log(level: LogLevel, message: string): void {
    if (LEVELS[level] < this.#min) return;
    if (this.#write) this.#write(level, message);
    else trace(`${level} ${message}\n`);
  }

  random(): number {
    return Math.random();
  }

  tcp(options: TcpOptions): TcpSocket {
    return new ModdableTcp(options, this.#tls);
  }

  udp(options: UdpOptions): UdpSocket {
    return new ModdableUdp(options);
  }
}

/** Makes a Host for the Moddable SDK (ESP32 or simulator). */
export function moddableHost(options: ModdableHostOptions = {}): Host {
  return new ModdableHost(options);
}
