/**
 * The MQTT client session, sans-IO: it owns no socket, no timer and no clock. The glue
 * (connector.ts) feeds it socket events and bytes with the current time, calls
 * `poll(now)` when `nextDeadline()` passes, and carries out what it asks through
 * `SessionEffects`: open or close the TCP connection, write bytes, deliver a message,
 * settle a publish, report the link state. The same engine runs on every host and under
 * the sim host's virtual clock.
 *
 * States: IDLE (waiting to reconnect) → OPENING (TCP) → CONNACK_WAIT → CONNECTED, and
 * back to IDLE on any close, with exponential backoff and jitter; STOPPED is final.
 *
 * Guarantees:
 * - QoS 1 publishes sit in a fixed inflight table (bounded by `maxInflight` and the
 *   broker's Receive Maximum) until PUBACK, and are resent with DUP after a reconnect
 *   [MQTT-4.4.0-1]. A publish is *accepted* once it is in that table (QoS 1) or written
 *   (QoS 0); until then it waits in a bounded queue, one per link at most, because the
 *   runtime's pump waits for acceptance.
 * - Every linkFrom filter is subscribed again after every CONNACK.
 * - Keepalive: PINGREQ when nothing was sent or received for `keepaliveSec`, and the
 *   connection is declared dead when no packet arrives within half a keepalive after it,
 *   so a silent broker is detected within 1.5 × keepalive.
 */
import { ProtocolError, AimDbError } from "../../core/errors.js";
import { utf8Encode } from "../../core/utf8.js";
import { CONNACK, CONNECT, DISCONNECT, PINGREQ, PINGRESP, PUBACK, PUBLISH, SUBACK, SUBSCRIBE, UNSUBACK } from "./constants.js";
import { encodePacket } from "./encode.js";
import { MqttParser } from "./decode.js";
import type { Packet, ProtocolVersion } from "./packets.js";
import { connackReason } from "./reasons.js";
import { InflightTable } from "./inflight.js";
import { encodePublish, topicBytes } from "./publish.js";

/** What the session asks of its glue. */
export interface SessionEffects {
  /** Open the TCP connection; report with `opened()` / `closed()`. */
  open(): void;
  /** Close the TCP connection (no `closed()` call is expected after). */
  close(): void;
  /** Write bytes; false when the send buffer is full (then call `writable()` later). */
  write(bytes: Uint8Array): boolean;
  /** A message arrived on `topic`. `payload` is valid only during the call. */
  deliver(topic: string, payload: Uint8Array, retained: boolean): void;
  /** The publish identified by `token` was accepted (resolve) or could not be (reject). */
  settle(token: number, error: Error | undefined): void;
  /** An accepted QoS 1 publish was refused by the broker (MQTT 5 PUBACK ≥ 0x80). */
  refused(token: number, error: Error): void;
  /** The session is connected (up) or not, with the reason when it went down. */
  state(up: boolean, error: Error | undefined): void;
  /** A SUBSCRIBE filter was refused by the broker. */
  subscribeFailed(filter: string, reasonCode: number): void;
}

/** Session settings; see `MqttOptions` for their meaning and defaults. */
export interface SessionOptions {
  version: ProtocolVersion;
  clientId: string;
  clean: boolean;
  sessionExpirySec: number;
  keepaliveSec: number;
  username: string | undefined;
  password: Uint8Array | undefined;
  will: { topic: string; payload: Uint8Array; qos: 0 | 1 | 2; retain: boolean } | undefined;
  maxInflight: number;
  maxPacketSize: number;
  connectTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number; factor: number; jitter: number };
  /** Filters to subscribe after every CONNACK, with their QoS. */
  subscriptions: readonly { topic: string; qos: 0 | 1 }[];
  random: () => number;
}

const IDLE = 0;
const OPENING = 1;
const CONNACK_WAIT = 2;
const CONNECTED = 3;
const STOPPED = 4;

const NONE = Number.POSITIVE_INFINITY;
/** Publishes waiting for acceptance, at most; the pump keeps one per link outstanding. */
const MAX_QUEUED = 1024;
/** Encoded topics kept; `withTopic` may make many, so the cache starts over when full. */
const TOPIC_CACHE = 32;

interface Queued {
  token: number;
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1;
  retain: boolean;
}

/** Counters of one session. */
export interface SessionStats {
  connects: number;
  disconnects: number;
  protocolErrors: number;
  pingTimeouts: number;
  resent: number;
  received: number;
}

export class MqttSession {
  readonly #o: SessionOptions;
  readonly #fx: SessionEffects;
  readonly #parser: MqttParser;
  readonly #inflight: InflightTable;
  readonly #topics = new Map<string, Uint8Array>();
  readonly #queue: Queued[] = [];
  readonly stats: SessionStats = { connects: 0, disconnects: 0, protocolErrors: 0, pingTimeouts: 0, resent: 0, received: 0 };
  #state = IDLE;
  #inflightLimit: number;
  #attempt = 0;
  #reconnectAt = NONE;
  #connectDeadline = NONE;
  #keepaliveMs: number;
  #lastSent = 0;
  #lastReceived = 0;
  #pingDeadline = NONE;
  #brokerMaxPacket = Number.POSITIVE_INFINITY;
  #blocked = false;
  #subscribeId = 0;
  /** Why the last connection ended, for `state()` and `info()`. */
  lastError: Error | undefined = undefined;

  constructor(options: SessionOptions, effects: SessionEffects) {
    this.#o = options;
    this.#fx = effects;
    this.#parser = new MqttParser({ version: options.version, maxPacketSize: options.maxPacketSize });
    this.#inflightLimit = options.maxInflight;
    this.#keepaliveMs = options.keepaliveSec * 1000;
    this.#inflight = new InflightTable(options.maxInflight);
  }

  get connected(): boolean {
    return this.#state === CONNECTED;
  }

  /** QoS 1 publishes sent and not yet acknowledged. */
  get inflight(): number {
    return this.#inflight.size;
  }

  /** Starts connecting now. */
  start(now: number): void {
    if (this.#state !== IDLE) return;
    this.#reconnectAt = now;
    this.poll(now);
  }

  /** Ends the session: DISCONNECT if connected, close, refuse what waits. Final. */
  stop(): void {
    if (this.#state === STOPPED) return;
    if (this.#state === CONNECTED) this.#send({ type: DISCONNECT, reasonCode: 0 });
    if (this.#state !== IDLE) this.#fx.close();
    this.#state = STOPPED;
    this.#reconnectAt = this.#connectDeadline = this.#pingDeadline = NONE;
    const stopped = new AimDbError("STOPPED", "the MQTT connector is closing");
    for (const q of this.#queue.splice(0)) this.#fx.settle(q.token, stopped);
  }

  /** The earliest time `poll` has something to do. */
  nextDeadline(): number {
    if (this.#state === IDLE) return this.#reconnectAt;
    if (this.#state === OPENING || this.#state === CONNACK_WAIT) return this.#connectDeadline;
    if (this.#state !== CONNECTED || this.#keepaliveMs === 0) return NONE;
    if (this.#pingDeadline !== NONE) return this.#pingDeadline;
    return Math.min(this.#lastSent, this.#lastReceived) + this.#keepaliveMs;
  }

  /** Runs whatever is due at `now`. */
  poll(now: number): void {
    switch (this.#state) {
      case IDLE:
        if (now >= this.#reconnectAt) {
          this.#state = OPENING;
          this.#reconnectAt = NONE;
          this.#connectDeadline = now + this.#o.connectTimeoutMs;
          this.#fx.open();
        }
        return;
      case OPENING:
      case CONNACK_WAIT:
        if (now >= this.#connectDeadline) this.#lost(now, new AimDbError("MQTT_CONNECT_TIMEOUT", `no CONNACK within ${this.#o.connectTimeoutMs} ms`));
        return;
      case CONNECTED:
        if (this.#keepaliveMs === 0) return;
        if (this.#pingDeadline !== NONE) {
          if (now >= this.#pingDeadline) {
            this.stats.pingTimeouts++;
            this.#lost(now, new AimDbError("MQTT_KEEPALIVE_TIMEOUT", "the broker did not answer PINGREQ"));
          }
        } else if (now >= Math.min(this.#lastSent, this.#lastReceived) + this.#keepaliveMs) {
          this.#send({ type: PINGREQ });
          this.#lastSent = now;
          this.#pingDeadline = now + this.#keepaliveMs / 2;
        }
        return;
    }
  }

  /** The TCP connection opened: send CONNECT. */
  opened(now: number): void {
    if (this.#state !== OPENING) return;
    this.#state = CONNACK_WAIT;
    this.#parser.reset();
    const o = this.#o;
    const v5 = o.version === 5;
    this.#send({
      type: CONNECT,
      protocolVersion: o.version,
      clientId: o.clientId,
      clean: o.clean,
      keepalive: o.keepaliveSec,
      username: o.username,
      password: o.password,
      will: o.will,
      properties: v5 ? { sessionExpiryInterval: o.sessionExpirySec, receiveMaximum: o.maxInflight, maximumPacketSize: o.maxPacketSize } : undefined,
    } as Packet);
    this.#lastSent = now;
  }

  /** The TCP connection ended or failed to open. */
  closed(now: number, error?: Error): void {
    if (this.#state === STOPPED || this.#state === IDLE) return;
    this.#lost(now, error ?? new AimDbError("MQTT_CLOSED", "the broker closed the connection"), false);
  }

  /** The socket has room again after `write` returned false. */
  writable(now: number): void {
    this.#blocked = false;
    this.#flush(now);
  }

  /** Bytes from the broker. */
  receive(bytes: Uint8Array, now: number): void {
    if (this.#state !== CONNACK_WAIT && this.#state !== CONNECTED) return;
    this.#lastReceived = now;
    this.#pingDeadline = NONE;
    try {
      this.#parser.feed(bytes, (p) => this.#onPacket(p, now));
    } catch (err) {
      this.stats.protocolErrors++;
      if (this.#state !== CONNACK_WAIT && this.#state !== CONNECTED) return;
      const e = err instanceof AimDbError ? err : new ProtocolError("MQTT_MALFORMED", "remote", String(err), 0x81);
      if (this.#o.version === 5 && this.#state === CONNECTED && e instanceof ProtocolError && e.reasonCode !== undefined) {
        this.#send({ type: DISCONNECT, reasonCode: e.reasonCode });
      }
      this.#lost(now, e);
    }
  }

  /**
   * Offers a publish. It is settled (accepted) at once when connected and there is room,
   * otherwise it waits; `cancel(token)` withdraws a waiting one.
   */
  publish(token: number, topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean, now: number): void {
    if (this.#state === STOPPED) return this.#fx.settle(token, new AimDbError("STOPPED", "the MQTT connector is closing"));
    if (this.#queue.length >= MAX_QUEUED) return this.#fx.settle(token, new AimDbError("MQTT_QUEUE_FULL", "too many publishes waiting"));
    this.#queue.push({ token, topic, payload, qos, retain });
    this.#flush(now);
  }

  /** Withdraws a publish not yet accepted; true when it was still waiting. */
  cancel(token: number): boolean {
    const i = this.#queue.findIndex((q) => q.token === token);
    if (i < 0) return false;
    this.#queue.splice(i, 1);
    return true;
  }

  #onPacket(p: Packet, now: number): void {
    if (this.#state === CONNACK_WAIT && p.type !== CONNACK) {
      throw new ProtocolError("MQTT_PROTOCOL", "remote", "the first packet from the broker must be CONNACK", 0x82); // [MQTT-3.2.0-1]
    }
    if (this.#state !== CONNACK_WAIT && this.#state !== CONNECTED) return; // the connection was given up mid-chunk
    switch (p.type) {
      case CONNACK:
        if (this.#state !== CONNACK_WAIT) throw new ProtocolError("MQTT_PROTOCOL", "remote", "unexpected CONNACK", 0x82);
        if (p.reasonCode !== 0) {
          this.#lost(now, new AimDbError("MQTT_CONNECT_REFUSED", `broker refused the connection: ${connackReason(this.#o.version, p.reasonCode)}`));
          return;
        }
        this.#connected(p.properties, now);
        return;
      case PUBLISH:
        this.stats.received++;
        if (p.qos === 2) throw new ProtocolError("MQTT_PROTOCOL", "remote", "QoS 2 PUBLISH on a QoS 1 subscription", 0x9b);
        this.#fx.deliver(p.topic, p.payload, p.retain);
        if (p.qos === 1) this.#send({ type: PUBACK, packetId: p.packetId!, reasonCode: 0 });
        return;
      case PUBACK:
        this.#acked(p.packetId, p.reasonCode ?? 0, now);
        return;
      case SUBACK:
        for (let i = 0; i < p.reasonCodes.length; i++) {
          const rc = p.reasonCodes[i]!;
          if (rc >= 0x80) this.#fx.subscribeFailed(this.#o.subscriptions[i]?.topic ?? "?", rc);
        }
        return;
      case PINGRESP:
      case UNSUBACK:
        return;
      case DISCONNECT:
        this.#lost(now, new AimDbError("MQTT_SERVER_DISCONNECT", `broker sent DISCONNECT (reason 0x${(p.reasonCode ?? 0).toString(16)})`));
        return;
      default:
        throw new ProtocolError("MQTT_PROTOCOL", "remote", `unexpected packet type ${p.type} from the broker`, 0x82);
    }
  }

  #connected(props: { receiveMaximum?: number; maximumPacketSize?: number; serverKeepAlive?: number } | undefined, now: number): void {
    this.#state = CONNECTED;
    this.#connectDeadline = NONE;
    this.#attempt = 0;
    this.stats.connects++;
    this.#inflightLimit = Math.min(this.#o.maxInflight, props?.receiveMaximum ?? Number.POSITIVE_INFINITY);
    this.#brokerMaxPacket = props?.maximumPacketSize ?? Number.POSITIVE_INFINITY;
    if (props?.serverKeepAlive !== undefined) this.#keepaliveMs = props.serverKeepAlive * 1000;
    this.#lastReceived = now;
    this.#pingDeadline = NONE;
    this.lastError = undefined;
    const subs = this.#o.subscriptions;
    if (subs.length > 0) {
      this.#subscribeId = this.#inflight.nextId();
      this.#send({ type: SUBSCRIBE, packetId: this.#subscribeId, subscriptions: subs.map((s) => ({ topic: s.topic, qos: s.qos })) });
    }
    // Resend unacknowledged QoS 1 publishes in their original order, with DUP set.
    const pending = this.#inflight.pending();
    for (const s of pending) {
      this.stats.resent++;
      this.#write(encodePublish(this.#topic(s.topic), s.payload, 1, s.retain, true, s.packetId, this.#o.version));
    }
    this.#lastSent = now;
    this.#fx.state(true, undefined);
    this.#flush(now);
  }

  #acked(packetId: number, reasonCode: number, now: number): void {
    const done = this.#inflight.ack(packetId);
    if (!done) return; // a late PUBACK for a packet already acknowledged [MQTT-4.3.2]
    if (reasonCode >= 0x80) this.#fx.refused(done.token, new AimDbError("MQTT_PUBLISH_REFUSED", `broker refused the publish to "${done.topic}" (reason 0x${reasonCode.toString(16)})`));
    this.#flush(now);
  }

  /** Moves waiting publishes out while connected and there is room. */
  #flush(now: number): void {
    while (this.#state === CONNECTED && !this.#blocked && this.#queue.length > 0) {
      const q = this.#queue[0]!;
      if (q.qos === 1 && this.#inflight.size >= this.#inflightLimit) return;
      this.#queue.shift();
      if (q.payload.length + q.topic.length + 16 > this.#brokerMaxPacket) {
        this.#fx.settle(q.token, new AimDbError("MQTT_TOO_LARGE", `publish to "${q.topic}" exceeds the broker's maximum packet size`));
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = encodePublish(this.#topic(q.topic), q.payload, q.qos, q.retain, false, 0, this.#o.version);
      } catch (err) {
        this.#fx.settle(q.token, err as Error);
        continue;
      }
      if (q.qos === 1) {
        // The packet id is written into the encoded bytes once the table assigns it.
        const packetId = this.#inflight.add(q.topic, q.payload, q.retain, q.token);
        const at = bytes.length - q.payload.length - (this.#o.version === 5 ? 3 : 2);
        bytes[at] = packetId >> 8;
        bytes[at + 1] = packetId & 0xff;
      }
      this.#write(bytes);
      this.#lastSent = now;
      this.#fx.settle(q.token, undefined);
    }
  }

  #send(packet: Packet): void {
    this.#write(encodePacket(packet, this.#o.version, utf8Encode));
  }

  #write(bytes: Uint8Array): void {
    if (!this.#fx.write(bytes)) this.#blocked = true;
  }

  /** A topic's checked bytes, kept for the topics this session publishes to (a few per link). */
  #topic(topic: string): Uint8Array {
    let bytes = this.#topics.get(topic);
    if (bytes === undefined) {
      bytes = topicBytes(topic);
      if (this.#topics.size >= TOPIC_CACHE) this.#topics.clear();
      this.#topics.set(topic, bytes);
    }
    return bytes;
  }

  /** The connection is gone: close it, report down, schedule a reconnect with backoff. */
  #lost(now: number, error: Error, close = true): void {
    const wasConnected = this.#state === CONNECTED;
    if (close) this.#fx.close();
    this.#state = IDLE;
    this.#blocked = false;
    this.#connectDeadline = this.#pingDeadline = NONE;
    this.lastError = error;
    if (wasConnected) this.stats.disconnects++;
    const b = this.#o.backoff;
    const base = Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, this.#attempt));
    this.#attempt++;
    this.#reconnectAt = now + base * (1 - b.jitter * this.#o.random());
    this.#fx.state(false, error);
  }
}
