/**
 * The MQTT client session, sans-IO: it owns no socket, no timer and no clock. The glue
 * (connector.ts) feeds it socket events and bytes with the current time, calls `poll(now)`
 * when `nextDeadline()` passes and `flush()` when a burst is over, and carries out what
 * it asks through `SessionEffects`. The same engine runs on every host and under the sim
 * host's virtual clock.
 *
 * States: IDLE (waiting to reconnect) → OPENING (TCP) → CONNACK_WAIT → CONNECTED, and
 * back to IDLE on any close, with exponential backoff and jitter; STOPPED is final.
 *
 * Memory is fixed once warm: packets are written into one output buffer that `flush()`
 * hands to the socket, and each QoS 1 publish is copied into its inflight slot (a buffer
 * per slot, grown to the largest packet seen) until PUBACK, so it can be sent again after
 * a reconnect: with DUP if the broker kept the session [MQTT-4.4.0-1], else as a new
 * publish of the new session (at least once either way). Brokers acknowledge QoS 1 in order [MQTT-4.6.0-2],
 * so the slots form a ring and an acknowledgement is found at its tail. Slots are made
 * as bursts first need them, up to `maxInflight`.
 *
 * Every linkFrom filter is subscribed again after every CONNACK. Keepalive: PINGREQ when
 * nothing was sent or received for `keepaliveSec`; no packet within half a keepalive
 * after it means the connection is dead, so a silent broker is found within 1.5 ×.
 */
import { AimDbError, ProtocolError } from "../../core/errors.js";
import {
  CONNACK, CONNECT, DISCONNECT, MAXIMUM_PACKET_SIZE, MAXIMUM_QOS, RETAIN_AVAILABLE, PINGREQ, PINGRESP, PUBACK, PUBLISH, QOS_NOT_SUPPORTED,
  RECEIVE_MAXIMUM, SERVER_KEEP_ALIVE, SUBACK, SUBSCRIBE, UNSUBACK, SESSION_EXPIRY_INTERVAL, PROTOCOL_ERROR,
  ASSIGNED_CLIENT_IDENTIFIER, REASON_STRING, TOPIC_ALIAS, TOPIC_ALIAS_INVALID,
} from "./constants.js";
import { encodeConnect, encodeDisconnect, encodeSubscribe } from "./encode.js";
import { MqttParser } from "./decode.js";
import type { BrokerPacket, ConnackPacket, Properties, ProtocolVersion } from "./packets.js";
import { publishSize, topicBytes, writePublish } from "./publish.js";

/** What the session asks of its glue. */
export interface SessionEffects {
  /** Open the TCP connection; report with `opened()` / `closed()`. */
  connect(): void;
  /** Close the TCP connection (no `closed()` call is expected after). */
  disconnect(): void;
  /** Write bytes the session will not touch again; false when the socket's buffer is full (then call `writable()`). */
  write(bytes: Uint8Array): boolean;
  /** A message arrived on `topic`. `payload` is valid only during the call. */
  deliver(topic: string, payload: Uint8Array, retained: boolean): void;
  /** Publishes can be accepted again: offer the ones that wait. */
  ready(): void;
  /** An accepted QoS 1 publish was refused by the broker (MQTT 5 PUBACK ≥ 0x80). */
  refused(token: number, error: Error): void;
  /** The session is connected (up) or not, with the reason when it went down. */
  state(up: boolean, error: Error | undefined): void;
  /** The broker answered the SUBSCRIBE for `filter`: granted QoS (below 0x80) or a refusal. */
  subscribed(filter: string, reasonCode: number): void;
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

/** Counters of one session. */
export interface SessionStats {
  connects: number;
  disconnects: number;
  protocolErrors: number;
  pingTimeouts: number;
  resent: number;
  received: number;
  /** MQTT 3.1.1 PUBLISH packets over `maxPacketSize`, read past and not delivered. */
  tooLarge: number;
}

const IDLE = 0;
const OPENING = 1;
const CONNACK_WAIT = 2;
const CONNECTED = 3;
const STOPPED = 4;

const NONE = Number.POSITIVE_INFINITY;
/** Output buffer bytes, at most; a bigger packet is written on its own. */
const OUT_MAX = 16384;
const EMPTY = Object.freeze(new Uint8Array(0)) as Uint8Array;
/**
 * Connections a QoS 1 publish is sent on, at most, without a PUBACK. A broker that closes
 * the connection on a publish (one over its packet size limit, say) would otherwise get
 * it again after every reconnect and hold the link up for ever.
 */
const MAX_SENDS = 5;
/** Encoded topics kept; `withTopic` may make many, so the cache starts over when full. */
const TOPIC_CACHE = 32;

const BAD_VERSION = "unacceptable protocol version";
const BAD_LOGIN = "bad user name or password";
const NOT_AUTHORIZED = "not authorized";
const UNAVAILABLE = "server unavailable";
/** CONNACK refusals in words (3.1.1 return codes, then MQTT 5 reason codes). */
const REFUSALS: Readonly<Record<number, string>> = Object.freeze({
  1: BAD_VERSION,
  2: "client identifier rejected",
  3: UNAVAILABLE,
  4: BAD_LOGIN,
  5: NOT_AUTHORIZED,
  0x84: "unsupported protocol version",
  0x85: "client identifier not valid",
  0x86: BAD_LOGIN,
  0x87: NOT_AUTHORIZED,
  0x88: UNAVAILABLE,
  0x89: "server busy",
  0x8a: "banned",
  0x97: "quota exceeded",
});

interface Slot {
  /** Packet identifier; 0 when acknowledged. */
  id: number;
  /** Sent before the connection dropped and not yet sent again on this one. */
  owed: boolean;
  /** Connections it was sent on. */
  sends: number;
  token: number;
  /** The encoded PUBLISH, `length` bytes, kept for a resend. */
  bytes: Uint8Array;
  length: number;
}

export class MqttSession {
  readonly stats: SessionStats = { connects: 0, disconnects: 0, protocolErrors: 0, pingTimeouts: 0, resent: 0, received: 0, tooLarge: 0 };
  /** Why the last connection ended. */
  lastError: Error | undefined = undefined;
  readonly #o: SessionOptions;
  readonly #fx: SessionEffects;
  readonly #v5: boolean;
  readonly #parser: MqttParser;
  readonly #out: Uint8Array;
  readonly #topics = new Map<string, Uint8Array>();
  #slots: Slot[] = [];
  #used = 0; // bytes in #out
  #tail = 0; // oldest slot
  #taken = 0; // slots from the tail on, acknowledged or not
  #live = 0; // slots not yet acknowledged
  #nextId = 1;
  #state = IDLE;
  #window: number;
  #attempt = 0;
  /** When this connection's CONNACK came: one that lasts `backoff.maxMs` starts the backoff over. */
  #upAt = 0;
  /** The client id sent in CONNECT: the configured one, or the one an MQTT 5 broker assigned. */
  #clientId: string;
  /** The SUBSCRIBE of this connection, which its SUBACK must answer. */
  #subscribeId = 0;
  /** The broker kept the session: resends carry DUP. On a new session they are published afresh. */
  #resume = false;
  #reconnectAt = NONE;
  #connectDeadline = NONE;
  #keepaliveMs: number;
  #lastSent = 0;
  #lastReceived = 0;
  #pingDeadline = NONE;
  /** Largest packet either side takes on this connection. */
  #maxPacket: number;
  /** The broker's Maximum QoS and Retain Available (MQTT 5 CONNACK). */
  #maxQos = 1;
  #retainAvailable = true;
  /** Slots owed a resend on this connection, sent as the broker's window allows. */
  #owed = 0;
  #blocked = false;

  constructor(o: SessionOptions, fx: SessionEffects) {
    this.#o = o;
    this.#fx = fx;
    this.#v5 = o.version === 5;
    this.#parser = new MqttParser(o.version, o.maxPacketSize);
    this.#out = new Uint8Array(Math.min(o.maxPacketSize, OUT_MAX));
    this.#window = o.maxInflight;
    this.#keepaliveMs = o.keepaliveSec * 1000;
    this.#maxPacket = o.maxPacketSize;
    this.#clientId = o.clientId;
  }

  get connected(): boolean {
    return this.#state === CONNECTED;
  }

  /** QoS 1 publishes sent and not yet acknowledged. */
  get inflight(): number {
    return this.#live;
  }

  /** Starts connecting now. */
  start(now: number): void {
    if (this.#state !== IDLE) return;
    this.#reconnectAt = now;
    this.poll(now);
  }

  /**
   * DISCONNECT if connected, then close. Final. Each QoS 1 publish still unacknowledged is
   * reported through `refused`: whether the broker has it is unknown.
   */
  stop(): void {
    if (this.#state === STOPPED) return;
    if (this.connected) this.#emit(encodeDisconnect({ type: DISCONNECT }, this.#o.version));
    this.flush();
    if (this.#state !== IDLE) this.#fx.disconnect();
    this.#state = STOPPED;
    this.#reconnectAt = this.#connectDeadline = this.#pingDeadline = NONE;
    for (const slot of this.#slots) {
      if (slot.id) this.#fx.refused(slot.token, failed("MQTT_UNCONFIRMED", "closed before the broker acknowledged this QoS 1 publish"));
      slot.id = 0;
    }
    this.#taken = this.#live = this.#owed = 0;
  }

  /** The earliest time `poll` has something to do. */
  nextDeadline(): number {
    const state = this.#state;
    if (state === IDLE) return this.#reconnectAt;
    if (state === OPENING || state === CONNACK_WAIT) return this.#connectDeadline;
    if (state !== CONNECTED || !this.#keepaliveMs) return NONE;
    return this.#pingDeadline !== NONE ? this.#pingDeadline : Math.min(this.#lastSent, this.#lastReceived) + this.#keepaliveMs;
  }

  /** Runs whatever is due at `now`. */
  poll(now: number): void {
    const state = this.#state;
    if (state === IDLE && now >= this.#reconnectAt) {
      this.#state = OPENING;
      this.#reconnectAt = NONE;
      this.#connectDeadline = now + this.#o.connectTimeoutMs;
      this.#fx.connect();
    } else if ((state === OPENING || state === CONNACK_WAIT) && now >= this.#connectDeadline) {
      this.#lost(now, failed("MQTT_CONNECT_TIMEOUT", `no CONNACK within ${this.#o.connectTimeoutMs} ms`));
    } else if (state === CONNECTED && this.#keepaliveMs) {
      if (this.#pingDeadline !== NONE) {
        if (now < this.#pingDeadline) return;
        this.stats.pingTimeouts++;
        this.#lost(now, failed("MQTT_KEEPALIVE_TIMEOUT", "the broker did not answer PINGREQ"));
      } else if (now >= Math.min(this.#lastSent, this.#lastReceived) + this.#keepaliveMs) {
        this.#emit(Uint8Array.of(PINGREQ << 4, 0));
        this.flush();
        this.#lastSent = now;
        this.#pingDeadline = now + this.#keepaliveMs / 2;
      }
    }
  }

  /** The TCP connection opened: send CONNECT. */
  opened(now: number): void {
    if (this.#state !== OPENING) return;
    const o = this.#o;
    this.#state = CONNACK_WAIT;
    this.#parser.reset();
    this.#used = 0;
    let connect: Uint8Array;
    try {
      connect = encodeConnect({
        type: CONNECT,
        protocolVersion: o.version,
        clientId: this.#clientId,
        clean: o.clean,
        keepalive: o.keepaliveSec,
        username: o.username,
        password: o.password,
        will: o.will,
        properties: this.#v5 ? { [SESSION_EXPIRY_INTERVAL]: o.sessionExpirySec, [RECEIVE_MAXIMUM]: o.maxInflight, [MAXIMUM_PACKET_SIZE]: o.maxPacketSize } : undefined,
      });
    } catch (err) {
      return this.#lost(now, err as Error); // options checks make this unreachable; never throw into the socket's callback
    }
    this.#emit(connect);
    this.flush();
    this.#lastSent = now;
  }

  /** The TCP connection ended or failed to open. */
  closed(now: number, error?: Error): void {
    if (this.#state === STOPPED || this.#state === IDLE) return;
    this.#lost(now, error ?? failed("MQTT_CLOSED", "the broker closed the connection"), false);
  }

  /** The socket has room again after `write` returned false. */
  writable(): void {
    this.#blocked = false;
    if (this.connected) this.#fx.ready();
  }

  /** Bytes from the broker. */
  receive(bytes: Uint8Array, now: number): void {
    if (this.#state !== CONNACK_WAIT && !this.connected) return;
    this.#lastReceived = now;
    this.#pingDeadline = NONE;
    // A 3.1.1 broker answers an MQTT 5 CONNECT with its own CONNACK, return code 1: say so rather than call it malformed.
    if (this.#v5 && this.#state === CONNACK_WAIT && bytes[0] === CONNACK << 4 && bytes[1] === 2 && bytes[3] === 1) {
      return this.#lost(now, failed("MQTT_CONNECT_REFUSED", `broker refused the connection: ${BAD_VERSION} (return code 1); it speaks MQTT 3.1.1: use protocolVersion 4`));
    }
    try {
      this.#parser.feed(bytes, (p) => this.#onPacket(p, now));
    } catch (err) {
      if (this.#state !== CONNACK_WAIT && !this.connected) return; // the connection was given up before the bad bytes
      this.stats.protocolErrors++;
      const e = err instanceof AimDbError ? err : protocol(String(err));
      const reasonCode = e instanceof ProtocolError ? e.reasonCode : undefined;
      if (this.#v5 && this.connected && reasonCode !== undefined) this.#emit(encodeDisconnect({ type: DISCONNECT, reasonCode }, 5));
      this.#lost(now, e);
    }
  }

  /**
   * Takes a publish when connected and there is room (then true), else false: offer it
   * again after `ready()`. Throws `ProtocolError` when it can never be sent.
   */
  publish(token: number, topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean, now: number): boolean {
    if (this.#state !== CONNECTED || this.#blocked || this.#owed || (qos && this.#taken >= this.#window)) return false;
    // [MQTT-3.2.2-11], [MQTT-3.2.2-14]: what an MQTT 5 broker said it does not take is not sent.
    if (qos > this.#maxQos) throw new ProtocolError("MQTT_QOS_NOT_SUPPORTED", "local", `the broker takes QoS 0 only: publish to "${topic}" refused`);
    if (retain && !this.#retainAvailable) throw new ProtocolError("MQTT_RETAIN_NOT_SUPPORTED", "local", `the broker takes no retained messages: publish to "${topic}" refused`);
    const name = this.#topic(topic);
    const size = publishSize(name.length, payload.length, qos, this.#v5);
    if (size > this.#maxPacket) throw new ProtocolError("MQTT_TOO_LARGE", "local", `publish to "${topic}" is ${size} bytes, over the ${this.#maxPacket}-byte maximum packet size`);
    const packetId = qos ? this.#id() : 0;
    let bytes = this.#out;
    let at = this.#used;
    if (this.#room(size)) this.#used = writePublish(bytes, (at = this.#used), name, payload, qos, retain, false, packetId, this.#v5);
    else writePublish((bytes = new Uint8Array(size)), (at = 0), name, payload, qos, retain, false, packetId, this.#v5);
    if (qos) {
      if (this.#taken === this.#slots.length) this.#grow();
      const slots = this.#slots;
      const slot = slots[(this.#tail + this.#taken++) % slots.length]!;
      if (slot.bytes.length < size) slot.bytes = new Uint8Array(size);
      slot.bytes.set(bytes.subarray(at, at + size));
      slot.length = size;
      slot.id = packetId;
      slot.owed = false;
      slot.sends = 1;
      slot.token = token;
      this.#live++;
    }
    if (bytes !== this.#out) this.#write(bytes);
    this.#lastSent = now;
    return true;
  }

  /** Hands what was written since the last flush to the socket. */
  flush(): void {
    if (!this.#used) return;
    const bytes = this.#out.slice(0, this.#used);
    this.#used = 0;
    this.#write(bytes);
  }

  /** More inflight slots (twice as many, up to `maxInflight`), the ring unrolled from its tail. */
  #grow(): void {
    const slots = this.#slots.slice(this.#tail).concat(this.#slots.slice(0, this.#tail));
    for (let n = Math.min(slots.length || 1, this.#o.maxInflight - slots.length); n > 0; n--) slots.push({ id: 0, owed: false, sends: 0, token: 0, bytes: EMPTY, length: 0 });
    this.#slots = slots;
    this.#tail = 0;
  }

  #write(bytes: Uint8Array): void {
    if (!this.#fx.write(bytes)) this.#blocked = true;
  }

  /** Makes room for `n` bytes in the output buffer; false when they must be written on their own. */
  #room(n: number): boolean {
    if (this.#used + n > this.#out.length) this.flush();
    return n <= this.#out.length;
  }

  #emit(bytes: Uint8Array): void {
    if (!this.#room(bytes.length)) return this.#write(bytes);
    this.#out.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  #id(): number {
    const n = this.#nextId;
    this.#nextId = n === 0xffff ? 1 : n + 1;
    return n;
  }

  /** A topic's checked bytes, kept for the topics this session publishes to (a few per link). */
  #topic(name: string): Uint8Array {
    let bytes = this.#topics.get(name);
    if (bytes === undefined) {
      bytes = topicBytes(name);
      if (this.#topics.size >= TOPIC_CACHE) this.#topics.clear();
      this.#topics.set(name, bytes);
    }
    return bytes;
  }

  /** The connection is gone: close it, report down, schedule a reconnect with backoff. */
  #lost(now: number, error: Error, close = true): void {
    const b = this.#o.backoff;
    if (this.connected) {
      this.stats.disconnects++;
      // A connection that drops soon after CONNACK (a broker that refuses what it is sent) keeps backing off.
      if (now - this.#upAt >= b.maxMs) this.#attempt = 0;
    }
    if (close) {
      this.flush();
      this.#fx.disconnect();
    }
    this.#state = IDLE;
    this.#used = 0;
    this.#blocked = false;
    this.#connectDeadline = this.#pingDeadline = NONE;
    this.lastError = error;
    this.#reconnectAt = now + Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, this.#attempt++)) * (1 - b.jitter * this.#o.random());
    this.#fx.state(false, error);
  }

  #connected(p: ConnackPacket, now: number): void {
    const o = this.#o;
    const props = p.properties;
    // [MQTT-3.2.2-1]: a clean session is never present; the client then closes (5: [MQTT-3.2.2-4]).
    if (o.clean && p.sessionPresent) throw protocol("CONNACK reports a session on a clean start");
    this.#state = CONNECTED;
    this.#connectDeadline = this.#pingDeadline = NONE;
    this.#upAt = now;
    this.#resume = p.sessionPresent;
    this.#clientId = (props?.[ASSIGNED_CLIENT_IDENTIFIER] as string | undefined) ?? this.#clientId;
    this.stats.connects++;
    // What this CONNACK says holds for this connection only (§3.2.2.3).
    this.#window = Math.min(o.maxInflight, (props?.[RECEIVE_MAXIMUM] as number | undefined) ?? NONE);
    this.#maxPacket = Math.min(o.maxPacketSize, (props?.[MAXIMUM_PACKET_SIZE] as number | undefined) ?? NONE);
    this.#keepaliveMs = ((props?.[SERVER_KEEP_ALIVE] as number | undefined) ?? o.keepaliveSec) * 1000;
    this.#maxQos = (props?.[MAXIMUM_QOS] as number | undefined) ?? 1;
    this.#retainAvailable = props?.[RETAIN_AVAILABLE] !== 0;
    this.#lastReceived = this.#lastSent = now;
    this.lastError = undefined;
    this.#subscribeId = o.subscriptions.length ? this.#id() : 0;
    if (this.#subscribeId) this.#emit(encodeSubscribe({ type: SUBSCRIBE, packetId: this.#subscribeId, subscriptions: o.subscriptions.map((x) => ({ topic: x.topic, qos: x.qos })) }, o.version));
    // Unacknowledged QoS 1 publishes go again, in their order, as the window allows: with DUP
    // when the broker kept the session [MQTT-4.4.0-1]; else as new publishes of the new session.
    const slots = this.#slots;
    this.#owed = 0;
    for (let k = 0; k < this.#taken; k++) {
      const slot = slots[(this.#tail + k) % slots.length]!;
      if (!slot.id) continue;
      // What this broker said it does not take is dropped and reported, not resent.
      const refusal =
        this.#maxQos < 1 ? "QoS 0 only" : slot.length > this.#maxPacket ? `packets up to ${this.#maxPacket} bytes` : slot.bytes[0]! & 1 && !this.#retainAvailable ? "no retained messages" : "";
      if (refusal) {
        slot.id = 0;
        this.#live--;
        this.#fx.refused(slot.token, new ProtocolError("MQTT_PUBLISH_DROPPED", "local", `the broker now takes ${refusal}: an unacknowledged QoS 1 publish is dropped`));
      } else {
        slot.owed = true;
        this.#owed++;
      }
    }
    this.#resend();
    this.#fx.state(true, undefined);
    this.#fx.ready();
  }

  /** Sends owed slots while the broker's window has room, drops one sent too often, and moves the tail past freed slots. */
  #resend(): void {
    const slots = this.#slots;
    for (let k = 0; k < this.#taken && this.#owed && this.#live - this.#owed < this.#window; k++) {
      const slot = slots[(this.#tail + k) % slots.length]!;
      if (!slot.owed) continue;
      slot.owed = false;
      this.#owed--;
      if (++slot.sends > MAX_SENDS) {
        slot.id = 0;
        this.#live--;
        this.#fx.refused(slot.token, failed("MQTT_PUBLISH_DROPPED", `a QoS 1 publish got no PUBACK on ${MAX_SENDS} connections in a row and is dropped`));
        continue;
      }
      this.stats.resent++;
      slot.bytes[0] = this.#resume ? slot.bytes[0]! | 8 : slot.bytes[0]! & ~8;
      this.#emit(slot.bytes.subarray(0, slot.length));
    }
    this.#advance();
  }

  /** Moves the tail past acknowledged slots. */
  #advance(): void {
    const slots = this.#slots;
    while (this.#taken && !slots[this.#tail]!.id) {
      this.#tail = (this.#tail + 1) % slots.length;
      this.#taken--;
    }
  }

  #acked(packetId: number, reasonCode: number): void {
    const slots = this.#slots;
    for (let k = 0; k < this.#taken; k++) {
      const slot = slots[(this.#tail + k) % slots.length]!;
      if (slot.id !== packetId || slot.owed) continue;
      slot.id = 0;
      this.#live--;
      if (reasonCode >= 0x80) this.#fx.refused(slot.token, failed("MQTT_PUBLISH_REFUSED", `the broker refused a publish (reason 0x${reasonCode.toString(16)})`));
      this.#resend();
      this.#fx.ready();
      return;
    } // else a late PUBACK for a packet already acknowledged [MQTT-4.3.2]
  }

  #onPacket(p: BrokerPacket, now: number): void {
    if (this.#state !== CONNACK_WAIT && !this.connected) return; // given up mid-chunk
    // [MQTT-3.2.0-1] the first packet from the broker is CONNACK, and only the first.
    if ((this.#state === CONNACK_WAIT) !== (p.type === CONNACK)) throw unexpected(p.type);
    switch (p.type) {
      case CONNACK:
        if (!p.reasonCode) return this.#connected(p, now);
        return this.#lost(
          now,
          failed("MQTT_CONNECT_REFUSED", `broker refused the connection: ${REFUSALS[p.reasonCode] ?? "refused"} (${this.#v5 ? "reason" : "return"} code ${p.reasonCode})${said(p.properties)}`),
        );
      case PUBLISH:
        this.stats.received++;
        if (p.qos === 2) throw protocol("QoS 2 PUBLISH on a QoS 1 subscription", QOS_NOT_SUPPORTED);
        // CONNECT sets no Topic Alias Maximum, so the broker may use none [MQTT-3.2.2-17] (§3.3.2.3.4).
        if (p.properties?.[TOPIC_ALIAS] !== undefined) throw protocol("topic alias not allowed", TOPIC_ALIAS_INVALID);
        if (p.tooLarge) this.stats.tooLarge++;
        else this.#fx.deliver(p.topic, p.payload, p.retain);
        if (p.qos === 1) {
          this.#room(4);
          const out = this.#out;
          out[this.#used++] = PUBACK << 4;
          out[this.#used++] = 2;
          out[this.#used++] = p.packetId! >> 8;
          out[this.#used++] = p.packetId! & 255;
        }
        return;
      case PUBACK:
        return this.#acked(p.packetId, p.reasonCode ?? 0);
      case SUBACK:
        // [MQTT-3.8.4-2] the SUBACK answers our one SUBSCRIBE, a code per filter [MQTT-3.9.3-1].
        if (p.packetId !== this.#subscribeId || p.reasonCodes.length !== this.#o.subscriptions.length) throw protocol("SUBACK does not answer the SUBSCRIBE");
        this.#subscribeId = 0;
        return p.reasonCodes.forEach((rc, i) => this.#fx.subscribed(this.#o.subscriptions[i]!.topic, rc));
      case PINGRESP:
      case UNSUBACK:
        return;
      case DISCONNECT:
        return this.#lost(now, failed("MQTT_SERVER_DISCONNECT", `broker sent DISCONNECT (reason 0x${(p.reasonCode ?? 0).toString(16)})${said(p.properties)}`));
      default:
        throw unexpected(p.type);
    }
  }
}

function failed(code: string, message: string): AimDbError {
  return new AimDbError(code, message);
}

/** An MQTT 5 Reason String, to append to a message. */
function said(props: Properties | undefined): string {
  const text = props?.[REASON_STRING];
  return text === undefined ? "" : `: ${String(text)}`;
}

function unexpected(type: number): ProtocolError {
  return protocol(`unexpected packet type ${type}`);
}

function protocol(message: string, reasonCode = PROTOCOL_ERROR): ProtocolError {
  return new ProtocolError("MQTT_PROTOCOL", "remote", message, reasonCode);
}
