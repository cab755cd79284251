import {
  tableKey,
  type ColumnModel,
  type EnumModel,
  type ForeignKeyModel,
  type IndexModel,
  type QualifiedName,
  type SchemaModel,
  type TableModel,
} from '../model/schema-model.js'
import { serialTypeName } from '../render/column-type.js'
import { byteLength, MAX_IDENTIFIER_BYTES, quoteIdentifier } from '../model/identifier.js'
import { VERSION_TABLE } from '../version/version-change.js'
import { isUniqueKey } from '../schema/declaration-to-model.js'
import { makeObjectName } from '../schema/pg-names.js'
import type { Namespace } from '../schema/table-to-model.js'

/**
 * The cheap way to canonicalise a declaration, as pure data: what PostgreSQL must build so that
 * it prints every text the comparison reads, and how its answers fold back into the declared
 * model. Building every table as the migration would (sequences, TOAST tables, indexes, foreign
 * keys) costs the server 2–3 ms per table; most of it prints nothing the comparison reads.
 *
 * - A column's type and default print the same in any table (a default cannot name a column),
 *   so each distinct (type, default) pair is one column of a few wide "type tables".
 * - A check, a generated column or an index expression needs its own table's columns: such a
 *   table is built as a "skeleton" (no foreign keys, sequences or comments), and so is a table
 *   whose keys PostgreSQL must judge (a type not known to have a btree operator class, a
 *   non-btree or partial index, an index key's order or operator class, INCLUDE, WITH (...),
 *   NULLS NOT DISTINCT).
 * - Names, column lists, foreign keys, identity and comments are stored as given. A plain
 *   index's definition is printed by `format()` with `quote_ident`, which is what
 *   `pg_get_indexdef` prints for it.
 *
 * Whatever only a full build could decide (names PostgreSQL would choose differently, or reject;
 * foreign keys between columns of different types) makes `planProbe` or `foldProbe` return null,
 * and the caller builds the whole declaration instead.
 */
export interface ProbePlan {
  /** Created first, as the migration creates them: types and defaults may name them. */
  readonly enums: readonly EnumModel[]
  readonly typeTables: readonly TableModel[]
  readonly skeletons: readonly TableModel[]
  /** Indexes whose definition `format()` prints; the others are built in skeletons. */
  readonly formattedIndexes: readonly FormattedIndex[]
  /** Where each column's type and default are read, by `slotKey`. */
  readonly slots: ReadonlyMap<string, ProbeSlot>
}

interface ProbeSlot {
  readonly table: string
  readonly column: string
}

interface FormattedIndex {
  readonly schema: string
  readonly table: string
  readonly index: IndexModel
}

/** What PostgreSQL printed for a plan. */
export interface ProbeAnswers {
  /** By `slotAnswerKey(table, column)` of the type tables. */
  readonly columns: ReadonlyMap<string, { readonly type: string; readonly default: string | null }>
  /** In the order of `formattedIndexes`. */
  readonly indexDefinitions: readonly string[]
  /** The skeletons as read back from the catalogs. */
  readonly skeletons: SchemaModel
}

// PostgreSQL allows 1600 columns a table; fewer keep each CREATE TABLE a moderate statement.
const COLUMNS_PER_TYPE_TABLE = 1000
const MAX_COLUMNS = 1600
// INDEX_MAX_KEYS: the most columns of an index, key or foreign key.
const MAX_KEYS = 32
const SYSTEM_COLUMNS = new Set(['tableoid', 'xmin', 'cmin', 'xmax', 'cmax', 'ctid', 'oid'])
// Written as a type, these make a sequence: only a full build shows what PostgreSQL makes of them.
const SERIAL_SPELLING = /^\s*(?:small|big)?serial[248]?\s*$/i
// Declared types whose values btree indexes, primary keys, unique constraints and foreign keys
// take without an explicit operator class; any other key type is left for PostgreSQL to judge.
const BTREE_TYPE = new RegExp(
  '^(?:smallint|integer|bigint|int[248]?|real|double precision|float[48]|boolean|bool|text|uuid|date|interval|bytea|inet|cidr|macaddr|jsonb' +
    '|(?:numeric|decimal)(?:\\(\\s*\\d+\\s*(?:,\\s*-?\\d+\\s*)?\\))?' +
    '|(?:varchar|character varying|char|character|bpchar)(?:\\(\\s*\\d+\\s*\\))?' +
    '|(?:timestamp|timestamptz|time|timetz)(?:\\(\\s*\\d\\s*\\))?(?: with(?:out)? time zone)?)$',
  'i',
)

/** A column's place among the distinct (type, default) pairs. */
function slotKey(column: ColumnModel): string {
  const stored = storedDefault(column)
  // NUL cannot occur in PostgreSQL text, so it ends the type; `=` marks a default.
  return stored === null ? `${column.type}\0` : `${column.type}\0=${stored}`
}

export const slotAnswerKey = (table: string, column: string): string => `${table}.${column}`

// What PostgreSQL keeps as the column's default: a serial's is its sequence, which the model omits.
const storedDefault = (column: ColumnModel): string | null =>
  column.serial || column.generated !== null ? null : column.default

/**
 * The plan for a declared model whose schemas are already the scratch schemas; `typeSchema` is
 * the one first on the search_path. Null when the declaration needs a full build.
 */
export function planProbe(model: SchemaModel, typeSchema: string): ProbePlan | null {
  // A default may name a sequence, which must then exist; only PostgreSQL prints an exclusion
  // constraint: only a full build has them.
  if (model.sequences.length > 0 || model.views.length > 0 || model.tables.some((table) => table.exclusions.length > 0)) return null
  const { typeTables, slots } = planTypeTables(model, typeSchema)
  if (!model.tables.every(isProbeable) || hasAmbiguousNames(model, typeTables)) return null
  const tablesByKey = new Map(model.tables.map((table) => [tableKey(table), table]))
  const hasBuildableKeys = (table: TableModel): boolean =>
    table.foreignKeys.every((fk) => isBuildableForeignKey(fk, table, tablesByKey.get(tableKey(fk.references))))
  if (!model.tables.every(hasBuildableKeys)) return null

  const btreeEnums = new Set(
    model.enums.filter((type) => type.schema === typeSchema).flatMap((type) => [type.name, quoteIdentifier(type.name)]),
  )
  const isBtreeType = (type: string): boolean => BTREE_TYPE.test(type) || btreeEnums.has(type)
  const skeletons: TableModel[] = []
  const formattedIndexes: FormattedIndex[] = []
  for (const table of model.tables) {
    if (needsSkeleton(table, isBtreeType)) skeletons.push(skeletonOf(table))
    else for (const index of table.indexes) formattedIndexes.push({ schema: table.schema, table: table.name, index })
  }
  return { enums: model.enums, typeTables, skeletons, formattedIndexes, slots }
}

/** What a full build would reject, or read differently from the declaration, for this table alone. */
function isProbeable(table: TableModel): boolean {
  // The catalog queries leave these out, so a full build would not return them.
  if (table.name === VERSION_TABLE || table.name.startsWith('tsdb_')) return false
  const names = table.columns.map((column) => column.name)
  return (
    table.columns.length <= MAX_COLUMNS &&
    new Set(names).size === names.length &&
    [table.schema, table.name, ...names].every(isPlainName) &&
    table.columns.every(isProbeableColumn) &&
    !(table.comment ?? '').includes('\0')
  )
}

function isProbeableColumn(column: ColumnModel): boolean {
  const hasDefault = column.default !== null
  const isGenerated = column.generated !== null
  // Only PostgreSQL knows which collations exist and which types take one: a full build tells.
  if (SYSTEM_COLUMNS.has(column.name) || (column.comment ?? '').includes('\0') || column.collation !== undefined) return false
  if (column.identity !== null && (hasDefault || isGenerated || column.serial)) return false
  // Only PostgreSQL knows whether a start lies within the type's and the step's bounds.
  if (column.identityOptions !== undefined) return false
  if (isGenerated && (hasDefault || column.serial)) return false
  return column.serial ? serialTypeName(column.type) !== null : !SERIAL_SPELLING.test(column.type)
}

// Longer names are cut short by PostgreSQL, so it would store other names than the declaration's.
const isPlainName = (name: string): boolean => name !== '' && byteLength(name) <= MAX_IDENTIFIER_BYTES

/**
 * Whether a name occurs twice where PostgreSQL would reject it or choose another: relations and
 * types of a schema share one namespace (with the sequences serial and identity columns get), and
 * PostgreSQL names unnamed constraints to avoid every constraint name of the schema.
 */
function hasAmbiguousNames(model: SchemaModel, typeTables: readonly TableModel[]): boolean {
  const namespaces = new Map<string, Namespace>()
  const namespace = (schema: string): Namespace => {
    let known = namespaces.get(schema)
    if (known === undefined) {
      known = { relations: new Set(), constraints: new Set() }
      namespaces.set(schema, known)
    }
    return known
  }
  const isRepeated = (names: Set<string>, name: string): boolean => {
    if (!isPlainName(name) || names.has(name)) return true
    names.add(name)
    return false
  }
  for (const table of typeTables) namespace(table.schema).relations.add(table.name)
  if (model.enums.some((type) => isRepeated(namespace(type.schema).relations, type.name))) return true
  return model.tables.some((table) => {
    const { relations, constraints } = namespace(table.schema)
    const sequences = table.columns
      .filter((column) => column.serial || column.identity !== null)
      .map((column) => makeObjectName(table.name, column.name, 'seq'))
    const indexConstraints = [...(table.primaryKey === null ? [] : [table.primaryKey]), ...table.uniques]
    return (
      isRepeated(relations, table.name) ||
      sequences.some((name) => isRepeated(relations, name)) ||
      table.indexes.some((index) => isRepeated(relations, index.name)) ||
      indexConstraints.some((item) => isRepeated(relations, item.name) || isRepeated(constraints, item.name)) ||
      [...table.foreignKeys, ...table.checks].some((item) => isRepeated(constraints, item.name))
    )
  })
}

/** A foreign key PostgreSQL would accept, as far as names and keys tell (the types are compared after probing). */
function isBuildableForeignKey(fk: ForeignKeyModel, source: TableModel, target: TableModel | undefined): boolean {
  if (target === undefined) return false
  if (fk.columns.length === 0 || fk.columns.length > MAX_KEYS || fk.columns.length !== fk.referencedColumns.length) return false
  if (!fk.columns.every((name) => source.columns.find((column) => column.name === name)?.generated === null)) return false
  if (!fk.referencedColumns.every((name) => target.columns.some((column) => column.name === name))) return false
  return isUniqueKey(target, fk.referencedColumns)
}

/** Whether PostgreSQL must build the table to print its texts or to judge its keys. */
function needsSkeleton(table: TableModel, isBtreeType: (type: string) => boolean): boolean {
  const types = new Map(table.columns.map((column) => [column.name, column.type]))
  const isBtreeKey = (columns: readonly string[]): boolean =>
    columns.length > 0 &&
    columns.length <= MAX_KEYS &&
    columns.every((name) => {
      const type = types.get(name)
      return type !== undefined && isBtreeType(type)
    })
  const isConstraintKey = (columns: readonly string[]): boolean => isBtreeKey(columns) && new Set(columns).size === columns.length
  const isPlainIndex = (index: IndexModel): boolean =>
    index.using === 'btree' &&
    index.where === null &&
    index.include === undefined &&
    index.storageParameters === undefined &&
    index.keys.every((key) => key.kind === 'column' && key.descending === undefined && key.nulls === undefined && key.opclass === undefined) &&
    isBtreeKey(index.keys.map((key) => (key.kind === 'column' ? key.name : '')))
  return (
    table.checks.length > 0 ||
    table.columns.some((column) => column.generated !== null) ||
    !table.indexes.every(isPlainIndex) ||
    (table.primaryKey !== null && !isConstraintKey(table.primaryKey.columns)) ||
    !table.uniques.every((unique) => !unique.nullsNotDistinct && isConstraintKey(unique.columns))
  )
}

/** The table as built for its texts: no foreign keys (they need their targets), sequences, defaults or comments. */
function skeletonOf(table: TableModel): TableModel {
  return {
    ...table,
    columns: table.columns.map((column) => ({ ...column, default: null, serial: false, identity: null, comment: null })),
    foreignKeys: [],
    comment: null,
  }
}

function planTypeTables(model: SchemaModel, typeSchema: string): Pick<ProbePlan, 'typeTables' | 'slots'> {
  const distinct = new Map<string, ColumnModel>()
  for (const table of model.tables) {
    for (const column of table.columns) {
      const key = slotKey(column)
      if (!distinct.has(key)) distinct.set(key, column)
    }
  }
  const slots = new Map<string, ProbeSlot>()
  const columnsByTable: ColumnModel[][] = []
  for (const [key, column] of distinct) {
    if (slots.size % COLUMNS_PER_TYPE_TABLE === 0) columnsByTable.push([])
    const columns = columnsByTable[columnsByTable.length - 1]!
    const slot = { table: typeTableName(columnsByTable.length - 1), column: `c${columns.length}` }
    slots.set(key, slot)
    columns.push({
      name: slot.column,
      type: column.type,
      nullable: true,
      default: storedDefault(column),
      serial: false,
      identity: null,
      generated: null,
      comment: null,
    })
  }
  const typeTables = columnsByTable.map((columns, i): TableModel => ({
    schema: typeSchema,
    name: typeTableName(i),
    columns,
    primaryKey: null,
    uniques: [],
    indexes: [],
    foreignKeys: [],
    checks: [],
    exclusions: [],
    comment: null,
  }))
  return { typeTables, slots }
}

// The catalog queries leave `tsdb_` tables out, so a full read of the scratch schemas skips these.
const typeTableName = (i: number): string => `tsdb_probe_${i}`

/**
 * The declared model with PostgreSQL's texts, shaped as `rowsToModel` shapes a full build's
 * catalog rows. Null when two columns joined by a foreign key have different types: PostgreSQL
 * accepts some such pairs and rejects others, which only building the key tells.
 */
export function foldProbe(model: SchemaModel, plan: ProbePlan, answers: ProbeAnswers): SchemaModel | null {
  const answersBySlot = new Map<string, { readonly type: string; readonly default: string | null }>()
  for (const [key, slot] of plan.slots) {
    const answer = answers.columns.get(slotAnswerKey(slot.table, slot.column))
    if (answer === undefined) throw new Error(`unreachable: no probed type for ${slot.table}.${slot.column}`)
    answersBySlot.set(key, answer)
  }
  const answerFor = (column: ColumnModel): { readonly type: string; readonly default: string | null } => {
    const answer = answersBySlot.get(slotKey(column))
    if (answer === undefined) throw new Error(`unreachable: no probed type for column '${column.name}'`)
    return answer
  }
  const columnsByTable = new Map(
    model.tables.map((table) => [tableKey(table), new Map(table.columns.map((column) => [column.name, column]))]),
  )
  const typeOf = (table: QualifiedName, column: string): string | undefined => {
    const model = columnsByTable.get(tableKey(table))?.get(column)
    return model === undefined ? undefined : answerFor(model).type.replace(/\([^)]*\)/g, '')
  }
  const keysMatch = (table: TableModel, fk: ForeignKeyModel): boolean =>
    fk.columns.every((name, i) => typeOf(table, name) === typeOf(fk.references, fk.referencedColumns[i]!))
  if (!model.tables.every((table) => table.foreignKeys.every((fk) => keysMatch(table, fk)))) return null

  const definitions = new Map(plan.formattedIndexes.map((item, i) => [item.index, answers.indexDefinitions[i]!]))
  const skeletons = new Map(answers.skeletons.tables.map((table) => [tableKey(table), table]))
  const tables = model.tables.map((table): TableModel => {
    const skeleton = skeletons.get(tableKey(table))
    const generated = new Map(skeleton?.columns.map((column) => [column.name, column.generated]))
    const pkColumns = new Set(table.primaryKey?.columns)
    // Names, keys and foreign keys are the declaration's; the columns keep only what the catalogs hold.
    return {
      ...table,
      columns: table.columns.map((column): ColumnModel => {
        const answer = answerFor(column)
        const folded: ColumnModel = {
          name: column.name,
          type: answer.type,
          // PostgreSQL makes primary-key, serial and identity columns NOT NULL.
          nullable: column.nullable && !pkColumns.has(column.name) && !column.serial && column.identity === null,
          default: storedDefault(column) === null ? null : answer.default,
          serial: column.serial,
          identity: column.identity,
          generated: column.generated === null ? null : (generated.get(column.name) ?? null),
          comment: storedComment(column.comment),
        }
        // The sequence PostgreSQL creates for it, named as hasAmbiguousNames made sure it can be, of the column's type.
        return column.serial || column.identity !== null
          ? { ...folded, sequence: { name: makeObjectName(table.name, column.name, 'seq'), type: answer.type } }
          : folded
      }),
      indexes: skeleton?.indexes ?? table.indexes.map((index) => ({ ...index, definition: definitions.get(index) ?? '' })),
      checks: skeleton?.checks ?? [],
      comment: storedComment(table.comment),
    }
  })
  return {
    schemas: [],
    enums: model.enums,
    sequences: [],
    tables,
    views: [],
  }
}

// COMMENT ON ... IS '' removes the comment.
const storedComment = (comment: string | null): string | null => (comment === '' ? null : comment)
