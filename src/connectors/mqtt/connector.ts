/**
 * `mqtt()`: the MQTT connector. Thin glue between the sans-IO session and the Host: a TCP
 * socket (no-delay, optional TLS), one timer armed from `nextDeadline()`, and the
 * runtime's links. A publish the session cannot take now waits here, one per link at
 * most (the pump waits for it), so memory is bounded by the link count plus the
 * session's fixed buffers. Publishes taken at once cost no promise, and one flush per
 * burst writes them all.
 *
 * A linkFrom is up once the broker's SUBACK grants its filter on the current connection.
 * When the database stops, what would wait for the next retry of an unreachable broker is
 * refused at once, and `close()` waits up to CLOSE_WAIT_MS for the PUBACKs in flight.
 */
import type { Host, TcpSocket, TimerHandle } from "../../host.js";
import type { Connector, ConnectorBuilder, ConnectorContext, LinkDeclaration } from "../spi.js";
import { topicMatches } from "../topic.js";
import { AimDbError } from "../../core/errors.js";
import { MqttSession, type SessionEffects } from "./session.js";
import { matchFilter, resolveOptions, validateMqttLink, type MqttOptions, type ResolvedMqtt } from "./options.js";

export type { MqttOptions } from "./options.js";

/** Makes an MQTT connector for `AimDbBuilder.withConnector`. Throws `ConfigError` on bad options. */
export function mqtt(options: MqttOptions): ConnectorBuilder {
  const o = resolveOptions(options);
  return { scheme: o.scheme, validateLink: validateMqttLink, build: async (ctx) => new MqttConnector(o, ctx) };
}

interface Waiting {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1;
  retain: boolean;
  resolve: () => void;
  reject: (e: unknown) => void;
  timer: TimerHandle | undefined;
}

const NONE = Number.POSITIVE_INFINITY;
/** How long `close()` waits for the PUBACKs of QoS 1 publishes in flight on a live connection. */
const CLOSE_WAIT_MS = 1000;
const RETAINED: Readonly<Record<string, unknown>> = Object.freeze({ retained: true });

/**
 * One connection's glue: the runtime's `Connector` on one side, the session's
 * `SessionEffects` on the other. A class, so its methods live once in the (preloaded)
 * prototype rather than as closures in every instance's RAM.
 */
class MqttConnector implements Connector, SessionEffects {
  readonly #o: ResolvedMqtt;
  readonly #ctx: ConnectorContext;
  readonly #host: Host;
  readonly #session: MqttSession;
  readonly #name: string;
  /** Publishes waiting for the session, by link id, oldest first. */
  readonly #waiting = new Map<number, Waiting>();
  #socket: TcpSocket | undefined;
  #timer: TimerHandle | undefined;
  #timerAt = NONE;
  #flushQueued = false;
  /** The database is stopping: refuse what would wait for the next connection attempt. */
  #stopping = false;
  #stopped = false;
  /** Set while `close()` waits for PUBACKs. */
  #allAcked: (() => void) | undefined;

  constructor(o: ResolvedMqtt, ctx: ConnectorContext) {
    const host = ctx.host;
    if (!host.tcp) throw new AimDbError("MQTT_NO_TCP", `host "${host.name}" has no TCP`);
    this.#o = o;
    this.#ctx = ctx;
    this.#host = host;
    const filters = new Map<string, 0 | 1>();
    for (const l of ctx.links) {
      if (l.direction === "from") filters.set(l.resource, Math.max(filters.get(l.resource) ?? 0, (l.config.qos as 0 | 1 | undefined) ?? o.qos) as 0 | 1);
    }
    const clientId = o.clientId ?? `aimdb-${Math.floor(host.random() * 2 ** 32).toString(36)}`;
    this.#name = `mqtt ${clientId}@${o.host}:${o.port}`;
    this.#session = new MqttSession({ ...o, clientId, subscriptions: [...filters].map(([topic, qos]) => ({ topic, qos })), random: () => host.random() }, this);
    this.#step(() => this.#session.start(host.now()));
  }

  // Connector

  publish(topic: string, config: Readonly<Record<string, unknown>>, payload: Uint8Array, link: LinkDeclaration): Promise<void> | void {
    const o = this.#o;
    const qos = (config.qos as 0 | 1 | undefined) ?? o.qos;
    const retain = (config.retain as boolean | undefined) ?? o.retain;
    if (this.#stopped) throw closing();
    // Taken at once, the common case: no promise. Each link has one publish at most here, so
    // a link never overtakes itself, and one link's full window does not hold back another's.
    if (this.#session.publish(link.id, topic, payload, qos, retain, this.#host.now())) return this.#flushSoon();
    if (this.#stopping && !this.#socket) throw notSent();
    const timeoutMs = config.timeoutMs as number | undefined;
    return new Promise<void>((resolve, reject) => {
      const w: Waiting = { topic, payload, qos, retain, resolve, reject, timer: undefined };
      this.#waiting.set(link.id, w);
      if (timeoutMs !== undefined) {
        const timeout = new AimDbError("MQTT_PUBLISH_TIMEOUT", `not accepted within ${timeoutMs} ms (broker unreachable?)`);
        w.timer = this.#host.setTimer(() => this.#settle(link.id, w, timeout), timeoutMs);
      }
    });
  }

  matches(resource: string, topic: string): boolean {
    return topicMatches(matchFilter(resource), topic);
  }

  info(): Readonly<Record<string, unknown>> {
    const s = this.#session;
    return { broker: `${this.#o.host}:${this.#o.port}`, connected: s.connected, inflight: s.inflight, waiting: this.#waiting.size, lastError: s.lastError?.message, ...s.stats };
  }

  stopping(): void {
    this.#stopping = true;
    if (!this.#socket) this.#refuseWaiting(notSent()); // waiting to retry; an attempt under way may still connect
  }

  async close(): Promise<void> {
    this.#stopped = true;
    this.#refuseWaiting(closing());
    const session = this.#session;
    const host = this.#host;
    if (session.connected && session.inflight) {
      await new Promise<void>((resolve) => {
        const timer = host.setTimer(resolve, CLOSE_WAIT_MS);
        this.#allAcked = () => (host.clearTimer(timer), resolve());
      });
    }
    this.#allAcked = undefined;
    session.stop(); // what is still unacknowledged is reported as publish errors
    if (this.#timer !== undefined) host.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#ctx.setState("down");
  }

  // SessionEffects

  connect(): void {
    const o = this.#o;
    const host = this.#host;
    const session = this.#session;
    let error: Error | undefined; // this connection's own, not an earlier attempt's
    this.#socket = host.tcp!({
      host: o.host,
      port: o.port,
      noDelay: true,
      tls: o.tls,
      onConnect: () => this.#step(() => session.opened(host.now())),
      onReadable: (bytes) => this.#step(() => session.receive(bytes, host.now())),
      onWritable: () => this.#step(() => session.writable()),
      onError: (err) => {
        session.lastError = error = err;
      },
      onClose: () => {
        this.#socket = undefined;
        this.#step(() => session.closed(host.now(), error));
      },
    });
  }

  disconnect(): void {
    const s = this.#socket;
    this.#socket = undefined;
    s?.close();
  }

  write(bytes: Uint8Array): boolean {
    return this.#socket ? this.#socket.write(bytes) : false;
  }

  deliver(topic: string, payload: Uint8Array, retained: boolean): void {
    this.#ctx.deliver(topic, payload, retained ? RETAINED : undefined);
  }

  ready(): void {
    const session = this.#session;
    if (!session.inflight) this.#allAcked?.();
    for (const [id, w] of this.#waiting) {
      try {
        if (session.publish(id, w.topic, w.payload, w.qos, w.retain, this.#host.now())) this.#settle(id, w);
      } catch (err) {
        this.#settle(id, w, err);
      }
    }
  }

  refused(token: number, error: Error): void {
    this.#ctx.reportPublishError(token, error);
  }

  state(up: boolean, error: Error | undefined): void {
    const ctx = this.#ctx;
    if (up) {
      for (const l of ctx.links) if (l.direction === "to") ctx.setState("up", l.id); // a linkFrom waits for its SUBACK
      this.#host.log("info", `${this.#name}: connected`);
      return;
    }
    ctx.setState("down");
    if (error) this.#host.log("warn", `${this.#name}: ${error.message}`);
    this.#allAcked?.(); // no PUBACK comes on a dead connection
    if (this.#stopping) this.#refuseWaiting(notSent());
  }

  subscribed(filter: string, reasonCode: number): void {
    if (this.#stopped) return;
    const granted = reasonCode < 0x80;
    if (!granted) this.#host.log("error", `${this.#name}: subscription to "${filter}" refused (reason 0x${reasonCode.toString(16)})`);
    for (const l of this.#ctx.links) if (l.direction === "from" && l.resource === filter) this.#ctx.setState(granted ? "up" : "down", l.id);
  }

  #refuseWaiting(error: Error): void {
    for (const [id, w] of this.#waiting) this.#settle(id, w, error);
  }

  #settle(id: number, w: Waiting, error?: unknown): void {
    this.#waiting.delete(id);
    if (w.timer !== undefined) this.#host.clearTimer(w.timer);
    if (error) w.reject(error);
    else w.resolve();
  }

  /**
   * Runs a session input, writes what it produced, then makes sure the one timer fires
   * no later than the next deadline. A deadline that moved later is left to the armed
   * timer, which polls and re-arms, so a busy connection does not reset a timer per message.
   */
  #step(input: () => void): void {
    input();
    const session = this.#session;
    session.flush();
    const at = session.nextDeadline();
    if (at >= this.#timerAt) return;
    const host = this.#host;
    if (this.#timer !== undefined) host.clearTimer(this.#timer);
    this.#timerAt = at;
    this.#timer = at === NONE ? undefined : host.setTimer(() => this.#fire(), Math.max(0, at - host.now()));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = NONE;
    this.#step(() => this.#session.poll(this.#host.now()));
  }

  /** One write for every publish of this burst: flushed once the current job is done. */
  #flushSoon(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    void Promise.resolve().then(() => {
      this.#flushQueued = false;
      this.#session.flush();
    });
  }
}

function closing(): AimDbError {
  return new AimDbError("STOPPED", "the MQTT connector is closing");
}

function notSent(): AimDbError {
  return new AimDbError("STOPPED", "not sent: stopping while the broker is unreachable");
}
