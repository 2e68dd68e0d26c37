/**
 * The registrar: the fluent object handed to `configure(key, reg => …)`. It only records
 * what the user declares into a `RecordSpec`; nothing is checked or allocated here.
 * `build()` validates every spec at once and reports all problems together.
 */
import type { BufferConfig } from "./buffer.js";
import type { ConfigProblem, ConfigProblemCode } from "./errors.js";
import type { RecordContext } from "./context.js";
import type { InboundMeta, OutboundMeta } from "../connectors/spi.js";

/** Sends values into a record's buffer. `send` never blocks. */
export interface Producer<T> {
  send(value: T): void;
}

/** A long-running producer of values; ends when it returns or when `ctx.sleep` rejects at stop. */
export type SourceFn<T> = (ctx: RecordContext, producer: Producer<T>) => Promise<void> | void;
/** A consumer of every value it is given; a returned promise is awaited before the next value. */
export type TapFn<T> = (value: T, ctx: RecordContext) => void | Promise<void>;
/** Derives an output value from an input value; `undefined` drops it. */
export type TransformFn<I, T> = (value: I) => T | undefined;
/** Combines the latest value of each input (undefined until it has one); `changed` is the index that moved. */
export type JoinFn<I extends readonly unknown[], T> = (
  values: { readonly [K in keyof I]: I[K] | undefined },
  changed: number,
) => T | undefined;
/** Turns a value into bytes; `meta` carries the envelope (sender, sequence, issue time) to write if wanted. */
export type Serializer<T> = (value: T, meta: OutboundMeta) => Uint8Array;
/** Turns bytes into a value, throwing on bad input; an envelope-aware one fills `meta`. */
export type Deserializer<T> = (bytes: Uint8Array, meta: InboundMeta) => T;

/** A declared link. `config` holds query options and `withConfig` values. */
export interface LinkSpec {
  readonly direction: "to" | "from";
  readonly url: string;
  serializer?: Serializer<unknown>;
  deserializer?: Deserializer<unknown>;
  topicFn?: (value: unknown) => string;
  readonly config: Record<string, unknown>;
  /** linkFrom: drop values issued longer ago than this (by the receiver's wall clock). */
  maxAgeMs?: number;
  /** linkFrom: drop values older than the last one applied from the same sender. */
  ordered?: boolean;
  /** linkFrom: apply each (sender, seq) at most once. */
  dedupe?: boolean;
}

/** Everything declared for one record. */
export interface RecordSpec {
  readonly key: string;
  buffer?: BufferConfig;
  sources: SourceFn<unknown>[];
  taps: TapFn<unknown>[];
  transforms: { input: string; make: () => TransformFn<unknown, unknown> }[];
  joins: { inputs: readonly string[]; fn: JoinFn<readonly unknown[], unknown> }[];
  links: LinkSpec[];
  /** Problems noticed while declaring (e.g. `withSerializer` with no link before it). */
  problems: ConfigProblem[];
}

/** Declares one record. Every method returns the registrar, so calls chain. */
export class RecordRegistrar<T> {
  /** @internal */
  readonly spec: RecordSpec;

  constructor(key: string) {
    this.spec = { key, sources: [], taps: [], transforms: [], joins: [], links: [], problems: [] };
  }

  /** The record's buffer (required): `BufferCfg.spmcRing(n)`, `singleLatest()` or `mailbox()`. */
  buffer(cfg: BufferConfig): this {
    if (this.spec.buffer) this.#problem("MISPLACED_OPTION", "buffer() called twice");
    this.spec.buffer = cfg;
    return this;
  }

  /** The record's writer: a loop that produces values until the database stops. */
  source(fn: SourceFn<T>): this {
    this.spec.sources.push(fn as SourceFn<unknown>);
    return this;
  }

  /** A consumer of the record's values; any number per record, each with its own reader. */
  tap(fn: TapFn<T>): this {
    this.spec.taps.push(fn as TapFn<unknown>);
    return this;
  }

  /** The record's writer: derives each value from a value of `inputKey`. */
  transform<I>(inputKey: string, fn: TransformFn<I, T>): this {
    return this.transformStateful<I>(inputKey, () => fn);
  }

  /**
   * A transform with state: `make` runs once when the database starts and returns the
   * function applied to each input value; its closure holds the state.
   */
  transformStateful<I>(inputKey: string, make: () => TransformFn<I, T>): this {
    this.spec.transforms.push({ input: inputKey, make: make as () => TransformFn<unknown, unknown> });
    return this;
  }

  /** The record's writer: combines the latest values of several records. */
  join<I extends readonly unknown[]>(inputKeys: { readonly [K in keyof I]: string }, fn: JoinFn<I, T>): this {
    this.spec.joins.push({ inputs: inputKeys as readonly string[], fn: fn as unknown as JoinFn<readonly unknown[], unknown> });
    return this;
  }

  /** Sends the record's values out through the connector of the URL's scheme. */
  linkTo(url: string): this {
    this.spec.links.push({ direction: "to", url, config: Object.create(null) });
    return this;
  }

  /** Writes values arriving at the URL into the record (several `linkFrom` = fan-in). */
  linkFrom(url: string): this {
    this.spec.links.push({ direction: "from", url, config: Object.create(null) });
    return this;
  }

  /**
   * Turns values into bytes for the preceding `linkTo`; after a `linkFrom`, for a
   * connector that answers reads with the record's current value (KNX `respond=true`).
   */
  withSerializer(fn: Serializer<T>): this {
    const link = this.spec.links[this.spec.links.length - 1] ?? this.#lastLink("to", "withSerializer");
    if (link) link.serializer = fn as Serializer<unknown>;
    return this;
  }

  /** Turns bytes into a value for the preceding `linkFrom`; throw to reject bad input. */
  withDeserializer(fn: Deserializer<T>): this {
    const link = this.#lastLink("from", "withDeserializer");
    if (link) link.deserializer = fn;
    return this;
  }

  /** Chooses the destination per value for the preceding `linkTo`. */
  withTopic(fn: (value: T) => string): this {
    const link = this.#lastLink("to", "withTopic");
    if (link) link.topicFn = fn as (value: unknown) => string;
    return this;
  }

  /**
   * Freshness for the preceding `linkFrom`: a value whose envelope says it was issued more
   * than `ms` ago (by this host's wall clock) is dropped and counted as `stale`. When either
   * clock is unknown the age cannot be judged: the value is applied and counted as `ageUnknown`.
   */
  maxAgeMs(ms: number): this {
    const link = this.#lastLink("from", "maxAgeMs");
    if (link) {
      if (!(typeof ms === "number" && ms > 0 && Number.isFinite(ms))) this.#problem("BAD_LINK_OPTION", `maxAgeMs(${String(ms)}) must be a positive number`);
      link.maxAgeMs = ms;
    }
    return this;
  }

  /**
   * Ordering for the preceding `linkFrom`: a value older than (or equal to) the last one
   * applied from the same sender is dropped (counted `outOfOrder`, or `duplicates` when equal).
   * Implies at-most-once.
   */
  ordered(): this {
    const link = this.#lastLink("from", "ordered");
    if (link) link.ordered = true;
    return this;
  }

  /** At-most-once for the preceding `linkFrom`: a repeated (sender, seq) is dropped and counted `duplicates`. */
  deduplicate(): this {
    const link = this.#lastLink("from", "deduplicate");
    if (link) link.dedupe = true;
    return this;
  }

  /** Sets an option of the preceding link (overrides the URL's query). */
  withConfig(name: string, value: unknown): this {
    const link = this.spec.links[this.spec.links.length - 1];
    if (!link) this.#problem("MISPLACED_OPTION", `withConfig("${name}") needs a linkTo or linkFrom before it`);
    else link.config[name] = value;
    return this;
  }

  /** Ends the declaration (optional; reads well at the end of a chain). */
  finish(): void {}

  #lastLink(direction: "to" | "from", method: string): LinkSpec | undefined {
    const link = this.spec.links[this.spec.links.length - 1];
    if (link && link.direction === direction) return link;
    this.#problem("MISPLACED_OPTION", `${method}() must follow a link${direction === "to" ? "To" : "From"}()`);
    return undefined;
  }

  #problem(code: ConfigProblemCode, message: string): void {
    this.spec.problems.push({ key: this.spec.key, code, message });
  }
}
