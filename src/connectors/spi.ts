/**
 * Connector SPI: how a protocol becomes an edge of the record graph.
 *
 * A `ConnectorBuilder` is registered with `AimDbBuilder.withConnector`; the scheme of a
 * link URL selects it. At `build()` it may check each link's options (`validateLink`).
 * At `run()` its `build(ctx)` receives the links of its scheme and returns a running
 * `Connector`. Outbound, the runtime calls `publish` with serialized bytes, one value at
 * a time per link: the pump waits for each `publish` before taking the next value, so
 * while a connector cannot accept (disconnected, window full) values wait in the
 * record's buffer, where its rules apply (a ring drops the oldest and counts them, a
 * singleLatest keeps the newest). Inbound, the connector calls `ctx.deliver(topic, bytes)`, and the
 * runtime decodes and writes the value into every record linked from a matching address.
 * Reconnecting and queueing belong to the connector; it reports link state with
 * `ctx.setState`.
 */
import type { Host } from "../host.js";

/** Up when the connector can currently carry the link's values. */
export type LinkState = "up" | "down";

/** A link as the connector sees it. */
export interface LinkDeclaration {
  /** Index of the link among all links of the database; stable for its lifetime. */
  readonly id: number;
  readonly direction: "to" | "from";
  /** The record the link belongs to. */
  readonly recordKey: string;
  /** The whole address, e.g. `"mqtt://weather/alpha/temp?qos=1"`. */
  readonly url: string;
  /** The address without scheme and query: topic, group address… */
  readonly resource: string;
  /**
   * Query options merged with `withConfig` values. The runtime normalises the common ones:
   * `qos` (0, 1, 2), `retain` (boolean) and `timeoutMs` (positive number); other keys are
   * the connector's to check in `validateLink`.
   */
  readonly config: Readonly<Record<string, unknown>>;
}

/** What a connector is given when the database runs. */
export interface ConnectorContext {
  readonly host: Host;
  /** The links that use this connector's scheme. */
  readonly links: readonly LinkDeclaration[];
  /**
   * Hands bytes that arrived at `topic` to the runtime, which routes them to every
   * `linkFrom` whose resource matches. Returns how many links applied the value to their
   * record: 0 when no link matched (an unknown topic, counted in `unknownTopics`) or when
   * every matching link dropped it (deserializer refusal, stale, out of order, duplicate;
   * counted on the link). `transport` (e.g. `{ retained: true }`) reaches the
   * deserializer. The runtime does not keep `payload` after returning.
   */
  deliver(topic: string, payload: Uint8Array, transport?: Readonly<Record<string, unknown>>): number;
  /** Reports the state of every link of this connector, or of one link by id. */
  setState(state: LinkState, linkId?: number): void;
  /**
   * Reports that a value `publish` had accepted failed later (e.g. an MQTT 5 PUBACK
   * with a refusal code); counted as a publish error of that link.
   */
  reportPublishError(linkId: number, error: Error): void;
  /**
   * The record's current value (what `db.peek` returns) serialized with the link's
   * serializer: a linkTo's, or the one a linkFrom was given with `withSerializer` to
   * answer reads (KNX `respond=true`). Undefined when the record holds no value, the link
   * has no serializer, or the serializer throws (counted in `serializeErrors`).
   */
  current(linkId: number): Uint8Array | undefined;
}

/** Registers a protocol under a URL scheme (`"mqtt"`, `"knx"`, `"ws"`…). */
export interface ConnectorBuilder {
  /** The URL scheme this connector serves, without `://`. */
  readonly scheme: string;
  /** Checks one link at `build()`; returns a message saying what is wrong, or undefined. */
  validateLink?(link: LinkDeclaration): string | undefined;
  /** Starts the connector when the database runs. */
  build(ctx: ConnectorContext): Promise<Connector>;
}

/** A running connector. */
export interface Connector {
  /**
   * Takes one serialized value for `destination` (topic, group address…). Resolves when
   * the connector has accepted it (sent, or queued with a delivery guarantee it keeps
   * across reconnects); rejects when it cannot (counted as a publish error). Returning
   * nothing means accepted at once (no promise per value on the fast path); throwing
   * means refused. `config` is `link.config`; `link` identifies the link for
   * `reportPublishError`.
   */
  publish(destination: string, config: Readonly<Record<string, unknown>>, payload: Uint8Array, link: LinkDeclaration): Promise<void> | void;
  /**
   * True when an inbound `topic` matches a linkFrom `resource` (e.g. MQTT wildcards).
   * Without it, the runtime requires the two to be equal.
   */
  matches?(resource: string, topic: string): boolean;
  /** Connector-specific status for `db.connectors()` (peer, connected, counters…). */
  info?(): Readonly<Record<string, unknown>>;
  /**
   * The database is stopping: its buffers are closed and the pumps hand over what is left
   * before `close()`. A connector refuses from now on what it could only accept by waiting
   * for a peer that is gone, so stopping does not wait for a reconnect.
   */
  stopping?(): void;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}

/** The envelope a serializer may write: who sent the value, its sequence and issue time. */
export interface OutboundMeta {
  /** The sending database's id (`AimDbBuilder.withSenderId`, or a random one per start). */
  readonly sender: string;
  /** Per-link sequence number, from 1, one per value sent. */
  readonly seq: number;
  /** Unix ms at which the value was produced, or undefined when the sender's clock was unknown. */
  readonly issuedAt: number | undefined;
  /** The destination the value is published to. */
  readonly topic: string;
}

/** What a deserializer learns besides the bytes, and may fill from an envelope. */
export interface InboundMeta {
  /** The address the bytes arrived at (the matched topic for wildcard links). */
  topic: string;
  /** Transport details the connector passed (e.g. `retained`). */
  transport: Readonly<Record<string, unknown>> | undefined;
  /** Filled by an envelope-aware deserializer (a contract): the sender's id… */
  sender?: string | undefined;
  /** …its sequence number… */
  seq?: number | undefined;
  /** …and the Unix ms at which the value was produced. */
  issuedAt?: number | undefined;
}
