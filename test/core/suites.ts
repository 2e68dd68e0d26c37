/** Every portable suite (core, codecs, sessions), by name: run by vitest and inside XS (test/xs). */
import type { Suite } from "../support/suite.js";
import { bufferSuites } from "./buffers.suite.js";
import { builderSuite } from "./builder.suite.js";
import { lifecycleSuite } from "./lifecycle.suite.js";
import { linksSuite } from "./links.suite.js";
import { linkUrlSuite, simHostSuite, utf8Suite } from "./text.suite.js";
import { mqttCodecSuite } from "../connectors/mqtt/codec.suite.js";
import { mqttSessionSuite } from "../connectors/mqtt/session.suite.js";
import { knxCodecSuite } from "../connectors/knx/codec.suite.js";
import { knxEngineSuite } from "../connectors/knx/engine.suite.js";
import { websocketSuite } from "../connectors/websocket/protocol.suite.js";

export const coreSuites: Record<string, Suite> = {
  ...bufferSuites,
  AimDbBuilder: builderSuite,
  "AimDb on the sim host": lifecycleSuite,
  "links over the loop bus": linksSuite,
  utf8: utf8Suite,
  "link URLs": linkUrlSuite,
  "sim host": simHostSuite,
  "mqtt codec": mqttCodecSuite,
  "mqtt 3.1.1 session": mqttSessionSuite(4),
  "mqtt 5 session": mqttSessionSuite(5),
  "knx codec": knxCodecSuite,
  "knx connector": knxEngineSuite,
  websocket: websocketSuite,
};
