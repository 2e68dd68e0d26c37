/**
 * The mosquitto every MQTT bench client talks to: started on a free port on 127.0.0.1
 * with the bench's settings, stopped (and its files removed) at the end or when the
 * process exits; and the CPU time it has used, read from /proc.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../test/support/peers.js";

export interface Broker {
  port: number;
  pid: number | undefined;
  version: string;
  settings: string[];
  stop(): Promise<void>;
}

/**
 * Settings of the one mosquitto every client uses. Logging stops at `information`:
 * `log_type all` (the tests' setting) writes a line per packet to stderr, and the bench
 * would measure mosquitto's logging. The queue limits are lifted so the broker never drops
 * a message for the subscriber while a run is catching up; a drop would fail the run.
 */
const BROKER_SETTINGS = [
  "per_listener_settings false",
  "allow_anonymous true",
  "persistence false",
  "max_queued_messages 0",
  "max_inflight_messages 0",
  "log_dest stderr",
  "log_type error",
  "log_type warning",
  "log_type notice",
  "log_type information",
];

export async function startBroker(): Promise<Broker> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "aimdb-mqtt-bench-"));
  const conf = path.join(dir, "mosquitto.conf");
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, ...(process.getuid?.() === 0 ? ["user root"] : []), ...BROKER_SETTINGS].join("\n") + "\n");
  const child: ChildProcess = spawn("mosquitto", ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    if (log.length < 100_000) log += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // Should this process exit without stopping it (an error, Ctrl-C), the broker and its files go with it.
  const orphan = () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", orphan);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(t);
    }
    process.off("exit", orphan);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.once("error", reject);
      void exited.then(() => reject(new Error(`mosquitto exited:\n${log}`)));
      const check = setInterval(() => {
        if (/mosquitto version \S+ running/.test(log)) {
          clearInterval(check);
          resolve();
        }
      }, 5);
      setTimeout(() => {
        clearInterval(check);
        reject(new Error(`mosquitto did not start:\n${log}`));
      }, 10_000).unref();
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const version = /mosquitto version (\S+) running/.exec(log)?.[1] ?? "?";
  return { port, pid: child.pid, version, settings: BROKER_SETTINGS.filter((l) => !l.startsWith("log_")), stop };
}

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`; 100 on Linux). */
const CLK_TCK = 100;

/** CPU seconds mosquitto has used so far (Linux /proc), or NaN. */
export function brokerCpu(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}
