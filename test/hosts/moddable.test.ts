/**
 * The Moddable host and the boards on Node, without XS: their sources obey the rules a
 * preloaded module on a device obeys, the manifests name exactly the modules
 * `npm run build:xs` writes, and those modules keep their top-level bindings const.
 * The run inside XS is moddable.xs.test.ts.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { derBytes } from "../../hosts/moddable/pem.js";
import { scanSource } from "../support/portability.js";
// @ts-expect-error: a plain ES module script without types
import { APPS, LIBRARY, buildXs } from "../../scripts/build-xs.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const json = (f: string) => JSON.parse(readFileSync(path.join(ROOT, f), "utf8")) as Record<string, unknown>;

/** Module names the Moddable SDK or a board manifest provides: imports of these are expected. */
const MODDABLE_IMPORT = /from "(?:timer|time|net|mc\/config|board\/sensor|embedded:[\w/-]+)";/;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.ts$/.test(f) && !f.endsWith(".d.ts"))
    .map((f) => path.join(dir, f));
}

describe("the Moddable host and the boards", () => {
  it("use no Node API and keep no module-level mutable state (DESIGN.md §3)", () => {
    const files = [...sources("hosts/moddable"), ...sources("boards")];
    expect(files).toContain(path.join("hosts", "moddable", "index.ts"));
    const report = files.flatMap((file) =>
      scanSource(readFileSync(path.join(ROOT, file), "utf8"))
        .filter((v) => !(v.kind === "package-import" && MODDABLE_IMPORT.test(v.text)))
        .map((v) => `${file}:${v.line}  ${v.kind}  ${v.text}`),
    );
    expect(report).toEqual([]);
  });

  it("list every library module build:xs writes, each preloaded: KNX in manifest_knx.json, the rest in manifest.json", () => {
    type Manifest = { include?: string[]; modules: Record<string, string>; preload: string[] };
    const main = json("manifest.json") as Manifest;
    const knx = json("manifest_knx.json") as Manifest;
    const expected = Object.fromEntries((LIBRARY as { name: string; file: string }[]).map((l) => [l.name, `./dist/xs/${l.file}`]));
    expect({ ...main.modules, ...knx.modules }).toEqual(expected);
    expect(Object.keys(knx.modules)).toEqual(["aimdb-ts/knx"]);
    expect(knx.include).toEqual(["./manifest.json"]);
    for (const m of [main, knx]) expect([...m.preload].sort()).toEqual(Object.keys(m.modules).sort());
  });

  it("map the boards' main and sensor modules to files build:xs writes", () => {
    const built = new Set((APPS as { file: string }[]).map((a) => `../../dist/xs/${a.file}`));
    for (const [board, sensor] of [["boards/esp32/manifest.json", "sensor-esp32"], ["boards/sim/manifest.json", "sensor-sim"]] as const) {
      const m = json(board) as { include: string[]; modules: Record<string, string>; preload: string[] };
      expect(m.include, `${board} includes the library manifest`).toContain("../../manifest.json");
      expect(m.modules).toEqual({ main: "../../dist/xs/station", "board/sensor": `../../dist/xs/${sensor}` });
      for (const file of Object.values(m.modules)) expect(built.has(file), `${file} is built`).toBe(true);
      expect([...m.preload].sort()).toEqual(Object.keys(m.modules).sort());
    }
    const tls = json("boards/esp32/manifest_tls.json") as { modules: Record<string, string>; creation: { main: string } };
    expect(tls.modules[tls.creation.main]).toBe("../../dist/xs/station-tls");
  });

  it("size the ESP32 node's XS machine explicitly and strip unused built-ins", () => {
    const m = json("boards/esp32/manifest.json") as { creation: Record<string, { initial: number } | number>; strip: string; config: Record<string, unknown> };
    expect(m.creation.static, "slot and chunk heaps of fixed initial sizes").toBe(0);
    expect(m.creation.chunk).toMatchObject({ initial: 32768 });
    expect(m.creation.heap).toMatchObject({ initial: 3072 });
    expect(m.strip).toBe("*");
    expect(Object.keys(m.config)).toEqual(expect.arrayContaining(["broker", "station", "sampleMs", "sensor", "sda", "scl"]));
  });

  it("build modules whose top-level bindings are const again, as the sources declare them", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "aimdb-xs-"));
    try {
      const files = (await buildXs(out)) as Record<string, string>;
      for (const [name, file] of Object.entries(files)) {
        const vars = readFileSync(file, "utf8").split("\n").filter((l) => /^var /.test(l));
        expect(vars, `${name}.js: a top-level var is an alias in RAM on a device ("no const")`).toEqual([]);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("PEM for Moddable's TLS session", () => {
  it("decodes the first PEM block to DER bytes", () => {
    const der = Uint8Array.from({ length: 70 }, (_, i) => (i * 37) & 0xff);
    const b64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
    const pem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
    expect(new Uint8Array(derBytes(pem))).toEqual(der);
  });

  it("copies DER bytes given as such", () => {
    const der = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
    const out = derBytes(der);
    expect(new Uint8Array(out)).toEqual(der);
    expect(out).not.toBe(der.buffer);
  });

  it("refuses text that is not PEM with HOST_BAD_PEM", () => {
    expect(() => derBytes("not a certificate")).toThrow(expect.objectContaining({ code: "HOST_BAD_PEM" }));
    expect(() => derBytes("-----BEGIN X-----\n@@@@\n-----END X-----\n")).toThrow(expect.objectContaining({ code: "HOST_BAD_PEM" }));
  });
});
