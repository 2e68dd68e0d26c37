/**
 * A small KNXnet/IP tunnelling server on the sim host's in-memory UDP, written with the
 * library's own codec, so the tunnelling engine can be driven through virtual hours
 * inside XS. Enough of a gateway for the tests: CONNECT (NAT mode), TUNNELLING_ACK and
 * L_Data.con for every request, CONNECTIONSTATE and DISCONNECT, and L_Data.ind
 * telegrams injected by the test. It can go silent, forget its channels (a restart),
 * drop ACKs or confirmations, refuse connections, or disconnect a client.
 */
import type { SimHost } from "../../hosts/sim/index.js";
import type { UdpSocket } from "../../src/host.js";
import { decodeFrame } from "../../src/connectors/knx/decode.js";
import { encodeFrame } from "../../src/connectors/knx/encode.js";
import { groupTelegram } from "../../src/connectors/knx/cemi.js";
import { isLData, type Frame, type LData } from "../../src/connectors/knx/frames.js";

interface Client {
  channel: number;
  address: string;
  port: number;
  sendSeq: number;
  recvSeq: number;
}

export class MiniGateway {
  /** Every frame received, with the time, for assertions. */
  readonly seen: { frame: Frame; at: number }[] = [];
  /** L_Data.req telegrams received (each once, repetitions excluded). */
  readonly telegrams: LData[] = [];
  /** CONNECT_RESPONSE status to answer with (0 accepts). */
  refuse = 0;
  /** Reads but never answers. */
  silent = false;
  /** Acknowledge requests but send no L_Data.con. */
  noConfirm = false;
  /** Set the error flag in L_Data.con. */
  confirmError = false;
  /** Drop this many of the next TUNNELLING_REQUESTs without an ACK. */
  dropAcks = 0;
  /** Acknowledged TUNNELLING_REQUESTs the gateway sent us, by sequence counter. */
  readonly acked: number[] = [];
  readonly #host: SimHost;
  readonly #socket: UdpSocket;
  #clients: Client[] = [];
  #nextChannel = 1;

  constructor(host: SimHost, port = 3671, address = "127.0.0.1") {
    this.#host = host;
    this.#socket = host.udpNetwork.open({ address, port, onReadable: (b, a, p) => this.#receive(b, a, p) });
  }

  get clients(): number {
    return this.#clients.length;
  }

  close(): void {
    this.#socket.close();
  }

  /** Forgets every channel, as a gateway that restarted. */
  restart(): void {
    this.#clients = [];
  }

  /** Sends DISCONNECT_REQUEST to every client. */
  disconnectAll(): void {
    for (const c of this.#clients) this.#send({ service: 0x0209, channelId: c.channel, controlEndpoint: { protocol: 1, address: "127.0.0.1", port: 3671 } }, c);
  }

  /** Sends an L_Data.ind group telegram from `source` to every client. */
  indicate(apci: number, destination: number, data: Uint8Array | undefined, short: boolean, source = 0x1105, repeat = 1): void {
    for (const c of this.#clients) {
      const cemi = groupTelegram(0x29, apci, destination, data ? { data, short } : undefined);
      cemi.source = source;
      const seq = c.sendSeq;
      c.sendSeq = (c.sendSeq + 1) & 0xff;
      for (let i = 0; i < repeat; i++) this.#send({ service: 0x0420, channelId: c.channel, sequenceCounter: seq, cemi }, c);
    }
  }

  /** Sends a raw datagram to every client. */
  sendRaw(bytes: Uint8Array): void {
    for (const c of this.#clients) this.#socket.send(bytes, c.address, c.port);
  }

  #send(f: Frame, c: { address: string; port: number }): void {
    this.#socket.send(encodeFrame(f), c.address, c.port);
  }

  #receive(bytes: Uint8Array, address: string, port: number): void {
    const f = decodeFrame(bytes);
    this.seen.push({ frame: f, at: this.#host.now() });
    if (this.silent) return;
    const from = { address, port };
    switch (f.service) {
      case 0x0205: {
        if (this.refuse) return this.#send({ service: 0x0206, channelId: 0, status: this.refuse }, from);
        const c: Client = { channel: this.#nextChannel++, address, port, sendSeq: 0, recvSeq: 0 };
        this.#clients.push(c);
        return this.#send({ service: 0x0206, channelId: c.channel, status: 0, dataEndpoint: { protocol: 1, address: "0.0.0.0", port: 0 }, crd: { connectionType: 4, address: 0x11fa } }, from);
      }
      case 0x0207: {
        const known = this.#clients.some((c) => c.channel === f.channelId);
        return this.#send({ service: 0x0208, channelId: f.channelId, status: known ? 0 : 0x21 }, from);
      }
      case 0x0209:
        this.#clients = this.#clients.filter((c) => c.channel !== f.channelId);
        return this.#send({ service: 0x020a, channelId: f.channelId, status: 0 }, from);
      case 0x0421:
        this.acked.push(f.sequenceCounter);
        return;
      case 0x0420: {
        const c = this.#clients.find((x) => x.channel === f.channelId);
        if (!c) return this.#send({ service: 0x0421, channelId: f.channelId, sequenceCounter: f.sequenceCounter, status: 0x21 }, from);
        if (this.dropAcks > 0) {
          this.dropAcks--;
          return;
        }
        this.#send({ service: 0x0421, channelId: c.channel, sequenceCounter: f.sequenceCounter, status: 0 }, from);
        if (f.sequenceCounter !== c.recvSeq || !isLData(f.cemi)) return; // a repetition: acknowledged, not sent again
        c.recvSeq = (c.recvSeq + 1) & 0xff;
        this.telegrams.push(f.cemi);
        if (this.noConfirm) return;
        const con: LData = { ...f.cemi, messageCode: 0x2e, confirmError: this.confirmError };
        const seq = c.sendSeq;
        c.sendSeq = (c.sendSeq + 1) & 0xff;
        return this.#send({ service: 0x0420, channelId: c.channel, sequenceCounter: seq, cemi: con }, from);
      }
    }
  }
}
