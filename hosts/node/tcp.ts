/** Host TCP on Node: `net` and `tls` sockets behind the Host's callback interface. */
import net from "node:net";
import tls from "node:tls";
import type { TcpOptions, TcpSocket } from "../../src/host.js";

const pem = (v: string | Uint8Array | undefined) => (v === undefined ? undefined : typeof v === "string" ? v : Buffer.from(v));

export function nodeTcp(options: TcpOptions): TcpSocket {
  let closed = false;
  // Writes made in one turn of the event loop leave in one segment: cork on the first,
  // uncork once the turn is over.
  let corked = false;
  const uncork = () => {
    corked = false;
    if (!closed) socket.uncork();
  };
  const t = options.tls;
  const socket = t
    ? tls.connect({
        host: options.host,
        port: options.port,
        ca: pem(t.ca),
        cert: pem(t.cert),
        key: pem(t.key),
        servername: t.servername ?? (net.isIP(options.host) ? undefined : options.host),
        rejectUnauthorized: t.insecure !== true,
      })
    : net.connect({ host: options.host, port: options.port });
  socket.setNoDelay(options.noDelay === true);
  socket.once(t ? "secureConnect" : "connect", () => {
    if (!closed) options.onConnect();
  });
  socket.on("data", (chunk: Buffer) => {
    if (!closed) options.onReadable(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
  });
  socket.on("drain", () => {
    if (!closed) options.onWritable?.();
  });
  socket.on("error", (err) => {
    if (!closed) options.onError?.(err);
  });
  socket.on("close", () => {
    if (closed) return;
    closed = true;
    options.onClose();
  });
  return {
    write: (bytes) => {
      if (closed) return false;
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(uncork);
      }
      return socket.write(bytes);
    },
    close: () => {
      if (closed) return;
      closed = true;
      // Flush what this turn wrote (e.g. a final DISCONNECT), then close; a peer that
      // never answers the FIN costs at most a second.
      if (corked) socket.uncork();
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    },
  };
}
