/**
 * MQTT against a real mosquitto on 127.0.0.1: publish throughput at QoS 0 and 1 and
 * end-to-end latency of the aimdb-ts connector and of mqtt.js, measured in the same run
 * against the same broker, and the minified size of the connector next to mqtt.js's
 * browser bundle. `npx tsx bench/mqtt.bench.ts` prints the markdown; `runMqttBench()`
 * returns it.
 *
 * The timed part runs in a fresh Node process (this file with `--child`), so it never
 * inherits another bench's compiled code, heap or locked-down intrinsics; it prints its
 * figures as JSON and the parent writes the tables. Progress lines go to stderr unless
 * `--quiet` is given.
 *
 * The parts live in bench/mqtt/: broker.ts starts mosquitto, raw-client.ts is the
 * raw-socket client, null-broker.ts the broker that only counts, clients.ts the
 * publishers, sinks and latency pairs of each client, runs.ts the timed runs and
 * `measure()`, size.ts the bundle sizes, report.ts the markdown.
 */
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runIfMain } from "./main.js";
import { quiet, ROOT } from "./mqtt/common.js";
import { mqttReport } from "./mqtt/report.js";
import { measure, type Measured } from "./mqtt/runs.js";
import { sizes } from "./mqtt/size.js";

function runChild(): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const args = ["--import", "tsx", fileURLToPath(import.meta.url), "--child", ...(quiet ? ["--quiet"] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(out) as Measured);
      else reject(new Error(`the MQTT bench process exited with ${code}`));
    });
  });
}

/** Runs the MQTT bench in a fresh process and returns a markdown section. */
export async function runMqttBench(): Promise<string> {
  const m = await runChild();
  const s = await sizes();
  return mqttReport(m, s);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes("--child")) {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => process.exit(130));
    measure().then(
      (m) => {
        process.stdout.write(JSON.stringify(m));
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`mqtt bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exit(1);
      },
    );
  }
}
if (!process.argv.includes("--child")) runIfMain(import.meta.url, runMqttBench);
