/**
 * The plain, readonly model of a database schema that autogenerate compares: the database
 * (introspected) and the declaration (made canonical by PostgreSQL itself). Text PostgreSQL
 * canonicalises (types, expressions, index definitions) holds its canonical form (`format_type`,
 * `pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef`), so equal text means equal objects;
 * collections are sorted by name, so two models of the same schema are deep-equal.
 */

export interface QualifiedName {
  /** The PostgreSQL schema (namespace), `public` unless declared otherwise. */
  readonly schema: string
  readonly name: string
}

export interface SchemaModel {
  /** Schemas other than `public` that the declaration owns (created and dropped by migrations). */
  readonly schemas: readonly string[]
  readonly enums: readonly EnumModel[]
  /** Sequences declared on their own (`sequence()`), not those a serial or identity column owns. */
  readonly sequences: readonly StandaloneSequenceModel[]
  readonly tables: readonly TableModel[]
  readonly views: readonly ViewModel[]
}

/** `CREATE [MATERIALIZED] VIEW name AS query`. */
export interface ViewModel extends QualifiedName {
  readonly materialized: boolean
  /** `pg_get_viewdef(oid)` without its final `;` (declared: the query as written). */
  readonly definition: string
  /** `name type` of each column, in order (`format_type`); empty in a declared model. */
  readonly columns: readonly string[]
  /** The tables and views the query reads, by `tableKey` (declared: those it names). */
  readonly dependsOn: readonly string[]
}

export interface EnumModel extends QualifiedName {
  /** In declaration order: the order of an enum's values is part of its meaning. */
  readonly values: readonly string[]
}

/**
 * `CREATE SEQUENCE`. Bounds are text (an int8 does not fit a JavaScript number); null only in a
 * declared model, for PostgreSQL's default, which the canonical model then holds.
 */
export interface StandaloneSequenceModel extends QualifiedName {
  /** `format_type(seqtypid)`: `smallint`, `integer` or `bigint`. */
  readonly type: string
  readonly start: string | null
  readonly increment: string | null
  readonly minValue: string | null
  readonly maxValue: string | null
  readonly cycle: boolean
}

export interface TableModel extends QualifiedName {
  /** In column order (attnum): the order a table was created in. */
  readonly columns: readonly ColumnModel[]
  readonly primaryKey: PrimaryKeyModel | null
  readonly uniques: readonly UniqueModel[]
  readonly indexes: readonly IndexModel[]
  readonly foreignKeys: readonly ForeignKeyModel[]
  readonly checks: readonly CheckModel[]
  readonly exclusions: readonly ExclusionModel[]
  readonly comment: string | null
  /** A table's previous name, from a `renamedFrom` hint in the declaration (never introspected). */
  readonly renamedFrom?: string
}

export type IdentityKind = 'always' | 'byDefault'

export interface ColumnModel {
  readonly name: string
  /** `format_type(atttypid, atttypmod)`, e.g. `character varying(64)`, `timestamp without time zone`. */
  readonly type: string
  readonly nullable: boolean
  /** `pg_get_expr(adbin, adrelid)`, or null. A serial column's `nextval(...)` is not kept here. */
  readonly default: string | null
  /** `serial`/`bigserial`/`smallserial`: an integer column whose default is its owned sequence. */
  readonly serial: boolean
  readonly identity: IdentityKind | null
  /**
   * An identity's `START WITH` and `INCREMENT BY`, as PostgreSQL prints them, where they are not
   * its defaults (increment 1; start 1 ascending, -1 descending); absent otherwise.
   */
  readonly identityOptions?: IdentityOptions
  /**
   * The sequence a serial or identity column owns: its name (PostgreSQL's `<table>_<column>_seq`
   * unless the table was renamed) and its type (`AS integer`). Absent for other columns, and in a
   * declared model that PostgreSQL has not canonicalised yet.
   */
  readonly sequence?: SequenceModel
  /** `COLLATE`: the collation's name where it is not the type's default; absent otherwise. */
  readonly collation?: string
  /** Expression of a `GENERATED ALWAYS AS (...) STORED` column, or null. */
  readonly generated: string | null
  readonly comment: string | null
  /** A column's previous name, from a `renamedFrom` hint in the declaration (never introspected). */
  readonly renamedFrom?: string
}

export interface IdentityOptions {
  readonly start?: string
  readonly increment?: string
}

/** A column's `identityOptions` field: absent when start and increment are an identity's defaults. */
export function identityOptionsField(start: string | null, increment: string | null): { identityOptions?: IdentityOptions } {
  const step = increment === null || increment === '1' ? undefined : increment
  const defaultStart = step !== undefined && step.startsWith('-') ? '-1' : '1'
  const first = start === null || start === defaultStart ? undefined : start
  if (step === undefined && first === undefined) return {}
  return { identityOptions: { ...(first !== undefined && { start: first }), ...(step !== undefined && { increment: step }) } }
}

/** An identity's step and first value, its defaults filled in. */
export const identityIncrement = (column: ColumnModel): string => column.identityOptions?.increment ?? '1'
export const identityStart = (column: ColumnModel): string =>
  column.identityOptions?.start ?? (identityIncrement(column).startsWith('-') ? '-1' : '1')

export const sameIdentityOptions = (a: ColumnModel, b: ColumnModel): boolean =>
  identityStart(a) === identityStart(b) && identityIncrement(a) === identityIncrement(b)

export interface SequenceModel {
  /** In the table's schema. */
  readonly name: string
  /** `format_type(seqtypid)`: `smallint`, `integer` or `bigint`. */
  readonly type: string
}

export interface PrimaryKeyModel {
  readonly name: string
  readonly columns: readonly string[]
}

export interface UniqueModel {
  readonly name: string
  readonly columns: readonly string[]
  readonly nullsNotDistinct: boolean
}

export type IndexKey = (
  | { readonly kind: 'column'; readonly name: string }
  /** An expression key, as `pg_get_indexdef(indexrelid, k, true)` prints it (declared: as written). */
  | { readonly kind: 'expression'; readonly sql: string }
) &
  IndexKeyOptions

/** How one index key is ordered and compared; each option is absent where it is PostgreSQL's default. */
export interface IndexKeyOptions {
  /** `DESC`; absent for `ASC`. */
  readonly descending?: true
  /** `NULLS FIRST` or `NULLS LAST`, only where it is not the default (last ascending, first descending). */
  readonly nulls?: 'first' | 'last'
  /** An operator class other than the default for the key's type, e.g. `text_pattern_ops`. */
  readonly opclass?: string
}

/** The options of a key in their canonical form: the defaults left out. */
export function indexKeyOptions(descending: boolean, nullsFirst: boolean, opclass: string | null): IndexKeyOptions {
  return {
    ...(descending ? { descending: true } : {}),
    ...(nullsFirst === descending ? {} : { nulls: nullsFirst ? 'first' : 'last' }),
    ...(opclass === null ? {} : { opclass }),
  }
}

export interface IndexModel {
  readonly name: string
  readonly unique: boolean
  readonly keys: readonly IndexKey[]
  /** Access method, `btree` unless declared otherwise. */
  readonly using: string
  /** The partial-index predicate (`pg_get_expr(indpred, indrelid)`), or null. */
  readonly where: string | null
  /** `INCLUDE` columns, in order; absent when there are none. */
  readonly include?: readonly string[]
  /** `WITH (...)` storage parameters as `pg_class.reloptions` holds them (`fillfactor=70`), sorted; absent when none. */
  readonly storageParameters?: readonly string[]
  /**
   * `pg_get_indexdef(indexrelid)`, for display only ('' in a declared model). The diff compares the
   * other fields, which carry no schema name, so the scratch schema of canonicalising is no difference.
   */
  readonly definition: string
}

export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default'

export interface ForeignKeyModel {
  readonly name: string
  readonly columns: readonly string[]
  readonly references: QualifiedName
  readonly referencedColumns: readonly string[]
  readonly onDelete: ReferentialAction
  readonly onUpdate: ReferentialAction
  /** `DEFERRABLE INITIALLY IMMEDIATE` or `DEFERRABLE INITIALLY DEFERRED`; absent when `NOT DEFERRABLE` (the default). */
  readonly deferrable?: ForeignKeyDeferral
  /** `MATCH FULL`; absent for `MATCH SIMPLE` (the default). */
  readonly match?: 'full'
}

export type ForeignKeyDeferral = 'initiallyImmediate' | 'initiallyDeferred'

export interface CheckModel {
  readonly name: string
  /** `pg_get_constraintdef(oid)`, e.g. `CHECK ((price > 0))`. */
  readonly definition: string
}

export interface ExclusionModel {
  readonly name: string
  /** `pg_get_constraintdef(oid)`, e.g. `EXCLUDE USING gist (during WITH &&) WHERE ((price > 0))`. */
  readonly definition: string
}

export const EMPTY_SCHEMA: SchemaModel = { schemas: [], enums: [], sequences: [], tables: [], views: [] }

/** A table's `schema.name` key, unique within a model. */
export function tableKey(name: QualifiedName): string {
  return `${name.schema}.${name.name}`
}

/** The name as Alembic prints it: `user`, or `app.user` outside `public`. */
export function displayName(name: QualifiedName): string {
  return name.schema === 'public' ? name.name : `${name.schema}.${name.name}`
}

/** Sorts every collection of a model so that two models of the same schema are deep-equal. */
export function normalizeModel(model: SchemaModel): SchemaModel {
  const byName = <T extends { readonly name: string }>(items: readonly T[]): readonly T[] =>
    items.toSorted((a, b) => compareText(a.name, b.name))
  const byKey = <T extends QualifiedName>(items: readonly T[]): readonly T[] =>
    items.toSorted((a, b) => compareText(tableKey(a), tableKey(b)))
  return {
    schemas: model.schemas.toSorted(compareText),
    enums: byKey(model.enums),
    sequences: byKey(model.sequences),
    tables: byKey(model.tables).map((table) => ({
      ...table,
      uniques: byName(table.uniques),
      indexes: byName(table.indexes),
      foreignKeys: byName(table.foreignKeys),
      checks: byName(table.checks),
      exclusions: byName(table.exclusions),
    })),
    views: byKey(model.views).map((view) => ({ ...view, dependsOn: view.dependsOn.toSorted(compareText) })),
  }
}

/** Code-point order: the same everywhere, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
