/**
 * `aimdb-ts/websocket`: records over WebSocket with one small JSON protocol (version 1,
 * docs/websocket.md). `websocketServer` exposes a hub's records to browsers and nodes;
 * `websocketClient` links a node's records to a hub. The browser client is
 * `aimdb-ts/websocket/browser`.
 */
export { websocketServer, type WebSocketServerOptions, type WsGrants } from "./server.js";
export { websocketClient, type WebSocketClientOptions, type Backoff } from "./client.js";
export {
  PROTOCOL_VERSION, patternMatches, patternError, isKey, isJsonValue, parseClientFrame, parseServerFrame,
  CLOSE_UNAUTHORIZED, CLOSE_VERSION, CLOSE_NO_HELLO, CLOSE_POLICY, CLOSE_TRY_LATER, CLOSE_GOING_AWAY,
  type ClientFrame, type ServerFrame, type RecordOffer, type FrameFault,
} from "./protocol.js";
