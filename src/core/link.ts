/**
 * A link at run time. Outbound (`linkTo`): a pump reads the record's buffer like a tap,
 * serializes each value with its envelope and awaits `publish`, so a stalled connector
 * holds back only this reader: a ring reader skips ahead and counts what it lost, a
 * singleLatest reader sends only the newest value, a mailbox reader takes each command
 * once. Inbound (`linkFrom`): `accept` decodes, applies the freshness, ordering and
 * at-most-once checks the link asked for, then writes the record. Bad bytes are counted
 * and dropped; nothing here throws to the connector.
 */
import type { Host } from "../host.js";
import type { Connector, InboundMeta, LinkDeclaration, LinkState } from "../connectors/spi.js";
import type { BufferReader } from "./buffer.js";
import { describeError } from "./errors.js";
import type { RecordRuntime } from "./record.js";
import type { LinkSpec } from "./registrar.js";
import { DUPLICATE, OUT_OF_ORDER, SenderTable } from "./senders.js";

/** Senders remembered per ordered or deduplicating link. */
const SENDERS_PER_LINK = 16;

/** Per-link counters, as shown by `db.records()`. */
export interface LinkCounters {
  /** linkTo: values published. */
  sent: number;
  /** linkTo: values the serializer (or `withTopic`) refused. */
  serializeErrors: number;
  /** linkTo: publishes the connector rejected. */
  publishErrors: number;
  /** linkTo: values the pump skipped because the connector fell behind a ring. */
  lagged: number;
  /** linkFrom: payloads that arrived for this link. */
  received: number;
  /** linkFrom: payloads the deserializer refused. */
  deserializeErrors: number;
  /** linkFrom: values older than `maxAgeMs`. */
  stale: number;
  /** linkFrom: values whose age could not be judged (no issue time or no local clock). */
  ageUnknown: number;
  /** linkFrom: values older than the last applied from their sender. */
  outOfOrder: number;
  /** linkFrom: repeats of a (sender, seq) already applied. */
  duplicates: number;
}

/** One link's metadata, state and counters (a snapshot). */
export interface LinkInfo {
  readonly direction: "to" | "from";
  readonly url: string;
  readonly state: LinkState;
  readonly counters: Readonly<LinkCounters>;
}

export class LinkRuntime {
  readonly decl: LinkDeclaration;
  readonly spec: LinkSpec;
  readonly record: RecordRuntime;
  readonly counters: LinkCounters = {
    sent: 0, serializeErrors: 0, publishErrors: 0, lagged: 0,
    received: 0, deserializeErrors: 0, stale: 0, ageUnknown: 0, outOfOrder: 0, duplicates: 0,
  };
  state: LinkState = "down";
  readonly reader: BufferReader<unknown> | undefined;
  readonly #host: Host;
  readonly #senders: SenderTable | undefined;
  /** Reused for every value: the serializer and deserializer must not keep them. */
  /** Outbound links only. */
  readonly #out: { sender: string; seq: number; issuedAt: number | undefined; topic: string } | undefined;
  /** Inbound links only. */
  readonly #in: InboundMeta | undefined;
  #failing = false;

  constructor(decl: LinkDeclaration, spec: LinkSpec, record: RecordRuntime, host: Host, senderId: string) {
    this.decl = decl;
    this.spec = spec;
    this.record = record;
    this.#host = host;
    const outbound = decl.direction === "to";
    // Also for an inbound link with a serializer: it answers reads with `current()`.
    this.#out = outbound || spec.serializer ? { sender: senderId, seq: 0, issuedAt: undefined, topic: decl.resource } : undefined;
    this.#in = outbound ? undefined : { topic: "", transport: undefined, sender: undefined, seq: undefined, issuedAt: undefined };
    this.reader = decl.direction === "to" ? record.buffer.reader() : undefined;
    if (this.reader) this.reader.drainOnClose = true; // values produced before stop() still go out
    this.#senders = spec.ordered || spec.dedupe ? new SenderTable(SENDERS_PER_LINK, spec.ordered === true) : undefined;
  }

  info(): LinkInfo {
    return { direction: this.decl.direction, url: this.decl.url, state: this.state, counters: { ...this.counters } };
  }

  /** Outbound loop: ends when the record's buffer closes. */
  async pump(connector: Connector): Promise<void> {
    const reader = this.reader!;
    const c = this.counters;
    const out = this.#out!;
    const serialize = this.spec.serializer!;
    const topicFn = this.spec.topicFn;
    do {
      while (reader.poll()) {
        c.lagged = reader.lost;
        let payload: Uint8Array;
        try {
          const topic = topicFn ? topicFn(reader.value) : this.decl.resource;
          if (typeof topic !== "string" || topic.length === 0) throw new TypeError(`withTopic returned ${String(topic)}`);
          out.topic = topic;
          out.seq++;
          out.issuedAt = Number.isNaN(reader.at) ? undefined : reader.at;
          payload = serialize(reader.value, out);
        } catch (err) {
          c.serializeErrors++;
          this.#report("serialize", err);
          continue;
        }
        try {
          const pending = connector.publish(out.topic, this.decl.config, payload, this.decl);
          if (pending !== undefined) await pending;
          c.sent++;
          this.#failing = false;
        } catch (err) {
          c.publishErrors++;
          this.#report("publish", err);
        }
      }
    } while (await reader.wait());
  }

  /**
   * The record's current value serialized with this link's serializer (for a connector
   * answering a read); undefined without a value or a serializer. Never throws.
   */
  current(): Uint8Array | undefined {
    const serialize = this.spec.serializer;
    const value = this.record.buffer.peek();
    if (!serialize || value === undefined) return undefined;
    const out = this.#out!;
    out.topic = this.decl.resource;
    out.seq++;
    out.issuedAt = this.#host.unixMs();
    try {
      return serialize(value, out);
    } catch (err) {
      this.counters.serializeErrors++;
      this.#report("serialize", err);
      return undefined;
    }
  }

  /** A publish the connector had accepted failed later. */
  publishFailed(err: Error): void {
    this.counters.publishErrors++;
    this.#report("delivery", err);
  }

  /**
   * Inbound: decodes and applies one payload. Never throws. True when the value was
   * written to the record; false when the deserializer refused it or it was dropped as
   * stale, out of order or a duplicate.
   */
  accept(topic: string, payload: Uint8Array, transport: Readonly<Record<string, unknown>> | undefined): boolean {
    const c = this.counters;
    c.received++;
    const meta = this.#in!;
    meta.topic = topic;
    meta.transport = transport;
    meta.sender = undefined;
    meta.seq = undefined;
    meta.issuedAt = undefined;
    let value: unknown;
    try {
      value = this.spec.deserializer!(payload, meta);
    } catch (err) {
      c.deserializeErrors++;
      this.#report("deserialize", err);
      return false;
    }
    this.#failing = false;
    const maxAge = this.spec.maxAgeMs;
    if (maxAge !== undefined) {
      const now = this.#host.unixMs();
      if (now === undefined || meta.issuedAt === undefined) c.ageUnknown++;
      else if (now - meta.issuedAt > maxAge) {
        c.stale++;
        return false;
      }
    }
    const senders = this.#senders;
    if (senders !== undefined && meta.sender !== undefined && meta.seq !== undefined) {
      const verdict = senders.check(meta.sender, meta.seq);
      if (verdict === DUPLICATE) {
        c.duplicates++;
        return false;
      }
      if (verdict === OUT_OF_ORDER) {
        c.outOfOrder++;
        return false;
      }
    }
    this.record.write(value, meta.issuedAt);
    return true;
  }

  /** Logs the first failure of a run of failures, so a dead peer does not flood the log. */
  #report(what: string, err: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#host.log("warn", `record "${this.record.key}" ${this.decl.direction === "to" ? "linkTo" : "linkFrom"}(${this.decl.url}): ${what} failed: ${describeError(err)}`);
  }
}
