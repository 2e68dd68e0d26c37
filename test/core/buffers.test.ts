import { describe, it } from "vitest";
import { bufferSuites } from "./buffers.suite.js";

for (const [name, suite] of Object.entries(bufferSuites)) describe(name, () => suite({ test: it }));
