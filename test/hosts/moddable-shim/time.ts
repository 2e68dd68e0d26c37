/**
 * Runs inside XS: Moddable's "time" module. `ticks` is a signed 32-bit millisecond count
 * like a device's, started 5 s before it wraps to negative, so a run longer than that
 * crosses the wrap.
 */
export const TICKS_AT_START = 2 ** 31 - 5_000;
const STARTED = performance.now();

export default class Time {
  static get ticks(): number {
    return (TICKS_AT_START + Math.floor(performance.now() - STARTED)) | 0;
  }

  static set(_seconds: number): void {
    throw new Error("the shim cannot set the clock");
  }
}
