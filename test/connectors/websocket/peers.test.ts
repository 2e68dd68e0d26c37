/**
 * Independent peers against the hub: Debian's python3-websockets as a client, and
 * python3-wsproto as a strict frame validator. Skipped with a reason when they are
 * missing, failed under CI=true.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PYTHON, skipWithoutPython } from "../../support/peers.js";
import { startHub, until, type Hub } from "./ws-support.js";

const skip = skipWithoutPython("websockets", "wsproto");
const script = (name: string) => fileURLToPath(new URL(`./peers/${name}`, import.meta.url));

/** Runs a Python script; resolves with its JSON report (rejects with its stderr on failure). */
function runPython(name: string, args: string[]): Promise<Record<string, unknown>> {
  const child = spawn(PYTHON, [script(name), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out) as Record<string, unknown>);
      else reject(new Error(`${name} exited with ${code}:\n${err}\n${out}`));
    });
  });
}

let hub: Hub | undefined;
afterEach(async () => {
  await hub?.db.stop();
  hub = undefined;
});

/** Waits for the peer's write, then publishes three temperatures and a non-ASCII mode. */
async function publishAfterWrite(h: Hub, celsius: number): Promise<void> {
  await until(() => (h.db.peek("station.alpha.setpoint") as { celsius: number } | undefined)?.celsius === celsius, "the peer's write", 10_000);
  h.db.produce("station.alpha.mode", "température ✓ 😀 \u0000 \"quoted\"");
  for (let i = 1; i <= 3; i++) h.db.produce(i === 2 ? "station.beta.temp" : "station.alpha.temp", { celsius: 20 + i, at: i });
}

describe.skipIf(skip)("independent WebSocket peers (Python)", () => {
  it("a python3-websockets client subscribes, gets the snapshot, writes, and receives events", async () => {
    hub = await startHub();
    hub.db.produce("station.alpha.temp", { celsius: 19, at: 0 });
    await until(() => hub!.db.records()[0]!.links[0]!.counters.sent === 1, "the first value");
    const report = runPython("ws_client.py", [hub.url, "admin", "3"]);
    await publishAfterWrite(hub, 16.5);
    const r = await report;
    const frames = r["frames"] as { type: string; key?: string; seq?: number; value?: { data: unknown }; id?: number }[];
    expect(frames[0]).toMatchObject({ type: "welcome", version: 1 });
    expect(frames.find((f) => f.type === "snapshot")).toMatchObject({ key: "station.alpha.temp", seq: 1, value: { data: { celsius: 19, at: 0 } } });
    expect(frames.find((f) => f.id === 2)).toEqual({ type: "ack", id: 2 });
    expect(frames.filter((f) => f.type === "event").map((f) => [f.key, f.seq, f.value?.data])).toEqual([
      ["station.alpha.temp", 2, { celsius: 21, at: 1 }],
      ["station.beta.temp", 1, { celsius: 22, at: 2 }],
      ["station.alpha.temp", 3, { celsius: 23, at: 3 }],
    ]);
    expect(r["ping"]).toBe("answered");
    expect(r["close_code"]).toBe(1000);
  });

  it("wsproto finds no protocol violation in the server's frames, fragments and control frames", async () => {
    hub = await startHub();
    const report = runPython("wsproto_check.py", ["127.0.0.1", String(hub.port), "/aimdb", "admin", "4"]);
    await publishAfterWrite(hub, 15);
    const r = await report;
    expect(r["accepted"]).toBe(true);
    expect(r["closes"], "the only close is the clean one we asked for").toEqual([[1000, "done"]]);
    expect(r["pongs"], "the server answers a WebSocket ping").toBe(1);
    const messages = r["messages"] as { type: string; id?: number; code?: string; key?: string; value?: unknown }[];
    expect(messages.map((m) => m.type).slice(0, 3)).toEqual(["welcome", "ack", "ack"]);
    expect(messages.find((m) => m.type === "error")).toMatchObject({ code: "WS_BAD_FRAME" });
    expect(messages.find((m) => m.key === "station.alpha.mode")?.value, "non-ASCII text survives as valid UTF-8").toBe("température ✓ 😀 \u0000 \"quoted\"");
    expect(messages.filter((m) => m.type === "event")).toHaveLength(4);
    expect(hub.db.peek("station.alpha.setpoint")).toEqual({ celsius: 15 });
  });
});
