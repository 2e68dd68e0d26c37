/** Runs inside XS: Moddable's "net" module; `resolve` asks Node's resolver. */
import { bridge } from "./bridge.js";

export default class Net {
  static resolve(host: string, callback: (name: string, address: string | undefined) => void): void {
    const n = bridge.id();
    bridge.send({ op: "resolve", n, host });
    bridge.handlers.set(n, (e) => {
      bridge.handlers.delete(n);
      callback(host, (e.address as string | null) ?? undefined);
    });
  }
}
