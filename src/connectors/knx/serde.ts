/**
 * `knxDpt(id)`: the serializer and deserializer of one datapoint type, for links whose
 * record holds the datapoint's value. A link carries the data bytes of a group value
 * (what follows the APCI, or the 6 bits of the short form as one byte), so a KNX link
 * goes through the record's serializer like any other link:
 *
 *   const temp = knxDpt("9.001");
 *   reg.linkTo("knx://1/2/3?dpt=9.001").withSerializer(temp.serialize);
 *   reg.linkFrom("knx://1/2/4?dpt=9.001").withDeserializer(temp.deserialize);
 *
 * The deserializer reads the form from the transport the connector passes (`short`),
 * so a 1-octet type sent in the 6-bit form is refused (KNX_DPT_LENGTH) instead of read.
 */
import type { InboundMeta, OutboundMeta } from "../spi.js";
import { decodeDpt, dptInfo, encodeDpt, type DptValue } from "./dpt.js";

export interface KnxDptCodec<D extends string> {
  readonly dpt: D;
  /** Value → data bytes; throws KNX_DPT_RANGE for a value the type cannot hold. */
  readonly serialize: (value: DptValue<D>, meta?: OutboundMeta) => Uint8Array;
  /** Data bytes → value; throws KNX_DPT_LENGTH or KNX_DPT_RANGE on bad data. */
  readonly deserialize: (bytes: Uint8Array, meta?: InboundMeta) => DptValue<D>;
}

/** The codec of datapoint type `dpt` (e.g. "9.001"); throws KNX_DPT_UNKNOWN at once for an unknown id. */
export function knxDpt<D extends string>(dpt: D): KnxDptCodec<D> {
  dptInfo(dpt);
  return Object.freeze({
    dpt,
    serialize: (value: DptValue<D>) => encodeDpt(dpt, value).data,
    deserialize: (bytes: Uint8Array, meta?: InboundMeta) => decodeDpt(dpt, bytes, meta?.transport?.["short"] === true),
  });
}
