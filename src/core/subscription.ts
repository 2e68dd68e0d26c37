/**
 * `db.subscribe(key)`: an async iterator over a record's values with its own reader.
 * Lag is reported two ways: `lost` counts values skipped because the subscriber fell
 * behind a ring, and `onLag(n)` is called once per skip.
 */
import type { BufferReader } from "./buffer.js";

/** Options of `db.subscribe`. */
export interface SubscribeOptions {
  /** Called with the number of values lost each time the subscriber falls behind a ring. */
  onLag?: (lost: number) => void;
}

/** A subscriber's stream of values. Close it with `close()` or by leaving a `for await` loop. */
export class Subscription<T> implements AsyncIterableIterator<T> {
  readonly #reader: BufferReader<T>;
  readonly #onLag: ((lost: number) => void) | undefined;
  #reported = 0;

  constructor(reader: BufferReader<T>, options: SubscribeOptions = {}) {
    this.#reader = reader;
    this.#onLag = options.onLag;
  }

  /** Values lost so far by falling behind. */
  get lost(): number {
    return this.#reader.lost;
  }

  get closed(): boolean {
    return this.#reader.closed;
  }

  /** The next value without waiting, or undefined when none is ready. */
  tryNext(): T | undefined {
    return this.#take() ? this.#reader.value : undefined;
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      if (this.#take()) return { value: this.#reader.value, done: false };
      if (!(await this.#reader.wait())) return { value: undefined, done: true };
    }
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    this.close();
    return { value: undefined, done: true };
  }

  close(): void {
    this.#reader.close();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #take(): boolean {
    const reader = this.#reader;
    if (!reader.poll()) return false;
    if (reader.lost !== this.#reported) {
      const n = reader.lost - this.#reported;
      this.#reported = reader.lost;
      if (this.#onLag) this.#onLag(n);
    }
    return true;
  }
}
