/**
 * Host UDP on Node: a `dgram` socket behind the Host's callback interface. It binds to
 * `address`/`port` (default: every interface, a free port), joins each multicast group
 * on its interface, and sets multicast loopback and TTL. With a multicast group the
 * socket is opened with `reuseAddr`, so several programs on one machine can listen on
 * the group's port (KNX routing: 224.0.23.12:3671). Datagrams sent before the bind
 * completes wait for it; `close()` lets datagrams already handed to the socket leave
 * (a KNX DISCONNECT_REQUEST) before it closes, and no callback runs after it.
 */
import dgram from "node:dgram";
import type { UdpOptions, UdpSocket } from "../../src/host.js";

export function nodeUdp(options: UdpOptions): UdpSocket {
  const groups = options.multicast ?? [];
  const socket = dgram.createSocket({ type: "udp4", reuseAddr: groups.length > 0 });
  let closed = false;
  let bound = false;
  let inflight = 0;
  let release = false;
  const shut = () => {
    try {
      socket.close();
    } catch {
      // already closed by an error
    }
  };
  const pending: [Uint8Array, string, number][] = [];
  const fail = (err: Error) => {
    if (!closed) options.onError?.(err);
  };
  socket.on("error", fail);
  socket.on("message", (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    if (!closed) options.onReadable(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), rinfo.address, rinfo.port);
  });
  const send = (bytes: Uint8Array, address: string, port: number) => {
    inflight++;
    socket.send(bytes, port, address, (err) => {
      if (err) fail(err);
      if (--inflight === 0 && release) shut();
    });
  };
  socket.bind({ port: options.port ?? 0, address: options.address }, () => {
    if (closed) return;
    try {
      for (const g of groups) {
        socket.addMembership(g.group, g.interface);
        if (g.interface !== undefined) socket.setMulticastInterface(g.interface);
      }
      if (groups.length > 0) {
        socket.setMulticastLoopback(groups.some((g) => g.loopback !== false));
        socket.setMulticastTTL(16);
      }
    } catch (err) {
      fail(err as Error);
    }
    bound = true;
    for (const [bytes, address, port] of pending.splice(0)) send(bytes, address, port);
  });
  return {
    send: (bytes, address, port) => {
      if (closed) return;
      if (bound) send(bytes, address, port);
      else pending.push([bytes.slice(), address, port]);
    },
    close: () => {
      if (closed) return;
      closed = true;
      pending.length = 0;
      if (inflight === 0) shut();
      else release = true;
    },
  };
}
