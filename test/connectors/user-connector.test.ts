/**
 * A connector written as a user would write one: against the public exports only.
 * It carries records as UDP datagrams on 127.0.0.1 (`udp://topic`), a datagram being
 * one byte of topic length, the UTF-8 topic, then the payload.
 */
import { describe, expect, it } from "vitest";
import dgram from "node:dgram";
import { AimDbBuilder, BufferCfg, type Connector, type ConnectorBuilder, type ConnectorContext } from "../../src/index.js";
import { nodeHost } from "../../hosts/node/index.js";

function udpConnector(listenPort: number, peerPort: number): ConnectorBuilder {
  return {
    scheme: "udp",
    validateLink: (link) => (link.resource.length > 255 ? "topic longer than 255 bytes" : undefined),
    async build(ctx: ConnectorContext): Promise<Connector> {
      const socket = dgram.createSocket("udp4");
      socket.on("message", (msg) => {
        const n = msg[0]!;
        const topic = ctx.host.utf8.decode(msg.subarray(1, 1 + n));
        ctx.deliver(topic, new Uint8Array(msg.buffer, msg.byteOffset + 1 + n, msg.length - 1 - n));
      });
      await new Promise<void>((resolve) => socket.bind(listenPort, "127.0.0.1", resolve));
      ctx.setState("up");
      return {
        publish: (topic, _config, payload) =>
          new Promise((resolve, reject) => {
            const t = ctx.host.utf8.encode(topic);
            const datagram = new Uint8Array(1 + t.length + payload.length);
            datagram[0] = t.length;
            datagram.set(t, 1);
            datagram.set(payload, 1 + t.length);
            socket.send(datagram, peerPort, "127.0.0.1", (err) => (err ? reject(err) : resolve()));
          }),
        close: () => new Promise((resolve) => socket.close(() => resolve())),
      };
    },
  };
}

async function freePort(): Promise<number> {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("a user-written connector", () => {
  it("carries records between two databases over real UDP sockets", async () => {
    const [pa, pb] = [await freePort(), await freePort()];
    const quiet = nodeHost({ onLog: () => {} });
    const sensor = new AimDbBuilder(quiet).withConnector(udpConnector(pa, pb));
    sensor.configure<number>("temp", (r) =>
      r.buffer(BufferCfg.spmcRing(16)).linkTo("udp://weather/temp").withSerializer((v) => new Uint8Array(new Float64Array([v]).buffer)),
    );
    const hub = new AimDbBuilder(quiet).withConnector(udpConnector(pb, pa));
    hub.configure<number>("temp", (r) =>
      r
        .buffer(BufferCfg.spmcRing(16))
        .linkFrom("udp://weather/temp")
        .withDeserializer((b) => {
          if (b.length !== 8) throw new RangeError(`expected 8 bytes, got ${b.length}`);
          return new Float64Array(b.slice().buffer)[0]!;
        }),
    );
    const [a, b] = [await sensor.build(), await hub.build()];
    await b.run();
    await a.run();
    const sub = b.subscribe<number>("temp");
    for (const v of [21.5, -3.25, 1e6]) a.produce("temp", v);
    const got: number[] = [];
    for await (const v of sub) if (got.push(v) === 3) break;
    expect(got).toEqual([21.5, -3.25, 1e6]);
    expect(a.records()[0]!.links[0]).toMatchObject({ state: "up", counters: { sent: 3, publishErrors: 0 } });
    expect(b.records()[0]!.links[0]).toMatchObject({ state: "up", counters: { received: 3, deserializeErrors: 0 } });
    await a.stop();
    await b.stop();
    expect(b.records()[0]!.links[0]!.state).toBe("down");
  });

  it("has its link options checked at build through validateLink", async () => {
    const b = new AimDbBuilder(nodeHost()).withConnector(udpConnector(1, 2));
    b.configure<number>("x", (r) => r.buffer(BufferCfg.mailbox()).linkTo(`udp://${"t".repeat(300)}`).withSerializer(() => new Uint8Array()));
    await expect(b.build()).rejects.toMatchObject({ code: "CONFIG", problems: [{ key: "x", code: "BAD_LINK_OPTION" }] });
  });
});
