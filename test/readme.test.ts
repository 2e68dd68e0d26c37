import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";

describe("README", () => {
  const readme = readFileSync("README.md", "utf8");

  it("opens with the two set-up commands", () => {
    const setup = readme.slice(0, readme.indexOf("## Quick example"));
    expect(setup).toContain("npm install && npm start");
    expect(setup).toContain("npm test");
  });

  it("has a quick example that runs and prints what it says", () => {
    const section = readme.slice(readme.indexOf("## Quick example"));
    const code = section.slice(section.indexOf("```ts") + 5, section.indexOf("```", section.indexOf("```ts") + 5));
    const local = code
      .replace('from "aimdb-ts/node"', 'from "../hosts/node/index.js"')
      .replace('from "aimdb-ts"', 'from "../src/index.js"');
    const file = "test/.readme-example.ts";
    writeFileSync(file, local);
    try {
      const run = spawnSync("npx", ["tsx", file], { encoding: "utf8", timeout: 30_000 });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout.trim().split("\n")).toEqual(["temperature: 68 °F", "temperature: 69.8 °F", "temperature: 71.6 °F", "71.6"]);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
