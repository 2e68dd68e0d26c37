/**
 * Buffer configuration and the contract every buffer kind implements.
 *
 * A buffer is allocated once, at `build()`, with a fixed capacity. Writing never blocks
 * and never allocates. Readers poll without allocating (`poll()` moves the next value
 * into `reader.value`) and await `wait()` only when nothing is ready, so a busy reader
 * drains a burst with no promise per value.
 */

/** The three buffer kinds. */
export type BufferKind = "spmcRing" | "singleLatest" | "mailbox";

/** A buffer configuration, made with `BufferCfg`. */
export interface BufferConfig {
  readonly kind: BufferKind;
  /** Slots: the ring's capacity, 1 for the others. */
  readonly capacity: number;
}

/** Largest ring accepted, so a typo cannot allocate gigabytes. */
export const MAX_RING_CAPACITY = 1 << 20;

/**
 * Buffer choices.
 * - `spmcRing(n)`: a stream; every reader has its own cursor; a reader more than `n`
 *   behind skips to the oldest live value and is told how many it lost. Pick it for
 *   telemetry where every value matters; size it to the longest stall you must absorb.
 * - `singleLatest()`: state; only the newest value matters. A new reader gets the
 *   current value once, then changes. Pick it for configuration and status.
 * - `mailbox()`: one slot for commands; a new value overwrites an unread one, reading
 *   takes it, and several readers compete. Pick it for setpoints and actuator commands.
 */
export const BufferCfg = Object.freeze({
  spmcRing(capacity: number): BufferConfig {
    return Object.freeze({ kind: "spmcRing", capacity });
  },
  singleLatest(): BufferConfig {
    return Object.freeze({ kind: "singleLatest", capacity: 1 });
  },
  mailbox(): BufferConfig {
    return Object.freeze({ kind: "mailbox", capacity: 1 });
  },
});

/** Counters a buffer updates; owned by the record. */
export interface BufferCounters {
  /** Values readers skipped because they fell behind a ring. */
  lagged: number;
  /** Values overwritten before anyone read them (mailbox). */
  dropped: number;
}

/** A reader's view of a buffer. */
export interface BufferReader<T> {
  /** Moves the next value into `value`; false when none is ready (or closed). */
  poll(): boolean;
  /** The value taken by the last successful `poll()`. */
  readonly value: T;
  /** Wall-clock Unix ms at which that value was written; NaN when the host did not know the time. */
  readonly at: number;
  /** Values this reader lost by falling behind (ring only), in total. */
  readonly lost: number;
  /** Resolves true when `poll()` may succeed, false once the reader or buffer is closed. */
  wait(): Promise<boolean>;
  close(): void;
  readonly closed: boolean;
  /**
   * Set to take what is left once the buffer closes, instead of closing with it: `poll()`
   * goes on until it is empty, then `wait()` resolves false. A linkTo's reader does this,
   * so values produced before `stop()` still reach the connector.
   */
  drainOnClose: boolean;
}

/** A buffer: one writer, any number of readers. */
export interface RecordBuffer<T> {
  readonly kind: BufferKind;
  readonly capacity: number;
  /** Stores a value written at `at` (Unix ms or NaN) and wakes waiting readers. Never blocks; ignored once closed. */
  push(value: T, at?: number): void;
  /** The current value without consuming it, or undefined when there is none. */
  peek(): T | undefined;
  reader(): BufferReader<T>;
  /** Closes every reader; later pushes are ignored. */
  close(): void;
  readonly closed: boolean;
}

/**
 * Reader bookkeeping shared by all kinds: the wait/wake hand-off and closing.
 * Subclasses implement `poll()`.
 */
export abstract class ReaderBase<T> implements BufferReader<T> {
  value: T = undefined as T;
  at = Number.NaN;
  lost = 0;
  closed = false;
  drainOnClose = false;
  /** The buffer closed and this reader drains what is left. */
  #ending = false;
  #resolve: ((ready: boolean) => void) | undefined = undefined;
  readonly #owner: ReaderSet<T>;

  constructor(owner: ReaderSet<T>) {
    this.#owner = owner;
  }

  abstract poll(): boolean;
  /** True when `poll()` would succeed; must not change state. */
  protected abstract ready(): boolean;

  wait(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.ready()) return Promise.resolve(true);
    if (this.#ending) return Promise.resolve(false);
    this.#owner.waiting++;
    // A closure per wait, not per reader: on a device, lasting fields cost more than garbage.
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Called by the buffer after a push or on close. */
  wake(ready: boolean): void {
    const resolve = this.#resolve;
    if (resolve !== undefined) {
      this.#resolve = undefined;
      this.#owner.waiting--;
      resolve(ready);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#owner.remove(this);
    this.wake(false);
  }

  /** The buffer closed: a reader that drains keeps what is left to poll; any other closes. */
  end(): void {
    if (!this.drainOnClose) return this.close();
    this.#ending = true;
    this.#owner.remove(this);
    this.wake(this.ready());
  }
}

/** The readers of one buffer. Changes only when readers come and go, not per value. */
export class ReaderSet<T> {
  readonly list: ReaderBase<T>[] = [];
  closed = false;
  /** Readers parked in `wait()`; a push wakes readers only when there are some. */
  waiting = 0;

  add<R extends ReaderBase<T>>(reader: R): R {
    if (this.closed) reader.close();
    else this.list.push(reader);
    return reader;
  }

  remove(reader: ReaderBase<T>): void {
    const i = this.list.indexOf(reader);
    if (i >= 0) this.list.splice(i, 1);
  }

  wakeAll(): void {
    if (this.waiting === 0) return;
    const list = this.list;
    for (let i = 0; i < list.length; i++) list[i]!.wake(true);
  }

  closeAll(): void {
    this.closed = true;
    const readers = this.list.slice();
    for (const r of readers) r.end();
  }
}
