/**
 * AimDb: a built, validated record graph. `run()` starts one loop per source, tap,
 * transform and join input; `stop()` closes every buffer (which ends the reader loops),
 * rejects pending sleeps (which ends source loops) and waits for them.
 *
 * Loops drain their reader with `poll()` and await only when it is empty, so a burst
 * costs no promise per value. A failure in user code is counted on its record, logged,
 * and the loop goes on with the next value.
 */
import type { Host } from "../host.js";
import type { BufferReader } from "./buffer.js";
import { Lifecycle, isStopped } from "./context.js";
import { AimDbError, describeError } from "./errors.js";
import type { GraphEdge, GraphInfo } from "./graph.js";
import { RecordRuntime, type RecordInfo } from "./record.js";
import type { ConnectorSet, ConnectorInfo } from "./connectors.js";
import type { JoinFn, TapFn } from "./registrar.js";
import { Subscription, type SubscribeOptions } from "./subscription.js";
import { RingReader } from "./ring.js";

/** Options of `db.stop()`. */
export interface StopOptions {
  /** How long to wait for loops still inside user code (default 2000 ms). */
  graceMs?: number;
}

interface Wiring {
  readonly taps: { record: RecordRuntime; index: number; reader: BufferReader<unknown> }[];
  readonly transforms: { record: RecordRuntime; reader: BufferReader<unknown>; make: () => (v: unknown) => unknown }[];
  readonly joins: { record: RecordRuntime; readers: BufferReader<unknown>[]; fn: JoinFn<readonly unknown[], unknown> }[];
}

/** A running (or runnable) database. Made by `AimDbBuilder.build()`. */
export class AimDb {
  readonly host: Host;
  readonly #life: Lifecycle;
  readonly #records: Map<string, RecordRuntime>;
  readonly #edges: readonly GraphEdge[];
  readonly #order: readonly string[];
  /** The readers to start loops on; dropped once running (the loops hold them). */
  #wiring: Wiring | undefined;
  readonly #connectors: ConnectorSet;
  readonly #loops: Promise<void>[] = [];
  #state: "built" | "running" | "stopped" = "built";

  /** @internal Use `AimDbBuilder.build()`. */
  constructor(host: Host, life: Lifecycle, records: Map<string, RecordRuntime>, edges: GraphEdge[], order: string[], connectors: ConnectorSet) {
    this.host = host;
    this.#connectors = connectors;
    this.#life = life;
    this.#records = records;
    this.#edges = edges;
    this.#order = order;
    // Readers are made now, at build, so no value produced before run() is missed.
    const wiring: Wiring = { taps: [], transforms: [], joins: [] };
    for (const r of records.values()) {
      r.spec.taps.forEach((_, index) => wiring.taps.push({ record: r, index, reader: r.buffer.reader() }));
      for (const t of r.spec.transforms) {
        wiring.transforms.push({ record: r, reader: records.get(t.input)!.buffer.reader(), make: t.make });
      }
      for (const j of r.spec.joins) {
        wiring.joins.push({ record: r, readers: j.inputs.map((k) => records.get(k)!.buffer.reader()), fn: j.fn });
      }
    }
    this.#wiring = wiring;
  }

  /** True between `run()` and `stop()`. */
  get running(): boolean {
    return this.#state === "running";
  }

  /**
   * Starts the connectors, then every source, tap, transform, join and outbound link.
   * Resolves once all have started; rejects with `CONNECTOR_FAILED` (after stopping) when
   * a connector cannot start.
   */
  async run(): Promise<void> {
    if (this.#state !== "built") {
      throw new AimDbError(this.#state === "running" ? "ALREADY_RUNNING" : "STOPPED", `run() called on a ${this.#state} database`);
    }
    this.#state = "running";
    this.#life.running = true;
    try {
      this.#loops.push(...(await this.#connectors.start()));
    } catch (err) {
      await this.stop();
      throw err;
    }
    const w = this.#wiring!;
    this.#wiring = undefined;
    for (const t of w.taps) this.#loops.push(this.#tapLoop(t.record, t.index, t.reader));
    for (const t of w.transforms) this.#loops.push(this.#transformLoop(t.record, t.reader, t.make));
    for (const j of w.joins) {
      const latest: unknown[] = j.readers.map(() => undefined);
      j.readers.forEach((reader, i) => this.#loops.push(this.#joinLoop(j.record, reader, i, latest, j.fn)));
    }
    for (const r of this.#records.values()) {
      for (const source of r.spec.sources) this.#loops.push(this.#sourceLoop(r, source));
    }
  }

  /** Stops every loop and resolves when they have ended (or after `graceMs`). Safe to call twice. */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#state === "stopped") return;
    this.#state = "stopped";
    this.#life.stop();
    for (const r of this.#records.values()) r.buffer.close();
    this.#connectors.stopping();
    const all = Promise.all(this.#loops).then(() => true);
    const graceMs = options.graceMs ?? 2000;
    let timer: unknown;
    const late = new Promise<boolean>((resolve) => {
      timer = this.host.setTimer(() => resolve(false), graceMs);
    });
    const ended = await Promise.race([all, late]);
    this.host.clearTimer(timer);
    if (!ended) this.host.log("warn", `stop: some loops did not end within ${graceMs} ms (a tap, transform, source or publish still awaiting)`);
    await this.#connectors.close();
  }

  /** Writes a value into a record that has no declared writer (a passive record). */
  produce<T>(key: string, value: T): void {
    const r = this.#record(key);
    if (r.origin !== "passive") {
      throw new AimDbError("NOT_WRITABLE", `has a ${r.origin} as its writer; produce() is only for records without one`, key);
    }
    if (this.#state === "stopped") throw new AimDbError("STOPPED", "the database is stopped", key);
    r.write(value);
  }

  /** A stream of the record's values from now on (a singleLatest also gives its current value). */
  subscribe<T>(key: string, options?: SubscribeOptions): Subscription<T> {
    const r = this.#record(key);
    return new Subscription(r.buffer.reader() as BufferReader<T>, options);
  }

  /** The record's current value without consuming it. */
  peek<T>(key: string): T | undefined {
    return this.#record(key).buffer.peek() as T | undefined;
  }

  /** Metadata and counters of every record, in topological order. */
  records(): RecordInfo[] {
    return this.#order.map((k) => this.#records.get(k)!.info());
  }

  /** Each connector: scheme, whether it started, its link count and unknown inbound topics. */
  connectors(): ConnectorInfo[] {
    return this.#connectors.info();
  }

  /** Nodes, edges and topological order of the record graph. */
  graph(): GraphInfo {
    return {
      nodes: this.#order.map((k) => {
        const r = this.#records.get(k)!;
        return { key: r.key, origin: r.origin, buffer: r.buffer.kind, links: r.spec.links.map((l) => (l.direction === "to" ? "-> " : "<- ") + l.url) };
      }),
      edges: this.#edges,
      order: this.#order,
    };
  }

  #record(key: string): RecordRuntime {
    const r = this.#records.get(key);
    if (!r) throw new AimDbError("UNKNOWN_RECORD", "no such record", key);
    return r;
  }

  #fault(r: RecordRuntime, what: string, err: unknown): void {
    r.counters.errors++;
    this.host.log("error", `record "${r.key}": ${what} failed: ${describeError(err)}`);
  }

  async #sourceLoop(r: RecordRuntime, source: (ctx: RecordRuntime["ctx"], p: RecordRuntime["producer"]) => unknown): Promise<void> {
    try {
      await source(r.ctx, r.producer);
    } catch (err) {
      if (!isStopped(err)) this.#fault(r, "source", err);
    }
  }

  async #tapLoop(r: RecordRuntime, index: number, reader: BufferReader<unknown>): Promise<void> {
    const tap = r.spec.taps[index] as TapFn<unknown>;
    const delivered = r.counters.delivered;
    const ctx = r.ctx;
    const ring = reader instanceof RingReader ? reader : undefined;
    do {
      // One try around the whole drain (cheaper on XS than one per value); after a
      // failure the loop resumes with the next value.
      for (;;) {
        try {
          if (ring) {
            for (let pending = ring.drain(tap, ctx, delivered, index); pending !== undefined; pending = ring.drain(tap, ctx, delivered, index)) {
              await pending;
              delivered[index]!++;
            }
          } else {
            while (reader.poll()) {
              const done = tap(reader.value, ctx);
              if (done !== undefined) await done;
              delivered[index]!++;
            }
          }
          break;
        } catch (err) {
          if (!isStopped(err)) this.#fault(r, `tap #${index + 1}`, err);
        }
      }
    } while (await reader.wait());
  }

  async #transformLoop(r: RecordRuntime, reader: BufferReader<unknown>, make: () => (v: unknown) => unknown): Promise<void> {
    let fn: (v: unknown) => unknown;
    try {
      fn = make();
    } catch (err) {
      this.#fault(r, "transform setup", err);
      reader.close();
      return;
    }
    do {
      while (reader.poll()) {
        try {
          const out = fn(reader.value);
          if (out !== undefined) r.write(out);
        } catch (err) {
          this.#fault(r, "transform", err);
        }
      }
    } while (await reader.wait());
  }

  async #joinLoop(
    r: RecordRuntime,
    reader: BufferReader<unknown>,
    index: number,
    latest: unknown[],
    fn: JoinFn<readonly unknown[], unknown>,
  ): Promise<void> {
    do {
      while (reader.poll()) {
        latest[index] = reader.value;
        try {
          const out = fn(latest, index);
          if (out !== undefined) r.write(out);
        } catch (err) {
          this.#fault(r, "join", err);
        }
      }
    } while (await reader.wait());
  }
}
