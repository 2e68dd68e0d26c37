/**
 * AimDbBuilder: collects record declarations and connectors, then `build()` checks
 * everything at once. No check throws early: each problem is recorded with its record
 * key and `build()` throws a single `ConfigError` that lists them all.
 */
import type { Host } from "../host.js";
import type { ConnectorBuilder } from "../connectors/spi.js";
import { MAX_RING_CAPACITY } from "./buffer.js";
import { Lifecycle } from "./context.js";
import { AimDb } from "./db.js";
import { AimDbError, ConfigError, describeError, type ConfigProblem, type ConfigProblemCode } from "./errors.js";
import { topoOrder, type GraphEdge, type RecordOrigin } from "./graph.js";
import { linkConfig, parseLinkUrl } from "./link-url.js";
import { LinkRuntime } from "./link.js";
import { ConnectorSet } from "./connectors.js";
import type { LinkDeclaration } from "../connectors/spi.js";
import { RecordRuntime } from "./record.js";
import { RecordRegistrar, type RecordSpec } from "./registrar.js";

const KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
/** Shared by every spec list left empty: on a device each empty array would cost RAM. */
const NONE: never[] = Object.freeze([]) as never[];
const MAX_KEY_LENGTH = 256;

/** Declares records and connectors, then builds the database. */
export class AimDbBuilder {
  readonly #host: Host;
  readonly #specs: RecordSpec[] = [];
  readonly #connectors: ConnectorBuilder[] = [];
  readonly #problems: ConfigProblem[] = [];
  #senderId: string | undefined;
  #built = false;

  constructor(host: Host) {
    this.#host = host;
  }

  /** Registers a connector; its `scheme` serves links such as `mqtt://…`. */
  withConnector(connector: ConnectorBuilder): this {
    if (this.#connectors.some((c) => c.scheme === connector.scheme)) {
      this.#problem("", "DUPLICATE_CONNECTOR", `two connectors registered for scheme "${connector.scheme}"`);
    } else {
      this.#connectors.push(connector);
    }
    return this;
  }

  /**
   * The id this database writes into outbound envelopes. Default: the host name and a
   * random suffix, new at every build, so a restarted sender never collides with its
   * earlier sequence numbers.
   */
  withSenderId(id: string): this {
    if (typeof id !== "string" || id.length === 0 || id.length > 64) this.#problem("", "BAD_LINK_OPTION", "sender id must be 1 to 64 characters");
    this.#senderId = id;
    return this;
  }

  /** Declares the record `key` of value type `T`. */
  configure<T>(key: string, declare: (reg: RecordRegistrar<T>) => void): this {
    const reg = new RecordRegistrar<T>(key);
    try {
      declare(reg);
    } catch (err) {
      this.#problem(key, "CONFIGURE_FAILED", `configure callback threw: ${describeError(err)}`);
    }
    this.#specs.push(reg.spec);
    return this;
  }

  /** Validates every declaration and allocates the buffers. Throws one `ConfigError` listing every problem. */
  async build(): Promise<AimDb> {
    if (this.#built) throw new AimDbError("ALREADY_BUILT", "build() may be called once per builder");
    this.#built = true;
    const problems = this.#problems.slice();
    const add = (key: string, code: ConfigProblemCode, message: string) => problems.push({ key, code, message });
    const byKey = new Map<string, RecordSpec>();
    for (const spec of this.#specs) {
      if (typeof spec.key !== "string" || spec.key.length > MAX_KEY_LENGTH || !KEY.test(spec.key)) {
        add(String(spec.key), "BAD_KEY", "a key is dot-separated segments of letters, digits, '_' and '-'");
      }
      if (byKey.has(spec.key)) add(spec.key, "DUPLICATE_KEY", "configured more than once");
      else byKey.set(spec.key, spec);
    }
    const connectorOf = new Map(this.#connectors.map((c) => [c.scheme, c]));
    const edges: GraphEdge[] = [];
    const decls = new Map<RecordSpec["links"][number], LinkDeclaration>();
    for (const spec of byKey.values()) {
      problems.push(...spec.problems);
      this.#checkBuffer(spec, add);
      this.#checkWriters(spec, add);
      for (const t of spec.transforms) {
        if (byKey.has(t.input)) edges.push({ from: t.input, to: spec.key, kind: "transform" });
        else add(spec.key, "UNKNOWN_INPUT", `transform input "${t.input}" is not a configured record`);
      }
      for (const j of spec.joins) {
        if (j.inputs.length === 0) add(spec.key, "UNKNOWN_INPUT", "join needs at least one input");
        for (const input of j.inputs) {
          if (byKey.has(input)) edges.push({ from: input, to: spec.key, kind: "join" });
          else add(spec.key, "UNKNOWN_INPUT", `join input "${input}" is not a configured record`);
        }
      }
      for (const link of spec.links) {
        const arrow = link.direction === "to" ? "linkTo" : "linkFrom";
        try {
          const url = parseLinkUrl(link.url);
          const connector = connectorOf.get(url.scheme);
          const { config, problems: bad } = linkConfig(url.options, link.config);
          for (const why of bad) add(spec.key, "BAD_LINK_OPTION", `${arrow}("${link.url}"): ${why}`);
          const decl: LinkDeclaration = Object.freeze({ id: decls.size, direction: link.direction, recordKey: spec.key, url: link.url, resource: url.resource, config });
          decls.set(link, decl);
          if (!connector) add(spec.key, "NO_CONNECTOR", `${arrow}("${link.url}"): no connector registered for scheme "${url.scheme}"`);
          else if (bad.length === 0 && connector.validateLink) {
            const why = connector.validateLink(decl);
            if (why !== undefined) add(spec.key, "BAD_LINK_OPTION", `${arrow}("${link.url}"): ${why}`);
          }
        } catch (err) {
          add(spec.key, "BAD_URL", `${arrow}: ${describeError(err)}`);
        }
        if (link.direction === "to" && !link.serializer) add(spec.key, "NO_SERIALIZER", `linkTo("${link.url}") has no withSerializer()`);
        if (link.direction === "from" && !link.deserializer) add(spec.key, "NO_DESERIALIZER", `linkFrom("${link.url}") has no withDeserializer()`);
      }
    }
    const keys = [...byKey.keys()];
    const { order, cyclic } = topoOrder(keys, edges);
    if (cyclic.length > 0) add(cyclic[0]!, "CYCLE", `records form a cycle through transforms/joins: ${cyclic.join(", ")}`);
    if (problems.length > 0) throw new ConfigError(problems);

    const host = this.#host;
    const life = new Lifecycle(host);
    const senderId = this.#senderId ?? `${host.name}-${Math.floor(host.random() * 2 ** 32).toString(36)}`;
    const records = new Map<string, RecordRuntime>();
    const links: LinkRuntime[] = [];
    for (const key of order) {
      const spec = byKey.get(key)!;
      spec.problems = NONE;
      if (spec.sources.length === 0) spec.sources = NONE;
      if (spec.taps.length === 0) spec.taps = NONE;
      if (spec.transforms.length === 0) spec.transforms = NONE;
      if (spec.joins.length === 0) spec.joins = NONE;
      const record = new RecordRuntime(spec, originOf(spec), life);
      for (const link of spec.links) record.links.push(new LinkRuntime(decls.get(link)!, link, record, host, senderId));
      links.push(...record.links);
      records.set(key, record);
    }
    links.sort((a, b) => a.decl.id - b.decl.id);
    return new AimDb(host, life, records, edges, order, new ConnectorSet(host, this.#connectors, links));
  }

  #checkBuffer(spec: RecordSpec, add: (key: string, code: ConfigProblemCode, message: string) => void): void {
    const cfg = spec.buffer;
    if (!cfg) return add(spec.key, "NO_BUFFER", "no buffer: call .buffer(BufferCfg.spmcRing(n) | singleLatest() | mailbox())");
    if (cfg.kind === "spmcRing") {
      const n = cfg.capacity;
      if (!Number.isInteger(n) || n < 1 || n > MAX_RING_CAPACITY) {
        add(spec.key, "BAD_CAPACITY", `ring capacity must be an integer from 1 to ${MAX_RING_CAPACITY}, got ${String(n)}`);
      }
    } else if (cfg.kind !== "singleLatest" && cfg.kind !== "mailbox") {
      add(spec.key, "NO_BUFFER", `unknown buffer kind "${String((cfg as { kind: unknown }).kind)}"`);
    }
  }

  #checkWriters(spec: RecordSpec, add: (key: string, code: ConfigProblemCode, message: string) => void): void {
    const writers: string[] = [];
    for (let i = 0; i < spec.sources.length; i++) writers.push("source");
    for (const t of spec.transforms) writers.push(`transform("${t.input}")`);
    for (const j of spec.joins) writers.push(`join(${j.inputs.map((k) => `"${k}"`).join(", ")})`);
    if (spec.links.some((l) => l.direction === "from")) writers.push("linkFrom");
    if (writers.length > 1) add(spec.key, "MULTIPLE_WRITERS", `a record has one writer, found ${writers.join(" + ")}`);
  }

  #problem(key: string, code: ConfigProblemCode, message: string): void {
    this.#problems.push({ key, code, message });
  }
}

function originOf(spec: RecordSpec): RecordOrigin {
  if (spec.sources.length > 0) return "source";
  if (spec.transforms.length > 0) return "transform";
  if (spec.joins.length > 0) return "join";
  if (spec.links.some((l) => l.direction === "from")) return "link";
  return "passive";
}
