import { describe, it } from "vitest";
import { lifecycleSuite } from "./lifecycle.suite.js";

describe("AimDb on the sim host", () => lifecycleSuite({ test: it }));
