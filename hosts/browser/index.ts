/**
 * `aimdb-ts/websocket/browser`: the WebSocket client for pages, with the page's own
 * `WebSocket` and timers filled in. The client itself (src/connectors/websocket/browser.ts)
 * takes them as options, so it runs anywhere they are given.
 */
import { BrowserClient, type BrowserClientOptions } from "../../src/connectors/websocket/browser.js";

export { BrowserClient };
export type { BrowserClientOptions, ConnectionState, MirrorEntry, WebSocketConstructor, WebSocketLike } from "../../src/connectors/websocket/browser.js";

/** Connects to a hub from a page, e.g. `browserClient({ url: "ws://hub.local:8080/aimdb" })`. */
export function browserClient(options: BrowserClientOptions): BrowserClient {
  return new BrowserClient({
    WebSocket: globalThis.WebSocket as unknown as BrowserClientOptions["WebSocket"],
    timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number) },
    ...options,
  });
}
