import { assertNever } from '../errors.js'
import type { ColumnModel, IndexModel, QualifiedName } from '../model/schema-model.js'
import { displayName, identityIncrement, identityStart, sameIdentityOptions } from '../model/schema-model.js'
import type { SchemaOp } from './schema-op.js'

// The wording follows Alembic's autogenerate log (alembic/autogenerate/compare/*.py), so a
// Flask-Migrate user reads the same lines; Python's repr of a name is '<name>', of a tuple ('a', 'b').
const repr = (text: string): string => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
const tuple = (items: readonly string[]): string =>
  items.length === 1 ? `(${repr(items[0]!)},)` : `(${items.map(repr).join(', ')})`
const column = (table: QualifiedName, name: string): string => repr(`${displayName(table)}.${name}`)
const indexColumns = (index: IndexModel): readonly string[] =>
  index.keys.map((key) => (key.kind === 'column' ? key.name : key.sql))

/** One line of Alembic-style log text for an op. */
export function describeOp(op: SchemaOp): string {
  switch (op.kind) {
    case 'createSchema':
      return `Detected added schema ${repr(op.schema)}`
    case 'dropSchema':
      return `Detected removed schema ${repr(op.schema)}`
    case 'createEnum':
      return `Detected added enum ${repr(displayName(op.enum))} with values ${tuple(op.enum.values)}`
    case 'dropEnum':
      return `Detected removed enum ${repr(displayName(op.enum))}`
    case 'addEnumValue':
      return `Detected added value ${repr(op.value)} in enum ${repr(displayName(op.enum))}`
    case 'recreateEnum':
      return `Detected changed values of enum ${repr(displayName(op.from))}: ${tuple(op.from.values)} to ${tuple(op.to.values)}`
    case 'createSequence':
      return `Detected added sequence ${repr(displayName(op.sequence))}`
    case 'dropSequence':
      return `Detected removed sequence ${repr(displayName(op.sequence))}`
    case 'alterSequence':
      return `Detected changed sequence ${repr(displayName(op.to))}`
    case 'createView':
      return `Detected added ${op.view.materialized ? 'materialized view' : 'view'} ${repr(displayName(op.view))}`
    case 'dropView':
      return `Detected removed ${op.view.materialized ? 'materialized view' : 'view'} ${repr(displayName(op.view))}`
    case 'replaceView':
      return `Detected changed view ${repr(displayName(op.to))}`
    case 'createTable':
      return `Detected added table ${repr(displayName(op.table))}`
    case 'dropTable':
      return `Detected removed table ${repr(displayName(op.table))}`
    case 'renameTable':
      return `Detected renamed table ${repr(displayName(op.from))} to ${repr(displayName(op.to))}`
    case 'setTableComment':
      return op.to === null
        ? `Detected removed table comment ${repr(displayName(op.table))}`
        : `Detected table comment ${repr(displayName(op.table))}`
    case 'addColumn':
      return `Detected added column ${column(op.table, op.column.name)}`
    case 'dropColumn':
      return `Detected removed column ${column(op.table, op.column.name)}`
    case 'renameColumn':
      return `Detected renamed column ${column(op.table, op.from)} to ${repr(op.to)}`
    case 'alterColumn':
      return describeAlter(op)
    case 'addPrimaryKey':
      return `Detected added primary key ${repr(op.primaryKey.name)} on '${tuple(op.primaryKey.columns)}'`
    case 'dropPrimaryKey':
      return `Detected removed primary key ${repr(op.primaryKey.name)} on ${repr(displayName(op.table))}`
    case 'addUnique':
      return `Detected added unique constraint ${repr(op.unique.name)} on '${tuple(op.unique.columns)}'`
    case 'dropUnique':
      return `Detected removed unique constraint ${repr(op.unique.name)} on ${repr(displayName(op.table))}`
    case 'addCheck':
      return `Detected added check constraint ${repr(op.check.name)} on ${repr(displayName(op.table))}`
    case 'dropCheck':
      return `Detected removed check constraint ${repr(op.check.name)} on ${repr(displayName(op.table))}`
    case 'addExclusion':
      return `Detected added exclusion constraint ${repr(op.exclusion.name)} on ${repr(displayName(op.table))}`
    case 'dropExclusion':
      return `Detected removed exclusion constraint ${repr(op.exclusion.name)} on ${repr(displayName(op.table))}`
    case 'addForeignKey':
      return `Detected added foreign key (${op.foreignKey.columns.join(', ')})(${op.foreignKey.referencedColumns.join(', ')}) on table ${displayName(op.table)}`
    case 'dropForeignKey':
      return `Detected removed foreign key (${op.foreignKey.columns.join(', ')})(${op.foreignKey.referencedColumns.join(', ')}) on table ${displayName(op.table)}`
    case 'renameConstraint':
      return `Detected renamed constraint ${repr(op.from)} to ${repr(op.to)} on ${repr(displayName(op.table))}`
    case 'createIndex':
      return `Detected added index ${repr(op.index.name)} on '${tuple(indexColumns(op.index))}'`
    case 'dropIndex':
      return `Detected removed index ${repr(op.index.name)} on ${repr(displayName(op.table))}`
    case 'renameIndex':
      return `Detected renamed index ${repr(op.from)} to ${repr(op.to)} on ${repr(displayName(op.table))}`
    default:
      return assertNever(op)
  }
}

const identityText = (column: ColumnModel): string => `START WITH ${identityStart(column)} INCREMENT BY ${identityIncrement(column)}`

function describeAlter(op: Extract<SchemaOp, { kind: 'alterColumn' }>): string {
  const name = `'${displayName(op.table)}.${op.to.name}'`
  const parts: string[] = []
  if (op.from.type !== op.to.type) parts.push(`Detected type change from ${op.from.type} to ${op.to.type} on ${name}`)
  if (op.from.collation !== op.to.collation) {
    parts.push(`Detected collation change from ${op.from.collation ?? 'default'} to ${op.to.collation ?? 'default'} on ${name}`)
  }
  if (op.from.nullable !== op.to.nullable) parts.push(`Detected ${op.to.nullable ? 'NULL' : 'NOT NULL'} on column ${name}`)
  if (op.from.default !== op.to.default) parts.push(`Detected server default on column ${name}`)
  if (op.from.identity !== op.to.identity) parts.push(`Detected identity change on column ${name}`)
  else if (!sameIdentityOptions(op.from, op.to)) {
    parts.push(`Detected identity sequence change from ${identityText(op.from)} to ${identityText(op.to)} on column ${name}`)
  }
  if (op.from.serial !== op.to.serial) parts.push(`Detected ${op.to.serial ? 'added' : 'removed'} serial sequence on column ${name}`)
  const { sequence: fromSequence } = op.from
  const { sequence: toSequence } = op.to
  if (op.from.serial === op.to.serial && fromSequence !== undefined && toSequence !== undefined) {
    if (fromSequence.name !== toSequence.name) {
      parts.push(`Detected renamed sequence ${repr(fromSequence.name)} to ${repr(toSequence.name)} on column ${name}`)
    }
    if (fromSequence.type !== toSequence.type) {
      parts.push(`Detected sequence type change from ${fromSequence.type} to ${toSequence.type} on column ${name}`)
    }
  }
  if (op.from.comment !== op.to.comment) parts.push(`Detected column comment ${name}`)
  return parts.join('; ')
}

/**
 * The lines Alembic would log for an op: a created table also reports its indexes, as
 * Alembic's `Detected added index` lines follow `Detected added table`.
 */
export function describeOpLines(op: SchemaOp): readonly string[] {
  if (op.kind === 'createTable') {
    return [describeOp(op), ...op.table.indexes.map((index) => describeOp({ kind: 'createIndex', table: op.table, index }))]
  }
  if (op.kind === 'alterColumn') return describeOp(op).split('; ')
  return [describeOp(op)]
}
