/**
 * In-memory TCP for the sim host. A test listens on a port with a handler that gets the
 * server side of each connection; `host.tcp()` connects to it. Bytes are copied and
 * delivered on the virtual clock (after `latencyMs`), in order, so a session can be
 * driven through hours of virtual time, byte by byte.
 */
import type { TcpOptions, TcpSocket } from "../../src/host.js";

/** The server side of an in-memory connection. */
export interface SimServerSide {
  /** Sends bytes to the client. */
  write(bytes: Uint8Array): void;
  /** Closes both sides; the client sees `onClose`. */
  close(): void;
  /** Set by the handler: bytes from the client. */
  onData: (bytes: Uint8Array) => void;
  /** Set by the handler: the client closed. */
  onClose: () => void;
}

interface Timers {
  setTimer(callback: () => void, delayMs: number): unknown;
}

export class SimNetwork {
  readonly #timers: Timers;
  readonly #listeners = new Map<number, (conn: SimServerSide) => void>();
  latencyMs = 0;
  /** Connections opened so far. */
  connections = 0;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  listen(port: number, onConnection: (conn: SimServerSide) => void): void {
    this.#listeners.set(port, onConnection);
  }

  unlisten(port: number): void {
    this.#listeners.delete(port);
  }

  connect(options: TcpOptions): TcpSocket {
    const later = (fn: () => void) => this.#timers.setTimer(fn, this.latencyMs);
    let open = true;
    let serverOpen = true;
    const server: SimServerSide = {
      write: (bytes) => {
        if (!serverOpen) return;
        const copy = bytes.slice();
        later(() => open && options.onReadable(copy));
      },
      close: () => {
        if (!serverOpen) return;
        serverOpen = false;
        later(() => {
          if (!open) return;
          open = false;
          options.onClose();
        });
      },
      onData: () => {},
      onClose: () => {},
    };
    later(() => {
      if (!open) return;
      const handler = this.#listeners.get(options.port);
      if (!handler || options.tls) {
        open = false;
        serverOpen = false;
        options.onError?.(new Error(handler ? "TLS is not simulated" : `connection refused: ${options.host}:${options.port}`));
        options.onClose();
        return;
      }
      this.connections++;
      handler(server);
      options.onConnect();
    });
    return {
      write: (bytes) => {
        if (!open) return false;
        const copy = bytes.slice();
        later(() => serverOpen && server.onData(copy));
        return true;
      },
      close: () => {
        if (!open) return;
        open = false;
        later(() => {
          if (!serverOpen) return;
          serverOpen = false;
          server.onClose();
        });
      },
    };
  }
}
