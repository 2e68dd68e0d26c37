import { describe, it } from "vitest";
import { mqttCodecSuite } from "./codec.suite.js";

describe("MQTT codec", () => mqttCodecSuite({ test: it }));
