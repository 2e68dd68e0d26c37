import { describe, it } from "vitest";
import { knxEngineSuite } from "./engine.suite.js";

describe("knx connector on the sim host", () => knxEngineSuite({ test: (name, fn) => it(name, fn) }));
