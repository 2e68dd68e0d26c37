/**
 * The sensor node's main module for an `mqtts://` broker: the same station, with
 * Moddable's ECMA-419 TLS socket handed to the host (boards/esp32/manifest_tls.json).
 */
import TLSSocket from "embedded:io/socket/tcp/tls";
import type { AimDb } from "../../src/index.js";
import type { TlsSocketClass } from "../../hosts/moddable/index.js";
import { runStation } from "./node.js";

export default function main(): Promise<AimDb | undefined> {
  return runStation({ tls: TLSSocket as unknown as TlsSocketClass });
}
