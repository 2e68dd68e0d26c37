// Bundles the library into one ES module per entry for the Moddable manifest (dist/xs).
// The same TypeScript that Node runs; esbuild only joins the modules and strips types.
import { build } from "esbuild";

const entries = { "aimdb-ts": "src/index.ts" };
for (const [name, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    outfile: `dist/xs/${name}.js`,
    logLevel: "warning",
  });
}
console.log(`dist/xs: ${Object.keys(entries).join(", ")}`);
