/**
 * spmcRing: a bounded stream with one writer and independent readers.
 * Values live in a fixed array; `head` counts every value ever written, and slot
 * `seq % capacity` holds value `seq`. A reader keeps the sequence it reads next. When
 * it falls more than `capacity` behind, it skips to the oldest live value and the skip
 * is added to its `lost` and to the record's `lagged` counter.
 */
import { ReaderBase, ReaderSet, type BufferCounters, type RecordBuffer } from "./buffer.js";

export class SpmcRing<T> implements RecordBuffer<T> {
  readonly kind = "spmcRing";
  readonly capacity: number;
  readonly counters: BufferCounters;
  readonly slots: (T | undefined)[];
  /** Write time of each slot (Unix ms or NaN), beside the values so no object is made per value. */
  readonly times: Float64Array;
  /** Sequence number of the next value written. */
  head = 0;
  readonly readers = new ReaderSet<T>();

  constructor(capacity: number, counters: BufferCounters) {
    this.capacity = capacity;
    this.counters = counters;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
    this.times = new Float64Array(capacity);
  }

  closed = false;

  push(value: T, at = Number.NaN): void {
    if (this.closed) return;
    const slot = this.head % this.capacity;
    this.slots[slot] = value;
    this.times[slot] = at;
    this.head++;
    this.readers.wakeAll();
  }

  peek(): T | undefined {
    return this.head === 0 ? undefined : this.slots[(this.head - 1) % this.capacity];
  }

  /** A new reader sees only values written after this call. */
  reader(): RingReader<T> {
    return this.readers.add(new RingReader(this));
  }

  close(): void {
    this.closed = true;
    this.readers.closeAll();
  }
}

export class RingReader<T> extends ReaderBase<T> {
  readonly #ring: SpmcRing<T>;
  /** Sequence number this reader reads next. */
  next: number;

  constructor(ring: SpmcRing<T>) {
    super(ring.readers);
    this.#ring = ring;
    this.next = ring.head;
  }

  protected ready(): boolean {
    return this.next < this.#ring.head;
  }

  /**
   * Hands each ready value to `fn` until none is left or `fn` returns something (a
   * promise), which it returns; undefined once drained. Counts the values `fn` finished
   * in `handled[index]`. The tap loop's fast path: one call per value instead of two,
   * which matters on XS, where a call costs more than the work it wraps.
   */
  drain<C>(fn: (value: T, ctx: C) => unknown, ctx: C, handled: number[], index: number): unknown {
    const ring = this.#ring;
    const slots = ring.slots;
    const times = ring.times;
    const capacity = ring.capacity;
    let n = 0;
    try {
      for (;;) {
        let next = this.next;
        const head = ring.head;
        if (next >= head || this.closed) return undefined;
        if (head - next > capacity) {
          const skipped = head - capacity - next;
          this.lost += skipped;
          ring.counters.lagged += skipped;
          next = head - capacity;
        }
        const slot = next % capacity;
        this.next = next + 1;
        const value = slots[slot] as T;
        this.value = value;
        this.at = times[slot]!;
        const out = fn(value, ctx);
        if (out !== undefined) return out;
        n++;
      }
    } finally {
      handled[index]! += n;
    }
  }

  poll(): boolean {
    const ring = this.#ring;
    if (this.closed || this.next >= ring.head) return false;
    const oldest = ring.head - ring.capacity;
    if (this.next < oldest) {
      const skipped = oldest - this.next;
      this.lost += skipped;
      ring.counters.lagged += skipped;
      this.next = oldest;
    }
    const slot = this.next % ring.capacity;
    this.value = ring.slots[slot] as T;
    this.at = ring.times[slot]!;
    this.next++;
    return true;
  }
}
