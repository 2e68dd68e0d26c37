/**
 * Benchmark cases that use only the language and `src/`, so the same code runs on Node
 * and, bundled, inside XS. Every case returns plain JSON-able numbers.
 *
 * Engine case: one record, a source that sends `batch` values and then yields one
 * promise turn (sync taps drain the buffer in that turn), `taps` taps that add the value
 * to a sum. Time runs from the source's first send to the end of its last yield.
 *
 * Baselines, in the same engine and with the same tap count:
 * - ring: a hand-written ring array with one cursor per consumer, no promises (ceiling);
 * - await: `await consumer(v)` of an async function, one awaited promise per value and
 *   consumer (the floor an async tap pays);
 * - hand-off: a producer task resolves a promise each consumer task is waiting on, then
 *   yields, one value at a time (what a reader that waits for every value pays);
 * - emitter: synchronous listeners called per value (Node's EventEmitter, or the small
 *   emitter below where there is none).
 */
import { AimDbBuilder, BufferCfg, portableUtf8, type BufferConfig, type BufferKind, type Host, type LogLevel } from "../src/index.js";

export type Now = () => number;

/** What a bench run needs from the engine it runs on. */
export interface BenchEnv {
  readonly now: Now;
  /** Full collection before each measured run (absent: none). */
  readonly gc?: () => void;
  /** Makes the emitter of the emitter baseline. */
  readonly emitter: () => Emitter;
  readonly emitterName: string;
  /** Real timers when the engine has them; without, the host's timers never fire. */
  readonly timers?: { set(cb: () => void, ms: number): unknown; clear(h: unknown): void };
}

export interface Emitter {
  on(name: string, fn: (v: number) => void): unknown;
  emit(name: string, v: number): boolean;
}

/** A minimal emitter for engines without one. */
export class TinyEmitter implements Emitter {
  readonly #listeners = new Map<string, ((v: number) => void)[]>();
  on(name: string, fn: (v: number) => void): this {
    const list = this.#listeners.get(name);
    if (list) list.push(fn);
    else this.#listeners.set(name, [fn]);
    return this;
  }
  emit(name: string, v: number): boolean {
    const list = this.#listeners.get(name);
    if (!list) return false;
    for (let i = 0; i < list.length; i++) list[i]!(v);
    return true;
  }
}

/**
 * A host built from the language alone. The wall clock is `Date.now()`, as on a host that
 * knows the time, so every write pays for its timestamp. Nothing in the benchmark sleeps;
 * `stop()` arms a grace timer and clears it once every loop has ended, so a timer that
 * never fires is enough where the engine has none. Warnings and errors are kept so a run
 * can fail on them.
 */
export function benchHost(env: BenchEnv, wallClock = true): Host & { problems: string[] } {
  const problems: string[] = [];
  const unixMs = wallClock ? () => Date.now() : () => undefined;
  const timers = env.timers;
  return {
    name: "bench",
    now: env.now,
    unixMs,
    setTimer: (cb: () => void, ms: number) => (timers ? timers.set(cb, ms) : { cb, ms }),
    clearTimer: (h: unknown) => {
      if (timers) timers.clear(h);
    },
    log: (level: LogLevel, message: string) => {
      if (level === "warn" || level === "error") problems.push(`${level}: ${message}`);
    },
    random: () => 0.5,
    utf8: portableUtf8,
    problems,
  };
}

export function bufferOf(kind: BufferKind): BufferConfig {
  if (kind === "spmcRing") return BufferCfg.spmcRing(1024);
  if (kind === "singleLatest") return BufferCfg.singleLatest();
  return BufferCfg.mailbox();
}

export interface EngineCase {
  kind: BufferKind;
  taps: number;
  /** Values sent between two yields of the source. */
  batch: number;
}

export interface EngineCounters {
  produced: number;
  lagged: number;
  dropped: number;
  errors: number;
  delivered: number[];
}

export interface Timed {
  ms: number;
  total: number;
  /** Keeps the consumers' work observable. */
  sink: number;
  counters?: EngineCounters;
}

/** Sends `total` values through a fresh database; build() is not timed. */
export async function runEngine(c: EngineCase, total: number, env: BenchEnv): Promise<Timed> {
  const host = benchHost(env);
  const now = env.now;
  let sink = 0;
  let finish: (ms: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const builder = new AimDbBuilder(host).configure<number>("bench.value", (reg) => {
    reg.buffer(bufferOf(c.kind)).source(async (_ctx, producer) => {
      const batch = c.batch;
      const t0 = now();
      let v = 0;
      while (v < total) {
        const end = v + batch < total ? v + batch : total;
        while (v < end) producer.send(v++);
        await null;
      }
      finish(now() - t0);
    });
    for (let i = 0; i < c.taps; i++) {
      reg.tap((value) => {
        sink += value;
      });
    }
  });
  const db = await builder.build();
  await db.run();
  const ms = await finished;
  const k = db.records()[0]!.counters;
  await db.stop();
  if (host.problems.length > 0) throw new Error(`engine logged: ${host.problems.join("; ")}`);
  const counters: EngineCounters = { produced: k.produced, lagged: k.lagged, dropped: k.dropped, errors: k.errors, delivered: k.delivered.slice() };
  return { ms, total, sink, counters };
}

/** Ceiling: a ring array written in batches and read by one cursor per consumer. */
export function runRing(taps: number, batch: number, total: number, now: Now): Timed {
  const capacity = 1024;
  const mask = capacity - 1;
  const slots: number[] = new Array<number>(capacity).fill(0);
  const cursors: number[] = new Array<number>(taps).fill(0);
  let sink = 0;
  let head = 0;
  const t0 = now();
  while (head < total) {
    const end = head + batch < total ? head + batch : total;
    while (head < end) {
      slots[head & mask] = head;
      head++;
    }
    for (let c = 0; c < taps; c++) {
      let cur = cursors[c]!;
      while (cur < head) {
        sink += slots[cur & mask]!;
        cur++;
      }
      cursors[c] = cur;
    }
  }
  return { ms: now() - t0, total, sink };
}

/** Floor of an async tap: one awaited promise per value and consumer. */
export async function runAwait(taps: number, total: number, now: Now): Promise<Timed> {
  let sink = 0;
  const consumers: ((v: number) => Promise<void>)[] = [];
  for (let c = 0; c < taps; c++) {
    consumers.push(async (v: number) => {
      sink += v;
    });
  }
  const t0 = now();
  for (let v = 0; v < total; v++) {
    for (let c = 0; c < taps; c++) await consumers[c]!(v);
  }
  return { ms: now() - t0, total, sink };
}

/** A producer task hands each value to consumer tasks waiting on a promise, then yields. */
export async function runHandOff(taps: number, total: number, now: Now): Promise<Timed> {
  let sink = 0;
  const resolvers: ((v: number) => void)[] = new Array<(v: number) => void>(taps);
  const loops: Promise<void>[] = [];
  for (let c = 0; c < taps; c++) {
    const executor = (resolve: (v: number) => void): void => {
      resolvers[c] = resolve;
    };
    loops.push(
      (async () => {
        for (;;) {
          const v = await new Promise<number>(executor);
          if (v < 0) return;
          sink += v;
        }
      })(),
    );
  }
  const t0 = now();
  for (let v = 0; v < total; v++) {
    for (let c = 0; c < taps; c++) resolvers[c]!(v);
    await null;
  }
  const ms = now() - t0;
  for (let c = 0; c < taps; c++) resolvers[c]!(-1);
  await Promise.all(loops);
  return { ms, total, sink };
}

/** Synchronous listeners, one call per value and listener. */
export function runEmitter(taps: number, total: number, env: BenchEnv): Timed {
  const em = env.emitter();
  let sink = 0;
  for (let c = 0; c < taps; c++) {
    em.on("v", (v: number) => {
      sink += v;
    });
  }
  const now = env.now;
  const t0 = now();
  for (let v = 0; v < total; v++) em.emit("v", v);
  return { ms: now() - t0, total, sink };
}

export interface Measured {
  /** Million values per second: median of the measured runs. */
  mps: number;
  /** All measured rates, ascending. */
  samples: number[];
  total: number;
  counters?: EngineCounters;
}

/**
 * Warms up for at least `warmMs` (and three runs), sizing the value count so one run
 * lasts about `targetMs`; then takes the median of `reps` runs, each after a full
 * collection when the engine offers one.
 */
export async function measure(run: (total: number) => Timed | Promise<Timed>, env: BenchEnv, opts: SuiteOptions): Promise<Measured> {
  let total = opts.start;
  let spent = 0;
  for (let runs = 0; runs < 3 || spent < opts.warmMs; runs++) {
    const t = await run(total);
    spent += t.ms;
    if (t.ms > 0 && (t.ms < opts.targetMs * 0.7 || t.ms > opts.targetMs * 1.5)) {
      const scale = Math.min(opts.targetMs / t.ms, 16);
      total = Math.max(1000, Math.min(Math.round((total * scale) / 1000) * 1000, 50_000_000));
    }
  }
  const samples: number[] = [];
  let last: Timed | undefined;
  for (let r = 0; r < opts.reps; r++) {
    env.gc?.();
    last = await run(total);
    samples.push(last.total / last.ms / 1000);
  }
  samples.sort((a, b) => a - b);
  const m: Measured = { mps: samples[samples.length >> 1]!, samples, total };
  if (last?.counters) m.counters = last.counters;
  return m;
}

export const KINDS: readonly BufferKind[] = ["spmcRing", "singleLatest", "mailbox"];
export const TAP_COUNTS: readonly number[] = [1, 3];
export const BURST = 64;

export interface SuiteOptions {
  /** Values in the first warm-up run; resized until a run lasts about `targetMs`. */
  start: number;
  targetMs: number;
  /** Least time spent warming up (lets a JIT settle). */
  warmMs: number;
  reps: number;
}

export type BaselineName = "ring" | "await" | "hand-off" | "emitter";

/** One row of the table, measured on its own in a fresh process or worker. */
export type Job = { type: "baseline"; name: BaselineName; taps: number } | { type: "engine"; case: EngineCase };

export interface JobResult {
  job: Job;
  result: Measured;
}

/** Every row, baselines first. */
export function suiteJobs(): Job[] {
  const jobs: Job[] = [];
  for (const taps of TAP_COUNTS) {
    for (const name of ["ring", "await", "hand-off", "emitter"] as const) jobs.push({ type: "baseline", name, taps });
  }
  for (const kind of KINDS) {
    for (const taps of TAP_COUNTS) {
      for (const batch of [BURST, 1]) jobs.push({ type: "engine", case: { kind, taps, batch } });
    }
  }
  return jobs;
}

export function runJob(job: Job, env: BenchEnv, opts: SuiteOptions): Promise<Measured> {
  if (job.type === "engine") return measure((n) => runEngine(job.case, n, env), env, opts);
  const taps = job.taps;
  switch (job.name) {
    case "ring":
      return measure((n) => runRing(taps, BURST, n, env.now), env, opts);
    case "await":
      return measure((n) => runAwait(taps, n, env.now), env, opts);
    case "hand-off":
      return measure((n) => runHandOff(taps, n, env.now), env, opts);
    case "emitter":
      return measure((n) => runEmitter(taps, n, env), env, opts);
  }
}

/** A database held open between phases, to measure what 100,000 values leave behind. */
export interface HeapRig {
  /** Sends `n` more values (in batches) and resolves once the taps have taken them. */
  advance(n: number): Promise<void>;
  counters(): EngineCounters;
  close(): Promise<void>;
}

export async function openHeapRig(c: EngineCase, env: BenchEnv): Promise<HeapRig> {
  const host = benchHost(env);
  let request: (n: number) => void = () => {};
  let phaseDone: () => void = () => {};
  const nextRequest = (): Promise<number> =>
    new Promise<number>((resolve) => {
      request = resolve;
    });
  let sink = 0;
  const builder = new AimDbBuilder(host).configure<number>("bench.heap", (reg) => {
    reg.buffer(bufferOf(c.kind)).source(async (_ctx, producer) => {
      let v = 0;
      for (;;) {
        const n = await nextRequest();
        if (n < 0) return;
        const stopAt = v + n;
        while (v < stopAt) {
          const end = v + c.batch < stopAt ? v + c.batch : stopAt;
          while (v < end) producer.send(v++);
          await null;
        }
        phaseDone();
      }
    });
    for (let i = 0; i < c.taps; i++) {
      reg.tap((value) => {
        sink += value;
      });
    }
  });
  const db = await builder.build();
  await db.run();
  const counters = (): EngineCounters => {
    const k = db.records()[0]!.counters;
    return { produced: k.produced, lagged: k.lagged, dropped: k.dropped, errors: k.errors + host.problems.length + (sink < 0 ? 1 : 0), delivered: k.delivered.slice() };
  };
  return {
    advance: (n: number) =>
      new Promise<void>((resolve) => {
        phaseDone = resolve;
        request(n);
      }),
    counters,
    close: async () => {
      request(-1);
      await db.stop();
    },
  };
}
