/**
 * Ordering and at-most-once for values that arrive with an envelope (sender, seq).
 * Per sender the table keeps the highest sequence applied and a 32-bit window of the
 * sequences just below it, so a redelivered value (MQTT QoS 1 after a reconnect) is
 * recognised. The table holds a fixed number of senders; the least recently seen one is
 * forgotten first, so a flood of sender ids costs bounded memory.
 */

/** What to do with an arriving value. */
export const APPLY = 0;
/** Same sender and sequence as one already applied. */
export const DUPLICATE = 1;
/** Older than the newest applied (ordered links), or older than the window (dedupe-only links). */
export const OUT_OF_ORDER = 2;

const WINDOW = 32;

export class SenderTable {
  readonly #ids: (string | undefined)[];
  readonly #max: Float64Array;
  readonly #window: Uint32Array;
  readonly #lastUse: Float64Array;
  readonly #ordered: boolean;
  #clock = 0;

  /** `ordered`: drop anything not newer than the last applied; otherwise drop only repeats. */
  constructor(capacity: number, ordered: boolean) {
    this.#ids = new Array<string | undefined>(capacity).fill(undefined);
    this.#max = new Float64Array(capacity);
    this.#window = new Uint32Array(capacity);
    this.#lastUse = new Float64Array(capacity);
    this.#ordered = ordered;
  }

  /** Judges `seq` from `sender` and records it when applied. */
  check(sender: string, seq: number): number {
    const ids = this.#ids;
    let i = ids.indexOf(sender);
    this.#clock++;
    if (i < 0) {
      i = this.#victim();
      ids[i] = sender;
      this.#max[i] = seq;
      this.#window[i] = 1;
      this.#lastUse[i] = this.#clock;
      return APPLY;
    }
    this.#lastUse[i] = this.#clock;
    const d = seq - this.#max[i]!;
    if (d > 0) {
      this.#window[i] = d >= WINDOW ? 1 : ((this.#window[i]! << d) | 1) >>> 0;
      this.#max[i] = seq;
      return APPLY;
    }
    if (d === 0) return DUPLICATE;
    if (this.#ordered || -d >= WINDOW) return OUT_OF_ORDER;
    const bit = (1 << -d) >>> 0;
    if ((this.#window[i]! & bit) !== 0) return DUPLICATE;
    this.#window[i] = (this.#window[i]! | bit) >>> 0;
    return APPLY;
  }

  #victim(): number {
    let best = 0;
    for (let i = 0; i < this.#ids.length; i++) {
      if (this.#ids[i] === undefined) return i;
      if (this.#lastUse[i]! < this.#lastUse[best]!) best = i;
    }
    return best;
  }
}
