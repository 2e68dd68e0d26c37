/**
 * The WebSocket protocol's pure parts (patterns, the JSON check, frames, the client
 * queue), then the hub and the client connector on the sim host's in-memory network
 * (hub.suite.ts). Runs under vitest and inside XS.
 */
import * as P from "../../../src/connectors/websocket/protocol.js";
import { CONTROL, DATA, DROPPED_OLDEST, FrameQueue, FULL_OF_REPLIES, QUEUED } from "../../../src/connectors/websocket/queue.js";
import { utf8Encode } from "../../../src/core/utf8.js";
import { contract } from "../../../src/contracts/index.js";
import { deepEq, eq, ok } from "../../support/check.js";
import type { Suite, TestApi } from "../../support/suite.js";
import { hubTests } from "./hub.suite.js";

/** [pattern, key, matches] */
const MATCHES: readonly [string, string, boolean][] = [
  ["station.alpha.temp", "station.alpha.temp", true],
  ["station.alpha.temp", "station.alpha.tem", false],
  ["station.*.temp", "station.alpha.temp", true],
  ["station.*.temp", "station.alpha.beta.temp", false],
  ["station.*.temp", "station.temp", false],
  ["*", "station", true],
  ["*", "station.alpha", false],
  ["*.*", "a.b", true],
  ["station.#", "station.alpha.temp", true],
  ["station.#", "station", true],
  ["station.#", "stations.alpha", false],
  ["#", "anything.at.all", true],
  ["station.*.#", "station.alpha", true],
  ["station.*.#", "station", false],
  ["a.b", "a.bc", false],
  ["a.bc", "a.b", false],
  ["a.b.c", "a.b", false],
];

function protocolTests(t: TestApi): void {
  t.test("* matches one segment and a final # any number of segments, none included", () => {
    for (const [p, k, want] of MATCHES) eq(P.patternMatches(p, k), want, `${p} vs ${k}`);
  });

  t.test("a pattern is whole segments: * anywhere, # only last", () => {
    for (const good of ["#", "*", "a.*.c", "a.b.#", "station_1.temp-in", "*.#"]) eq(P.patternError(good), undefined, `"${good}" is a pattern`);
    for (const bad of ["", "a..b", ".a", "a.", "a.#.b", "a#", "a*b", "a b", "a/b", "é", "x".repeat(257)]) ok(P.patternError(bad) !== undefined, `"${bad.slice(0, 20)}" is not a pattern`);
    ok(P.patternError(42) !== undefined, "a number is not a pattern");
  });

  t.test("keys are dot-separated segments without wildcards", () => {
    for (const k of ["a", "station.alpha.temp", "A-b_9.x"]) eq(P.isKey(k), true, `"${k}" is a key`);
    for (const k of ["", "a.*", "a.#", "a..b", "a b", "x".repeat(257)]) eq(P.isKey(k), false, `"${k.slice(0, 20)}" is not a key`);
  });

  t.test("isJsonValue accepts one JSON value and nothing that could break out of a frame", () => {
    const good = ['{"a":1}', "[1,2,{\"b\":[true,null]}]", '"text, with: } ] signs"', "42", "-1.5e3", "true", "null", ' \n{"a":"\\"}"} \t', '"\\\\"'];
    for (const s of good) eq(P.isJsonValue(utf8Encode(s)), true, `accepts ${s}`);
    const bad = ["", "   ", "1,2", '{"a":1}}', '{"a":1},{"b":2}', "{]", "[}", '"open', "{} {}", "1 2", '"a"1', ",", '{"a":1', "]", "'x'", '"tab\there"', '1,"seq":2'];
    for (const s of bad) eq(P.isJsonValue(utf8Encode(s)), false, `refuses ${JSON.stringify(s)}`);
    eq(P.isJsonValue(utf8Encode("[".repeat(30) + "]".repeat(30))), true, "30 levels pass");
    eq(P.isJsonValue(utf8Encode("[".repeat(31) + "]".repeat(31))), false, "31 levels are refused");
    const T = contract("t.v", 1, { celsius: "f32" });
    eq(P.isJsonValue(T.encodeJson({ celsius: 21.5 })), true, "a contract's JSON form passes");
    eq(P.isJsonValue(T.encode({ celsius: 21.5 })), false, "a contract's binary form is refused");
  });

  t.test("client frames parse to their fields", () => {
    deepEq(P.parseClientFrame('{"type":"hello","version":1,"token":"t"}'), { type: "hello", version: 1, token: "t" }, "hello");
    deepEq(P.parseClientFrame('{"type":"hello","version":2}'), { type: "hello", version: 2 }, "hello without token, any version (the server judges it)");
    deepEq(P.parseClientFrame('{"type":"subscribe","id":1,"patterns":["a.*","b.#"]}'), { type: "subscribe", id: 1, patterns: ["a.*", "b.#"] }, "subscribe");
    deepEq(P.parseClientFrame('{"type":"unsubscribe","id":2,"patterns":["a.*"]}'), { type: "unsubscribe", id: 2, patterns: ["a.*"] }, "unsubscribe");
    deepEq(P.parseClientFrame('{"type":"write","id":3,"key":"a.b","value":{"x":[1]}}'), { type: "write", id: 3, key: "a.b", value: { x: [1] } }, "write");
    deepEq(P.parseClientFrame('{"type":"write","id":3,"key":"a.b","value":null}'), { type: "write", id: 3, key: "a.b", value: null }, "a null value is a value");
    deepEq(P.parseClientFrame('{"type":"ping","id":4}'), { type: "ping", id: 4 }, "ping");
  });

  t.test("bad client frames become faults with a stable code, and the id when there is one", () => {
    const cases: [string, string, number | undefined][] = [
      ["not json", P.WS_BAD_FRAME, undefined],
      ["[1,2]", P.WS_BAD_FRAME, undefined],
      ["null", P.WS_BAD_FRAME, undefined],
      ['{"id":1}', P.WS_BAD_FRAME, undefined],
      ['{"type":"shout","id":1}', P.WS_UNKNOWN_TYPE, undefined],
      ['{"type":"hello"}', P.WS_BAD_FRAME, undefined],
      ['{"type":"hello","version":1,"token":7}', P.WS_BAD_FRAME, undefined],
      ['{"type":"ping"}', P.WS_BAD_FRAME, undefined],
      ['{"type":"ping","id":-1}', P.WS_BAD_FRAME, undefined],
      ['{"type":"ping","id":1.5}', P.WS_BAD_FRAME, undefined],
      ['{"type":"write","id":5,"key":"a"}', P.WS_BAD_FRAME, 5],
      ['{"type":"write","id":5,"value":1}', P.WS_BAD_FRAME, 5],
      ['{"type":"subscribe","id":6,"patterns":[]}', P.WS_BAD_FRAME, 6],
      ['{"type":"subscribe","id":6,"patterns":"a"}', P.WS_BAD_FRAME, 6],
      ['{"type":"subscribe","id":7,"patterns":["a.#.b"]}', P.WS_BAD_PATTERN, 7],
      [JSON.stringify({ type: "subscribe", id: 8, patterns: Array.from({ length: 65 }, (_, i) => `k${i}`) }), P.WS_TOO_MANY_PATTERNS, 8],
    ];
    for (const [text, code, id] of cases) {
      const f = P.parseClientFrame(text);
      eq(f.type, "fault", `${text.slice(0, 40)} is a fault`);
      if (f.type !== "fault") continue;
      eq(f.code, code, `${text.slice(0, 40)} code`);
      eq(f.id, id, `${text.slice(0, 40)} id`);
    }
  });

  t.test("server frames are JSON with the value spliced in verbatim", () => {
    const value = '{"celsius":21.5,"note":"a \\"quoted\\" , } word"}';
    const frame = P.valueFrame(P.valuePrefix("event", "station.alpha.temp"), 7, value);
    deepEq(JSON.parse(frame), { type: "event", key: "station.alpha.temp", seq: 7, value: JSON.parse(value) }, "event");
    deepEq(P.parseServerFrame(frame), { type: "event", key: "station.alpha.temp", seq: 7, value: JSON.parse(value) }, "the parser reads it back");
    deepEq(P.parseServerFrame(P.valueFrame(P.valuePrefix("snapshot", "k"), 1, "3")), { type: "snapshot", key: "k", seq: 1, value: 3 }, "snapshot");
    deepEq(P.parseServerFrame(P.welcomeFrame([{ key: "a", writable: false }, { key: "b", writable: true }])), { type: "welcome", version: 1, records: [{ key: "a", writable: false }, { key: "b", writable: true }] }, "welcome");
    deepEq(P.parseServerFrame(P.ackFrame(9)), { type: "ack", id: 9 }, "ack");
    deepEq(P.parseServerFrame(P.pongFrame(9)), { type: "pong", id: 9 }, "pong");
    deepEq(P.parseServerFrame(P.droppedFrame(12)), { type: "dropped", count: 12 }, "dropped");
    deepEq(JSON.parse(P.errorFrame(P.WS_FORBIDDEN, 'no "x"', 4)), { type: "error", id: 4, code: "WS_FORBIDDEN", message: 'no "x"' }, "error with id");
    deepEq(JSON.parse(P.errorFrame(P.WS_BAD_FRAME, "m")), { type: "error", code: "WS_BAD_FRAME", message: "m" }, "error without id");
    eq(P.parseServerFrame('{"type":"future","x":1}'), undefined, "unknown server frames are ignored");
    eq(P.parseServerFrame('{"type":"event","key":"k","seq":1}'), undefined, "an event without value is malformed");
  });

  t.test("client frames built by the encoders parse back", () => {
    deepEq(P.parseClientFrame(P.helloFrame("t\"k")), { type: "hello", version: 1, token: 't"k' }, "hello with a token needing escapes");
    deepEq(P.parseClientFrame(P.subscribeFrame("subscribe", 3, ["a.*", "#"])), { type: "subscribe", id: 3, patterns: ["a.*", "#"] }, "subscribe");
    deepEq(P.parseClientFrame(P.writeFrame(4, "a.b", '{"v":1}')), { type: "write", id: 4, key: "a.b", value: { v: 1 } }, "write");
    deepEq(P.parseClientFrame(P.pingFrame(5)), { type: "ping", id: 5 }, "ping");
  });

  t.test("the frame queue is FIFO and wraps around", () => {
    const q = new FrameQueue(3);
    for (let round = 0; round < 4; round++) {
      eq(q.push(`a${round}`, DATA), QUEUED, "room");
      eq(q.push(`b${round}`, CONTROL), QUEUED, "room");
      eq(q.shift(), `a${round}`, "oldest first");
      eq(q.shift(), `b${round}`, "then the next");
    }
    eq(q.shift(), undefined, "empty");
    eq(q.size, 0, "size 0");
  });

  t.test("a full queue drops its oldest event, never a reply, and refuses when only replies are left", () => {
    const q = new FrameQueue(3);
    q.push("ack1", CONTROL);
    q.push("ev1", DATA);
    q.push("ev2", DATA);
    eq(q.push("ev3", DATA), DROPPED_OLDEST, "a full queue makes room");
    deepEq([q.shift(), q.shift(), q.shift()], ["ack1", "ev2", "ev3"], "the oldest event went, the reply stayed in front");
    q.push("ack2", CONTROL);
    q.push("ack3", CONTROL);
    q.push("ev4", DATA);
    eq(q.push("ack4", CONTROL), DROPPED_OLDEST, "a reply pushes out an event");
    deepEq([q.shift(), q.shift(), q.shift()], ["ack2", "ack3", "ack4"], "replies keep their order");
    for (const a of ["r1", "r2", "r3"]) q.push(a, CONTROL);
    eq(q.push("r4", CONTROL), FULL_OF_REPLIES, "nothing to drop");
    eq(q.size, 3, "the queue never grows over its capacity");
  });
}

export const websocketSuite: Suite = (t) => {
  protocolTests(t);
  hubTests(t);
};
