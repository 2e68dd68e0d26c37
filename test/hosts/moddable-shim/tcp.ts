/**
 * Runs inside XS: ECMA-419 `embedded:io/socket/tcp` as Moddable's lwip socket behaves
 * (modules/io/socket/lwip/tcp.c): a dotted IPv4 `address` only; the first `onWritable`
 * means connected; `write` throws "not ready" before that and "would block" beyond the
 * room last reported, and returns the room left; room comes back as Node hands bytes to
 * the kernel (lwip: as the peer acknowledges them); `read()` reads all, `read(n)` n
 * bytes, `read(view)` fills the view; `onError` follows a close by the peer too, once
 * every byte received was read.
 */
import { bridge, type ShimEvent } from "./bridge.js";

/** lwip's send buffer on Moddable's ESP32 builds (CONFIG_LWIP_TCP_SND_BUF_DEFAULT). */
export const SEND_BUFFER = 5744;

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

interface Options {
  address: string;
  port: number;
  nodelay?: boolean;
  format?: string;
  onReadable?(this: TCP, count: number): void;
  onWritable?(this: TCP, count: number): void;
  onError?(this: TCP): void;
}

export default class TCP {
  readonly #n: number;
  readonly #o: Options;
  #chunks: Uint8Array[] = [];
  #available = 0;
  #room = 0;
  #ready = false;
  #error = false;
  #closed = false;

  constructor(o: Options) {
    if (typeof o.address !== "string" || !IPV4.test(o.address)) throw new Error("invalid address");
    if ((o.format ?? "buffer") !== "buffer") throw new RangeError("unimplemented");
    this.#o = o;
    this.#n = bridge.id();
    bridge.send({ op: "tcp.open", n: this.#n, address: o.address, port: o.port, nodelay: o.nodelay === true });
    bridge.handlers.set(this.#n, (e) => this.#event(e));
  }

  get format(): string {
    return "buffer";
  }

  read(into?: number | ArrayBuffer | ArrayBufferView): ArrayBuffer | number | undefined {
    if (this.#available === 0) return undefined;
    let out: Uint8Array;
    let result: ArrayBuffer | number;
    if (into === undefined || typeof into === "number") {
      const n = into ?? this.#available;
      if (n <= 0 || n > this.#available) throw new Error("invalid");
      out = new Uint8Array(n);
      result = out.buffer as ArrayBuffer;
    } else {
      out = ArrayBuffer.isView(into) ? new Uint8Array(into.buffer, into.byteOffset, into.byteLength) : new Uint8Array(into);
      if (out.length <= 0 || out.length > this.#available) throw new Error("invalid");
      result = out.length;
    }
    let o = 0;
    while (o < out.length) {
      const head = this.#chunks[0]!;
      const n = Math.min(head.length, out.length - o);
      out.set(head.subarray(0, n), o);
      o += n;
      if (n === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(n);
    }
    this.#available -= out.length;
    // lwip reports an error that came while bytes were unread once they all are read.
    if (this.#available === 0 && this.#error) bridge.send({ op: "tcp.redeliver", n: this.#n });
    return result;
  }

  write(bytes: ArrayBuffer | ArrayBufferView): number | undefined {
    if (!this.#ready) throw new Error("not ready");
    if (this.#error || this.#closed) return undefined;
    const view = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
    if (view.length > this.#room) throw new Error("would block");
    this.#room -= view.length;
    bridge.send({ op: "tcp.write", n: this.#n, bytes: Array.from(view) });
    return this.#room;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    bridge.handlers.delete(this.#n);
    bridge.send({ op: "tcp.close", n: this.#n });
  }

  #event(e: ShimEvent): void {
    if (this.#closed) return;
    switch (e.t) {
      case "tcp.connected":
        this.#ready = true;
        this.#room = SEND_BUFFER;
        this.#o.onWritable?.call(this, this.#room);
        return;
      case "tcp.sent":
        this.#room += e.count as number;
        if (!this.#error) this.#o.onWritable?.call(this, this.#room);
        return;
      case "tcp.data": {
        const bytes = new Uint8Array(e.bytes as number[]);
        this.#chunks.push(bytes);
        this.#available += bytes.length;
        this.#o.onReadable?.call(this, this.#available);
        return;
      }
      case "tcp.error":
        this.#error = true;
        this.#ready = false;
        if (this.#available === 0) this.#o.onError?.call(this);
        return;
    }
  }
}
