/**
 * The minified size of the MQTT connector (alone, without the core, and what it adds to
 * an app that has the core) and of the core, bundled with esbuild; and mqtt.js's browser
 * bundle as shipped. Sizes in bytes, minified and gzip -9.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import { MINIFIED } from "../../test/support/minified.js";
import { ROOT } from "./common.js";

export interface Sizes {
  connector: number;
  connectorGzip: number;
  ownCode: number;
  ownCodeGzip: number;
  core: number;
  coreGzip: number;
  /** The core and the connector in one bundle, less the core alone. */
  added: number;
  addedGzip: number;
  mqttjs: number | undefined;
  mqttjsGzip: number | undefined;
}

async function bundle(entry: string | { contents: string }, plugins: Plugin[] = []): Promise<Uint8Array> {
  const out = await build({
    ...(typeof entry === "string" ? { entryPoints: [path.join(ROOT, entry)] } : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: "ts" } }),
    ...MINIFIED,
    plugins,
  });
  return out.outputFiles[0]!.contents;
}

/** Leaves every module of src/core out of the bundle (imported, not included). */
const coreExternal: Plugin = {
  name: "core-external",
  setup(b) {
    const core = path.join(ROOT, "src", "core") + path.sep;
    b.onResolve({ filter: /^\./ }, (a) => (path.resolve(a.resolveDir, a.path).startsWith(core) ? { path: a.path, external: true } : undefined));
  },
};

export async function sizes(): Promise<Sizes> {
  const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;
  const connector = await bundle("src/connectors/mqtt/index.ts");
  const own = await bundle("src/connectors/mqtt/index.ts", [coreExternal]);
  const core = await bundle("src/index.ts");
  const both = await bundle({ contents: 'export * from "./src/index.ts";\nexport { mqtt } from "./src/connectors/mqtt/index.ts";\n' });
  const min = path.join(ROOT, "node_modules", "mqtt", "dist", "mqtt.min.js");
  let mqttjs: number | undefined;
  let mqttjsGzip: number | undefined;
  try {
    mqttjs = statSync(min).size;
    mqttjsGzip = gz(readFileSync(min));
  } catch {
    // not installed: the row says so
  }
  return {
    connector: connector.length,
    connectorGzip: gz(connector),
    ownCode: own.length,
    ownCodeGzip: gz(own),
    core: core.length,
    coreGzip: gz(core),
    added: both.length - core.length,
    addedGzip: gz(both) - gz(core),
    mqttjs,
    mqttjsGzip,
  };
}
