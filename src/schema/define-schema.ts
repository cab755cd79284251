import type { EnumType } from './enum-type.js'
import type { Sequence } from './sequence.js'
import type { TableDeclaration } from './table.js'
import type { View } from './view.js'

/** Tables by name, in declaration order. */
export type TableMap = Readonly<Record<string, TableDeclaration>>

export interface SchemaOptions {
  /** Enum types to create even though no column uses them (yet). Enums that columns use are found on their own. */
  readonly enums?: readonly EnumType[]
  /** Standalone sequences (`sequence()`). */
  readonly sequences?: readonly Sequence[]
  /** Views and materialized views (`view()`), in any order: one that reads another is created after it. */
  readonly views?: readonly View[]
  /** PostgreSQL schemas to own even though nothing is declared in them. Schemas of tables and enums are found on their own. */
  readonly schemas?: readonly string[]
}

/** The whole declaration: what `tsdb db migrate` compares the database with. */
export interface SchemaDeclaration<T extends TableMap = TableMap> {
  readonly kind: 'schema'
  readonly tables: T
  readonly enums: readonly EnumType[]
  readonly sequences: readonly Sequence[]
  readonly views: readonly View[]
  readonly schemas: readonly string[]
}

/**
 * Declares the database schema: tables by name. `InferDatabase<typeof schema>` is its Kysely
 * `Database` type.
 *
 * @example
 * export const schema = defineSchema({
 *   user: table({ id: t.serial().primaryKey(), username: t.varchar(64).notNull() }),
 * })
 * export type Database = InferDatabase<typeof schema>
 */
export function defineSchema<T extends TableMap>(tables: T, options: SchemaOptions = {}): SchemaDeclaration<T> {
  return Object.freeze({
    kind: 'schema',
    tables: Object.freeze({ ...tables }),
    enums: Object.freeze([...(options.enums ?? [])]),
    sequences: Object.freeze([...(options.sequences ?? [])]),
    views: Object.freeze([...(options.views ?? [])]),
    schemas: Object.freeze([...(options.schemas ?? [])]),
  })
}
