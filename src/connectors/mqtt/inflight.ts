/**
 * The QoS 1 inflight table: a fixed number of slots, allocated once, holding each
 * publish from send until PUBACK so it can be resent with DUP after a reconnect
 * [MQTT-4.4.0-1]. Free slots are a stack and used ones are found by packet id, so no
 * message costs a scan. It also hands out packet identifiers (1…65535, skipping those
 * in use), for SUBSCRIBE too.
 */

export interface InflightSlot {
  packetId: number;
  topic: string;
  payload: Uint8Array;
  retain: boolean;
  /** The publish's token (the link id); -1 when free. */
  token: number;
  /** Order of acceptance, to resend in the original order. */
  order: number;
}

const EMPTY = Object.freeze(new Uint8Array(0)) as Uint8Array;

export class InflightTable {
  readonly #free: InflightSlot[] = [];
  readonly #byId = new Map<number, InflightSlot>();
  #order = 0;
  #nextId = 1;

  constructor(capacity: number) {
    for (let i = 0; i < capacity; i++) this.#free.push({ packetId: 0, topic: "", payload: EMPTY, retain: false, token: -1, order: 0 });
  }

  /** Publishes sent and not yet acknowledged. */
  get size(): number {
    return this.#byId.size;
  }

  /** Stores a publish under a new packet id and returns the id. The caller checks room first. */
  add(topic: string, payload: Uint8Array, retain: boolean, token: number): number {
    const slot = this.#free.pop()!;
    const packetId = this.nextId();
    this.#byId.set(packetId, slot);
    slot.packetId = packetId;
    slot.topic = topic;
    slot.payload = payload;
    slot.retain = retain;
    slot.token = token;
    slot.order = this.#order++;
    return packetId;
  }

  /** Frees the slot of `packetId`; returns its token and topic, or undefined for an unknown id. */
  ack(packetId: number): { token: number; topic: string } | undefined {
    const slot = this.#byId.get(packetId);
    if (!slot) return undefined;
    const done = { token: slot.token, topic: slot.topic };
    this.#release(slot);
    return done;
  }

  /** Frees the slot of a publish that could not be sent. */
  drop(packetId: number): void {
    const slot = this.#byId.get(packetId);
    if (slot) this.#release(slot);
  }

  /** The unacknowledged publishes in the order they were accepted. */
  pending(): InflightSlot[] {
    return [...this.#byId.values()].sort((a, b) => a.order - b.order);
  }

  /** A packet identifier not in use. */
  nextId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id === 0xffff ? 1 : id + 1;
      if (!this.#byId.has(id)) return id;
    }
  }

  #release(slot: InflightSlot): void {
    this.#byId.delete(slot.packetId);
    slot.token = -1;
    slot.payload = EMPTY;
    this.#free.push(slot);
  }
}
