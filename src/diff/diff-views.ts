import type { SchemaModel, ViewModel } from '../model/schema-model.js'
import { tableKey } from '../model/schema-model.js'
import { pairByName, sameList } from './pair-by-name.js'
import type { SchemaOp } from './schema-op.js'

/** Tables whose columns the ops retype or drop: PostgreSQL refuses while a view reads them. */
function tablesChangedUnderViews(ops: readonly SchemaOp[]): ReadonlySet<string> {
  const keys = new Set<string>()
  for (const op of ops) {
    if (op.kind === 'dropColumn' || (op.kind === 'alterColumn' && op.from.type !== op.to.type)) keys.add(tableKey(op.table))
    if (op.kind === 'dropTable') keys.add(tableKey(op.table))
    if (op.kind === 'recreateEnum') for (const use of op.uses) keys.add(tableKey(use.table))
  }
  return keys
}

/**
 * Views in an order where each comes after the views it reads (a cycle, impossible in
 * PostgreSQL, keeps the rest in key order).
 */
function dependencyOrder(views: readonly ViewModel[]): readonly ViewModel[] {
  const pending = new Map(views.map((view) => [tableKey(view), view]))
  const ordered: ViewModel[] = []
  while (pending.size > 0) {
    const ready = [...pending.values()].filter((view) => !view.dependsOn.some((key) => pending.has(key)))
    const next = ready.length > 0 ? ready : [...pending.values()].slice(0, 1)
    for (const view of next) {
      ordered.push(view)
      pending.delete(tableKey(view))
    }
  }
  return ordered
}

/**
 * Added, removed and changed views, given the ops for everything else. A view whose query changed
 * but whose columns did not is replaced in place (`CREATE OR REPLACE VIEW`); one whose columns
 * changed, a materialized one, and one reading a table whose columns are dropped or retyped is
 * dropped before the tables change and created after, with every view that reads it.
 */
export function diffViews(from: SchemaModel, to: SchemaModel, tableOps: readonly SchemaOp[]): readonly SchemaOp[] {
  const { matched, removed } = pairByName(from.views, to.views)
  const changedTables = tablesChangedUnderViews(tableOps)
  const dropped = new Set(removed.map(tableKey))
  const replaced: SchemaOp[] = []
  for (const [previous, next] of matched) {
    if (previous === undefined) continue
    const key = tableKey(previous)
    if (previous.dependsOn.some((table) => changedTables.has(table))) dropped.add(key)
    else if (previous.definition === next.definition && previous.materialized === next.materialized) continue
    else if (!previous.materialized && !next.materialized && sameList(previous.columns, next.columns)) {
      replaced.push({ kind: 'replaceView', from: previous, to: next })
    } else dropped.add(key)
  }
  // A view that reads a dropped view goes with it.
  for (let grew = true; grew; ) {
    grew = false
    for (const view of from.views) {
      if (!dropped.has(tableKey(view)) && view.dependsOn.some((key) => dropped.has(key))) {
        dropped.add(tableKey(view))
        grew = true
      }
    }
  }
  const created = matched
    .filter(([previous, next]) => previous === undefined || dropped.has(tableKey(next)))
    .map(([, next]) => next)
  return [
    ...dependencyOrder(from.views.filter((view) => dropped.has(tableKey(view))))
      .toReversed()
      .map((view): SchemaOp => ({ kind: 'dropView', view })),
    ...replaced.filter((op) => op.kind === 'replaceView' && !dropped.has(tableKey(op.to))),
    ...dependencyOrder(created).map((view): SchemaOp => ({ kind: 'createView', view })),
  ]
}
