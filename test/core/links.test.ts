import { describe, it } from "vitest";
import { linksSuite } from "./links.suite.js";

describe("links over the loop bus", () => linksSuite({ test: it }));
