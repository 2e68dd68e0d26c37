/**
 * Stopping a database on the sim host's clock, checked to end at once: not after the
 * stop grace period, with no loop left waiting and no timer left armed.
 */
import type { AimDb } from "../../src/index.js";
import type { SimHost } from "../../hosts/sim/index.js";
import { eq, ok } from "./check.js";

/** Stops `db`; `logs` are the host's log messages so far and after. */
export async function stopsPromptly(host: SimHost, db: AimDb, logs: readonly string[]): Promise<void> {
  const t0 = host.now();
  let stopped = false;
  void db.stop().then(() => (stopped = true));
  for (let i = 0; i < 300 && !stopped; i++) await host.advance(10);
  ok(stopped && host.now() - t0 <= 10, `stopped after ${host.now() - t0} ms, not after the 2 s grace`);
  ok(!logs.some((m) => /did not end/.test(m)), "no loop was left waiting");
  eq(host.pendingTimers, 0, "no timer is left");
}
