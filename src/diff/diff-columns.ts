import type { ColumnModel, QualifiedName, TableModel } from '../model/schema-model.js'
import { displayName } from '../model/schema-model.js'
import { alterColumnOp, dropColumnOp, type SchemaOp } from './schema-op.js'

export interface ColumnDiff {
  readonly ops: readonly SchemaOp[]
  readonly warnings: readonly string[]
}

/**
 * Column ops between two versions of one table whose renamed columns already carry their new
 * names in `from`. A changed generation expression cannot be altered in place, so it is a drop and
 * an add. A serial flag that changes is reported, not migrated: it would need its own sequence ops.
 */
export function diffColumns(table: QualifiedName, from: TableModel, to: TableModel): ColumnDiff {
  const ops: SchemaOp[] = []
  const warnings: string[] = []
  const before = new Map(from.columns.map((column) => [column.name, column]))
  const after = new Set(to.columns.map((column) => column.name))
  for (const column of to.columns) {
    const previous = before.get(column.name)
    if (previous === undefined) {
      ops.push({ kind: 'addColumn', table, column })
      continue
    }
    if (previous.generated !== column.generated) {
      ops.push(dropColumnOp(table, previous), { kind: 'addColumn', table, column })
      continue
    }
    if (previous.serial !== column.serial) {
      warnings.push(
        `Column '${displayName(table)}.${column.name}' ${column.serial ? 'became' : 'is no longer'} serial; ` +
          'tsdb does not migrate that change, write it by hand (CREATE/DROP SEQUENCE and the default)',
      )
    }
    if (columnChanged(previous, column)) ops.push(alterColumnOp(table, previous, column))
  }
  for (const column of from.columns) {
    if (!after.has(column.name)) ops.push(dropColumnOp(table, column))
  }
  return { ops, warnings }
}

function columnChanged(a: ColumnModel, b: ColumnModel): boolean {
  return (
    a.type !== b.type ||
    a.nullable !== b.nullable ||
    a.default !== b.default ||
    a.identity !== b.identity ||
    a.comment !== b.comment
  )
}
