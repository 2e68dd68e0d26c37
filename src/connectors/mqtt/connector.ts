/**
 * `mqtt()`: the MQTT connector. Thin glue between the sans-IO session and the Host: a TCP
 * socket (no-delay, optional TLS), one timer armed from `nextDeadline()`, and the
 * runtime's links. A publish the session cannot take now waits here, one per link at
 * most (the pump waits for it), so memory is bounded by the link count plus the
 * session's fixed buffers. Publishes taken at once cost no promise, and one flush per
 * burst writes them all.
 */
import type { TcpSocket, TimerHandle } from "../../host.js";
import type { Connector, ConnectorBuilder, ConnectorContext } from "../spi.js";
import { topicMatches } from "../topic.js";
import { AimDbError } from "../../core/errors.js";
import { MqttSession } from "./session.js";
import { matchFilter, resolveOptions, validateMqttLink, type MqttOptions, type ResolvedMqtt } from "./options.js";

export type { MqttOptions } from "./options.js";

/** Makes an MQTT connector for `AimDbBuilder.withConnector`. Throws `ConfigError` on bad options. */
export function mqtt(options: MqttOptions): ConnectorBuilder {
  const o = resolveOptions(options);
  return { scheme: o.scheme, validateLink: validateMqttLink, build: async (ctx) => start(o, ctx) };
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
const RETAINED: Readonly<Record<string, unknown>> = Object.freeze({ retained: true });

function start(o: ResolvedMqtt, ctx: ConnectorContext): Connector {
  const host = ctx.host;
  if (!host.tcp) throw new AimDbError("MQTT_NO_TCP", `host "${host.name}" has no TCP`);
  const tcp = host.tcp.bind(host);
  let socket: TcpSocket | undefined;
  let timer: TimerHandle | undefined;
  let timerAt = NONE;
  let flushQueued = false;
  let stopped = false;
  /** Publishes waiting for the session, by link id, oldest first. */
  const waiting = new Map<number, Waiting>();
  const filters = new Map<string, 0 | 1>();
  for (const l of ctx.links) {
    if (l.direction === "from") filters.set(l.resource, Math.max(filters.get(l.resource) ?? 0, (l.config.qos as 0 | 1 | undefined) ?? o.qos) as 0 | 1);
  }
  const clientId = o.clientId ?? `aimdb-${Math.floor(host.random() * 2 ** 32).toString(36)}`;
  const name = `mqtt ${clientId}@${o.host}:${o.port}`;

  const session: MqttSession = new MqttSession(
    { ...o, clientId, subscriptions: [...filters].map(([topic, qos]) => ({ topic, qos })), random: () => host.random() },
    {
      open: () => {
        socket = tcp({
          host: o.host,
          port: o.port,
          noDelay: true,
          tls: o.tls,
          onConnect: () => step(() => session.opened(host.now())),
          onReadable: (bytes) => step(() => session.receive(bytes, host.now())),
          onWritable: () => step(() => session.writable()),
          onError: (err) => {
            session.lastError = err;
          },
          onClose: () => {
            socket = undefined;
            step(() => session.closed(host.now(), session.lastError));
          },
        });
      },
      close: () => {
        const s = socket;
        socket = undefined;
        s?.close();
      },
      write: (bytes) => (socket ? socket.write(bytes) : false),
      deliver: (topic, payload, retained) => {
        ctx.deliver(topic, payload, retained ? RETAINED : undefined);
      },
      ready: () => {
        for (const [id, w] of waiting) {
          try {
            if (!session.publish(id, w.topic, w.payload, w.qos, w.retain, host.now())) return;
            settle(id, w);
          } catch (err) {
            settle(id, w, err);
          }
        }
      },
      refused: (token, error) => ctx.reportPublishError(token, error),
      state: (up, error) => {
        ctx.setState(up ? "up" : "down");
        if (up) host.log("info", `${name}: connected`);
        else if (error) host.log("warn", `${name}: ${error.message}`);
      },
      subscribeFailed: (filter, rc) => {
        host.log("error", `${name}: broker refused the subscription to "${filter}" (reason 0x${rc.toString(16)})`);
        for (const l of ctx.links) if (l.direction === "from" && l.resource === filter) ctx.setState("down", l.id);
      },
    },
  );

  function settle(id: number, w: Waiting, error?: unknown): void {
    waiting.delete(id);
    if (w.timer !== undefined) host.clearTimer(w.timer);
    if (error) w.reject(error);
    else w.resolve();
  }

  /**
   * Runs a session input, writes what it produced, then makes sure the one timer fires
   * no later than the next deadline. A deadline that moved later is left to the armed
   * timer, which polls and re-arms, so a busy connection does not reset a timer per message.
   */
  function step(input: () => void): void {
    input();
    session.flush();
    const at = session.nextDeadline();
    if (at >= timerAt) return;
    if (timer !== undefined) host.clearTimer(timer);
    timerAt = at;
    timer = at === NONE ? undefined : host.setTimer(fire, Math.max(0, at - host.now()));
  }

  function fire(): void {
    timer = undefined;
    timerAt = NONE;
    step(() => session.poll(host.now()));
  }

  /** One write for every publish of this burst: flushed once the current job is done. */
  function flushSoon(): void {
    if (flushQueued) return;
    flushQueued = true;
    void Promise.resolve().then(() => {
      flushQueued = false;
      session.flush();
    });
  }

  step(() => session.start(host.now()));

  return {
    publish(topic, config, payload, link) {
      const qos = (config.qos as 0 | 1 | undefined) ?? o.qos;
      const retain = (config.retain as boolean | undefined) ?? o.retain;
      if (stopped) throw new AimDbError("STOPPED", "the MQTT connector is closing");
      // Taken at once, the common case: no promise. Others wait their turn behind older ones.
      if (!waiting.size && session.publish(link.id, topic, payload, qos, retain, host.now())) return flushSoon();
      const timeoutMs = config.timeoutMs as number | undefined;
      return new Promise<void>((resolve, reject) => {
        const w: Waiting = { topic, payload, qos, retain, resolve, reject, timer: undefined };
        waiting.set(link.id, w);
        if (timeoutMs !== undefined) {
          w.timer = host.setTimer(() => settle(link.id, w, new AimDbError("MQTT_PUBLISH_TIMEOUT", `not accepted within ${timeoutMs} ms (broker unreachable?)`)), timeoutMs);
        }
      });
    },
    matches: (resource, topic) => topicMatches(matchFilter(resource), topic),
    info: () => ({
      broker: `${o.host}:${o.port}`,
      connected: session.connected,
      inflight: session.inflight,
      waiting: waiting.size,
      lastError: session.lastError?.message,
      ...session.stats,
    }),
    close: async () => {
      stopped = true;
      session.stop();
      if (timer !== undefined) host.clearTimer(timer);
      timer = undefined;
      const error = new AimDbError("STOPPED", "the MQTT connector is closing");
      for (const [id, w] of waiting) settle(id, w, error);
      ctx.setState("down");
    },
  };
}
