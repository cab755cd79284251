import type {
  CheckModel,
  ColumnModel,
  ExclusionModel,
  ForeignKeyModel,
  IndexModel,
  ReferentialAction,
  SchemaModel,
  TableModel,
  UniqueModel,
} from '../model/schema-model.js'
import { identityOptionsField, indexKeyOptions, normalizeModel, tableKey } from '../model/schema-model.js'
import type { CatalogRows, RawColumnRow, RawConstraintRow, RawIndexRow } from './catalog-rows.js'

export interface RowsToModelOptions {
  /** Only these tables (`name` or `schema.name`, `*` matches any run of characters). Default: all. */
  readonly include?: readonly string[]
  /** Never these tables (same patterns), e.g. tables another tool owns. */
  readonly exclude?: readonly string[]
}

const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const patternTest = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`)

export function tableFilter(options: RowsToModelOptions): (schema: string, name: string) => boolean {
  const include = options.include?.map(patternTest)
  const exclude = (options.exclude ?? []).map(patternTest)
  const matches = (patterns: readonly RegExp[], schema: string, name: string): boolean =>
    patterns.some((p) => p.test(name) || p.test(`${schema}.${name}`))
  // An empty `include` (the config's default) means every table, not none.
  return (schema, name) =>
    (include === undefined || include.length === 0 || matches(include, schema, name)) && !matches(exclude, schema, name)
}

const SERIAL_DEFAULT = /^nextval\('.*'::regclass\)$/

function toColumn(row: RawColumnRow): ColumnModel {
  const serial = row.owns_sequence && row.default !== null && SERIAL_DEFAULT.test(row.default)
  const generated = row.generated !== '' && row.generated !== null
  const identity = row.identity === 'a' ? 'always' : row.identity === 'd' ? 'byDefault' : null
  const column: ColumnModel = {
    name: row.name,
    type: row.type,
    nullable: !row.not_null,
    default: serial || generated ? null : row.default,
    serial,
    identity,
    ...(identity === null ? {} : identityOptionsField(row.sequence_start ?? null, row.sequence_increment ?? null)),
    generated: generated ? row.default : null,
    comment: row.comment,
    ...(typeof row.collation === 'string' ? { collation: row.collation } : {}),
  }
  const { sequence_name: sequenceName, sequence_type: sequenceType } = row
  return (serial || identity !== null) && typeof sequenceName === 'string' && typeof sequenceType === 'string'
    ? { ...column, sequence: { name: sequenceName, type: sequenceType } }
    : column
}

function toIndex(row: RawIndexRow): IndexModel {
  return {
    name: row.name,
    unique: row.unique,
    keys: row.keys.map((key) => ({
      ...(key.column !== null ? { kind: 'column' as const, name: key.column } : { kind: 'expression' as const, sql: key.expression ?? '' }),
      ...indexKeyOptions(key.descending === true, key.nulls_first === true, key.opclass ?? null),
    })),
    using: row.using,
    where: row.where,
    ...(row.include === null || row.include === undefined ? {} : { include: row.include }),
    ...(row.options === null || row.options === undefined ? {} : { storageParameters: row.options }),
    definition: row.definition,
  }
}

const toForeignKey = (row: RawConstraintRow): ForeignKeyModel => ({
  name: row.name,
  columns: row.columns ?? [],
  references: { schema: row.ref_schema ?? 'public', name: row.ref_table ?? '' },
  referencedColumns: row.ref_columns ?? [],
  onDelete: ACTIONS[row.on_delete] ?? 'no action',
  onUpdate: ACTIONS[row.on_update] ?? 'no action',
  ...(row.deferrable === true ? { deferrable: row.deferred === true ? 'initiallyDeferred' : 'initiallyImmediate' } : {}),
  ...(row.match === 'f' ? { match: 'full' } : {}),
})

/** Folds the catalog rows into a `SchemaModel` (pure; sorted like `normalizeModel`). */
export function rowsToModel(rows: CatalogRows, options: RowsToModelOptions = {}): SchemaModel {
  const keep = tableFilter(options)
  const group = <T extends { readonly schema: string; readonly table: string }>(items: readonly T[]): Map<string, T[]> => {
    const map = new Map<string, T[]>()
    for (const item of items) {
      const key = tableKey({ schema: item.schema, name: item.table })
      map.set(key, [...(map.get(key) ?? []), item])
    }
    return map
  }
  const columns = group(rows.columns)
  const constraints = group(rows.constraints)
  const indexes = group(rows.indexes)

  const tables = rows.tables
    .filter((row) => keep(row.schema, row.name))
    .map((row): TableModel => {
      const key = tableKey(row)
      const own = constraints.get(key) ?? []
      const pk = own.find((c) => c.type === 'p')
      return {
        schema: row.schema,
        name: row.name,
        columns: (columns.get(key) ?? []).toSorted((a, b) => a.position - b.position).map(toColumn),
        primaryKey: pk ? { name: pk.name, columns: pk.columns ?? [] } : null,
        uniques: own
          .filter((c) => c.type === 'u')
          .map((c): UniqueModel => ({ name: c.name, columns: c.columns ?? [], nullsNotDistinct: c.nulls_not_distinct })),
        indexes: (indexes.get(key) ?? []).map(toIndex),
        foreignKeys: own.filter((c) => c.type === 'f').map(toForeignKey),
        checks: own.filter((c) => c.type === 'c').map((c): CheckModel => ({ name: c.name, definition: c.definition ?? '' })),
        exclusions: own.filter((c) => c.type === 'x').map((c): ExclusionModel => ({ name: c.name, definition: c.definition ?? '' })),
        comment: row.comment,
      }
    })

  return normalizeModel({
    schemas: rows.schemas.map((row) => row.name).filter((name) => name !== 'public'),
    enums: rows.enums.map((row) => ({ schema: row.schema, name: row.name, values: row.values })),
    sequences: rows.sequences
      .filter((row) => keep(row.schema, row.name))
      .map(({ min, max, ...row }) => ({ ...row, minValue: min, maxValue: max })),
    tables,
    views: rows.views
      .filter((row) => keep(row.schema, row.name))
      .map(({ depends_on: dependsOn, definition, ...row }) => ({ ...row, definition: definition.trim().replace(/;$/, ''), dependsOn })),
  })
}
