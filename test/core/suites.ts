/** Every core suite, by name: run by vitest (test/core/*.test.ts) and inside XS (test/xs). */
import type { Suite } from "../support/suite.js";
import { bufferSuites } from "./buffers.suite.js";
import { builderSuite } from "./builder.suite.js";
import { lifecycleSuite } from "./lifecycle.suite.js";
import { linksSuite } from "./links.suite.js";
import { linkUrlSuite, simHostSuite, utf8Suite } from "./text.suite.js";

export const coreSuites: Record<string, Suite> = {
  ...bufferSuites,
  AimDbBuilder: builderSuite,
  "AimDb on the sim host": lifecycleSuite,
  "links over the loop bus": linksSuite,
  utf8: utf8Suite,
  "link URLs": linkUrlSuite,
  "sim host": simHostSuite,
};
