import type { ColumnType, Generated, GeneratedAlways } from 'kysely'
import type { ColumnBuilder, ColumnTypeState } from './column-builder.js'
import type { ColumnMap, TableDeclaration } from './table.js'
import type { SchemaDeclaration, TableMap } from './define-schema.js'

type OrNull<T, IsNullable extends boolean> = IsNullable extends true ? T | null : T

type IsSame<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

/**
 * Kysely's type for one column. Where select and insert types agree this is the plain type
 * (wrapped in `Generated`/`GeneratedAlways`), so hovering shows what a Kysely user expects.
 */
export type InferColumn<S extends ColumnTypeState> = S['generated'] extends 'always'
  ? GeneratedAlways<OrNull<S['select'], S['nullable']>>
  : IsSame<S['select'], S['insert']> extends true
    ? S['generated'] extends 'byDefault'
      ? Generated<OrNull<S['select'], S['nullable']>>
      : OrNull<S['select'], S['nullable']>
    : S['generated'] extends 'byDefault'
      ? ColumnType<OrNull<S['select'], S['nullable']>, OrNull<S['insert'], S['nullable']> | undefined, OrNull<S['insert'], S['nullable']>>
      : ColumnType<OrNull<S['select'], S['nullable']>, OrNull<S['insert'], S['nullable']>, OrNull<S['insert'], S['nullable']>>

/** Kysely's row type of one table declaration. */
export type InferTable<T extends TableDeclaration> =
  T extends TableDeclaration<infer C extends ColumnMap>
    ? { -readonly [K in keyof C & string]: C[K] extends ColumnBuilder<infer S> ? InferColumn<S> : never }
    : never

type TableKey<Name extends string, T> = T extends { readonly schema: infer Sch extends string }
  ? Sch extends 'public'
    ? Name
    : `${Sch}.${Name}`
  : never

/**
 * The Kysely `Database` interface of a schema declaration: `new Kysely<InferDatabase<typeof schema>>(...)`.
 * Tables outside `public` are keyed `'schema.table'`, as Kysely expects.
 */
export type InferDatabase<S extends SchemaDeclaration> =
  S extends SchemaDeclaration<infer T extends TableMap>
    ? { -readonly [K in keyof T & string as TableKey<K, T[K]>]: InferTable<T[K]> }
    : never
