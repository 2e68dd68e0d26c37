/**
 * Connector SPI: how a protocol plugs into the record graph. A `ConnectorBuilder` is
 * registered with `AimDbBuilder.withConnector`; the scheme of a link URL selects it.
 */

/** Registers a protocol under a URL scheme (`"mqtt"`, `"knx"`, `"ws"`…). */
export interface ConnectorBuilder {
  /** The URL scheme this connector serves, without `://`. */
  readonly scheme: string;
  /** Starts the connector when the database runs. */
  build(db: unknown): Promise<Connector>;
}

/** A running connector. */
export interface Connector {
  /** Sends one serialized value to a destination (topic, group address…). */
  publish(destination: string, config: Readonly<Record<string, unknown>>, payload: Uint8Array): Promise<void>;
  /** Releases sockets and timers. */
  close?(): Promise<void>;
}
