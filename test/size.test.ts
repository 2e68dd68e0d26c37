import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { MINIFIED } from "./support/minified.js";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { sizeBudget: Record<string, { entry: string; maxBytes: number }> };
const readme = readFileSync("README.md", "utf8");

describe("size budget", () => {
  for (const [name, { entry, maxBytes }] of Object.entries(pkg.sizeBudget)) {
    it(`${name} minified stays within ${maxBytes} bytes`, async () => {
      const out = await build({ ...MINIFIED, entryPoints: [entry] });
      const bytes = out.outputFiles[0]!.contents.length;
      expect(bytes).toBeGreaterThan(1000);
      expect(bytes).toBeLessThanOrEqual(maxBytes);
    });

    it(`the README quotes the ${name} budget`, () => {
      expect(readme).toContain(`(\`${name}\`), minified with esbuild: at most ${maxBytes / 1024} KB`);
    });
  }
});
