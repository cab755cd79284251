import type { Expression } from 'kysely'
import type { ReferentialAction } from '../model/schema-model.js'
import type { AnyColumnBuilder } from './column-builder.js'

/** A table's columns by name, in declaration order (the order they are created in). */
export type ColumnMap = Readonly<Record<string, AnyColumnBuilder>>

/** `UNIQUE (columns)`. Default name `<table>_<columns>_key`. */
export interface UniqueDeclaration<N extends string = string> {
  readonly columns: readonly N[]
  readonly name?: string
  /** `NULLS NOT DISTINCT` (PostgreSQL 15+). Default is false. */
  readonly nullsNotDistinct?: boolean
}

/** How one index key is ordered and compared. */
export interface IndexKeyDeclaration {
  /** `ASC` or `DESC`. Default is `asc`. */
  readonly order?: 'asc' | 'desc'
  /** `NULLS FIRST` or `NULLS LAST`. Default is last ascending, first descending. */
  readonly nulls?: 'first' | 'last'
  /** The operator class, as PostgreSQL names it (`text_pattern_ops`). Default is the type's default. */
  readonly opclass?: string
}

/** `CREATE [UNIQUE] INDEX`. Default name `<table>_<keys>_idx`. Keys are the columns, then the expressions. */
export interface IndexDeclaration<N extends string = string> {
  readonly name?: string
  /** Column names, or `{ column, order?, nulls?, opclass? }` for a key with options. */
  readonly columns?: readonly (N | (IndexKeyDeclaration & { readonly column: N }))[]
  /** Expressions, or `{ expression, order?, nulls?, opclass? }` for a key with options. */
  readonly expressions?: readonly (Expression<unknown> | (IndexKeyDeclaration & { readonly expression: Expression<unknown> }))[]
  /** Default is false. */
  readonly unique?: boolean
  /** The predicate of a partial index. */
  readonly where?: Expression<unknown>
  /** The access method. Default is `btree`. */
  readonly using?: string
  /** `INCLUDE (...)`: columns stored in the index but not part of its key. */
  readonly include?: readonly N[]
  /** `WITH (...)` storage parameters, e.g. `{ fillfactor: 70 }`. */
  readonly with?: Readonly<Record<string, string | number | boolean>>
}

/** A table `CHECK`. Default name `<table>_<column>_check` when it mentions one column, else `<table>_check`. */
export interface CheckDeclaration {
  readonly name?: string
  readonly expression: Expression<unknown>
}

/** `FOREIGN KEY (columns) REFERENCES table (referencedColumns)`. Default name `<table>_<columns>_fkey`. */
export interface ForeignKeyDeclaration<N extends string = string> {
  readonly columns: readonly N[]
  /** `'table'`, or `'schema.table'` for a table in another schema. */
  readonly references: string
  readonly referencedColumns: readonly string[]
  /** Default is `no action`. */
  readonly onDelete?: ReferentialAction
  /** Default is `no action`. */
  readonly onUpdate?: ReferentialAction
  /** `DEFERRABLE` (`INITIALLY IMMEDIATE`). Default is false (`NOT DEFERRABLE`). */
  readonly deferrable?: boolean
  /** `DEFERRABLE INITIALLY DEFERRED`: checked at commit. Default is false. */
  readonly initiallyDeferred?: boolean
  /** `MATCH FULL` or `MATCH SIMPLE`. Default is `simple`. */
  readonly match?: 'simple' | 'full'
  readonly name?: string
}

/** One element of an exclusion constraint: a column or an expression, and the operator rows must not share. */
export type ExclusionElement<N extends string = string> =
  | { readonly column: N; readonly operator: string }
  | { readonly expression: Expression<unknown>; readonly operator: string }

/** `EXCLUDE USING gist (... WITH ...) WHERE (...)`. Default name `<table>_<columns>_excl`. */
export interface ExclusionDeclaration<N extends string = string> {
  readonly elements: readonly ExclusionElement<N>[]
  /** The index access method. Default is `gist`. */
  readonly using?: string
  /** Only rows matching the predicate are compared. */
  readonly where?: Expression<unknown>
  readonly name?: string
}

export interface TableOptions<N extends string = string, Sch extends string = string> {
  /** The PostgreSQL schema of the table. Default is `public`; Kysely then knows the table as `'schema.table'`. */
  readonly schema?: Sch
  /** A composite primary key `<table>_pkey`; for one column, `.primaryKey()` on the column reads better. */
  readonly primaryKey?: readonly N[]
  readonly uniques?: readonly UniqueDeclaration<N>[]
  readonly indexes?: readonly IndexDeclaration<N>[]
  readonly checks?: readonly CheckDeclaration[]
  readonly foreignKeys?: readonly ForeignKeyDeclaration<N>[]
  readonly exclusions?: readonly ExclusionDeclaration<N>[]
  /** `COMMENT ON TABLE`. */
  readonly comment?: string
  /** The table's previous name: autogenerate renames it instead of dropping and creating. */
  readonly renamedFrom?: string
}

export interface TableDeclaration<C extends ColumnMap = ColumnMap, Sch extends string = string> {
  readonly kind: 'table'
  readonly schema: Sch
  readonly columns: C
  // Column names are checked where `table()` is called; kept as plain strings here so that a
  // table's type stays assignable to `TableDeclaration` (keyof C would make C invariant).
  readonly options: TableOptions<string, Sch>
}

/**
 * Declares a table; its name is its key in `defineSchema`.
 *
 * @example
 * table(
 *   { user_id: t.integer().references('user.id'), group_id: t.integer().references('group.id') },
 *   { primaryKey: ['user_id', 'group_id'] },
 * )
 */
export function table<C extends ColumnMap, Sch extends string = 'public'>(
  columns: C,
  options: TableOptions<NoInfer<keyof C & string>, Sch> = {},
): TableDeclaration<C, NoInfer<Sch>> {
  return Object.freeze({
    kind: 'table',
    // Sch is inferred from options.schema and defaults to 'public' exactly when that is absent.
    schema: (options.schema ?? 'public') as Sch,
    columns: Object.freeze({ ...columns }),
    options,
  })
}
