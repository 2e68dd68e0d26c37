/**
 * Real peers started by tests: mosquitto (Debian), aedes (npm, in-process) and Debian's
 * Python modules.
 * A test that needs a Debian binary skips with a one-line reason when it is missing on a
 * developer's machine, and fails when CI=true: CI must never go green by skipping.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** The binaries from `names` that are not on PATH. */
export function missing(...names: string[]): string[] {
  return names.filter((n) => spawnSync("sh", ["-c", `command -v ${n}`]).status !== 0);
}

/**
 * Whether tests needing `names` should be skipped. Throws under CI=true when one is missing,
 * so the test file fails instead of skipping.
 */
export function skipWithout(...names: string[]): boolean {
  const gone = missing(...names);
  if (gone.length === 0) return false;
  const reason = `needs ${gone.join(", ")} (apt-get install ${gone.join(" ")}); skipped`;
  if (process.env.CI === "true") throw new Error(`CI: ${reason.replace("; skipped", "")}`);
  console.warn(reason);
  return true;
}

/** Debian's python3, which imports the Debian python3-* modules (PEERS.md). */
export const PYTHON = "/usr/bin/python3";

/** The Python modules from `modules` that PYTHON cannot import. */
export function missingPython(...modules: string[]): string[] {
  return modules.filter((m) => spawnSync(PYTHON, ["-c", `import ${m}`]).status !== 0);
}

/**
 * Whether tests needing the Python `modules` should be skipped (one line says why).
 * Throws under CI=true when one is missing, so the test file fails instead of skipping.
 */
export function skipWithoutPython(...modules: string[]): boolean {
  const gone = missingPython(...modules);
  if (gone.length === 0) return false;
  const pkgs = gone.map((m) => `python3-${m}`).join(" ");
  const reason = `needs ${gone.join(", ")} for ${PYTHON} (apt-get install ${pkgs}); skipped`;
  if (process.env.CI === "true") throw new Error(`CI: ${reason.replace("; skipped", "")}`);
  console.warn(reason);
  return true;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface Mosquitto {
  port: number;
  dir: string;
  process: ChildProcess;
  /** Everything it logged. */
  log(): string;
  signal(sig: NodeJS.Signals): void;
  /** Stops it (SIGTERM, then SIGKILL) and removes its files. */
  stop(): Promise<void>;
}

/** Starts mosquitto on 127.0.0.1 and resolves once it logs that it is running. */
export async function startMosquitto(options: { port?: number; extra?: string[]; files?: Record<string, string>; dir?: string } = {}): Promise<Mosquitto> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), "aimdb-mosquitto-"));
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(path.join(dir, name), text);
  const conf = path.join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      "per_listener_settings false",
      `listener ${port} 127.0.0.1`,
      // As root, mosquitto would switch to its own user and lose access to this test's files.
      ...(process.getuid?.() === 0 ? ["user root"] : []),
      ...(options.extra?.some((l) => l.startsWith("persistence ")) ? [] : ["persistence false"]),
      "log_dest stderr",
      "log_type all",
      ...(options.extra ?? ["allow_anonymous true"]),
    ].join("\n") + "\n",
  );
  const child = spawn("mosquitto", ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let text = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mosquitto did not start:\n${text}`)), 10_000);
    child.stderr!.on("data", (d: Buffer) => {
      text += d.toString();
      if (/mosquitto version \S+ running/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`mosquitto exited with ${code}:\n${text}`));
    });
  });
  child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
  return {
    port,
    dir,
    process: child,
    log: () => text,
    signal: (sig) => child.kill(sig),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGCONT");
        child.kill("SIGTERM");
        await new Promise<void>((r) => {
          const t = setTimeout(() => {
            child.kill("SIGKILL");
          }, 3000);
          child.once("exit", () => {
            clearTimeout(t);
            r();
          });
        });
      }
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Aedes {
  port: number;
  broker: unknown;
  stop(): Promise<void>;
}

/** Starts an in-process aedes broker on 127.0.0.1. */
export async function startAedes(options: { port?: number; authenticate?: unknown; authorizePublish?: unknown } = {}): Promise<Aedes> {
  const { Aedes } = (await import("aedes")) as unknown as { Aedes: { createBroker(o: object): Promise<{ handle: (s: net.Socket) => void; close(cb: () => void): void }> } };
  const broker = await Aedes.createBroker({ ...(options.authenticate ? { authenticate: options.authenticate } : {}), ...(options.authorizePublish ? { authorizePublish: options.authorizePublish } : {}) });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
    broker.handle(s);
  });
  const port = options.port ?? 0;
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    broker,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
    },
  };
}

/**
 * For a test that needs Debian tools: skips it with a one-line reason when one is
 * missing, and fails it under CI=true.
 */
export function needTools(ctx: { skip(note?: string): void }, tools: readonly string[], pkg: string): void {
  const gone = missing(...tools);
  if (gone.length === 0) return;
  const reason = `${gone.join(" and ")} not installed (apt-get install ${pkg})`;
  if (process.env.CI === "true") throw new Error(`CI requires ${pkg}: ${reason}`);
  ctx.skip(reason);
}
