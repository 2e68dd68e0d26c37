/**
 * The KNXnet/IP tunnelling client (3.8.4), sans-IO: it owns no socket, timer or clock.
 * The glue feeds it datagrams and telegrams with the current time, calls `poll(now)`
 * when `nextDeadline()` passes, and carries out `EngineEffects`.
 *
 * States: IDLE (waiting to connect, with backoff) → CONNECTING (CONNECT_REQUEST sent)
 * → CONNECTED → back to IDLE when the connection is lost; STOPPED is final. Stopping a
 * connected tunnel sends DISCONNECT_REQUEST; the gateway's answer is not waited for.
 *
 * While connected:
 * - One telegram is in flight at a time. Its TUNNELLING_REQUEST waits 1 s for the
 *   TUNNELLING_ACK and is repeated once with the same sequence counter; a second
 *   silence loses the connection (3.8.4 "Tunnelling"). Once acknowledged it waits for
 *   the gateway's L_Data.con, which closes it: settled without error, or refused when
 *   the confirmation carries the error flag or does not come within 3 s. The next
 *   telegram leaves after that, so the bus sees them in order.
 * - Every TUNNELLING_REQUEST from the gateway on our channel is acknowledged: the
 *   expected sequence counter is processed, the one before it (a repetition, our ACK
 *   was lost) acknowledged again and dropped, any other discarded unacknowledged.
 * - A CONNECTIONSTATE_REQUEST goes out every 60 s; unanswered for 10 s it is repeated,
 *   and after 3 attempts the connection is lost (3.8.2 §5.4). An answer with an error
 *   status (E_CONNECTION_ID: the gateway forgot the channel) loses it at once, as does
 *   a TUNNELLING_ACK with E_CONNECTION_ID or a DISCONNECT_REQUEST from the gateway
 *   (answered with DISCONNECT_RESPONSE).
 * A lost connection reconnects after an exponential backoff with jitter. A telegram
 * that was not acknowledged is sent again on the new connection; one that was
 * acknowledged but not confirmed is refused (it may or may not have reached the bus).
 *
 * The client asks for a link-layer tunnel and uses NAT mode (HPAI 0.0.0.0:0: "answer
 * to where this came from") unless given its own endpoint.
 */
import { AimDbError } from "../../core/errors.js";
import {
  CONNECT_REQUEST, CONNECT_RESPONSE, CONNECTIONSTATE_REQUEST, CONNECTIONSTATE_RESPONSE, DISCONNECT_REQUEST,
  DISCONNECT_RESPONSE, E_CONNECTION_ID, E_NO_ERROR, GROUP_VALUE_READ, IPV4_UDP, KNX_ACK_TIMEOUT, KNX_CONFIRM_TIMEOUT,
  KNX_CONNECT_REFUSED, KNX_CONNECT_TIMEOUT, KNX_CONNECTION_LOST, KNX_HEARTBEAT_TIMEOUT, KNX_NOT_CONFIRMED, L_DATA_CON,
  L_DATA_IND, L_DATA_REQ, TUNNEL_CONNECTION, TUNNEL_LINKLAYER, TUNNELLING_ACK, TUNNELLING_REQUEST, APCI_GROUP_END,
} from "./constants.js";
import { readFrame } from "./decode.js";
import { encodeFrame } from "./encode.js";
import { groupTelegram } from "./cemi.js";
import { isLData, NAT_HPAI, type Frame, type Hpai, type LData } from "./frames.js";
import {
  backoffDelay, describeStatus, NONE, TelegramQueue, toGroupEvent, type Backoff, type EngineEffects, type GroupEvent, type KnxEngine,
  type Telegram,
} from "./engine.js";

/** Tunnel settings; see `KnxOptions` for their meaning and defaults. */
export interface TunnelOptions {
  gateway: { host: string; port: number };
  /** Our endpoint for the gateway's answers; NAT mode when undefined. */
  local: { address: string; port: number } | undefined;
  connectMs: number;
  ackMs: number;
  confirmMs: number;
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  heartbeatAttempts: number;
  backoff: Backoff;
  random: () => number;
}

const IDLE = 0;
const CONNECTING = 1;
const CONNECTED = 2;
const STOPPED = 3;

// Phases of the telegram in flight.
const ACK_WAIT = 1;
const CON_WAIT = 2;

/** Counters of one tunnel. */
export interface TunnelStats {
  connects: number;
  sent: number;
  repeated: number;
  received: number;
  duplicates: number;
  outOfSequence: number;
  confirmTimeouts: number;
  heartbeats: number;
  protocolErrors: number;
}

export class KnxTunnel implements KnxEngine {
  readonly #o: TunnelOptions;
  readonly #fx: EngineEffects;
  readonly #queue = new TelegramQueue();
  readonly #hpai: Hpai;
  readonly #event: GroupEvent = { apci: 0, source: 0, destination: 0, data: new Uint8Array(0), short: false };
  readonly stats: TunnelStats = { connects: 0, sent: 0, repeated: 0, received: 0, duplicates: 0, outOfSequence: 0, confirmTimeouts: 0, heartbeats: 0, protocolErrors: 0 };
  #state = IDLE;
  #attempt = 0;
  #at = NONE; // IDLE: reconnect time; CONNECTING: give-up time
  #channel = 0;
  #data: { address: string; port: number };
  #sendSeq = 0;
  #recvSeq = 0;
  #address = 0;
  // The telegram in flight.
  #out: Telegram | undefined = undefined;
  #outBytes: Uint8Array | undefined = undefined;
  #outPhase = 0;
  #outSends = 0;
  #outAt = NONE;
  #confirmed: Error | null | undefined = undefined; // an L_Data.con that came before the ACK
  // Heartbeat.
  #beatAt = NONE;
  #beatDeadline = NONE;
  #beatTries = 0;
  lastError: Error | undefined = undefined;

  constructor(options: TunnelOptions, effects: EngineEffects) {
    this.#o = options;
    this.#fx = effects;
    this.#hpai = options.local ? { protocol: IPV4_UDP, address: options.local.address, port: options.local.port } : NAT_HPAI;
    this.#data = { address: options.gateway.host, port: options.gateway.port };
  }

  get connected(): boolean {
    return this.#state === CONNECTED;
  }

  get stopped(): boolean {
    return this.#state === STOPPED;
  }

  /** The tunnel's individual address, given by the gateway (0 before the first connection). */
  get address(): number {
    return this.#address;
  }

  /** The channel id of the current connection. */
  get channel(): number {
    return this.#channel;
  }

  start(now: number): void {
    if (this.#state !== IDLE || this.#at !== NONE) return;
    this.#at = now;
    this.poll(now);
  }

  stop(now: number): void {
    if (this.#state === STOPPED) return;
    const stopped = new AimDbError("STOPPED", "the KNX connector is closing");
    if (this.#out) this.#fx.settle(this.#out.token, stopped);
    this.#out = undefined;
    this.#queue.refuseAll(stopped, this.#fx);
    this.#beatAt = this.#beatDeadline = NONE;
    const wasUp = this.#state === CONNECTED;
    if (wasUp) this.#control({ service: DISCONNECT_REQUEST, channelId: this.#channel, controlEndpoint: this.#hpai });
    this.#state = STOPPED;
    this.#at = NONE;
    if (wasUp) this.#fx.state(false, stopped);
  }

  request(t: Telegram, now: number): void {
    if (this.#state === STOPPED) {
      this.#fx.settle(t.token, new AimDbError("STOPPED", "the KNX connector is closing"));
      return;
    }
    this.#queue.push(t, this.#fx);
    this.#next(now);
  }

  cancel(token: number): boolean {
    return this.#queue.remove(token);
  }

  nextDeadline(): number {
    if (this.#state !== CONNECTED) return this.#at;
    return Math.min(this.#outAt, this.#beatDeadline !== NONE ? this.#beatDeadline : this.#beatAt);
  }

  poll(now: number): void {
    switch (this.#state) {
      case IDLE:
        if (now >= this.#at) this.#connect(now);
        return;
      case CONNECTING:
        if (now >= this.#at) this.#lost(now, new AimDbError(KNX_CONNECT_TIMEOUT, `no CONNECT_RESPONSE from ${this.#gateway()} within ${this.#o.connectMs} ms`), false);
        return;
      case CONNECTED:
        break;
      default:
        return;
    }
    if (now >= this.#outAt) {
      if (this.#outPhase === ACK_WAIT) {
        if (this.#outSends >= 2) {
          this.#lost(now, new AimDbError(KNX_ACK_TIMEOUT, `no TUNNELLING_ACK from ${this.#gateway()} for a request sent twice`), true);
          return;
        }
        // 3.8.4: repeat the request once, same sequence counter, after TUNNELLING_REQUEST_TIMEOUT.
        this.stats.repeated++;
        this.#outSends++;
        this.#outAt = now + this.#o.ackMs;
        this.#fx.send(this.#outBytes!, this.#data.address, this.#data.port);
      } else {
        this.stats.confirmTimeouts++;
        this.#done(now, new AimDbError(KNX_CONFIRM_TIMEOUT, `no L_Data.con within ${this.#o.confirmMs} ms`));
      }
    }
    if (this.#state !== CONNECTED) return;
    if (this.#beatDeadline !== NONE) {
      if (now < this.#beatDeadline) return;
      if (this.#beatTries >= this.#o.heartbeatAttempts) {
        this.#lost(now, new AimDbError(KNX_HEARTBEAT_TIMEOUT, `${this.#beatTries} CONNECTIONSTATE_REQUESTs unanswered by ${this.#gateway()}`), true);
        return;
      }
      this.#heartbeat(now);
    } else if (now >= this.#beatAt) this.#heartbeat(now);
  }

  receive(bytes: Uint8Array, _address: string, _port: number, now: number): void {
    if (this.#state === IDLE || this.#state === STOPPED) return;
    const f = readFrame(bytes, this.stats);
    if (!f) return;
    switch (f.service) {
      case CONNECT_RESPONSE:
        if (this.#state !== CONNECTING) return;
        if (f.status !== E_NO_ERROR) {
          this.#lost(now, new AimDbError(KNX_CONNECT_REFUSED, `${this.#gateway()} refused the tunnel: status ${describeStatus(f.status)}`), false);
          return;
        }
        this.#connected(now, f.channelId, f.dataEndpoint, f.crd?.address ?? 0);
        return;
      case DISCONNECT_REQUEST:
        if (f.channelId !== this.#channel || this.#state !== CONNECTED) return;
        this.#control({ service: DISCONNECT_RESPONSE, channelId: f.channelId, status: E_NO_ERROR });
        this.#lost(now, new AimDbError(KNX_CONNECTION_LOST, `${this.#gateway()} closed the tunnel (DISCONNECT_REQUEST)`), false);
        return;
    }
    if (this.#state !== CONNECTED) return;
    switch (f.service) {
      case CONNECTIONSTATE_RESPONSE:
        if (f.channelId !== this.#channel || this.#beatDeadline === NONE) return;
        if (f.status !== E_NO_ERROR) {
          this.#lost(now, new AimDbError(KNX_CONNECTION_LOST, `${this.#gateway()} answered the heartbeat with status ${describeStatus(f.status)}`), false);
          return;
        }
        this.#beatDeadline = NONE;
        this.#beatTries = 0;
        this.#beatAt = now + this.#o.heartbeatMs;
        return;
      case TUNNELLING_ACK:
        if (f.channelId !== this.#channel || this.#outPhase !== ACK_WAIT || f.sequenceCounter !== this.#sendSeq) return;
        if (f.status === E_CONNECTION_ID) {
          this.#lost(now, new AimDbError(KNX_CONNECTION_LOST, `${this.#gateway()} no longer knows channel ${this.#channel}`), false);
          return;
        }
        if (f.status !== E_NO_ERROR) {
          this.#done(now, new AimDbError(KNX_NOT_CONFIRMED, `TUNNELLING_ACK with status ${describeStatus(f.status)}`));
          return;
        }
        this.#sendSeq = (this.#sendSeq + 1) & 0xff;
        if (this.#o.confirmMs === 0) {
          this.#done(now, undefined); // a gateway that never confirms: the ACK closes the telegram
          return;
        }
        if (this.#confirmed !== undefined) {
          this.#done(now, this.#confirmed ?? undefined);
          return;
        }
        this.#outPhase = CON_WAIT;
        this.#outAt = now + this.#o.confirmMs;
        return;
      case TUNNELLING_REQUEST: {
        if (f.channelId !== this.#channel) return;
        const seq = f.sequenceCounter;
        if (seq === ((this.#recvSeq - 1) & 0xff)) {
          // 3.8.4: a repetition of the last request (our ACK was lost): acknowledge it again, drop it.
          this.stats.duplicates++;
          this.#ack(seq);
          return;
        }
        if (seq !== this.#recvSeq) {
          // 3.8.4: any other sequence counter is discarded without an ACK.
          this.stats.outOfSequence++;
          return;
        }
        this.#ack(seq);
        this.#recvSeq = (seq + 1) & 0xff;
        if (isLData(f.cemi)) this.#cemi(now, f.cemi);
        return;
      }
    }
  }

  #cemi(now: number, c: LData): void {
    if (c.messageCode === L_DATA_CON) {
      const out = this.#out;
      if (!out || c.destination !== out.destination || c.apci !== out.apci || c.group === false) return;
      const error = c.confirmError ? new AimDbError(KNX_NOT_CONFIRMED, "the gateway could not send the telegram (L_Data.con with the error flag)") : undefined;
      if (this.#outPhase === CON_WAIT) this.#done(now, error);
      else this.#confirmed = error ?? null;
      return;
    }
    if (c.messageCode !== L_DATA_IND || c.group === false || c.apci === undefined || c.apci >= APCI_GROUP_END) return;
    this.stats.received++;
    this.#fx.event(toGroupEvent(this.#event, c));
  }

  #connect(now: number): void {
    this.#state = CONNECTING;
    this.#at = now + this.#o.connectMs;
    this.#control({
      service: CONNECT_REQUEST, controlEndpoint: this.#hpai, dataEndpoint: this.#hpai,
      cri: { connectionType: TUNNEL_CONNECTION, layer: TUNNEL_LINKLAYER },
    });
  }

  #connected(now: number, channel: number, data: Hpai | undefined, address: number): void {
    this.#state = CONNECTED;
    this.#at = NONE;
    this.#attempt = 0;
    this.#channel = channel;
    // NAT mode: a data endpoint of 0.0.0.0 or port 0 means the control endpoint we spoke to.
    const nat = !data || data.address === "0.0.0.0" || data.port === 0;
    this.#data = nat ? { address: this.#o.gateway.host, port: this.#o.gateway.port } : { address: data.address, port: data.port };
    this.#address = address;
    this.#sendSeq = this.#recvSeq = 0;
    this.#beatAt = now + this.#o.heartbeatMs;
    this.#beatDeadline = NONE;
    this.#beatTries = 0;
    this.stats.connects++;
    this.#fx.state(true, undefined);
    this.#next(now);
  }

  /** Loses the connection: the telegram in flight waits for the next one, unless it was acknowledged. */
  #lost(now: number, error: Error, disconnect: boolean): void {
    const wasUp = this.#state === CONNECTED;
    if (wasUp && disconnect) this.#control({ service: DISCONNECT_REQUEST, channelId: this.#channel, controlEndpoint: this.#hpai });
    const out = this.#out;
    if (out) {
      if (this.#outPhase === ACK_WAIT) this.#queue.unshift(out);
      else this.#fx.settle(out.token, new AimDbError(KNX_NOT_CONFIRMED, `the connection was lost before the L_Data.con: ${error.message}`));
    }
    this.#clearOut();
    this.#beatAt = this.#beatDeadline = NONE;
    this.lastError = error;
    this.#state = IDLE;
    this.#at = now + backoffDelay(this.#o.backoff, this.#attempt++, this.#o.random);
    this.#fx.state(false, error);
  }

  /** Sends the next waiting telegram when nothing is in flight. */
  #next(now: number): void {
    if (this.#state !== CONNECTED || this.#out || this.#queue.length === 0) return;
    const t = this.#queue.shift()!;
    const cemi = groupTelegram(L_DATA_REQ, t.apci, t.destination, t.apci === GROUP_VALUE_READ ? undefined : t);
    this.#out = t;
    this.#outBytes = encodeFrame({ service: TUNNELLING_REQUEST, channelId: this.#channel, sequenceCounter: this.#sendSeq, cemi });
    this.#outPhase = ACK_WAIT;
    this.#outSends = 1;
    this.#outAt = now + this.#o.ackMs;
    this.#confirmed = undefined;
    this.stats.sent++;
    this.#fx.send(this.#outBytes, this.#data.address, this.#data.port);
  }

  /** Ends the telegram in flight and sends the next. */
  #done(now: number, error: Error | undefined): void {
    const out = this.#out!;
    this.#clearOut();
    this.#fx.settle(out.token, error);
    this.#next(now);
  }

  #clearOut(): void {
    this.#out = undefined;
    this.#outBytes = undefined;
    this.#outPhase = 0;
    this.#outAt = NONE;
    this.#confirmed = undefined;
  }

  #heartbeat(now: number): void {
    this.stats.heartbeats++;
    this.#beatTries++;
    this.#beatDeadline = now + this.#o.heartbeatTimeoutMs;
    this.#control({ service: CONNECTIONSTATE_REQUEST, channelId: this.#channel, controlEndpoint: this.#hpai });
  }

  #ack(seq: number): void {
    this.#fx.send(encodeFrame({ service: TUNNELLING_ACK, channelId: this.#channel, sequenceCounter: seq, status: E_NO_ERROR }), this.#data.address, this.#data.port);
  }

  /** Control frames go to the gateway's control endpoint. */
  #control(f: Frame): void {
    this.#fx.send(encodeFrame(f), this.#o.gateway.host, this.#o.gateway.port);
  }

  #gateway(): string {
    return `${this.#o.gateway.host}:${this.#o.gateway.port}`;
  }
}

