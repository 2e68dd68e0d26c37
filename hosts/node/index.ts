/**
 * The Node.js host: `performance.now()` for the monotonic clock, `Date.now()` for the
 * wall clock, Node timers, TextEncoder/TextDecoder, the console, `net`/`tls` for TCP, `dgram`
 * for UDP and npm `ws` for WebSocket (server and client).
 */
import type { Host, LogLevel, TimerHandle, Utf8Codec } from "../../src/host.js";
import { AimDbError } from "../../src/core/errors.js";
import { nodeTcp } from "./tcp.js";
import { nodeUdp } from "./udp.js";
import { nodeWs, nodeWsServer } from "./ws.js";

/** Options of the Node host. */
export interface NodeHostOptions {
  /** Lowest level written (default `"info"`). */
  logLevel?: LogLevel;
  /** Where log lines go (default: stderr through the console). */
  onLog?: (level: LogLevel, message: string) => void;
}

const LEVELS: Readonly<Record<LogLevel, number>> = Object.freeze({ debug: 0, info: 1, warn: 2, error: 3 });

/** Makes a Host for Node.js. */
export function nodeHost(options: NodeHostOptions = {}): Host {
  const min = LEVELS[options.logLevel ?? "info"];
  const write = options.onLog ?? ((level: LogLevel, message: string) => console.error(`${new Date().toISOString()} ${level.padEnd(5)} ${message}`));
  const encoder = new TextEncoder();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const utf8: Utf8Codec = {
    encode: (text) => encoder.encode(text),
    decode: (bytes) => {
      try {
        return decoder.decode(bytes);
      } catch {
        throw new AimDbError("BAD_UTF8", "malformed UTF-8");
      }
    },
  };
  return {
    name: "node",
    now: () => performance.now(),
    unixMs: () => Date.now(),
    setTimer: (callback: () => void, delayMs: number): TimerHandle => setTimeout(callback, delayMs),
    clearTimer: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    log: (level, message) => {
      if (LEVELS[level] >= min) write(level, message);
    },
    random: () => Math.random(),
    utf8,
    tcp: nodeTcp,
    udp: nodeUdp,
    wsServer: nodeWsServer,
    ws: nodeWs,
  };
}
