/**
 * The connectors of one database: starts each with the links of its scheme, routes
 * inbound payloads to the matching `linkFrom`s, runs one outbound pump per `linkTo`,
 * and closes them at stop.
 */
import type { Host } from "../host.js";
import type { Connector, ConnectorBuilder, ConnectorContext, LinkState } from "../connectors/spi.js";
import { AimDbError, describeError } from "./errors.js";
import type { LinkRuntime } from "./link.js";

/** One connector's state and counters (a snapshot), from `db.connectors()`. */
export interface ConnectorInfo {
  readonly scheme: string;
  readonly started: boolean;
  readonly links: number;
  /** Inbound payloads whose topic matched no linkFrom. */
  readonly unknownTopics: number;
  /** What the connector itself reports (`Connector.info()`). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

interface Entry {
  readonly builder: ConnectorBuilder;
  readonly links: LinkRuntime[];
  readonly inbound: LinkRuntime[];
  connector: Connector | undefined;
  unknownTopics: number;
}

export class ConnectorSet {
  readonly #host: Host;
  readonly #entries: Entry[];
  #open = false;

  constructor(host: Host, builders: readonly ConnectorBuilder[], links: readonly LinkRuntime[]) {
    this.#host = host;
    this.#entries = builders.map((builder) => {
      const mine = links.filter((l) => l.decl.url.startsWith(`${builder.scheme}://`));
      return { builder, links: mine, inbound: mine.filter((l) => l.decl.direction === "from"), connector: undefined, unknownTopics: 0 };
    });
  }

  /** Builds every connector, then starts the outbound pumps; returns the pump loops. */
  async start(): Promise<Promise<void>[]> {
    this.#open = true;
    await Promise.all(this.#entries.map((e) => this.#build(e)));
    const pumps: Promise<void>[] = [];
    for (const e of this.#entries) {
      for (const link of e.links) if (link.decl.direction === "to") pumps.push(link.pump(e.connector!));
    }
    return pumps;
  }

  /** Tells every started connector that the database is stopping (`Connector.stopping`). */
  stopping(): void {
    for (const e of this.#entries) {
      try {
        e.connector?.stopping?.();
      } catch (err) {
        this.#host.log("warn", `connector "${e.builder.scheme}": stopping failed: ${describeError(err)}`);
      }
    }
  }

  /** Stops routing and closes every started connector. */
  async close(): Promise<void> {
    this.#open = false;
    await Promise.all(
      this.#entries.map(async (e) => {
        const c = e.connector;
        e.connector = undefined;
        for (const l of e.links) {
          l.state = "down";
          l.reader?.close(); // a pump still draining at the end of the grace hands nothing more to a closed connector
        }
        if (!c) return;
        try {
          await c.close();
        } catch (err) {
          this.#host.log("warn", `connector "${e.builder.scheme}": close failed: ${describeError(err)}`);
        }
      }),
    );
  }

  info(): ConnectorInfo[] {
    return this.#entries.map((e) => {
      const info: ConnectorInfo = { scheme: e.builder.scheme, started: e.connector !== undefined, links: e.links.length, unknownTopics: e.unknownTopics };
      const detail = e.connector?.info?.();
      return detail ? { ...info, detail } : info;
    });
  }

  async #build(e: Entry): Promise<void> {
    const ctx: ConnectorContext = {
      host: this.#host,
      links: e.links.map((l) => l.decl),
      deliver: (topic, payload, transport) => this.#deliver(e, topic, payload, transport),
      setState: (state: LinkState, linkId?: number) => {
        for (const l of e.links) if (linkId === undefined || l.decl.id === linkId) l.state = state;
      },
      reportPublishError: (linkId: number, error: Error) => {
        for (const l of e.links) if (l.decl.id === linkId) l.publishFailed(error);
      },
      current: (linkId: number) => e.links.find((l) => l.decl.id === linkId)?.current(),
    };
    try {
      e.connector = await e.builder.build(ctx);
    } catch (err) {
      throw new AimDbError("CONNECTOR_FAILED", `connector "${e.builder.scheme}" failed to start: ${describeError(err)}`);
    }
  }

  #deliver(e: Entry, topic: string, payload: Uint8Array, transport: Readonly<Record<string, unknown>> | undefined): number {
    if (!this.#open) return 0;
    const matches = e.connector?.matches;
    let matched = 0;
    let applied = 0;
    for (const link of e.inbound) {
      const resource = link.decl.resource;
      if (matches ? matches.call(e.connector, resource, topic) : resource === topic) {
        matched++;
        if (link.accept(topic, payload, transport)) applied++;
      }
    }
    if (matched === 0) e.unknownTopics++;
    return applied;
  }
}
