import type { ForeignKeyModel, QualifiedName, SchemaModel, TableModel } from '../model/schema-model.js'
import { compareText, tableKey } from '../model/schema-model.js'
import { diffColumns } from './diff-columns.js'
import { diffTableConstraints } from './diff-constraints.js'
import { diffEnums } from './diff-enums.js'
import { diffSequences } from './diff-sequences.js'
import { diffViews } from './diff-views.js'
import { applyRenames, matchRenames, type RenameOptions } from './match-renames.js'
import { orderOps } from './order-ops.js'
import { dropTableOp, type SchemaOp } from './schema-op.js'

export type DiffOptions = RenameOptions

export interface SchemaDiff {
  /** In an order that applies; `reverseOps(ops)` undoes them. */
  readonly ops: readonly SchemaOp[]
  /** Rename suggestions and data-loss notes, for the user to read. */
  readonly warnings: readonly string[]
}

/** The ops that turn a database shaped like `from` into one shaped like `to`. */
export function diffSchemas(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): SchemaDiff {
  const ops: SchemaOp[] = []
  const fromSchemas = new Set(from.schemas)
  const toSchemas = new Set(to.schemas)
  for (const schema of [...toSchemas].toSorted(compareText)) {
    if (!fromSchemas.has(schema)) ops.push({ kind: 'createSchema', schema })
  }
  for (const schema of [...fromSchemas].toSorted(compareText)) {
    if (!toSchemas.has(schema)) ops.push({ kind: 'dropSchema', schema })
  }
  ops.push(...diffEnums(from, to))
  ops.push(...diffSequences(from, to))

  const renames = matchRenames(from, to, options)
  const warnings = [...renames.warnings]
  const tableRenames = new Map<string, QualifiedName>(
    renames.matches.map(({ from: old, to: next }) => [tableKey(old), { schema: next.schema, name: next.name }]),
  )
  const columnRenamesByTable = new Map(renames.matches.map((match) => [tableKey(match.to), match.columnRenames]))
  // Without any rename, a table reads the same after the renames: no copy of it is needed.
  const hasRenames = renames.matches.some((match) => match.columnRenames.size > 0 || tableKey(match.from) !== tableKey(match.to))
  const renamed = (table: TableModel, name: QualifiedName, columns: ReadonlyMap<string, string>): TableModel =>
    !hasRenames && table.schema === name.schema && table.name === name.name
      ? table
      : applyRenames(table, name, columns, tableRenames, columnRenamesByTable)

  const tablesGainingKeys = new Set<string>()
  for (const match of renames.matches) {
    const name = { schema: match.to.schema, name: match.to.name }
    if (tableKey(match.from) !== tableKey(match.to)) {
      ops.push({ kind: 'renameTable', from: { schema: match.from.schema, name: match.from.name }, to: name })
    }
    for (const [old, next] of [...match.columnRenames].toSorted(([a], [b]) => compareText(a, b))) {
      ops.push({ kind: 'renameColumn', table: name, from: old, to: next })
    }
    const before = renamed(match.from, name, match.columnRenames)
    ops.push(...diffColumns(name, before, match.to))
    const constraints = diffTableConstraints(name, before, match.to)
    ops.push(...constraints)
    if (constraints.some((op) => op.kind === 'addPrimaryKey' || op.kind === 'addUnique' || op.kind === 'createIndex')) {
      tablesGainingKeys.add(tableKey(name))
    }
    if (before.comment !== match.to.comment) {
      ops.push({ kind: 'setTableComment', table: name, from: before.comment, to: match.to.comment })
    }
  }

  const created = splitForeignKeys(renames.created, tablesGainingKeys)
  for (const table of created.tables) ops.push({ kind: 'createTable', table })
  for (const { table, foreignKey } of created.foreignKeys) ops.push({ kind: 'addForeignKey', table, foreignKey })

  const dropped = splitForeignKeys(
    renames.dropped.map((table) => renamed(table, table, new Map())),
    new Set(),
  )
  for (const table of dropped.tables.toReversed()) ops.push(dropTableOp(table))
  for (const { table, foreignKey } of dropped.foreignKeys) ops.push({ kind: 'dropForeignKey', table, foreignKey })

  ops.push(...diffViews(from, to, ops))
  const ordered = orderOps(ops)
  for (const op of ordered) if ('dataLoss' in op && op.dataLoss !== undefined) warnings.push(`Data loss: ${op.dataLoss}`)
  return { ops: ordered, warnings }
}

interface SplitTables {
  /** In creation order, each without the foreign keys split off. */
  readonly tables: readonly TableModel[]
  readonly foreignKeys: readonly { readonly table: QualifiedName; readonly foreignKey: ForeignKeyModel }[]
}

/**
 * Orders new tables so that each one's foreign keys point at tables that already exist. A key
 * that cannot be inline (a cycle, or a target whose key is only added in this migration) is split
 * off and added once every table exists. Used reversed, the same order drops tables. The next
 * table is the first, in key order, whose targets are all placed; in a cycle, the first pending.
 */
function splitForeignKeys(tables: readonly TableModel[], tablesGainingKeys: ReadonlySet<string>): SplitTables {
  const sorted = tables.toSorted((a, b) => compareText(tableKey(a), tableKey(b)))
  const keys = sorted.map(tableKey)
  const positions = new Map(keys.map((key, i) => [key, i]))
  // Per table, how many of its distinct targets (itself aside) are still pending; per target, who waits.
  const waitingFor = sorted.map(() => 0)
  const waiters = new Map<string, number[]>()
  sorted.forEach((table, i) => {
    for (const target of new Set(table.foreignKeys.map((fk) => tableKey(fk.references)))) {
      if (target === keys[i] || !positions.has(target)) continue
      waitingFor[i]! += 1
      const list = waiters.get(target)
      if (list === undefined) waiters.set(target, [i])
      else list.push(i)
    }
  })
  const pending = new Set(keys)
  const order = sorted.map((_, i) => i)
  const done: TableModel[] = []
  const split: { table: QualifiedName; foreignKey: ForeignKeyModel }[] = []
  while (order.length > 0) {
    const at = Math.max(0, order.findIndex((position) => waitingFor[position] === 0))
    const position = order[at]!
    order.splice(at, 1)
    const next = sorted[position]!
    const key = keys[position]!
    pending.delete(key)
    for (const waiter of waiters.get(key) ?? []) waitingFor[waiter]! -= 1
    const blocks = (fk: ForeignKeyModel): boolean => {
      const target = tableKey(fk.references)
      return target !== key && (pending.has(target) || tablesGainingKeys.has(target))
    }
    const inline = next.foreignKeys.filter((fk) => !blocks(fk))
    for (const fk of next.foreignKeys) {
      if (!inline.includes(fk)) split.push({ table: { schema: next.schema, name: next.name }, foreignKey: fk })
    }
    done.push(inline.length === next.foreignKeys.length ? next : { ...next, foreignKeys: inline })
  }
  return { tables: done, foreignKeys: split }
}
