/**
 * The MQTT connector on the Node host against plain TCP peers that are not brokers: each
 * failed connection reports its own reason, not an earlier attempt's.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AimDbBuilder, BufferCfg } from "../../../src/index.js";
import { mqtt } from "../../../src/connectors/mqtt/index.js";
import { nodeHost } from "../../../hosts/node/index.js";
import { freePort } from "../../support/peers.js";
import { until } from "./mqtt-support.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("MQTT connections that fail", () => {
  it("reports each connection's own reason: refused, then closed by the peer", async () => {
    const port = await freePort();
    const b = new AimDbBuilder(nodeHost({ onLog: () => {} })).withConnector(
      mqtt({ url: `mqtt://127.0.0.1:${port}`, backoff: { initialMs: 50, maxMs: 50, jitter: 0 } }),
    );
    b.configure<number>("x", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://x").withSerializer(() => new Uint8Array(1)));
    const db = await b.build();
    await db.run();
    cleanup.push(() => db.stop());
    const lastError = () => String(db.connectors()[0]!.detail?.lastError);
    await until(() => /ECONNREFUSED|refused/i.test(lastError()), 5000, "a refused connection");
    // Now something listens, takes the CONNECT and hangs up.
    const server = net.createServer((s) => s.once("data", () => s.destroy()));
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    await until(() => lastError() === "the broker closed the connection", 5000, "the hang-up as the reason");
    expect(db.connectors()[0]!.detail?.connected).toBe(false);
  });
});
