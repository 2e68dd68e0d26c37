import { describe, it } from "vitest";
import { builderSuite } from "./builder.suite.js";

describe("AimDbBuilder", () => builderSuite({ test: it }));
