import { describe, it } from "vitest";
import { websocketSuite } from "./protocol.suite.js";

describe("websocket", () => websocketSuite({ test: it }));
