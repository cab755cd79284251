/**
 * The raw rows of the catalog queries, exactly as the driver returns them (JSON-serialisable,
 * so real rows can be saved as fixtures for `rowsToModel`).
 */

interface RawSchemaRow {
  readonly name: string
}

interface RawTableRow {
  readonly schema: string
  readonly name: string
  readonly comment: string | null
}

export interface RawColumnRow {
  readonly schema: string
  readonly table: string
  readonly name: string
  readonly position: number
  /** `format_type(atttypid, atttypmod)` */
  readonly type: string
  readonly not_null: boolean
  /** `pg_get_expr(adbin, ...)`: the default, or a generated column's expression */
  readonly default: string | null
  /** `attidentity`: '' | 'a' (always) | 'd' (by default) */
  readonly identity: string
  /** `attgenerated`: '' | 's' (stored) | 'v' (virtual, PostgreSQL 18) */
  readonly generated: string
  readonly comment: string | null
  /** The collation's name where it is not the type's default (absent in rows saved before it was read). */
  readonly collation?: string | null
  /** The column owns a sequence through an automatic dependency: what `serial` creates. */
  readonly owns_sequence: boolean
  /** The sequence the column owns (serial) or that generates its identity, and `format_type` of its type. */
  readonly sequence_name?: string | null
  readonly sequence_type?: string | null
  /** That sequence's `seqstart` and `seqincrement` (absent in rows saved before they were read). */
  readonly sequence_start?: string | null
  readonly sequence_increment?: string | null
}

export interface RawConstraintRow {
  readonly schema: string
  readonly table: string
  readonly name: string
  /** `contype`: 'p' | 'u' | 'f' | 'c' | 'x' */
  readonly type: string
  /** `pg_get_constraintdef(oid)` of a check or exclusion constraint; null for the other types. */
  readonly definition: string | null
  readonly columns: readonly string[] | null
  readonly ref_schema: string | null
  readonly ref_table: string | null
  readonly ref_columns: readonly string[] | null
  /** `confupdtype` / `confdeltype`: 'a' | 'r' | 'c' | 'n' | 'd' (a space for non-FKs) */
  readonly on_update: string
  readonly on_delete: string
  readonly nulls_not_distinct: boolean
  /** `condeferrable` / `condeferred` (absent in rows saved before they were read). */
  readonly deferrable?: boolean
  readonly deferred?: boolean
  /** `confmatchtype`: 'f' (full) | 's' (simple) | 'p' (partial) for a foreign key. */
  readonly match?: string
}

interface RawIndexKey {
  /** The column's name, or null for an expression key. */
  readonly column: string | null
  /** `pg_get_indexdef(indexrelid, k, true)` for an expression key, else null. */
  readonly expression: string | null
  /** `indoption` bits (absent in rows saved before they were read). */
  readonly descending?: boolean
  readonly nulls_first?: boolean
  /** The operator class's name when it is not a default one, else null. */
  readonly opclass?: string | null
}

export interface RawIndexRow {
  readonly schema: string
  readonly table: string
  readonly name: string
  readonly unique: boolean
  /** The access method: btree, hash, gin, gist, brin, ... */
  readonly using: string
  /** `pg_get_indexdef(indexrelid)` */
  readonly definition: string
  /** `pg_get_expr(indpred, indrelid, true)` */
  readonly where: string | null
  readonly keys: readonly RawIndexKey[]
  /** `INCLUDE` columns, in order, or null. */
  readonly include?: readonly string[] | null
  /** `pg_class.reloptions` of the index, sorted, or null. */
  readonly options?: readonly string[] | null
}

interface RawEnumRow {
  readonly schema: string
  readonly name: string
  /** In `enumsortorder`. */
  readonly values: readonly string[]
}

/** A sequence no column owns; the bounds as text (int8). */
interface RawSequenceRow {
  readonly schema: string
  readonly name: string
  readonly type: string
  readonly start: string
  readonly increment: string
  readonly min: string
  readonly max: string
  readonly cycle: boolean
}

interface RawViewRow {
  readonly schema: string
  readonly name: string
  readonly materialized: boolean
  /** `pg_get_viewdef(oid)` */
  readonly definition: string
  /** `name type` per column, in attnum order. */
  readonly columns: readonly string[]
  /** `schema.name` of each table or view the query reads. */
  readonly depends_on: readonly string[]
}

export interface CatalogRows {
  readonly schemas: readonly RawSchemaRow[]
  readonly tables: readonly RawTableRow[]
  readonly columns: readonly RawColumnRow[]
  readonly constraints: readonly RawConstraintRow[]
  readonly indexes: readonly RawIndexRow[]
  readonly enums: readonly RawEnumRow[]
  readonly sequences: readonly RawSequenceRow[]
  readonly views: readonly RawViewRow[]
}
