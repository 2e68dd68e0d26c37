import { describe, it } from "vitest";
import { linkUrlSuite, simHostSuite, utf8Suite } from "./text.suite.js";
import { utf8Encode, utf8Decode } from "../../src/index.js";
import { expect } from "vitest";

describe("utf8", () => utf8Suite({ test: it }));
describe("link URLs", () => linkUrlSuite({ test: it }));
describe("sim host", () => simHostSuite({ test: it }));

describe("utf8 against TextEncoder/TextDecoder", () => {
  it("encodes random strings to the same bytes as TextEncoder", () => {
    const enc = new TextEncoder();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 2000; n++) {
      let s = "";
      for (let i = 0; i < 12; i++) {
        const pick = rnd();
        const cp = pick < 0.4 ? Math.floor(rnd() * 0x80) : pick < 0.7 ? Math.floor(rnd() * 0xd7ff) : pick < 0.9 ? 0xe000 + Math.floor(rnd() * 0x1fff) : 0x10000 + Math.floor(rnd() * 0xfffff);
        s += String.fromCodePoint(cp);
      }
      expect(utf8Encode(s)).toEqual(enc.encode(s));
      expect(utf8Decode(enc.encode(s))).toBe(s);
    }
  });

  it("agrees with a fatal TextDecoder on random bytes: both accept or both reject", () => {
    const dec = new TextDecoder("utf-8", { fatal: true });
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let accepted = 0;
    for (let n = 0; n < 5000; n++) {
      const bytes = new Uint8Array(1 + Math.floor(rnd() * 6)).map(() => (rnd() < 0.5 ? Math.floor(rnd() * 0x80) : 0x80 + Math.floor(rnd() * 0x80)));
      let ref: string | undefined;
      try {
        ref = dec.decode(bytes);
      } catch {
        ref = undefined;
      }
      let ours: string | undefined;
      try {
        ours = utf8Decode(bytes);
      } catch {
        ours = undefined;
      }
      expect(ours).toBe(ref);
      if (ref !== undefined) accepted++;
    }
    expect(accepted).toBeGreaterThan(500);
  });
});
