/**
 * How this project measures a bundle's size: esbuild, bundled, minified, ESM, platform
 * neutral, es2022, in memory. The size budget, the benches and the station app's figure
 * all use it, so their numbers compare.
 */
export const MINIFIED = Object.freeze({
  bundle: true,
  minify: true,
  write: false,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  logLevel: "silent",
} as const);
