/**
 * The buffer contract: one set of rules, checked for every buffer kind. The same file
 * runs under vitest and inside XS.
 */
import type { BufferCounters, BufferKind, RecordBuffer } from "../../src/core/buffer.js";
import { createBuffer } from "../../src/core/record.js";
import { deepEq, eq, ok } from "../support/check.js";
import type { Suite } from "../support/suite.js";

interface Made {
  buffer: RecordBuffer<number>;
  counters: BufferCounters;
}

function make(kind: BufferKind, capacity = 4): Made {
  const counters: BufferCounters = { lagged: 0, dropped: 0 };
  return { buffer: createBuffer({ kind, capacity }, counters) as RecordBuffer<number>, counters };
}

/** Everything a reader can take right now. */
function drain(reader: { poll(): boolean; value: number }): number[] {
  const out: number[] = [];
  while (reader.poll()) out.push(reader.value);
  return out;
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await undefined;
};

/** Rules every kind obeys. */
export function commonBufferContract(kind: BufferKind): Suite {
  return (t) => {
    t.test("a reader with nothing written has nothing to poll", () => {
      const { buffer } = make(kind);
      const r = buffer.reader();
      eq(r.poll(), false, "poll() on an empty buffer returns false");
      eq(buffer.peek(), undefined, "peek() on an empty buffer is undefined");
    });

    t.test("a waiting reader wakes when a value is written", async () => {
      const { buffer } = make(kind);
      const r = buffer.reader();
      let woke: boolean | undefined;
      void r.wait().then((ready) => (woke = ready));
      await flush();
      eq(woke, undefined, "wait() stays pending while the buffer is empty");
      buffer.push(7);
      await flush();
      eq(woke, true, "wait() resolves true after a push");
      eq(r.poll(), true, "the pushed value can be polled");
      eq(r.value, 7, "the polled value is the pushed one");
    });

    t.test("wait() resolves at once when a value is already there", async () => {
      const { buffer } = make(kind);
      const r = buffer.reader();
      buffer.push(1);
      eq(await r.wait(), true, "wait() is true when poll() would succeed");
    });

    t.test("closing the buffer ends every reader and ignores later writes", async () => {
      const { buffer } = make(kind);
      const a = buffer.reader();
      const b = buffer.reader();
      const pending = a.wait();
      buffer.close();
      eq(await pending, false, "a pending wait() resolves false on close");
      eq(await b.wait(), false, "wait() after close resolves false");
      eq(buffer.closed, true, "the buffer reports closed");
      buffer.push(3);
      eq(a.poll(), false, "nothing can be polled after close");
      eq(buffer.reader().closed, true, "a reader made after close is closed");
    });

    t.test("a reader set to drain on close takes what is left, then ends; the others end at once", async () => {
      const { buffer } = make(kind);
      const draining = buffer.reader();
      draining.drainOnClose = true;
      const plain = buffer.reader();
      buffer.push(1);
      buffer.push(2);
      buffer.close();
      buffer.push(3);
      eq(plain.poll(), false, "a plain reader has nothing after close");
      const left: number[] = [];
      while (draining.poll()) left.push(draining.value as number);
      deepEq(left, kind === "spmcRing" ? [1, 2] : [2], "the draining reader gets what was written before close, not after");
      eq(await draining.wait(), false, "then its wait() resolves false");
    });

    t.test("closing one reader leaves the others working", async () => {
      const { buffer } = make(kind);
      const a = buffer.reader();
      const b = buffer.reader();
      const pending = a.wait();
      a.close();
      eq(await pending, false, "the closed reader's wait() resolves false");
      buffer.push(5);
      eq(b.poll(), true, "the other reader still receives");
      eq(b.value, 5, "with the written value");
    });

    t.test("peek() shows the newest value without consuming it", () => {
      const { buffer } = make(kind);
      const r = buffer.reader();
      buffer.push(1);
      buffer.push(2);
      eq(buffer.peek(), 2, "peek() is the newest value");
      eq(buffer.peek(), 2, "peek() twice gives the same value");
      ok(r.poll(), "peek() left the value for the reader");
    });

    t.test("writing never blocks with no reader at all", () => {
      const { buffer } = make(kind);
      for (let i = 0; i < 10_000; i++) buffer.push(i);
      eq(buffer.peek(), 9999, "the last write is visible");
    });
  };
}

export const ringContract: Suite = (t) => {
  t.test("delivers values in order", () => {
    const { buffer } = make("spmcRing", 8);
    const r = buffer.reader();
    for (let i = 0; i < 5; i++) buffer.push(i);
    deepEq(drain(r), [0, 1, 2, 3, 4], "a ring reader sees every value in write order");
  });

  t.test("a new reader sees only later values", () => {
    const { buffer } = make("spmcRing", 8);
    buffer.push(1);
    buffer.push(2);
    const r = buffer.reader();
    eq(r.poll(), false, "values written before the reader existed are not delivered");
    buffer.push(3);
    deepEq(drain(r), [3], "values written after are");
  });

  t.test("readers at different speeds lag independently and the loss is counted", () => {
    const { buffer, counters } = make("spmcRing", 4);
    const fast = buffer.reader();
    const medium = buffer.reader();
    const slow = buffer.reader();
    const got = { fast: [] as number[], medium: [] as number[] };
    for (let i = 0; i < 12; i++) {
      buffer.push(i);
      got.fast.push(...drain(fast));
      if (i % 3 === 2) got.medium.push(...drain(medium));
    }
    deepEq(got.fast, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "a reader that keeps up loses nothing");
    eq(fast.lost, 0, "and reports no loss");
    deepEq(got.medium, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "a reader within capacity loses nothing");
    deepEq(drain(slow), [8, 9, 10, 11], "a reader past capacity skips to the oldest live value");
    eq(slow.lost, 8, "and is told how many it lost");
    eq(counters.lagged, 8, "the loss is added to the record's lagged counter");
  });

  t.test("lag is counted again each time a reader falls behind", () => {
    const { buffer, counters } = make("spmcRing", 2);
    const r = buffer.reader();
    for (let i = 0; i < 5; i++) buffer.push(i);
    deepEq(drain(r), [3, 4], "first fall-behind skips three");
    for (let i = 5; i < 9; i++) buffer.push(i);
    deepEq(drain(r), [7, 8], "second fall-behind skips two");
    eq(r.lost, 5, "reader loss accumulates");
    eq(counters.lagged, 5, "record lag accumulates");
  });

  t.test("capacity 1 keeps only the newest value", () => {
    const { buffer, counters } = make("spmcRing", 1);
    const r = buffer.reader();
    buffer.push(1);
    deepEq(drain(r), [1], "one value fits");
    buffer.push(2);
    buffer.push(3);
    deepEq(drain(r), [3], "older values are skipped");
    eq(counters.lagged, 1, "the skipped value is counted");
  });

  t.test("keeps its slots: a long run allocates no new storage", () => {
    const { buffer } = make("spmcRing", 4);
    const slots = (buffer as unknown as { slots: unknown[] }).slots;
    for (let i = 0; i < 1000; i++) buffer.push(i);
    eq((buffer as unknown as { slots: unknown[] }).slots, slots, "the slot array is the one allocated at creation");
    eq(slots.length, 4, "and never grows");
  });
};

export const latestContract: Suite = (t) => {
  t.test("intermediate values collapse into the newest", () => {
    const { buffer } = make("singleLatest");
    const r = buffer.reader();
    buffer.push(1);
    buffer.push(2);
    buffer.push(3);
    deepEq(drain(r), [3], "a reader sees only the newest value");
  });

  t.test("a new reader receives the current value once, then changes", () => {
    const { buffer } = make("singleLatest");
    buffer.push(10);
    const r = buffer.reader();
    deepEq(drain(r), [10], "late join delivers the current value");
    deepEq(drain(r), [], "only once");
    buffer.push(11);
    deepEq(drain(r), [11], "then each change");
  });

  t.test("every reader sees the value (fan-out)", () => {
    const { buffer } = make("singleLatest");
    const a = buffer.reader();
    const b = buffer.reader();
    buffer.push(4);
    deepEq([drain(a), drain(b)], [[4], [4]], "both readers receive it");
  });
};

export const mailboxContract: Suite = (t) => {
  t.test("a new value overwrites an unread one and the overwrite is counted", () => {
    const { buffer, counters } = make("mailbox");
    const r = buffer.reader();
    buffer.push(1);
    buffer.push(2);
    deepEq(drain(r), [2], "the latest instruction wins");
    eq(counters.dropped, 1, "the overwritten value is counted as dropped");
  });

  t.test("reading takes the value", () => {
    const { buffer } = make("mailbox");
    const a = buffer.reader();
    const b = buffer.reader();
    buffer.push(1);
    eq(a.poll(), true, "the first reader takes it");
    eq(b.poll(), false, "the second finds the slot empty");
    eq(buffer.peek(), undefined, "peek() after taking is undefined");
  });

  t.test("waiting readers compete: one value goes to exactly one reader", async () => {
    const { buffer } = make("mailbox");
    const readers = [buffer.reader(), buffer.reader(), buffer.reader()];
    const got: number[] = [];
    const loops = readers.map(async (r) => {
      while (await r.wait()) while (r.poll()) got.push(r.value);
    });
    for (let i = 0; i < 5; i++) {
      buffer.push(i);
      await flush();
    }
    buffer.close();
    await Promise.all(loops);
    deepEq(got.slice().sort(), [0, 1, 2, 3, 4], "each value is taken once, none twice");
  });

  t.test("a reader that arrives later takes a pending command", () => {
    const { buffer } = make("mailbox");
    buffer.push(9);
    const r = buffer.reader();
    deepEq(drain(r), [9], "an unread command waits for a reader");
  });
};

export const bufferSuites: Record<string, Suite> = {
  "spmcRing contract": commonBufferContract("spmcRing"),
  "singleLatest contract": commonBufferContract("singleLatest"),
  "mailbox contract": commonBufferContract("mailbox"),
  spmcRing: ringContract,
  singleLatest: latestContract,
  mailbox: mailboxContract,
};
