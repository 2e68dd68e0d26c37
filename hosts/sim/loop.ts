/**
 * A loopback connector: databases in one process that share a `LoopBus` exchange records
 * over `loop://topic` links, with MQTT-style wildcards in linkFrom. The bus can add
 * latency, stall (publishes wait, as with a broker that stopped reading), fail
 * (publishes reject) and go down (link state), so tests can drive every path of the
 * connector SPI without a network.
 */
import type { Host } from "../../src/host.js";
import type { Connector, ConnectorBuilder, ConnectorContext } from "../../src/connectors/spi.js";
import { topicMatches } from "../../src/connectors/topic.js";

/** Options of a loop bus. */
export interface LoopBusOptions {
  /** Delivery delay on the host's timers; 0 (default) delivers on the next promise turn. */
  latencyMs?: number;
}

/** The shared medium of loop connectors. */
export class LoopBus {
  readonly #host: Host;
  readonly #latencyMs: number;
  readonly #members = new Set<ConnectorContext>();
  readonly #stalled: (() => void)[] = [];
  #stall = false;
  #failure: Error | undefined;
  /** Payloads published on the bus so far. */
  published = 0;

  constructor(host: Host, options: LoopBusOptions = {}) {
    this.#host = host;
    this.#latencyMs = options.latencyMs ?? 0;
  }

  /** A connector on this bus for `AimDbBuilder.withConnector` (scheme `loop` by default). */
  connector(scheme = "loop"): ConnectorBuilder {
    return { scheme, build: async (ctx) => this.#join(ctx) };
  }

  /** Publishes from outside any database (a test playing a remote peer). */
  inject(topic: string, payload: Uint8Array, transport?: Readonly<Record<string, unknown>>): number {
    let n = 0;
    for (const m of this.#members) n += m.deliver(topic, payload, transport);
    return n;
  }

  /** Publishes wait until `resume()`. */
  stall(): void {
    this.#stall = true;
  }

  resume(): void {
    this.#stall = false;
    for (const release of this.#stalled.splice(0)) release();
  }

  /** Publishes reject with `error` until `fail(undefined)`. */
  fail(error: Error | undefined): void {
    this.#failure = error;
  }

  /** Reports every link of every member down or up. */
  setState(state: "up" | "down"): void {
    for (const m of this.#members) m.setState(state);
  }

  #join(ctx: ConnectorContext): Connector {
    this.#members.add(ctx);
    ctx.setState("up");
    return {
      publish: async (topic, _config, payload) => {
        if (this.#stall) await new Promise<void>((resolve) => this.#stalled.push(resolve));
        if (this.#failure) throw this.#failure;
        this.published++;
        if (this.#latencyMs > 0) this.#host.setTimer(() => this.#fanOut(ctx, topic, payload), this.#latencyMs);
        else this.#fanOut(ctx, topic, payload);
      },
      matches: topicMatches,
      close: async () => {
        this.#members.delete(ctx);
      },
    };
  }

  #fanOut(from: ConnectorContext, topic: string, payload: Uint8Array): void {
    for (const m of this.#members) if (m !== from) m.deliver(topic, payload);
  }
}
