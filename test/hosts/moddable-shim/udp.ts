/**
 * Runs inside XS: ECMA-419 `embedded:io/socket/udp` as Moddable's lwip socket behaves
 * (modules/io/socket/lwip/udp.c): `read()` returns one packet, an ArrayBuffer with
 * `address` and `port`; `write(bytes, address, port)`; `add(group)` joins a multicast
 * group.
 */
import { bridge, type ShimEvent } from "./bridge.js";

interface Options {
  port?: number;
  onReadable?(this: UDP, count: number): void;
}

type Packet = ArrayBuffer & { address: string; port: number };

export default class UDP {
  readonly #n: number;
  readonly #o: Options;
  readonly #packets: Packet[] = [];
  #closed = false;

  constructor(o: Options) {
    this.#o = o;
    this.#n = bridge.id();
    bridge.send({ op: "udp.open", n: this.#n, port: o.port ?? 0 });
    bridge.handlers.set(this.#n, (e) => this.#event(e));
  }

  read(): Packet | undefined {
    return this.#packets.shift();
  }

  write(bytes: ArrayBuffer | ArrayBufferView, address: string, port: number): void {
    const view = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
    bridge.send({ op: "udp.write", n: this.#n, bytes: Array.from(view), address, port });
  }

  add(group: string): void {
    bridge.send({ op: "udp.add", n: this.#n, group });
  }

  remove(group: string): void {
    bridge.send({ op: "udp.remove", n: this.#n, group });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    bridge.handlers.delete(this.#n);
    bridge.send({ op: "udp.close", n: this.#n });
  }

  #event(e: ShimEvent): void {
    if (this.#closed || e.t !== "udp.data") return;
    const packet = new Uint8Array(e.bytes as number[]).buffer as Packet;
    packet.address = e.address as string;
    packet.port = e.port as number;
    this.#packets.push(packet);
    this.#o.onReadable?.call(this, this.#packets.length);
  }
}
