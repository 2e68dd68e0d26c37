/**
 * Host WebSocket on Node, with npm `ws`: a server (its own `http.Server`, or attached to
 * the app's, upgrading only its path) and a client, behind the Host's callback interface.
 *
 * Fan-out: the runtime sends the same frame string to many connections; the last string
 * is encoded once and the same Buffer is handed to every socket (server frames are not
 * masked, so `ws` never changes it), and the frames one connection is sent in one
 * event-loop turn leave in one write.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { WsClientOptions, WsClientSocket, WsConnection, WsServer, WsServerOptions } from "../../src/host.js";

/** Messages over `maxPayload` × this are not read at all: `ws` closes with 1009. */
const HARD_LIMIT_FACTOR = 16;
/** Bytes a connection gathers in one event-loop turn before writing them anyway. */
const COALESCE_BYTES = 16 * 1024;
/** Time a closing peer has to answer the closing handshake before its socket is destroyed. */
const CLOSE_GRACE_MS = 2000;

const size = (data: RawData): number => (Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length);

export function nodeWsServer(o: WsServerOptions): WsServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.max(o.maxPayload * HARD_LIMIT_FACTOR, 1 << 20), perMessageDeflate: false, clientTracking: true });
  const own = o.server === undefined;
  const server = (o.server as http.Server | undefined) ?? http.createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain", upgrade: "websocket" }).end("WebSocket only\n");
  });
  let lastText: string | undefined;
  let lastBytes: Buffer = Buffer.alloc(0);
  const encode = (text: string): Buffer => {
    if (text !== lastText) {
      lastBytes = Buffer.from(text, "utf8");
      lastText = text;
    }
    return lastBytes;
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    if ((q < 0 ? url : url.slice(0, q)) !== o.path) {
      // Another upgrade handler of the app may want it; with none, refuse it here.
      if (server.listenerCount("upgrade") === 1) socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  };

  const accept = (ws: WebSocket, req: http.IncomingMessage) => {
    let closed = false;
    // Frames sent in one turn of the event loop leave together: the socket is corked at the
    // first and uncorked once the turn's callbacks are done, or as soon as COALESCE_BYTES
    // wait, so a burst never looks like a slow reader (corked bytes count in bufferedAmount).
    const raw = (ws as unknown as { _socket?: Duplex })._socket;
    let corked = false;
    const uncork = () => {
      corked = false;
      raw!.uncork();
    };
    const conn: WsConnection = {
      send: (text) => {
        if (closed || ws.readyState !== WebSocket.OPEN) return;
        if (!corked && raw?.cork) {
          corked = true;
          raw.cork();
          process.nextTick(uncork);
        }
        ws.send(encode(text), { binary: false });
        if (corked && raw!.writableLength >= COALESCE_BYTES) {
          raw!.uncork();
          raw!.cork();
        }
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      close: (code, reason) => {
        if (closed) return;
        closed = true;
        ws.close(code, reason);
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      },
      onMessage: undefined,
      onRefused: undefined,
      onClose: undefined,
    };
    ws.on("message", (data, isBinary) => {
      if (closed) return;
      const n = size(data);
      if (isBinary || n > o.maxPayload) conn.onRefused?.(n, isBinary);
      else conn.onMessage?.(data.toString());
    });
    ws.on("error", () => {}); // a protocol violation: `ws` closes (1002, 1007, 1009) and "close" follows
    ws.on("close", (code, reason) => {
      if (closed) return;
      closed = true;
      conn.onClose?.(code, reason.toString());
    });
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    o.onConnection(conn, { url: req.url ?? "/", headers });
  };

  server.on("upgrade", onUpgrade);
  const listening = () => o.onListening?.((server.address() as { port: number }).port);
  if (own) {
    server.once("error", (err) => o.onError?.(err));
    server.listen(o.port, o.host, listening);
  } else if (server.listening) queueMicrotask(listening);
  else server.once("listening", listening);

  return {
    close: () => {
      server.off("upgrade", onUpgrade);
      for (const ws of wss.clients) {
        ws.close(1001, "server stopping");
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      }
      wss.close();
      if (own) {
        server.close();
        server.closeAllConnections();
      }
    },
  };
}

export function nodeWs(o: WsClientOptions): WsClientSocket {
  let closed = false;
  const ws = new WebSocket(o.url, { perMessageDeflate: false, handshakeTimeout: 10_000 });
  ws.on("open", () => {
    if (!closed) o.onOpen();
  });
  ws.on("message", (data, isBinary) => {
    if (!closed && !isBinary) o.onMessage(data.toString());
  });
  ws.on("error", (err) => {
    if (!closed) o.onError?.(err);
  });
  ws.on("close", (code, reason) => {
    if (closed) return;
    closed = true;
    o.onClose(code, reason.toString());
  });
  return {
    send: (text) => {
      if (!closed && ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    close: () => {
      if (closed) return;
      closed = true;
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else {
        ws.close(1000);
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
      }
    },
  };
}
