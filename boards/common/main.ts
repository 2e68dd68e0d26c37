/**
 * The sensor node's main module. Moddable imports it once the set-up (Wi-Fi, SNTP) is
 * done and calls its default export.
 */
import type { AimDb } from "../../src/index.js";
import { runStation } from "./node.js";

export default function main(): Promise<AimDb | undefined> {
  return runStation();
}
