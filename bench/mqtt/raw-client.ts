/**
 * A raw MQTT 3.1.1 client on a plain socket: pre-encoded packets and a parser that only
 * walks fixed headers (and reads a PUBLISH's payload when asked). It is the counting
 * subscriber of the throughput runs, the same for every publisher, and the baseline: the
 * least a client can cost, so its rows show what the broker and the machine allow.
 */
import net from "node:net";

function mqttString(s: string): Buffer {
  const b = Buffer.from(s, "utf8");
  const out = Buffer.alloc(2 + b.length);
  out.writeUInt16BE(b.length, 0);
  b.copy(out, 2);
  return out;
}

function mqttPacket(first: number, body: Buffer): Buffer {
  const len: number[] = [];
  let n = body.length;
  do {
    let d = n & 0x7f;
    n >>>= 7;
    if (n > 0) d |= 0x80;
    len.push(d);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...len]), body]);
}

/** A PUBLISH of `payload` to `topic`; at QoS 1 its packet id is at `idOffset`. */
export function publishPacket(topic: string, qos: 0 | 1, payload: Uint8Array): { bytes: Buffer; idOffset: number; payloadOffset: number } {
  const t = mqttString(topic);
  const body = Buffer.concat([t, qos === 1 ? Buffer.from([0, 1]) : Buffer.alloc(0), payload]);
  const bytes = mqttPacket(0x30 | (qos << 1), body);
  const headerLength = bytes.length - body.length;
  return { bytes, idOffset: headerLength + t.length, payloadOffset: bytes.length - payload.length };
}

export class RawClient {
  /** PUBLISH packets received since the last `reset()`. */
  count = 0;
  /** PUBACKs received. */
  acked = 0;
  /** Called with each received PUBLISH's payload (valid during the call only). */
  onPublish: ((payload: Buffer) => void) | undefined;
  readonly socket: net.Socket;
  #target = Number.POSITIVE_INFINITY;
  #reached: (() => void) | undefined;
  #waiting: { type: number; resolve: () => void } | undefined;
  #rest: Buffer | undefined;
  #nextId = 1;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.#feed(chunk));
  }

  static async open(port: number, clientId: string, noDelay: boolean): Promise<RawClient> {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setNoDelay(noDelay);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const c = new RawClient(socket);
    const connack = c.#expect(2);
    socket.write(mqttPacket(0x10, Buffer.concat([mqttString("MQTT"), Buffer.from([4, 0x02, 0, 0]), mqttString(clientId)])));
    await connack;
    return c;
  }

  async subscribe(filter: string, qos: 0 | 1): Promise<void> {
    const suback = this.#expect(9);
    this.socket.write(mqttPacket(0x82, Buffer.concat([Buffer.from([0, 1]), mqttString(filter), Buffer.from([qos])])));
    await suback;
  }

  /** Resolves on the PINGRESP to a PINGREQ sent now. */
  async ping(): Promise<void> {
    const pong = this.#expect(13);
    this.socket.write(Buffer.from([0xc0, 0]));
    await pong;
  }

  /** A packet id for a QoS 1 publish (the bench never has 65,535 outstanding). */
  nextId(): number {
    const id = this.#nextId;
    this.#nextId = id === 0xffff ? 1 : id + 1;
    return id;
  }

  /** Resolves once `n` PUBLISH packets have arrived since the last `reset()`. */
  reached(n: number): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    this.#target = n;
    return new Promise<void>((r) => (this.#reached = r));
  }

  reset(): void {
    this.count = 0;
    this.#target = Number.POSITIVE_INFINITY;
  }

  close(): void {
    this.socket.destroy();
  }

  #expect(type: number): Promise<void> {
    return new Promise<void>((resolve) => (this.#waiting = { type, resolve }));
  }

  #feed(chunk: Buffer): void {
    const buf = this.#rest ? Buffer.concat([this.#rest, chunk]) : chunk;
    this.#rest = undefined;
    let i = 0;
    const end = buf.length;
    while (i < end) {
      // Fixed header: type and flags, then the remaining length (1 to 4 bytes).
      let length = 0;
      let mul = 1;
      let k = i + 1;
      let complete = false;
      while (k < end && k < i + 5) {
        const d = buf[k++]!;
        length += (d & 0x7f) * mul;
        mul *= 128;
        if ((d & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || k + length > end) break;
      const first = buf[i]!;
      const type = first >> 4;
      if (type === 3) this.#publish(buf, first, k, length);
      else if (type === 4) this.acked++;
      else if (this.#waiting?.type === type) {
        const w = this.#waiting;
        this.#waiting = undefined;
        w.resolve();
      }
      i = k + length;
    }
    if (i < end) this.#rest = Buffer.from(buf.subarray(i));
  }

  #publish(buf: Buffer, first: number, body: number, length: number): void {
    const qos = (first >> 1) & 3;
    let p = body + 2 + buf.readUInt16BE(body);
    if (qos > 0) {
      this.socket.write(Buffer.from([0x40, 2, buf[p]!, buf[p + 1]!]));
      p += 2;
    }
    this.onPublish?.(buf.subarray(p, body + length));
    if (++this.count >= this.#target && this.#reached) {
      const r = this.#reached;
      this.#reached = undefined;
      this.#target = Number.POSITIVE_INFINITY;
      r();
    }
  }
}
