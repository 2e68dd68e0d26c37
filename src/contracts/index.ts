/** Record contracts: typed field lists with a compact binary codec, a JSON codec and migrations. */
export { contract, type Contract, type ContractOptions, type Migrate } from "./contract.js";
export {
  array, optional, MAX_ARRAY_LENGTH, MAX_FIELDS, MAX_LENGTH,
  type ArrayField, type Envelope, type FieldSpec, type FieldType, type Fields, type Infer, type NumberType, type OptionalField, type ScalarType,
} from "./fields.js";
export type { Migration } from "./versions.js";
