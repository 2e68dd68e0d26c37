/** Runs inside XS: Moddable's "timer" module over Node timers (one-shot only). */
import { bridge } from "./bridge.js";

/** A timer id: an object, as on a device; `clear` ignores ids of timers already done. */
interface Id {
  n: number;
}

export default class Timer {
  static set(callback: (id: Id) => void, delay = 0, repeat = 0): Id {
    if (repeat) throw new Error("the shim's Timer has no repeat");
    const id: Id = { n: bridge.id() };
    bridge.send({ op: "timer.set", n: id.n, ms: delay | 0 });
    bridge.handlers.set(id.n, () => {
      bridge.handlers.delete(id.n);
      callback(id);
    });
    return id;
  }

  static clear(id: Id | undefined): void {
    if (!id || !bridge.handlers.delete(id.n)) return;
    bridge.send({ op: "timer.clear", n: id.n });
  }
}
