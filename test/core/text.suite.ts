/** The portable UTF-8 codec, link-address parsing and the sim host's own guarantees. */
import { parseLinkUrl, utf8Decode, utf8Encode } from "../../src/index.js";
import { SimHost } from "../../hosts/sim/index.js";
import { deepEq, eq, throwsCode } from "../support/check.js";
import type { Suite } from "../support/suite.js";

export const utf8Suite: Suite = (t) => {
  t.test("encodes one to four byte sequences", () => {
    deepEq([...utf8Encode("a")], [0x61], "ASCII is one byte");
    deepEq([...utf8Encode("é")], [0xc3, 0xa9], "U+00E9 is two bytes");
    deepEq([...utf8Encode("€")], [0xe2, 0x82, 0xac], "U+20AC is three bytes");
    deepEq([...utf8Encode("😀")], [0xf0, 0x9f, 0x98, 0x80], "U+1F600 is four bytes");
  });

  t.test("round-trips mixed text", () => {
    const text = "station α · 21.5 °C 😀 done";
    eq(utf8Decode(utf8Encode(text)), text, "decode(encode(s)) is s");
  });

  t.test("rejects malformed input with BAD_UTF8", () => {
    const bad: number[][] = [
      [0x80], // lone continuation byte
      [0xc3], // truncated two-byte sequence
      [0xe2, 0x82], // truncated three-byte sequence
      [0xc0, 0xaf], // overlong "/"
      [0xed, 0xa0, 0x80], // UTF-16 surrogate U+D800
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xff],
      [0xc3, 0x41], // bad continuation
    ];
    for (const bytes of bad) throwsCode(() => utf8Decode(new Uint8Array(bytes)), "BAD_UTF8", `rejects ${bytes.map((b) => b.toString(16)).join(" ")}`);
  });
};

export const linkUrlSuite: Suite = (t) => {
  t.test("splits scheme, resource and options", () => {
    const u = parseLinkUrl("mqtt://weather/alpha/temp?qos=1&retain=true");
    deepEq([u.scheme, u.resource, u.options.qos, u.options.retain], ["mqtt", "weather/alpha/temp", "1", "true"], "each part is found");
  });

  t.test("keeps MQTT wildcards and KNX addresses verbatim", () => {
    eq(parseLinkUrl("mqtt://sensors/+/temp/#").resource, "sensors/+/temp/#", "+ and # are part of the topic");
    eq(parseLinkUrl("knx://1/2/3?dpt=9.001").resource, "1/2/3", "a group address is the resource");
  });

  t.test("percent-decodes option values and treats __proto__ as a plain key", () => {
    const u = parseLinkUrl("ws://x?name=a%20b&__proto__=1");
    eq(u.options.name, "a b", "values are decoded");
    eq(Object.getPrototypeOf(u.options), null, "options have no prototype");
    eq(u.options["__proto__"], "1", "__proto__ is stored as an option");
  });

  t.test("rejects malformed addresses with BAD_URL", () => {
    for (const url of ["", "mqtt", "mqtt:/x", "mqtt://", "mqtt://?qos=1", "1mqtt://x", "Mqtt://x", "mqtt://a\tb", "mqtt://x?%E0%A4%A=1", "mqtt://x?a=1&a=2", "mqtt://x?=v"]) {
      throwsCode(() => parseLinkUrl(url), "BAD_URL", `rejects ${JSON.stringify(url)}`);
    }
  });
};

export const simHostSuite: Suite = (t) => {
  t.test("fires timers in deadline order, ties in creation order", async () => {
    const host = new SimHost();
    const order: string[] = [];
    host.setTimer(() => order.push("b"), 20);
    host.setTimer(() => order.push("a"), 10);
    host.setTimer(() => order.push("c"), 20);
    const cancelled = host.setTimer(() => order.push("x"), 15);
    host.clearTimer(cancelled);
    await host.advance(19);
    deepEq(order, ["a"], "only due timers fire");
    await host.advance(1);
    deepEq(order, ["a", "b", "c"], "equal deadlines keep creation order; cleared timers never fire");
    eq(host.now(), 20, "virtual time moved by exactly what was asked");
  });

  t.test("the same seed gives the same random sequence", () => {
    const a = new SimHost({ seed: 42 });
    const b = new SimHost({ seed: 42 });
    const c = new SimHost({ seed: 43 });
    const seq = (h: SimHost) => [h.random(), h.random(), h.random()];
    const sa = seq(a);
    deepEq(seq(b), sa, "seeded sequences repeat");
    eq(JSON.stringify(seq(c)) === JSON.stringify(sa), false, "another seed gives another sequence");
    eq(sa.every((x) => x >= 0 && x < 1), true, "values lie in [0, 1)");
  });
};
