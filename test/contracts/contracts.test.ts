import { describe, it } from "vitest";
import { contractSuites } from "./suites.js";

for (const [name, suite] of Object.entries(contractSuites)) describe(name, () => suite({ test: it }));
