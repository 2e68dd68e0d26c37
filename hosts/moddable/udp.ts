/**
 * Host UDP over ECMA-419 (`embedded:io/socket/udp`). A received packet is an ArrayBuffer
 * with `address` and `port` attached; `write(bytes, address, port)` sends one.
 *
 * Multicast: the lwip socket (ESP32) joins a group with `add(group)` and leaves it with
 * `remove(group)`; the desktop simulators' sockets have neither, and a join then fails
 * through `onError` (code `HOST_NO_MULTICAST`). The socket binds to every interface:
 * `address`, a group's `interface` and `loopback` are not settable through ECMA-419.
 */
import UDP from "embedded:io/socket/udp";
import Timer, { type TimerId } from "timer";
import type { UdpOptions, UdpSocket } from "../../src/host.js";
import { AimDbError } from "../../src/core/errors.js";

export class ModdableUdp implements UdpSocket {
  readonly #o: UdpOptions;
  #socket: UDP | undefined;
  readonly #groups: string[] = [];
  #failTimer: TimerId | undefined;

  constructor(o: UdpOptions) {
    this.#o = o;
    const options: { port?: number; onReadable(count: number): void } = { onReadable: (count) => this.#readable(count) };
    if (o.port !== undefined) options.port = o.port;
    let socket: UDP;
    try {
      socket = new UDP(options);
    } catch (err) {
      this.#failLater(new AimDbError("HOST_UDP", `cannot open UDP port ${o.port ?? 0}: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    this.#socket = socket;
    for (const m of o.multicast ?? []) {
      if (typeof socket.add !== "function") {
        this.#failLater(new AimDbError("HOST_NO_MULTICAST", `cannot join ${m.group}: this platform's UDP socket has no multicast (the ESP32's has)`));
        continue;
      }
      try {
        socket.add(m.group);
        this.#groups.push(m.group);
      } catch (err) {
        this.#failLater(new AimDbError("HOST_NO_MULTICAST", `cannot join ${m.group}: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
  }

  send(bytes: Uint8Array, address: string, port: number): void {
    const socket = this.#socket;
    if (!socket) return;
    try {
      socket.write(bytes, address, port);
    } catch (err) {
      // lwip throws when it has no buffer for the packet: the datagram is lost, as UDP may.
      this.#o.onError?.(new AimDbError("HOST_UDP", `cannot send to ${address}:${port}: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  close(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    Timer.clear(this.#failTimer);
    this.#failTimer = undefined;
    if (!socket) return;
    for (const group of this.#groups) socket.remove?.(group);
    this.#groups.length = 0;
    socket.close();
  }

  #readable(count: number): void {
    while (count-- > 0) {
      const socket = this.#socket;
      if (!socket) return;
      const packet = socket.read();
      if (!packet) return;
      this.#o.onReadable(new Uint8Array(packet), packet.address, packet.port);
    }
  }

  /** Reports the first failure from a timer, so the caller has its socket first; close() cancels it. */
  #failLater(error: Error): void {
    if (this.#failTimer !== undefined) return;
    this.#failTimer = Timer.set(() => {
      this.#failTimer = undefined;
      this.#o.onError?.(error);
    }, 0);
  }
}
