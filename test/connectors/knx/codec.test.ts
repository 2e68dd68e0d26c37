import { describe, it } from "vitest";
import { knxCodecSuite } from "./codec.suite.js";

describe("KNXnet/IP codec", () => knxCodecSuite({ test: it }));
