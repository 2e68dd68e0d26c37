/**
 * MQTT connector options and link checks: defaults, broker URLs, and one ConfigError that
 * names every bad option before anything connects.
 */
import { describe, expect, it } from "vitest";
import { AimDbBuilder, BufferCfg, ConfigError, utf8Decode, utf8Encode } from "../../../src/index.js";
import { mqtt, type MqttOptions } from "../../../src/connectors/mqtt/index.js";
import { resolveOptions } from "../../../src/connectors/mqtt/options.js";
import { SimHost } from "../../../hosts/sim/index.js";

function problems(options: MqttOptions): string[] {
  try {
    mqtt(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.code}: ${p.message}`);
  }
  return [];
}

describe("mqtt() options", () => {
  it("fills in the defaults", () => {
    const o = resolveOptions({ url: "mqtt://broker.local" });
    expect(o).toMatchObject({ scheme: "mqtt", host: "broker.local", port: 1883, tls: undefined, version: 4, keepaliveSec: 30, clean: true });
    expect(o).toMatchObject({ sessionExpirySec: 0, qos: 0, retain: false, maxPacketSize: 65536, maxInflight: 1024, connectTimeoutMs: 10_000 });
    expect(o.backoff).toEqual({ initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 });
    expect([o.username, o.password, o.will, o.clientId]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("reads credentials, IPv6 hosts and ports from the URL; options override it", () => {
    const a = resolveOptions({ url: "mqtts://us%40er:p%3Ass@[::1]:9999/" });
    expect([a.host, a.port, a.username, utf8Decode(a.password!), a.tls]).toEqual(["::1", 9999, "us@er", "p:ss", {}]);
    expect(resolveOptions({ url: "mqtts://h" }).port).toBe(8883);
    const b = resolveOptions({ url: "mqtt://u:p@h", username: "other", password: "" });
    expect([b.username, b.password!.length]).toEqual(["other", 0]);
    const will = resolveOptions({ url: "mqtt://h", will: { topic: "status/a", payload: "gone" } }).will!;
    expect([will.topic, utf8Decode(will.payload), will.qos, will.retain]).toEqual(["status/a", "gone", 0, false]);
    expect(resolveOptions({ url: "mqtt://h", will: { topic: "t", payload: utf8Encode("x"), qos: 1, retain: true } }).will).toMatchObject({ qos: 1, retain: true });
  });

  it("refuses bad options with one ConfigError that names each of them", () => {
    const found = problems({
      url: "http://h",
      protocolVersion: 3 as 4,
      keepalive: 70_000,
      sessionExpiry: -1,
      qos: 2 as 0,
      maxPacketSize: 10,
      maxInflight: 0,
      connectTimeoutMs: 1.5,
      backoff: { initialMs: 0 },
      will: { topic: "a/#", payload: "x" },
      clientId: 7 as unknown as string,
    });
    const expected = ["url", "protocolVersion", "keepalive", "sessionExpiry", "qos", "maxPacketSize", "maxInflight", "connectTimeoutMs", "backoff", "will.topic", "clientId"];
    expect(found).toHaveLength(expected.length);
    for (const name of expected) expect(found.some((p) => p.startsWith(`BAD_CONNECTOR_OPTION: mqtt(): ${name} `)), name).toBe(true);
    expect(problems({ url: "mqtt://h:0" })).toEqual(["BAD_CONNECTOR_OPTION: mqtt(): port must be an integer from 1 to 65535, got 0"]);
    for (const url of ["mqtt://", "mqtt://h:99999", "mqtt://h/path", "mqtt://a b", 42 as unknown as string]) expect(problems({ url }), String(url)).toHaveLength(1);
    expect(problems({ url: "mqtt://h", keepalive: 0, maxInflight: 16384, backoff: { jitter: 0.99 } })).toEqual([]);
  });

  it("refuses at build what CONNECT could not carry", () => {
    const one = (o: Partial<MqttOptions>) => problems({ url: "mqtt://h", ...o });
    expect(one({ password: "token" })).toEqual(['BAD_CONNECTOR_OPTION: mqtt(): password needs a username in MQTT 3.1.1 (username: "" will do)']);
    expect(one({ clientId: "", clean: false })).toEqual(['BAD_CONNECTOR_OPTION: mqtt(): clientId "" needs clean: true in MQTT 3.1.1']); // [MQTT-3.1.3-7]
    expect(() => resolveOptions({ url: "mqtt://h", clientId: "", clean: false, protocolVersion: 5 }), "MQTT 5: the broker assigns an id").not.toThrow();
    expect(one({ password: "token", protocolVersion: 5 })).toEqual([]);
    expect(problems({ url: "mqtt://:secret@h" })).toEqual([]);
    expect(resolveOptions({ url: "mqtt://:secret@h" }).username).toBe("");
    expect(resolveOptions({ url: "mqtt://@h" }).username).toBeUndefined();
    expect(one({ clientId: "a\u0000b" })).toEqual(["BAD_CONNECTOR_OPTION: mqtt(): clientId must be at most 65535 bytes of UTF-8 without U+0000"]);
    expect(one({ username: "é".repeat(40_000) })).toEqual(["BAD_CONNECTOR_OPTION: mqtt(): username must be at most 65535 bytes of UTF-8 without U+0000"]);
    expect(one({ will: { topic: "t\u0000", payload: "x" } })).toHaveLength(1);
    expect(one({ will: { topic: "t", payload: new Uint8Array(65_536) } })).toEqual(["BAD_CONNECTOR_OPTION: mqtt(): will.payload must be at most 65535 bytes"]);
    expect(one({ username: "u", password: "a\u0000b", will: { topic: "t", payload: new Uint8Array(65_535) } })).toEqual([]);
  });

  it("checks each link at build: topic syntax, QoS and options", async () => {
    const bad: [string, "to" | "from", RegExp][] = [
      ["mqtt://a/+/b", "to", /linkTo topic cannot contain wildcards/],
      ["mqtt://a?qos=2", "to", /QoS 2 is not supported/],
      ["mqtt://a?speed=1", "to", /unknown option "speed"/],
      ["mqtt://a?retain=true", "from", /retain applies to linkTo only/],
      ["mqtt://a/#/b", "from", /"#" must be a whole last level/],
      ["mqtt://a/b+", "from", /"\+" must be a whole level/],
      ["mqtt://$share/g", "from", /shared subscription is \$share\/<group>\/<filter>/],
      ["mqtt://$share/+/a", "from", /shared subscription/],
    ];
    for (const [url, direction, why] of bad) {
      const b = new AimDbBuilder(new SimHost()).withConnector(mqtt({ url: "mqtt://127.0.0.1" }));
      b.configure<number>("x", (r) => (direction === "to" ? r.buffer(BufferCfg.mailbox()).linkTo(url).withSerializer(() => new Uint8Array(1)) : r.buffer(BufferCfg.mailbox()).linkFrom(url).withDeserializer(() => 1)));
      const err = await b.build().then(() => undefined, (e: unknown) => e);
      expect(err, url).toBeInstanceOf(ConfigError);
      const found = (err as ConfigError).problems;
      expect(found.map((p) => p.code), url).toEqual(["BAD_LINK_OPTION"]);
      expect(found[0]!.message, url).toMatch(why);
    }
    const ok = new AimDbBuilder(new SimHost()).withConnector(mqtt({ url: "mqtt://127.0.0.1" }));
    ok.configure<number>("x", (r) => r.buffer(BufferCfg.mailbox()).linkFrom("mqtt://$share/g/a/+/#?qos=1").withDeserializer(() => 1));
    ok.configure<number>("y", (r) => r.buffer(BufferCfg.mailbox()).linkTo("mqtt://a/b?qos=1&retain=true&timeoutMs=50").withSerializer(() => new Uint8Array(1)));
    await expect(ok.build()).resolves.toBeDefined();
  });
});
