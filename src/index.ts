/**
 * aimdb-ts: a data-first reactive runtime. One typed record graph on an ESP32 (XS),
 * the Moddable simulator and Node.js.
 */
export { AimDbBuilder } from "./core/builder.js";
export { AimDb, type StopOptions } from "./core/db.js";
export { BufferCfg, MAX_RING_CAPACITY, type BufferConfig, type BufferKind } from "./core/buffer.js";
export { RecordRegistrar } from "./core/registrar.js";
export type { Producer, SourceFn, TapFn, TransformFn, JoinFn, Serializer, Deserializer } from "./core/registrar.js";
export type { RecordContext, Clock, RecordLog } from "./core/context.js";
export { Subscription, type SubscribeOptions } from "./core/subscription.js";
export type { RecordInfo, RecordCounters } from "./core/record.js";
export type { GraphInfo, GraphNode, GraphEdge, RecordOrigin } from "./core/graph.js";
export { AimDbError, ConfigError, ProtocolError, type AimDbErrorCode, type ConfigProblem, type ConfigProblemCode } from "./core/errors.js";
export { parseLinkUrl, type LinkUrl } from "./core/link-url.js";
export { utf8Encode, utf8Decode, portableUtf8 } from "./core/utf8.js";
export type {
  Host, LogLevel, TimerHandle, Utf8Codec, TcpOptions, TcpSocket, TlsOptions, UdpOptions, UdpSocket,
  WsServerOptions, WsServer, WsConnection, WsRequest, WsClientOptions, WsClientSocket,
} from "./host.js";
export type { ConnectorBuilder, Connector, ConnectorContext, LinkDeclaration, LinkState, InboundMeta, OutboundMeta } from "./connectors/spi.js";
export { topicMatches } from "./connectors/topic.js";
export type { LinkInfo, LinkCounters } from "./core/link.js";
export type { ConnectorInfo } from "./core/connectors.js";
export {
  contract, array, optional, MAX_ARRAY_LENGTH, MAX_FIELDS, MAX_LENGTH,
  type Contract, type ContractOptions, type Migrate, type Migration, type ArrayField, type Envelope, type FieldSpec,
  type FieldType, type Fields, type Infer, type NumberType, type OptionalField, type ScalarType,
} from "./contracts/index.js";
