/** Every contract suite, by name: run by vitest (contracts.test.ts) and inside XS (contracts.xs.test.ts). */
import type { Suite } from "../support/suite.js";
import { apiSuite, errorSuite, migrationSuite, vectorSuite } from "./contracts.suite.js";
import { fuzzSuite } from "./fuzz.suite.js";

export const contractSuites: Record<string, Suite> = {
  "contract vectors": vectorSuite,
  "contract errors": errorSuite,
  "contract migrations": migrationSuite,
  "contract API": apiSuite,
  "contract fuzzing": fuzzSuite,
};
