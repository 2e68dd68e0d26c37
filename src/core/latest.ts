/**
 * singleLatest: shared state. One slot and a version number; a reader remembers the
 * version it saw last, so values written between two reads collapse into the newest.
 * A new reader is given the current value once (late join), then changes.
 */
import { ReaderBase, ReaderSet, type RecordBuffer } from "./buffer.js";

export class SingleLatest<T> implements RecordBuffer<T> {
  readonly kind = "singleLatest";
  readonly capacity = 1;
  current: T | undefined = undefined;
  currentAt = Number.NaN;
  version = 0;
  readonly readers = new ReaderSet<T>();

  closed = false;

  push(value: T, at = Number.NaN): void {
    if (this.closed) return;
    this.current = value;
    this.currentAt = at;
    this.version++;
    this.readers.wakeAll();
  }

  peek(): T | undefined {
    return this.current;
  }

  reader(): LatestReader<T> {
    return this.readers.add(new LatestReader(this));
  }

  close(): void {
    this.closed = true;
    this.readers.closeAll();
  }
}

export class LatestReader<T> extends ReaderBase<T> {
  readonly #slot: SingleLatest<T>;
  seen: number;

  constructor(slot: SingleLatest<T>) {
    super(slot.readers);
    this.#slot = slot;
    this.seen = slot.version > 0 ? slot.version - 1 : 0;
  }

  protected ready(): boolean {
    return this.seen !== this.#slot.version;
  }

  poll(): boolean {
    const slot = this.#slot;
    if (this.closed || this.seen === slot.version) return false;
    this.seen = slot.version;
    this.value = slot.current as T;
    this.at = slot.currentAt;
    return true;
  }
}
