/**
 * Typed errors. Every error carries a stable `code`; tests and callers compare codes,
 * never messages. `name` and `code` are class fields (defined, not assigned), because
 * assigning `this.name` throws when Error.prototype is frozen, as it is on a device.
 */

/** Stable error codes raised by the runtime. */
export type AimDbErrorCode =
  | "CONFIG"
  | "BAD_URL"
  | "UNKNOWN_RECORD"
  | "NOT_WRITABLE"
  | "NOT_RUNNING"
  | "STOPPED"
  | "ALREADY_BUILT"
  | "ALREADY_RUNNING"
  | "CONNECTOR_FAILED"
  | "BAD_UTF8"
  | (string & {});

/** Base class of every error aimdb-ts throws. */
export class AimDbError extends Error {
  override name = "AimDbError";
  /** Stable machine-readable code, e.g. `"BAD_URL"`. */
  code: AimDbErrorCode;
  /** The record key the error is about, when there is one. */
  key: string | undefined;

  constructor(code: AimDbErrorCode, message: string, key?: string) {
    super(key === undefined ? message : `record "${key}": ${message}`);
    this.code = code;
    this.key = key;
  }
}

/** Codes of the problems `build()` reports. */
export type ConfigProblemCode =
  | "BAD_KEY"
  | "DUPLICATE_KEY"
  | "NO_BUFFER"
  | "BAD_CAPACITY"
  | "MULTIPLE_WRITERS"
  | "UNKNOWN_INPUT"
  | "CYCLE"
  | "NO_SERIALIZER"
  | "NO_DESERIALIZER"
  | "NO_CONNECTOR"
  | "BAD_URL"
  | "BAD_LINK_OPTION"
  | "BAD_CONNECTOR_OPTION"
  | "MISPLACED_OPTION"
  | "CONFIGURE_FAILED"
  | "DUPLICATE_CONNECTOR";

/** One problem found while validating the configuration. */
export interface ConfigProblem {
  readonly key: string;
  readonly code: ConfigProblemCode;
  readonly message: string;
}

/** Thrown by `build()`: lists every problem found, each with its record key. */
export class ConfigError extends AimDbError {
  override name = "ConfigError";
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - [${p.code}] ${p.key ? `record "${p.key}": ` : ""}${p.message}`);
    super("CONFIG", `invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.problems = problems;
  }
}

/** Message of an unknown thrown value, for logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * A protocol violation. `side` says who broke the protocol: `"remote"` (the peer sent
 * something invalid) or `"local"` (we were asked to send something invalid).
 * `reasonCode` is what the protocol says to answer with, when it says anything
 * (e.g. MQTT 5 0x81 Malformed Packet).
 */
export class ProtocolError extends AimDbError {
  override name = "ProtocolError";
  readonly side: "local" | "remote";
  readonly reasonCode: number | undefined;

  constructor(code: string, side: "local" | "remote", message: string, reasonCode?: number) {
    super(code, message);
    this.side = side;
    this.reasonCode = reasonCode;
  }
}
