/**
 * The per-client frame queue of the WebSocket server: a fixed ring of frame strings,
 * allocated once per client. Frames wait here while the client's socket holds more than
 * the high-water mark. When the ring is full, the oldest *data* frame (event or snapshot)
 * makes room and is counted as dropped; replies (ack, error, pong, welcome) are never
 * dropped, since a client waits for them. A ring full of replies means the client sends
 * requests without reading the answers: `push` then refuses and the server closes it.
 */

/** An event or snapshot: may be dropped for a slow client. */
export const DATA = 0;
/** A reply the client waits for: kept in order, never dropped. */
export const CONTROL = 1;

/** `push` results. */
export const QUEUED = 0;
export const DROPPED_OLDEST = 1;
export const FULL_OF_REPLIES = 2;

export class FrameQueue {
  readonly capacity: number;
  readonly #frames: (string | undefined)[];
  readonly #kinds: Uint8Array;
  #head = 0;
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#frames = new Array<string | undefined>(capacity).fill(undefined);
    this.#kinds = new Uint8Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Appends a frame; when full, first removes the oldest data frame (DROPPED_OLDEST). */
  push(frame: string, kind: typeof DATA | typeof CONTROL): number {
    const cap = this.capacity;
    let result = QUEUED;
    if (this.#size === cap) {
      if (!this.#dropOldestData()) return FULL_OF_REPLIES;
      result = DROPPED_OLDEST;
    }
    const at = (this.#head + this.#size) % cap;
    this.#frames[at] = frame;
    this.#kinds[at] = kind;
    this.#size++;
    return result;
  }

  /** Takes the oldest frame, or undefined when empty. */
  shift(): string | undefined {
    if (this.#size === 0) return undefined;
    const f = this.#frames[this.#head];
    this.#frames[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.capacity;
    this.#size--;
    return f;
  }

  /** Forgets every frame. */
  clear(): void {
    this.#frames.fill(undefined);
    this.#head = this.#size = 0;
  }

  /** Removes the oldest data frame, moving the replies queued before it up by one. */
  #dropOldestData(): boolean {
    const cap = this.capacity;
    const frames = this.#frames;
    const kinds = this.#kinds;
    let i = 0;
    while (i < this.#size && kinds[(this.#head + i) % cap] !== DATA) i++;
    if (i === this.#size) return false;
    for (let j = i; j > 0; j--) {
      const to = (this.#head + j) % cap;
      const from = (this.#head + j - 1) % cap;
      frames[to] = frames[from];
      kinds[to] = kinds[from]!;
    }
    frames[this.#head] = undefined;
    this.#head = (this.#head + 1) % cap;
    this.#size--;
    return true;
  }
}
