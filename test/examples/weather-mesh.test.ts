/**
 * The weather-mesh demo as a newcomer runs it: `npm start` with the embedded broker and
 * with mosquitto, the hub's dew point for known inputs, and the dashboard in Chromium.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { AimDbBuilder, BufferCfg } from "../../src/index.js";
import { mqtt } from "../../src/connectors/mqtt/index.js";
import { nodeHost } from "../../hosts/node/index.js";
import { Humidity, Temperature, dewPoint, type DewPoint } from "../../examples/weather-mesh/contracts.js";
import { buildHub } from "../../examples/weather-mesh/hub.js";
import { freePort, skipWithout, startAedes, startMosquitto } from "../support/peers.js";
import { until } from "../connectors/mqtt/mqtt-support.js";

interface Demo {
  child: ChildProcess;
  out(): string;
  /** Sends SIGINT and resolves with the exit code and how long it took. */
  stop(): Promise<{ code: number | null; ms: number }>;
}

const running = new Set<ChildProcess>();
afterAll(() => {
  for (const c of running) c.kill("SIGKILL");
});

async function startDemo(args: string[]): Promise<Demo> {
  // One process (node with the tsx loader), so SIGINT reaches the demo itself, as Ctrl-C does.
  const child = spawn(process.execPath, ["--import", "tsx", "examples/weather-mesh/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let text = "";
  child.stdout!.on("data", (d) => (text += d));
  child.stderr!.on("data", (d) => (text += d));
  return {
    child,
    out: () => text,
    stop: () =>
      new Promise((resolve) => {
        const t0 = Date.now();
        child.once("exit", (code) => {
          running.delete(child);
          resolve({ code, ms: Date.now() - t0 });
        });
        child.kill("SIGINT");
      }),
  };
}

/** Station rows of the latest table the demo printed: id → received count, when up. */
function latestRows(text: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(alpha|beta|gamma)\s+(-?[\d.]+) °C\s+([\d.]+) %\s+([\d.]+) hPa\s+(-?[\d.]+) °C\s+up\s+(\d+)$/.exec(line.trim());
    if (m) rows.set(m[1]!, Number(m[6]));
  }
  return rows;
}

describe("weather-mesh demo", () => {
  it("documents its options with --help", async () => {
    const demo = await startDemo(["--help"]);
    const { code } = await new Promise<{ code: number | null }>((r) => demo.child.once("exit", (c) => r({ code: c })));
    expect(code).toBe(0);
    for (const opt of ["--broker", "--port", "--mqtt-port", "--seconds"]) expect(demo.out()).toContain(opt);
  });

  it("refuses a bad option with a clear message", async () => {
    const demo = await startDemo(["--port", "eighty"]);
    const code = await new Promise((r) => demo.child.once("exit", r));
    expect(code).toBe(2);
    expect(demo.out()).toContain('--port must be an integer from 0 to 65535, got "eighty"');
  });

  it("derives the dew point of known inputs in the hub", async () => {
    const broker = await startAedes();
    const host = nodeHost({ onLog: () => {} });
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const hub = await buildHub(host, { mqtt: mqtt({ url, clientId: "hub" }), stations: ["alpha"] });
    const b = new AimDbBuilder(host).withConnector(mqtt({ url, clientId: "fake-alpha" }));
    b.configure<typeof Temperature.Type>("t", (r) => r.buffer(BufferCfg.singleLatest()).linkTo("mqtt://weather/alpha/temp?qos=1").withSerializer(Temperature.encode));
    b.configure<typeof Humidity.Type>("h", (r) => r.buffer(BufferCfg.singleLatest()).linkTo("mqtt://weather/alpha/humidity").withSerializer(Humidity.encode));
    const station = await b.build();
    await hub.run();
    await station.run();
    await until(() => hub.records().every((r) => r.links.every((l) => l.state === "up")) && station.records().every((r) => r.links[0]!.state === "up"), 5000, "links up");
    await new Promise((r) => setTimeout(r, 100));
    station.produce("h", { percent: 50, at: 1 });
    station.produce("t", { celsius: 20, at: 1 });
    await until(() => hub.peek<DewPoint>("station.alpha.dewpoint") !== undefined, 5000, "a dew point");
    expect(hub.peek<DewPoint>("station.alpha.dewpoint")!.celsius).toBeCloseTo(9.26, 2);
    expect(dewPoint(20, 50)).toBeCloseTo(9.26, 2);
    expect(dewPoint(30, 80)).toBeCloseTo(26.17, 1);
    expect(dewPoint(-5, 90)).toBeCloseTo(-6.39, 1);
    await station.stop();
    await hub.stop();
    await broker.stop();
  });

  it("runs with the embedded broker: all three stations reach the hub within seconds, and Ctrl-C stops it within a second", async () => {
    const demo = await startDemo(["--mqtt-port", "0", "--port", "0", "--sample-ms", "250"]);
    await until(() => {
      const rows = latestRows(demo.out());
      return rows.size === 3 && [...rows.values()].every((n) => n >= 2);
    }, 15_000, "readings from alpha, beta and gamma at the hub");
    expect(demo.out()).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    expect(demo.out()).toMatch(/mesh: 3 stations/);
    const { code, ms } = await demo.stop();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1000);
    expect(demo.out()).toMatch(/stopped in \d+ ms/);
  }, 30_000);

  const noMosquitto = skipWithout("mosquitto");
  it.skipIf(noMosquitto)("runs against mosquitto with --broker", async () => {
    const broker = await startMosquitto();
    try {
      const demo = await startDemo(["--broker", `mqtt://127.0.0.1:${broker.port}`, "--port", "0", "--sample-ms", "250"]);
      await until(() => latestRows(demo.out()).size === 3, 15_000, "all three stations through mosquitto");
      expect(broker.log()).toMatch(/New client connected .* as station-alpha/);
      const { code } = await demo.stop();
      expect(code).toBe(0);
    } finally {
      await broker.stop();
    }
  }, 30_000);

  const noChromium = skipWithout("chromium");
  it.skipIf(noChromium)("shows live values in Chromium, and a command sent from the page reaches the station", async () => {
    const { chromium } = await import("playwright-core");
    const port = await freePort();
    const demo = await startDemo(["--mqtt-port", "0", "--port", String(port), "--sample-ms", "1000"]);
    await until(() => latestRows(demo.out()).size === 3, 15_000, "the mesh running");
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${port}/`);
      for (const id of ["alpha", "beta", "gamma"]) {
        await page.waitForFunction((s) => /\d °C/.test(document.querySelector(`[data-station="${s}"] .temp`)?.textContent ?? ""), id, { timeout: 10_000 });
      }
      const first = await page.textContent('[data-station="alpha"] .temp');
      await page.waitForFunction((t) => document.querySelector('[data-station="alpha"] .link-text')?.textContent !== t && /received/.test(document.querySelector('[data-station="alpha"] .link-text')?.textContent ?? ""), "", { timeout: 10_000 });
      await page.waitForFunction(() => (document.querySelector('[data-station="alpha"] polyline')?.getAttribute("points") ?? "").split(" ").length >= 3, undefined, { timeout: 10_000 });
      expect(await page.textContent("#ws-state")).toBe("live");
      expect(first).toMatch(/-?\d+\.\d °C/);
      await page.selectOption('[data-station="beta"] select', "250");
      await page.click('[data-station="beta"] button');
      await page.waitForFunction(() => /sent/.test(document.querySelector('[data-station="beta"] .note')?.textContent ?? ""), undefined, { timeout: 5000 });
      await until(() => /\[station\.beta\.command\] sampling every 250 ms \(asked by dashboard\)/.test(demo.out()), 5000, "the station applying the command");
      mkdirSync("test-artifacts", { recursive: true });
      await page.screenshot({ path: "test-artifacts/dashboard.png", fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await demo.stop();
    }
  }, 60_000);
});
