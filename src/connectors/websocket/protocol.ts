/**
 * The aimdb WebSocket protocol, version 1: small JSON objects in text messages, shared
 * by the server connector, the node client connector and the browser client. This file
 * is pure (no Host, no state): frame shapes, limits, codes, key patterns, a cheap check
 * that serialized bytes are one JSON value, the encoders and two tolerant parsers.
 * docs/websocket.md is the reference; every frame below is described there.
 *
 *   client → server  hello · subscribe · unsubscribe · write · ping
 *   server → client  welcome · event · snapshot · ack · error · pong · dropped
 *
 * Rule 1: a bad frame is answered with an `error` frame and never ends the connection;
 * only a refused hello (4001, 4002), a missing hello (4003) or a client that stops
 * reading its replies (1008) does.
 * Rule 2: values travel as JSON text that the server never re-parses: an event frame is
 * a fixed prefix, the serializer's bytes, and `}`.
 */

export const PROTOCOL_VERSION = 1;

// Close codes (RFC 6455 §7.4: 4000–4999 are for applications).
export const CLOSE_GOING_AWAY = 1001; // the server stops
export const CLOSE_POLICY = 1008; // the client does not read its replies
export const CLOSE_TOO_BIG = 1009; // a message far over maxFrameBytes (host limit)
export const CLOSE_TRY_LATER = 1013; // maxClients reached
export const CLOSE_UNAUTHORIZED = 4001;
export const CLOSE_VERSION = 4002;
export const CLOSE_NO_HELLO = 4003;

// Error codes carried by `error` frames (stable; tests and clients compare them).
export const WS_BAD_FRAME = "WS_BAD_FRAME"; // not JSON, not an object, a field missing or of the wrong type
export const WS_UNKNOWN_TYPE = "WS_UNKNOWN_TYPE";
export const WS_TOO_BIG = "WS_TOO_BIG"; // over maxFrameBytes, discarded unread
export const WS_BINARY = "WS_BINARY"; // a binary message: the protocol is text only
export const WS_NO_HELLO = "WS_NO_HELLO"; // a frame before hello, or a second hello
export const WS_VERSION = "WS_VERSION";
export const WS_UNAUTHORIZED = "WS_UNAUTHORIZED";
export const WS_BAD_PATTERN = "WS_BAD_PATTERN";
export const WS_TOO_MANY_PATTERNS = "WS_TOO_MANY_PATTERNS";
export const WS_NOT_WRITABLE = "WS_NOT_WRITABLE"; // no linkFrom for that key
export const WS_FORBIDDEN = "WS_FORBIDDEN"; // the client's grants do not cover the key
export const WS_BAD_VALUE = "WS_BAD_VALUE"; // the record refused the value (deserializer, freshness, order)
// Local codes (never on the wire): publish refusals and client-side failures.
export const WS_NOT_JSON = "WS_NOT_JSON";
export const WS_UNKNOWN_KEY = "WS_UNKNOWN_KEY";
export const WS_NOT_CONNECTED = "WS_NOT_CONNECTED";
export const WS_TIMEOUT = "WS_TIMEOUT";

/** Patterns a client may hold at once, and characters in a key or pattern. */
export const MAX_PATTERNS = 64;
export const MAX_KEY_LENGTH = 256;
/** Nesting a value may have to pass `isJsonValue`. */
export const MAX_JSON_DEPTH = 30;

/** A record the welcome offers: the client may read it, and write it when `writable`. */
export interface RecordOffer {
  readonly key: string;
  readonly writable: boolean;
}

/** What a client sent, parsed and checked. */
export type ClientFrame =
  | { readonly type: "hello"; readonly version: number; readonly token: string | undefined }
  | { readonly type: "subscribe" | "unsubscribe"; readonly id: number; readonly patterns: readonly string[] }
  | { readonly type: "write"; readonly id: number; readonly key: string; readonly value: unknown }
  | { readonly type: "ping"; readonly id: number };

/** A client frame that could not be accepted, with the reply it is owed. */
export interface FrameFault {
  readonly type: "fault";
  readonly id: number | undefined;
  readonly code: string;
  readonly message: string;
}

/** What a server sent. Unknown types are ignored by clients (`undefined` from the parser). */
export type ServerFrame =
  | { readonly type: "welcome"; readonly version: number; readonly records: readonly RecordOffer[] }
  | { readonly type: "event" | "snapshot"; readonly key: string; readonly seq: number; readonly value: unknown }
  | { readonly type: "ack" | "pong"; readonly id: number }
  | { readonly type: "error"; readonly id: number | undefined; readonly code: string; readonly message: string }
  | { readonly type: "dropped"; readonly count: number };

// ---- keys and patterns -------------------------------------------------------------

/** Letters, digits, `_` and `-`: the characters of a key segment. */
function keyChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}

function segmentOk(s: string, from: number, to: number): boolean {
  if (to === from) return false;
  for (let i = from; i < to; i++) if (!keyChar(s.charCodeAt(i))) return false;
  return true;
}

/** True for a record key: dot-separated segments of letters, digits, `_` and `-`. */
export function isKey(key: string): boolean {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  for (let from = 0; ; ) {
    const dot = key.indexOf(".", from);
    const to = dot < 0 ? key.length : dot;
    if (!segmentOk(key, from, to)) return false;
    if (dot < 0) return true;
    from = dot + 1;
  }
}

/** Why `pattern` is not a pattern, or undefined. `*` is one whole segment, `#` the whole last one. */
export function patternError(pattern: unknown): string | undefined {
  if (typeof pattern !== "string" || pattern.length === 0 || pattern.length > MAX_KEY_LENGTH) {
    return `a pattern is a string of 1 to ${MAX_KEY_LENGTH} characters`;
  }
  for (let from = 0; ; ) {
    const dot = pattern.indexOf(".", from);
    const to = dot < 0 ? pattern.length : dot;
    const one = to - from === 1 ? pattern[from] : "";
    if (one === "#") {
      if (dot >= 0) return `"#" must be the last segment: "${pattern}"`;
    } else if (one !== "*" && !segmentOk(pattern, from, to)) {
      return `segments are letters, digits, '_', '-', or a whole "*" or "#": "${pattern}"`;
    }
    if (dot < 0) return undefined;
    from = dot + 1;
  }
}

/**
 * True when `key` matches `pattern`: `*` matches exactly one segment, a final `#` any
 * number of segments, none included (`station.#` matches `station` and
 * `station.alpha.temp`). Allocates nothing.
 */
export function patternMatches(pattern: string, key: string): boolean {
  if (pattern === key) return true;
  const pl = pattern.length;
  const kl = key.length;
  let p = 0;
  let k = 0;
  for (;;) {
    let pe = pattern.indexOf(".", p);
    if (pe < 0) pe = pl;
    const n = pe - p;
    if (n === 1 && pattern.charCodeAt(p) === 0x23 /* # */) return true;
    if (k > kl) return false;
    let ke = key.indexOf(".", k);
    if (ke < 0) ke = kl;
    if (!(n === 1 && pattern.charCodeAt(p) === 0x2a /* * */)) {
      if (n !== ke - k) return false;
      for (let i = 0; i < n; i++) if (pattern.charCodeAt(p + i) !== key.charCodeAt(k + i)) return false;
    }
    if (pe === pl) return ke === kl;
    p = pe + 1;
    k = ke + 1;
  }
}

/** True when `key` matches one of `patterns`. */
export function matchesAny(patterns: readonly string[], key: string): boolean {
  for (const p of patterns) if (patternMatches(p, key)) return true;
  return false;
}

// ---- values -------------------------------------------------------------------------

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
/** Bytes that may form a top-level number or literal: digits, letters, `+`, `-`, `.`. */
const isScalar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2b || c === 0x2d || c === 0x2e;

/**
 * True when `bytes` look like exactly one JSON value: strings closed (no raw control
 * characters in them), brackets balanced and matched up to MAX_JSON_DEPTH levels, nothing
 * but white space after the value, and no `,` or `:` outside a container. It is what makes
 * splicing the bytes into a frame safe; it does not check numbers or literals (the
 * receiver's JSON.parse does). UTF-8 validity is checked by whoever decodes the bytes.
 */
export function isJsonValue(bytes: Uint8Array): boolean {
  let depth = 0;
  let stack = 0; // bit i: 1 when level i+1 is an object, 0 when an array
  let inString = false;
  let escaped = false;
  let started = false; // a top-level value has begun
  let done = false; // the top-level value has ended
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) {
        inString = false;
        if (depth === 0) done = true;
      } else if (c < 0x20) return false;
      continue;
    }
    if (isSpace(c)) {
      if (depth === 0 && started) done = true;
      continue;
    }
    if (done) return false;
    if (c === 0x22) {
      if (depth === 0 && started) return false;
      inString = started = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === 0 && started) return false;
      if (++depth > MAX_JSON_DEPTH) return false;
      stack = (stack << 1) | (c === 0x7b ? 1 : 0);
      started = true;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 0 || (stack & 1) !== (c === 0x7d ? 1 : 0)) return false;
      stack >>>= 1;
      if (--depth === 0) done = true;
    } else if (depth === 0) {
      if (!isScalar(c)) return false;
      started = true;
    }
  }
  return !inString && depth === 0 && started;
}

// ---- encoders -------------------------------------------------------------------------

const q = (s: string) => JSON.stringify(s);

export const helloFrame = (token: string | undefined): string =>
  `{"type":"hello","version":${PROTOCOL_VERSION}${token === undefined ? "" : `,"token":${q(token)}`}}`;
export const subscribeFrame = (type: "subscribe" | "unsubscribe", id: number, patterns: readonly string[]): string =>
  `{"type":"${type}","id":${id},"patterns":[${patterns.map(q).join(",")}]}`;
/** A write frame around an already serialized value (`valueJson` must pass `isJsonValue`). */
export const writeFrame = (id: number, key: string, valueJson: string): string => `{"type":"write","id":${id},"key":${q(key)},"value":${valueJson}}`;
export const pingFrame = (id: number): string => `{"type":"ping","id":${id}}`;

export const welcomeFrame = (records: readonly RecordOffer[]): string =>
  `{"type":"welcome","version":${PROTOCOL_VERSION},"records":[${records.map((r) => `{"key":${q(r.key)},"writable":${r.writable}}`).join(",")}]}`;
/** The start of every event or snapshot frame of `key`; then come the seq, `,"value":`, the value and `}`. */
export const valuePrefix = (type: "event" | "snapshot", key: string): string => `{"type":"${type}","key":${q(key)},"seq":`;
export const valueFrame = (prefix: string, seq: number, valueJson: string): string => `${prefix}${seq},"value":${valueJson}}`;
export const ackFrame = (id: number): string => `{"type":"ack","id":${id}}`;
export const pongFrame = (id: number): string => `{"type":"pong","id":${id}}`;
export const droppedFrame = (count: number): string => `{"type":"dropped","count":${count}}`;
export const errorFrame = (code: string, message: string, id?: number): string =>
  `{"type":"error"${id === undefined ? "" : `,"id":${id}`},"code":"${code}","message":${q(message)}}`;

// ---- parsers --------------------------------------------------------------------------

type Json = Record<string, unknown>;

function parseObject(text: string): Json | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

const isId = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function fault(code: string, message: string, id?: number): FrameFault {
  return { type: "fault", id, code, message };
}

/** Parses and checks one client frame; never throws. */
export function parseClientFrame(text: string): ClientFrame | FrameFault {
  const f = parseObject(text);
  if (f === undefined) return fault(WS_BAD_FRAME, "a frame is one JSON object");
  const type = f["type"];
  if (typeof type !== "string") return fault(WS_BAD_FRAME, 'a frame needs a string "type"');
  if (type === "hello") {
    const version = f["version"];
    const token = f["token"];
    if (typeof version !== "number") return fault(WS_BAD_FRAME, 'hello needs a numeric "version"');
    if (token !== undefined && typeof token !== "string") return fault(WS_BAD_FRAME, 'hello "token" must be a string');
    return { type, version, token };
  }
  if (type !== "subscribe" && type !== "unsubscribe" && type !== "write" && type !== "ping") {
    return fault(WS_UNKNOWN_TYPE, `unknown frame type ${q(type.slice(0, 32))}`);
  }
  const id = f["id"];
  if (!isId(id)) return fault(WS_BAD_FRAME, `${type} needs an "id" (a non-negative integer)`);
  if (type === "ping") return { type, id };
  if (type === "write") {
    const key = f["key"];
    if (typeof key !== "string") return fault(WS_BAD_FRAME, 'write needs a string "key"', id);
    if (!("value" in f)) return fault(WS_BAD_FRAME, 'write needs a "value"', id);
    return { type, id, key, value: f["value"] };
  }
  const patterns = f["patterns"];
  if (!Array.isArray(patterns) || patterns.length === 0) return fault(WS_BAD_FRAME, `${type} needs a non-empty "patterns" array`, id);
  if (patterns.length > MAX_PATTERNS) return fault(WS_TOO_MANY_PATTERNS, `at most ${MAX_PATTERNS} patterns`, id);
  for (const p of patterns) {
    const why = patternError(p);
    if (why !== undefined) return fault(WS_BAD_PATTERN, why, id);
  }
  return { type, id, patterns: patterns as string[] };
}

/** Parses one server frame; `undefined` for anything malformed or of an unknown type. */
export function parseServerFrame(text: string): ServerFrame | undefined {
  const f = parseObject(text);
  if (f === undefined) return undefined;
  switch (f["type"]) {
    case "welcome": {
      const records = f["records"];
      if (typeof f["version"] !== "number" || !Array.isArray(records)) return undefined;
      const out: RecordOffer[] = [];
      for (const r of records as Json[]) {
        if (typeof r !== "object" || r === null || typeof r["key"] !== "string") return undefined;
        out.push({ key: r["key"], writable: r["writable"] === true });
      }
      return { type: "welcome", version: f["version"], records: out };
    }
    case "event":
    case "snapshot":
      if (typeof f["key"] !== "string" || typeof f["seq"] !== "number" || !("value" in f)) return undefined;
      return { type: f["type"], key: f["key"], seq: f["seq"], value: f["value"] };
    case "ack":
    case "pong":
      return isId(f["id"]) ? { type: f["type"], id: f["id"] } : undefined;
    case "error":
      if (typeof f["code"] !== "string") return undefined;
      return { type: "error", id: isId(f["id"]) ? f["id"] : undefined, code: f["code"], message: typeof f["message"] === "string" ? f["message"] : "" };
    case "dropped":
      return typeof f["count"] === "number" ? { type: "dropped", count: f["count"] } : undefined;
    default:
      return undefined;
  }
}
