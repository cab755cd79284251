/** The schema declaration: tables in TypeScript, from which autogenerate and the Kysely types are derived. */
export { ColumnBuilder, type AnyColumnBuilder, type ColumnDefinition, type ColumnTypeState, type GeneratedKind } from './column-builder.js'
export { t, type TimeOptions } from './column-types.js'
export { enumType, type EnumType, type EnumTypeOptions } from './enum-type.js'
export { sequence, type Sequence, type SequenceOptions } from './sequence.js'
export { view, type View, type ViewOptions } from './view.js'
export {
  table,
  type CheckDeclaration,
  type ExclusionDeclaration,
  type ExclusionElement,
  type ColumnMap,
  type ForeignKeyDeclaration,
  type IndexDeclaration,
  type TableDeclaration,
  type TableOptions,
  type UniqueDeclaration,
} from './table.js'
export { defineSchema, type SchemaDeclaration, type SchemaOptions, type TableMap } from './define-schema.js'
export type { InferColumn, InferDatabase, InferTable } from './infer-database.js'
export { declarationToModel } from './declaration-to-model.js'
