import { describe, it } from "vitest";
import { mqttSessionSuite } from "./session.suite.js";

describe("MQTT 3.1.1 session on the sim host", () => mqttSessionSuite(4)({ test: it }));
describe("MQTT 5 session on the sim host", () => mqttSessionSuite(5)({ test: it }));
