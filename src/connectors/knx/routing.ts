/**
 * KNXnet/IP routing (3.8.5), sans-IO: group telegrams as ROUTING_INDICATION datagrams
 * on the routing multicast group (224.0.23.12:3671). There is no connection: the engine
 * is up from `start` to `stop`, and a telegram is done once it is sent.
 *
 * Flow control, on the clock the engine is given:
 * - A token bucket limits sending to `ratePerS` telegrams per second (50 by default,
 *   3.8.5 "Flow control"), with bursts of at most `burst`; telegrams wait in order.
 * - A ROUTING_BUSY with control field 0 pauses sending for its wait time plus a random
 *   time in [0, N × 50 ms], where N counts the ROUTING_BUSY frames received; N falls by
 *   one every 5 ms once N × 100 ms have passed without one (3.8.5 "Flow control").
 *   A non-zero control field addresses tunnelling connections of the router, not us.
 * - ROUTING_LOST_MESSAGE is counted (`lostMessages`, as the router reports them).
 *
 * Our own datagrams come back when multicast loopback is on (it must be, for a peer on
 * the same machine to hear us): an indication whose source is our individual address
 * is counted as an echo and dropped.
 */
import { AimDbError } from "../../core/errors.js";
import {
  APCI_GROUP_END, GROUP_VALUE_READ, L_DATA_IND, ROUTING_BUSY, ROUTING_BUSY_DECREMENT_MS, ROUTING_BUSY_RANDOM_MS,
  ROUTING_BUSY_SLOW_MS, ROUTING_INDICATION, ROUTING_LOST_MESSAGE,
} from "./constants.js";
import { readFrame } from "./decode.js";
import { encodeFrame } from "./encode.js";
import { groupTelegram } from "./cemi.js";
import { isLData } from "./frames.js";
import { NONE, TelegramQueue, toGroupEvent, type EngineEffects, type GroupEvent, type KnxEngine, type Telegram } from "./engine.js";

/** Routing settings; see `KnxOptions` for their meaning and defaults. */
export interface RoutingOptions {
  /** Our individual address, the source of every telegram we send. */
  address: number;
  multicast: { address: string; port: number };
  /** Telegrams per second (0: no limit) and the largest burst. */
  ratePerS: number;
  burst: number;
  random: () => number;
}

/** Counters of one router. */
export interface RoutingStats {
  sent: number;
  received: number;
  echoes: number;
  busy: number;
  lostMessages: number;
  /** Telegrams that had to wait for the rate limit or a ROUTING_BUSY pause. */
  delayed: number;
  protocolErrors: number;
}

export class KnxRouter implements KnxEngine {
  readonly #o: RoutingOptions;
  readonly #fx: EngineEffects;
  readonly #queue = new TelegramQueue();
  readonly #event: GroupEvent = { apci: 0, source: 0, destination: 0, data: new Uint8Array(0), short: false };
  readonly stats: RoutingStats = { sent: 0, received: 0, echoes: 0, busy: 0, lostMessages: 0, delayed: 0, protocolErrors: 0 };
  #running = false;
  #stopped = false;
  #tokens: number;
  #refilledAt = 0;
  #pausedUntil = 0;
  #busyCount = 0;
  #lastBusy = 0;
  readonly lastError: Error | undefined = undefined;

  constructor(options: RoutingOptions, effects: EngineEffects) {
    this.#o = options;
    this.#fx = effects;
    this.#tokens = options.burst;
  }

  get connected(): boolean {
    return this.#running;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  get address(): number {
    return this.#o.address;
  }

  start(now: number): void {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    this.#refilledAt = now;
    this.#fx.state(true, undefined);
  }

  stop(_now: number): void {
    if (this.#stopped) return;
    const stopped = new AimDbError("STOPPED", "the KNX connector is closing");
    this.#running = false;
    this.#stopped = true;
    this.#queue.refuseAll(stopped, this.#fx);
    this.#fx.state(false, stopped);
  }

  request(t: Telegram, now: number): void {
    if (this.#stopped) {
      this.#fx.settle(t.token, new AimDbError("STOPPED", "the KNX connector is closing"));
      return;
    }
    if (this.#queue.length > 0 || !this.#ready(now)) this.stats.delayed++;
    this.#queue.push(t, this.#fx);
    this.poll(now);
  }

  cancel(token: number): boolean {
    return this.#queue.remove(token);
  }

  nextDeadline(): number {
    if (!this.#running || this.#queue.length === 0) return NONE;
    const rate = this.#o.ratePerS;
    const tokenAt = rate <= 0 || this.#tokens >= 1 ? 0 : this.#refilledAt + Math.ceil(((1 - this.#tokens) * 1000) / rate);
    return Math.max(this.#pausedUntil, tokenAt);
  }

  poll(now: number): void {
    if (!this.#running) return;
    while (this.#queue.length > 0 && this.#ready(now)) {
      const t = this.#queue.shift()!;
      if (this.#o.ratePerS > 0) this.#tokens -= 1;
      const cemi = groupTelegram(L_DATA_IND, t.apci, t.destination, t.apci === GROUP_VALUE_READ ? undefined : t);
      cemi.source = this.#o.address;
      let bytes: Uint8Array;
      try {
        bytes = encodeFrame({ service: ROUTING_INDICATION, cemi });
      } catch (err) {
        this.#fx.settle(t.token, err as Error);
        continue;
      }
      this.stats.sent++;
      this.#fx.send(bytes, this.#o.multicast.address, this.#o.multicast.port);
      this.#fx.settle(t.token, undefined);
    }
  }

  receive(bytes: Uint8Array, _address: string, _port: number, now: number): void {
    if (!this.#running) return;
    const f = readFrame(bytes, this.stats);
    if (!f) return;
    switch (f.service) {
      case ROUTING_INDICATION: {
        const c = f.cemi;
        if (!isLData(c) || c.messageCode !== L_DATA_IND || c.group === false || c.apci === undefined || c.apci >= APCI_GROUP_END) return;
        if (c.source === this.#o.address) {
          this.stats.echoes++;
          return;
        }
        this.stats.received++;
        this.#fx.event(toGroupEvent(this.#event, c));
        return;
      }
      case ROUTING_BUSY: {
        this.stats.busy++;
        if (f.control !== 0) return;
        // N decays by one every 5 ms after N × 100 ms without a ROUTING_BUSY.
        const quiet = now - this.#lastBusy - this.#busyCount * ROUTING_BUSY_SLOW_MS;
        if (quiet > 0) this.#busyCount = Math.max(0, this.#busyCount - Math.floor(quiet / ROUTING_BUSY_DECREMENT_MS));
        this.#busyCount++;
        this.#lastBusy = now;
        const until = now + f.waitTimeMs + Math.floor(this.#o.random() * this.#busyCount * ROUTING_BUSY_RANDOM_MS);
        if (until > this.#pausedUntil) this.#pausedUntil = until;
        return;
      }
      case ROUTING_LOST_MESSAGE:
        this.stats.lostMessages += f.lostMessages;
        return;
    }
  }

  /** Refills the bucket to `now`; true when a telegram may leave now. */
  #ready(now: number): boolean {
    if (now < this.#pausedUntil) return false;
    const rate = this.#o.ratePerS;
    if (rate <= 0) return true;
    if (now > this.#refilledAt) {
      this.#tokens = Math.min(this.#o.burst, this.#tokens + ((now - this.#refilledAt) * rate) / 1000);
      this.#refilledAt = now;
    }
    return this.#tokens >= 1;
  }
}
