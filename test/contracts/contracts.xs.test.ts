/**
 * Runs every contract suite inside a real XS engine, frozen the way a Moddable preload
 * leaves a device, and reports each result as a test. The golden vectors pass there
 * byte for byte, so Node and XS write and read the same payloads.
 */
import { fileURLToPath } from "node:url";
import { reportXsRun, runEntryInXs } from "../xs/run.js";
import { contractSuites } from "./suites.js";

reportXsRun("contract suites inside XS", await runEntryInXs(fileURLToPath(new URL("./xs-entry.ts", import.meta.url))), contractSuites);
