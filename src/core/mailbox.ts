/**
 * mailbox: one slot for commands. A new value overwrites an unread one (latest
 * instruction wins; the overwrite is counted as dropped). Reading takes the value, so
 * several readers compete and each value is taken once.
 */
import { ReaderBase, ReaderSet, type BufferCounters, type RecordBuffer } from "./buffer.js";

export class Mailbox<T> implements RecordBuffer<T> {
  readonly kind = "mailbox";
  readonly capacity = 1;
  readonly counters: BufferCounters;
  slot: T | undefined = undefined;
  slotAt = Number.NaN;
  full = false;
  readonly readers = new ReaderSet<T>();

  constructor(counters: BufferCounters) {
    this.counters = counters;
  }

  closed = false;

  push(value: T, at = Number.NaN): void {
    if (this.closed) return;
    if (this.full) this.counters.dropped++;
    this.slot = value;
    this.slotAt = at;
    this.full = true;
    this.readers.wakeAll();
  }

  /** The unread value, if any, without taking it. */
  peek(): T | undefined {
    return this.full ? this.slot : undefined;
  }

  reader(): MailboxReader<T> {
    return this.readers.add(new MailboxReader(this));
  }

  close(): void {
    this.closed = true;
    this.readers.closeAll();
  }
}

export class MailboxReader<T> extends ReaderBase<T> {
  readonly #box: Mailbox<T>;

  constructor(box: Mailbox<T>) {
    super(box.readers);
    this.#box = box;
  }

  protected ready(): boolean {
    return this.#box.full;
  }

  poll(): boolean {
    const box = this.#box;
    if (this.closed || !box.full) return false;
    this.value = box.slot as T;
    this.at = box.slotAt;
    box.slot = undefined;
    box.full = false;
    return true;
  }
}
