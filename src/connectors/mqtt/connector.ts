/**
 * `mqtt()`: the MQTT connector. Thin glue between the sans-IO session and the Host:
 * a TCP socket (no-delay, optional TLS), one timer armed from `nextDeadline()`, and the
 * runtime's links. One publish per link waits here at most (the pump waits for it), so
 * the connector's memory is bounded by its link count plus the inflight table.
 */
import type { Host, TcpSocket, TimerHandle } from "../../host.js";
import type { Connector, ConnectorBuilder, ConnectorContext } from "../spi.js";
import { topicMatches } from "../topic.js";
import { AimDbError } from "../../core/errors.js";
import { MqttSession } from "./session.js";
import { matchFilter, resolveOptions, validateMqttLink, type MqttOptions, type ResolvedMqtt } from "./options.js";

export type { MqttOptions } from "./options.js";

/** Makes an MQTT connector for `AimDbBuilder.withConnector`. Throws `ConfigError` on bad options. */
export function mqtt(options: MqttOptions): ConnectorBuilder {
  const o = resolveOptions(options);
  return {
    scheme: o.scheme,
    validateLink: validateMqttLink,
    build: async (ctx) => start(o, ctx),
  };
}

interface Waiting {
  resolve: () => void;
  reject: (e: Error) => void;
  timer: TimerHandle | undefined;
}

function start(o: ResolvedMqtt, ctx: ConnectorContext): Connector {
  const host: Host = ctx.host;
  if (!host.tcp) throw new AimDbError("MQTT_NO_TCP", `host "${host.name}" has no TCP`);
  const tcp = host.tcp.bind(host);
  const utf8 = host.utf8;
  let socket: TcpSocket | undefined;
  let timer: TimerHandle | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  /** The publish each link has waiting, by link id. */
  const waiting = new Map<number, Waiting>();
  /** The link whose publish is being offered right now, and how it was settled, if it was. */
  let offering = -1;
  let offered: Error | null | undefined;
  const filters = new Map<string, 0 | 1>();
  for (const l of ctx.links) {
    if (l.direction !== "from") continue;
    const qos = (l.config.qos as 0 | 1 | undefined) ?? o.qos;
    filters.set(l.resource, Math.max(filters.get(l.resource) ?? 0, qos) as 0 | 1);
  }

  const clientId = o.clientId ?? `aimdb-${Math.floor(host.random() * 2 ** 32).toString(36)}`;
  const name = `mqtt ${clientId}@${o.host}:${o.port}`;
  const session: MqttSession = new MqttSession(
    {
      version: o.version,
      clientId,
      clean: o.clean,
      sessionExpirySec: o.sessionExpirySec,
      keepaliveSec: o.keepaliveSec,
      username: o.username,
      password: o.password === undefined ? undefined : utf8.encode(o.password),
      will: o.will && {
        topic: o.will.topic,
        payload: typeof o.will.payload === "string" ? utf8.encode(o.will.payload) : o.will.payload,
        qos: o.will.qos ?? 0,
        retain: o.will.retain ?? false,
      },
      maxInflight: o.maxInflight,
      maxPacketSize: o.maxPacketSize,
      connectTimeoutMs: o.connectTimeoutMs,
      backoff: o.backoff,
      subscriptions: [...filters].map(([topic, qos]) => ({ topic, qos })),
      random: () => host.random(),
    },
    {
      open: () => {
        socket = tcp({
          host: o.host,
          port: o.port,
          noDelay: true,
          tls: o.tls,
          onConnect: () => step(() => session.opened(host.now())),
          onReadable: (bytes) => step(() => session.receive(bytes, host.now())),
          onWritable: () => step(() => session.writable(host.now())),
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
      settle: (token, error) => {
        if (token === offering) {
          offered = error ?? null;
          return;
        }
        const w = waiting.get(token);
        if (!w) return;
        waiting.delete(token);
        if (w.timer !== undefined) host.clearTimer(w.timer);
        if (error) w.reject(error);
        else w.resolve();
      },
      refused: (token, error) => ctx.reportPublishError(token, error),
      state: (up, error) => {
        ctx.setState(up ? "up" : "down");
        if (up) host.log("info", `${name}: connected`);
        else if (error) host.log("warn", `${name}: ${error.message}`);
      },
      subscribeFailed: (filter, rc) => {
        host.log("error", `mqtt: broker refused the subscription to "${filter}" (reason 0x${rc.toString(16)})`);
        for (const l of ctx.links) if (l.direction === "from" && l.resource === filter) ctx.setState("down", l.id);
      },
    },
  );

  /**
   * Runs a session input, then makes sure the one timer fires no later than the session's
   * next deadline. A deadline that moved later is left to the armed timer, which polls
   * and re-arms, so a busy connection does not reset a timer per message.
   */
  function step(input: () => void): void {
    input();
    arm();
  }

  function arm(): void {
    const at = session.nextDeadline();
    if (at >= timerAt) return;
    if (timer !== undefined) host.clearTimer(timer);
    timerAt = at;
    timer = at === Number.POSITIVE_INFINITY ? undefined : host.setTimer(fire, Math.max(0, at - host.now()));
  }

  function fire(): void {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    step(() => session.poll(host.now()));
  }

  step(() => session.start(host.now()));

  return {
    publish(topic, config, payload, link) {
      const qos = (config.qos as 0 | 1 | undefined) ?? o.qos;
      const retain = (config.retain as boolean | undefined) ?? o.retain;
      const timeoutMs = config.timeoutMs as number | undefined;
      // Most publishes are accepted at once: then no promise is made.
      offering = link.id;
      offered = undefined;
      session.publish(link.id, topic, payload, qos, retain, host.now());
      arm();
      offering = -1;
      if (offered === null) return undefined;
      if (offered) return Promise.reject(offered);
      return new Promise<void>((resolve, reject) => {
        const w: Waiting = { resolve, reject, timer: undefined };
        waiting.set(link.id, w);
        if (timeoutMs !== undefined) {
          w.timer = host.setTimer(() => {
            if (session.cancel(link.id)) {
              waiting.delete(link.id);
              reject(new AimDbError("MQTT_PUBLISH_TIMEOUT", `not accepted within ${timeoutMs} ms (broker unreachable?)`));
            }
          }, timeoutMs);
        }
      });
    },
    matches: (resource, topic) => topicMatches(matchFilter(resource), topic),
    info: () => ({
      broker: `${o.host}:${o.port}`,
      connected: session.connected,
      inflight: session.inflight,
      lastError: session.lastError?.message,
      ...session.stats,
    }),
    close: async () => {
      session.stop();
      if (timer !== undefined) host.clearTimer(timer);
      timer = undefined;
      ctx.setState("down");
    },
  };
}

const RETAINED: Readonly<Record<string, unknown>> = Object.freeze({ retained: true });
