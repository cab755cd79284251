import { sameIdentityOptions, type ColumnModel, type QualifiedName, type TableModel } from '../model/schema-model.js'
import { alterColumnOp, dropColumnOp, type SchemaOp } from './schema-op.js'

/**
 * Column ops between two versions of one table whose renamed columns already carry their new
 * names in `from`. A changed generation expression cannot be altered in place, so it is a drop and
 * an add. A serial flag that changes, and the sequence a serial or identity column owns (its name
 * follows a renamed table, its type the column's), are altered with the column.
 */
export function diffColumns(table: QualifiedName, from: TableModel, to: TableModel): readonly SchemaOp[] {
  const ops: SchemaOp[] = []
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
    if (columnChanged(previous, column)) ops.push(alterColumnOp(table, previous, column))
  }
  for (const column of from.columns) {
    if (!after.has(column.name)) ops.push(dropColumnOp(table, column))
  }
  return ops
}

function columnChanged(a: ColumnModel, b: ColumnModel): boolean {
  return (
    a.type !== b.type ||
    a.nullable !== b.nullable ||
    a.default !== b.default ||
    a.identity !== b.identity ||
    !sameIdentityOptions(a, b) ||
    a.serial !== b.serial ||
    a.sequence?.name !== b.sequence?.name ||
    a.sequence?.type !== b.sequence?.type ||
    a.comment !== b.comment ||
    a.collation !== b.collation
  )
}
