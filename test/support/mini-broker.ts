/**
 * A small MQTT broker on the sim host's in-memory network, written with a portable
 * broker-side codec (mqtt-broker-codec.ts), so the session engine can be driven through
 * virtual hours inside XS.
 * Enough of a broker for the tests: CONNECT/CONNACK (with an optional refusal),
 * SUBSCRIBE with `+`/`#`, PUBLISH QoS 0/1 fan-out, PINGREQ, DISCONNECT. It can go
 * silent (as a stopped process), drop every connection, or send garbage.
 */
import type { ClientPacket, ProtocolVersion, PublishPacket } from "../../src/connectors/mqtt/packets.js";
import { BrokerParser, encodeBrokerPacket, type BrokerOut } from "./mqtt-broker-codec.js";
import { topicMatches } from "../../src/connectors/topic.js";
import type { SimHost, SimServerSide } from "../../hosts/sim/index.js";

interface Client {
  conn: SimServerSide;
  version: ProtocolVersion;
  parser: BrokerParser;
  id: string;
  subs: { filter: string; qos: number }[];
  nextId: number;
}

export class MiniBroker {
  readonly clients = new Set<Client>();
  /** Every packet received, with its client id and virtual time, for assertions. */
  readonly seen: { client: string; packet: ClientPacket; at: number }[] = [];
  /** CONNACK code to answer with (0 accepts). */
  refuse = 0;
  /** When true, the broker reads but never answers. */
  silent = false;
  /** The SUBACK code for a filter (default: the QoS asked for), sent after `subackDelayMs`. */
  suback: (filter: string, qos: number) => number = (_filter, qos) => qos;
  subackDelayMs = 0;
  connects = 0;
  readonly #host: SimHost;
  readonly #port: number;
  /** Client ids whose session is kept (they connected with clean session 0). */
  readonly #sessions = new Set<string>();

  constructor(host: SimHost, port: number) {
    this.#host = host;
    this.#port = port;
    this.start();
  }

  /** Listens on the port (done by the constructor). */
  start(): void {
    this.#host.network.listen(this.#port, (conn) => this.#accept(conn));
  }

  /** Stops listening and drops every connection, as a dead broker. */
  stop(): void {
    this.#host.network.unlisten(this.#port);
    this.dropAll();
  }

  /** Closes every client connection, as a broker restart would. */
  dropAll(): void {
    for (const c of [...this.clients]) c.conn.close();
    this.clients.clear();
  }

  /** Sends raw bytes to every client. */
  sendRaw(bytes: Uint8Array): void {
    for (const c of this.clients) c.conn.write(bytes);
  }

  /** Every PUBLISH received on `topic`, in order. */
  publishes(topic: string): PublishPacket[] {
    const out: PublishPacket[] = [];
    for (const { packet } of this.seen) if (packet.type === 3 && packet.topic === topic) out.push(packet);
    return out;
  }

  #accept(conn: SimServerSide): void {
    const client: Client = { conn, version: 4, parser: new BrokerParser(), id: "?", subs: [], nextId: 1 };
    conn.onData = (bytes) => {
      try {
        client.parser.feed(bytes, (p) => this.#onPacket(client, p));
      } catch {
        conn.close();
        this.clients.delete(client);
      }
    };
    conn.onClose = () => this.clients.delete(client);
  }

  #send(c: Client, p: BrokerOut): void {
    c.conn.write(encodeBrokerPacket(p, c.version));
  }

  #onPacket(c: Client, p: ClientPacket): void {
    if (p.type === 1) {
      c.version = p.protocolVersion;
      c.id = p.clientId;
    }
    this.seen.push({ client: c.id, packet: p, at: this.#host.now() });
    if (this.silent) return;
    switch (p.type) {
      case 1:
        this.connects++;
        if (this.refuse !== 0) {
          this.#send(c, { type: 2, sessionPresent: false, reasonCode: this.refuse });
          c.conn.close();
          return;
        }
        this.clients.add(c);
        this.#send(c, { type: 2, sessionPresent: !p.clean && this.#sessions.has(p.clientId), reasonCode: 0 });
        if (p.clean) this.#sessions.delete(p.clientId);
        else this.#sessions.add(p.clientId);
        return;
      case 8: {
        const codes = p.subscriptions.map((s) => this.suback(s.topic, s.qos));
        p.subscriptions.forEach((s, i) => codes[i]! < 0x80 && c.subs.push({ filter: s.topic, qos: s.qos }));
        const suback = () => this.#send(c, { type: 9, packetId: p.packetId, reasonCodes: codes });
        if (this.subackDelayMs > 0) this.#host.setTimer(suback, this.subackDelayMs);
        else suback();
        return;
      }
      case 3: {
        if (p.qos === 1) this.#send(c, { type: 4, packetId: p.packetId! });
        for (const other of this.clients) {
          const sub = other.subs.find((s) => topicMatches(s.filter, p.topic));
          if (!sub) continue;
          const qos = Math.min(sub.qos, p.qos) as 0 | 1;
          const packetId = qos === 1 ? other.nextId++ : undefined;
          this.#send(other, { type: 3, topic: p.topic, payload: p.payload, qos, retain: false, dup: false, packetId });
        }
        return;
      }
      case 12:
        this.#send(c, { type: 13 });
        return;
      case 14:
        c.conn.close();
        this.clients.delete(c);
        return;
    }
  }
}
