/**
 * KNX peers for the tests, all started and stopped by them: two network namespaces
 * joined by a veth pair (multicast never touches the machine's own interfaces), knxd
 * with the dummy backend in the gateway namespace, knxtool against knxd's unix socket,
 * and agent.ts children in either namespace, driven over stdio. Namespace and link
 * names are unique per run; `KnxLab.close()` stops every process and deletes the
 * namespaces (which removes the veth pair).
 *
 * Needs root, iproute2, knxd and knxd-tools: `knxSkip()` says why tests skip without
 * them, and throws under CI=true, where skipping would hide a missing install.
 */
import type { RecordSpec } from "./agent.js";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { missing } from "../../support/peers.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const AGENT = fileURLToPath(new URL("./agent.ts", import.meta.url));

export const GW_IP = "10.77.0.1";
export const DEV_IP = "10.77.0.2";

/** The reason KNX peer tests cannot run here, or undefined. Throws under CI=true. */
export function knxSkip(...extra: string[]): string | undefined {
  const gone = missing("ip", "knxd", "knxtool", ...extra);
  let reason: string | undefined;
  if (process.getuid?.() !== 0) reason = "needs root for network namespaces";
  else if (gone.length) reason = `needs ${gone.join(", ")} (apt-get install iproute2 knxd knxd-tools tshark)`;
  else if (spawnSync("ip", ["netns", "list"]).status !== 0) reason = "network namespaces are not available";
  if (reason && process.env.CI === "true") throw new Error(`CI: ${reason}`);
  if (reason) console.warn(`${reason}; skipped`);
  return reason;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Waits until `check` returns something truthy, or throws after `ms`. */
export async function until<T>(check: () => T | undefined | false, ms = 10_000, what = "condition"): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A line-oriented child process: its output lines are kept and can be waited for. */
export class Lines {
  readonly lines: string[] = [];
  constructor(readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on("line", (l) => this.lines.push(l));
    child.stderr?.on("data", (d: Buffer) => this.lines.push(`stderr: ${d.toString().trim()}`));
  }
  wait(re: RegExp, ms = 10_000): Promise<string> {
    return until(() => this.lines.find((l) => re.test(l)), ms, `${re} in:\n${this.lines.join("\n")}`);
  }
  async stop(): Promise<void> {
    await stopChild(this.child);
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill(signal);
  const t = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(t);
}

/** A child agent (agent.ts) inside a namespace. */
export class Agent {
  readonly events: Record<string, any>[] = [];
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  #next = 1;
  stderr = "";

  constructor(ns: string) {
    this.#child = spawn("ip", ["netns", "exec", ns, process.execPath, "--import", "tsx", AGENT], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    readline.createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      let m: Record<string, any>;
      try {
        m = JSON.parse(line);
      } catch {
        return;
      }
      if (typeof m["id"] === "number") {
        const p = this.#pending.get(m["id"]);
        this.#pending.delete(m["id"]);
        if (m["ok"]) p?.resolve(m["result"]);
        else p?.reject(Object.assign(new Error(String(m["error"])), { code: m["code"] }));
      } else this.events.push(m);
    });
  }

  ready(): Promise<unknown> {
    return until(() => this.events.find((e) => e["ev"] === "ready"), 20_000, `the agent to start: ${this.stderr}`);
  }

  request<T = any>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  event(pred: (e: Record<string, any>) => boolean, ms = 10_000, what = "an event"): Promise<Record<string, any>> {
    return until(() => this.events.find(pred), ms, `${what}; events so far: ${JSON.stringify(this.events.slice(-20))}\n${this.stderr}`);
  }

  async close(): Promise<void> {
    this.#child.stdin!.end();
    await stopChild(this.#child);
  }
}

/** Namespaces, knxd and agents of one test file; `close()` undoes everything. */
export class KnxLab {
  readonly id = `${process.pid % 100000}${Math.floor(Math.random() * 1000)}`;
  readonly gw = `aimdb-kgw-${this.id}`;
  readonly dev = `aimdb-kdev-${this.id}`;
  readonly gwIf = `kg${this.id}`;
  readonly devIf = `kd${this.id}`;
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-knx-"));
  readonly socket = path.join(this.dir, "knx.sock");
  #knxd: ChildProcess | undefined;
  readonly #closers: (() => Promise<void> | void)[] = [];

  /** Creates both namespaces and the veth pair between them, with multicast routes. */
  setup(): void {
    this.#closers.push(() => {
      spawnSync("ip", ["netns", "del", this.gw]);
      spawnSync("ip", ["netns", "del", this.dev]);
    });
    run("ip", ["netns", "add", this.gw]);
    run("ip", ["netns", "add", this.dev]);
    run("ip", ["link", "add", this.gwIf, "netns", this.gw, "type", "veth", "peer", "name", this.devIf, "netns", this.dev]);
    for (const [ns, ifc, ip] of [[this.gw, this.gwIf, GW_IP], [this.dev, this.devIf, DEV_IP]] as const) {
      run("ip", ["-n", ns, "addr", "add", `${ip}/24`, "dev", ifc]);
      run("ip", ["-n", ns, "link", "set", ifc, "up"]);
      run("ip", ["-n", ns, "link", "set", "lo", "up"]);
      run("ip", ["-n", ns, "route", "add", "224.0.0.0/4", "dev", ifc]);
    }
  }

  /** Starts knxd (dummy backend, tunnel server and router on the veth) and waits until it serves. */
  async startKnxd(): Promise<void> {
    const ini = path.join(this.dir, "knxd.ini");
    writeFileSync(ini, [
      "[main]", "name=knxd-test", "addr=0.0.1", "client-addrs=0.0.2:8", "connections=A.unix,server,B.dummy",
      "[A.unix]", "server=knxd_unix", `path=${this.socket}`, "systemd-ignore=false",
      "[B.dummy]", "driver=dummy",
      "[server]", "server=ets_router", "discover=true", "tunnel=tunnel", "router=router", `interface=${this.gwIf}`,
      "multicast-address=224.0.23.12", "port=3671", "",
    ].join("\n"));
    rmSync(this.socket, { force: true });
    this.#knxd = spawn("ip", ["netns", "exec", this.gw, "knxd", ini], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    this.#knxd.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    await until(() => existsSync(this.socket), 10_000, `knxd's socket (${log})`);
    await new Promise((r) => setTimeout(r, 300)); // the UDP server starts with the socket
  }

  async stopKnxd(): Promise<void> {
    if (this.#knxd) await stopChild(this.#knxd);
    this.#knxd = undefined;
  }

  /** `knxtool <applet> local:<socket> …args`. */
  knxtool(applet: string, ...args: string[]): string {
    return run("knxtool", [applet, `local:${this.socket}`, ...args]);
  }

  /** A long-running knxtool applet (e.g. `vbusmonitor1`), stopped at the end. */
  knxtoolProcess(applet: string): ChildProcess {
    const child = spawn("knxtool", [applet, `local:${this.socket}`], { stdio: ["ignore", "pipe", "pipe"] });
    this.#closers.push(() => stopChild(child));
    return child;
  }

  /** `knxtool groupsocketlisten`, kept running; lines like "Write from 0.0.4 to 1/2/3: 01". */
  async listen(): Promise<Lines> {
    const l = new Lines(spawn("knxtool", ["groupsocketlisten", `local:${this.socket}`], { stdio: ["ignore", "pipe", "pipe"] }));
    this.#closers.push(() => l.stop());
    await new Promise((r) => setTimeout(r, 200));
    return l;
  }

  async agent(ns: string): Promise<Agent> {
    const a = new Agent(ns);
    this.#closers.push(() => a.close());
    await a.ready();
    return a;
  }

  /** Any other child to stop at the end. */
  track(child: ChildProcess): void {
    this.#closers.push(() => stopChild(child, "SIGINT"));
  }

  async close(): Promise<void> {
    for (const f of this.#closers.splice(0).reverse()) {
      try {
        await f();
      } catch {
        // keep cleaning up
      }
    }
    await this.stopKnxd();
    spawnSync("ip", ["netns", "del", this.gw]);
    spawnSync("ip", ["netns", "del", this.dev]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The records the namespace tests give the agent: three written to the bus, three read from it. */
export const RECORDS: readonly RecordSpec[] = [
  { key: "temp", dir: "to", url: "knx://1/2/3?dpt=9.001", dpt: "9.001" },
  { key: "switch", dir: "to", url: "knx://1/2/10?dpt=1.001", dpt: "1.001" },
  { key: "level", dir: "to", url: "knx://1/2/11?dpt=5.001", dpt: "5.001" },
  { key: "lamp", dir: "from", url: "knx://1/2/4?dpt=1.001", dpt: "1.001" },
  { key: "setpoint", dir: "from", url: "knx://1/2/5?dpt=9.001", dpt: "9.001" },
  { key: "status", dir: "from", url: "knx://1/2/6?dpt=9.001&respond=true", dpt: "9.001", respond: true, buffer: "latest" },
];
