/**
 * A record at run time: its buffer, counters, context and producer. Created by the
 * builder from a validated `RecordSpec`; read by `db.records()`.
 */
import type { BufferConfig, BufferCounters, RecordBuffer } from "./buffer.js";
import { SpmcRing } from "./ring.js";
import { SingleLatest } from "./latest.js";
import { Mailbox } from "./mailbox.js";
import type { Lifecycle, RecordContext } from "./context.js";
import { makeContext } from "./context.js";
import type { RecordOrigin } from "./graph.js";
import type { Producer, RecordSpec } from "./registrar.js";
import type { LinkInfo, LinkRuntime } from "./link.js";
import type { Host } from "../host.js";

/** Per-record counters, as shown by `db.records()`. */
export interface RecordCounters extends BufferCounters {
  /** Values written into the buffer. */
  produced: number;
  /** Failures in this record's source, taps or transform (thrown or rejected). */
  errors: number;
  /** Values handled by each tap, in declaration order. */
  delivered: number[];
}

/** One record's metadata and counters (a snapshot). */
export interface RecordInfo {
  readonly key: string;
  readonly origin: RecordOrigin;
  readonly buffer: { readonly kind: string; readonly capacity: number };
  readonly links: readonly LinkInfo[];
  readonly counters: Readonly<RecordCounters>;
}

/** Creates the buffer a config asks for. Called once per record, at build. */
export function createBuffer(cfg: BufferConfig, counters: BufferCounters): RecordBuffer<unknown> {
  switch (cfg.kind) {
    case "spmcRing":
      return new SpmcRing(cfg.capacity, counters);
    case "singleLatest":
      return new SingleLatest();
    case "mailbox":
      return new Mailbox(counters);
  }
}

export class RecordRuntime {
  readonly key: string;
  readonly spec: RecordSpec;
  readonly origin: RecordOrigin;
  readonly counters: RecordCounters;
  readonly buffer: RecordBuffer<unknown>;
  readonly ctx: RecordContext;
  readonly producer: Producer<unknown>;
  /** The record's links, filled in when the database is assembled. */
  readonly links: LinkRuntime[] = [];
  readonly #host: Host;
  readonly #stamp: boolean;

  constructor(spec: RecordSpec, origin: RecordOrigin, life: Lifecycle) {
    this.#host = life.host;
    this.key = spec.key;
    this.spec = spec;
    this.origin = origin;
    this.counters = { produced: 0, lagged: 0, dropped: 0, errors: 0, delivered: spec.taps.map(() => 0) };
    this.buffer = createBuffer(spec.buffer!, this.counters);
    this.ctx = makeContext(spec.key, life);
    // Only an outbound link reads a value's issue time; other records skip the clock read.
    this.#stamp = spec.links.some((l) => l.direction === "to");
    const buffer = this.buffer;
    const counters = this.counters;
    this.producer = Object.freeze({
      send: (value: unknown) => {
        if (buffer.closed) return;
        counters.produced++;
        buffer.push(value, this.#stamp ? (this.#host.unixMs() ?? Number.NaN) : Number.NaN);
      },
    });
  }

  /** Writes a value issued at `issuedAt` (Unix ms; default now); ignored once the buffer is closed. */
  write(value: unknown, issuedAt?: number): void {
    if (this.buffer.closed) return;
    this.counters.produced++;
    this.buffer.push(value, issuedAt ?? (this.#stamp ? (this.#host.unixMs() ?? Number.NaN) : Number.NaN));
  }

  info(): RecordInfo {
    const c = this.counters;
    return {
      key: this.key,
      origin: this.origin,
      buffer: { kind: this.buffer.kind, capacity: this.buffer.capacity },
      links: this.links.map((l) => l.info()),
      counters: { produced: c.produced, lagged: c.lagged, dropped: c.dropped, errors: c.errors, delivered: c.delivered.slice() },
    };
  }
}
