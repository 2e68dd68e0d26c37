/**
 * The simulation host: a virtual clock that only tests move, timers that fire in
 * deadline order, seeded randomness and an in-memory network (TCP, UDP), so a run is
 * the same every time and `sleep(60_000)` takes no real time. It uses nothing outside
 * the language, so the same tests run under Node and inside XS.
 */
import type { Host, LogLevel, TimerHandle, Utf8Codec } from "../../src/host.js";
import { portableUtf8 } from "../../src/core/utf8.js";
import type { TcpOptions, TcpSocket, UdpOptions, UdpSocket } from "../../src/host.js";
import { SimNetwork } from "./tcp.js";
import { SimUdpNetwork } from "./udp.js";

/** Options of the simulation host. */
export interface SimHostOptions {
  /** Seed of `random()` (default 1). */
  seed?: number;
  /** Monotonic time at start, ms (default 0). */
  startMs?: number;
  /** Wall clock at start in Unix ms; undefined (the default) models a device before SNTP. */
  wallClockMs?: number;
  /** Receives log lines as well as `logs`. */
  onLog?: (level: LogLevel, message: string) => void;
  /** How many log lines `logs` keeps (default 1000). */
  maxLogs?: number;
}

interface SimTimer {
  due: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/** A deterministic Host driven by `advance(ms)`. */
export class SimHost implements Host {
  readonly name = "sim";
  readonly utf8: Utf8Codec = portableUtf8;
  /** The most recent log lines, oldest first. */
  readonly logs: { level: LogLevel; message: string }[] = [];
  #now: number;
  #wallOffset: number | undefined;
  #seed: number;
  #seq = 0;
  readonly #timers: SimTimer[] = [];
  readonly #onLog: ((level: LogLevel, message: string) => void) | undefined;
  readonly #maxLogs: number;
  /** In-memory TCP: `host.network.listen(port, handler)` plays a server. */
  readonly network = new SimNetwork(this);
  /** In-memory UDP with multicast groups: `host.udpNetwork.open(options)` plays a peer. */
  readonly udpNetwork = new SimUdpNetwork(this);

  constructor(options: SimHostOptions = {}) {
    this.#now = options.startMs ?? 0;
    this.#seed = (options.seed ?? 1) >>> 0;
    this.#wallOffset = options.wallClockMs === undefined ? undefined : options.wallClockMs - this.#now;
    this.#onLog = options.onLog;
    this.#maxLogs = options.maxLogs ?? 1000;
  }

  now(): number {
    return this.#now;
  }

  unixMs(): number | undefined {
    return this.#wallOffset === undefined ? undefined : this.#now + this.#wallOffset;
  }

  /** Sets the wall clock (as SNTP would), or forgets it with undefined. */
  setWallClock(unixMs: number | undefined): void {
    this.#wallOffset = unixMs === undefined ? undefined : unixMs - this.#now;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: SimTimer = { due: this.#now + Math.max(0, delayMs), seq: this.#seq++, callback, cancelled: false };
    const list = this.#timers;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = list[mid]!;
      if (t.due < timer.due || (t.due === timer.due && t.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = handle as SimTimer | undefined;
    if (!timer || timer.cancelled) return;
    timer.cancelled = true;
    const i = this.#timers.indexOf(timer);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  tcp(options: TcpOptions): TcpSocket {
    return this.network.connect(options);
  }

  udp(options: UdpOptions): UdpSocket {
    return this.udpNetwork.open(options);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  log(level: LogLevel, message: string): void {
    this.logs.push({ level, message });
    if (this.logs.length > this.#maxLogs) this.logs.shift();
    if (this.#onLog) this.#onLog(level, message);
  }

  /** Mulberry32: small, fast, and the same sequence on every engine. */
  random(): number {
    this.#seed = (this.#seed + 0x6d2b79f5) >>> 0;
    let t = this.#seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Lets pending promise jobs run. Each turn lets one link of an await chain advance;
   * the default is deep enough for the runtime's own chains.
   */
  async flush(turns = 50): Promise<void> {
    for (let i = 0; i < turns; i++) await undefined;
  }

  /** Moves virtual time forward by `ms`, firing due timers in order and flushing between them. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + Math.max(0, ms);
    await this.flush();
    for (;;) {
      const next = this.#timers[0];
      if (!next || next.due > target) break;
      this.#timers.shift();
      this.#now = next.due;
      next.callback();
      await this.flush();
    }
    this.#now = target;
    await this.flush();
  }
}

/** Makes a simulation host. */
export function simHost(options?: SimHostOptions): SimHost {
  return new SimHost(options);
}

export { LoopBus, type LoopBusOptions } from "./loop.js";
export { SimNetwork, type SimServerSide } from "./tcp.js";
export { SimUdpNetwork, type SimDatagram } from "./udp.js";
