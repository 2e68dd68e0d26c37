// Builds the ES modules the Moddable manifests list (dist/xs): the library, the MQTT
// connector, the Moddable host, the sensor node app and the boards' sensor modules. The
// same TypeScript that Node runs; esbuild only joins each module's files and strips types.
//
// Each module keeps its imports of the others by their manifest names ("aimdb-ts",
// "aimdb-ts/mqtt", "aimdb-ts/moddable", "board/sensor"), so one copy of the core is
// preloaded on the device and its classes are the same for every module. Moddable's own
// modules ("timer", "embedded:io/socket/tcp"…) stay imports too. A last step links the
// app against the built modules the way the device will, and fails on any import that
// one of them does not export.
//
// esbuild writes every top-level `const` of a bundle as `var`. On a device a module-level
// binding that is not const may be written after the preload, so the XS linker keeps an
// alias for it in RAM and warns "no const". The sources declare none (module state is
// not allowed, DESIGN.md §3), so each top-level `var` that the module never assigns again
// is written back as `const`.
//
//   node scripts/build-xs.mjs [outdir]      (default dist/xs)
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Library modules: manifest name, the folder they own, their entry. Most specific first. */
export const LIBRARY = Object.freeze([
  { name: "aimdb-ts/mqtt", file: "aimdb-ts-mqtt", dir: "src/connectors/mqtt/", entry: "src/connectors/mqtt/index.ts" },
  { name: "aimdb-ts/knx", file: "aimdb-ts-knx", dir: "src/connectors/knx/", entry: "src/connectors/knx/index.ts" },
  { name: "aimdb-ts/moddable", file: "aimdb-ts-moddable", dir: "hosts/moddable/", entry: "hosts/moddable/index.ts" },
  { name: "aimdb-ts", file: "aimdb-ts", dir: "src/", entry: "src/index.ts" },
]);

/** App modules: output file and entry. */
export const APPS = Object.freeze([
  { file: "station", entry: "boards/common/main.ts" },
  { file: "station-tls", entry: "boards/common/main-tls.ts" },
  { file: "sensor-esp32", entry: "boards/esp32/sensor.ts" },
  { file: "sensor-sim", entry: "boards/sim/sensor.ts" },
]);

/** Module names the Moddable SDK (or a board manifest) provides. */
export const MODDABLE_MODULES = Object.freeze(["timer", "time", "net", "mc/config", "board/sensor", "embedded:*"]);

/**
 * An esbuild plugin: an import that lands in another library module's folder becomes an
 * import of that module by name. `own` is the folder of the module being built, if any.
 */
function libraryImports(own) {
  return {
    name: "aimdb-library-imports",
    setup(b) {
      b.onResolve({ filter: /^\.{1,2}\// }, (args) => {
        const abs = path.resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
        const rel = path.relative(ROOT, abs).split(path.sep).join("/");
        const lib = LIBRARY.find((l) => rel.startsWith(l.dir));
        if (!lib || lib.dir === own) return undefined;
        return { path: lib.name, external: true };
      });
    },
  };
}

const common = { bundle: true, format: "esm", platform: "neutral", target: "es2022", logLevel: "warning", absWorkingDir: ROOT };

/** Builds every module into `outdir`; returns their paths by file name. */
export async function buildXs(outdir = path.join(ROOT, "dist/xs")) {
  const out = {};
  for (const m of [...LIBRARY.map((l) => ({ file: l.file, entry: l.entry, own: l.dir })), ...APPS]) {
    const outfile = path.join(outdir, `${m.file}.js`);
    await build({ ...common, entryPoints: [m.entry], outfile, external: [...MODDABLE_MODULES], plugins: [libraryImports(m.own)] });
    writeFileSync(outfile, restoreConst(readFileSync(outfile, "utf8")));
    out[m.file] = outfile;
  }
  await linkCheck(out);
  return out;
}

/** Top-level `var NAME = …` back to `const` when NAME is assigned nowhere else in the module. */
export function restoreConst(code) {
  return code.replace(/^var ([A-Za-z_$][\w$]*) = /gm, (line, name) => {
    const id = name.replace(/\$/g, "\\$");
    const writes = code.match(new RegExp(`(?:^|[^.\\w$])${id}\\s*(?:[-+*/%&|^]|\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?)?=(?![=>])|(?:\\+\\+|--)${id}(?![\\w$])|(?:^|[^.\\w$])${id}\\s*(?:\\+\\+|--)`, "gm"));
    return (writes?.length ?? 0) === 1 ? `const ${name} = ` : line;
  });
}

/** esbuild aliases that resolve the manifest names to the built files. */
export function aliases(files, sensor = "sensor-sim") {
  const alias = { "board/sensor": files[sensor] };
  for (const l of LIBRARY) alias[l.name] = files[l.file];
  return alias;
}

/** Links each app with the built modules as the device would; throws on a missing export. */
async function linkCheck(files) {
  for (const [app, sensor] of [["station", "sensor-esp32"], ["station", "sensor-sim"], ["station-tls", "sensor-esp32"]]) {
    await build({
      ...common,
      entryPoints: [files[app]],
      write: false,
      alias: aliases(files, sensor),
      external: MODDABLE_MODULES.filter((n) => n !== "board/sensor"),
      logLevel: "silent",
    }).catch((err) => {
      throw new Error(`${app} does not link with the built modules: ${err.message}`);
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const outdir = path.resolve(process.argv[2] ?? path.join(ROOT, "dist/xs"));
  const files = await buildXs(outdir);
  console.log(`${path.relative(process.cwd(), outdir) || "."}: ${Object.keys(files).map((f) => `${f}.js`).join(", ")}`);
}
