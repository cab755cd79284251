import type {
  CheckModel,
  ForeignKeyModel,
  IndexModel,
  PrimaryKeyModel,
  QualifiedName,
  TableModel,
  UniqueModel,
} from '../model/schema-model.js'
import { compareText } from '../model/schema-model.js'
import { sameList } from './pair-by-name.js'
import type { SchemaOp } from './schema-op.js'

interface Named {
  readonly name: string
}

interface NamedDiff<T> {
  readonly added: readonly T[]
  readonly removed: readonly T[]
  readonly renamed: readonly (readonly [T, T])[]
}

const NOTHING: NamedDiff<never> = { added: [], removed: [], renamed: [] }

/**
 * Matches by name; a changed definition is a removal plus an addition (constraints and indexes
 * cannot be altered in place). What is left unmatched on both sides with an equal definition is a
 * rename: PostgreSQL keeps `old_pkey` when a table is renamed, and renaming is cheaper than rebuilding.
 */
function diffNamed<T extends Named>(from: readonly T[], to: readonly T[], same: (a: T, b: T) => boolean): NamedDiff<T> {
  if (from.length === 0 && to.length === 0) return NOTHING
  const byName = new Map(to.map((item) => [item.name, item]))
  const fromNames = new Set(from.map((item) => item.name))
  const removed: T[] = []
  const added: T[] = to.filter((item) => !fromNames.has(item.name))
  const changedAdded: T[] = []
  for (const item of from) {
    const next = byName.get(item.name)
    if (next === undefined) removed.push(item)
    else if (!same(item, next)) {
      removed.push(item)
      changedAdded.push(next)
    }
  }
  const renamed: (readonly [T, T])[] = []
  const unmatchedAdded = [...added]
  const stillRemoved = removed.filter((item) => {
    if (byName.has(item.name)) return true
    const at = unmatchedAdded.findIndex((candidate) => same(item, candidate))
    if (at < 0) return true
    renamed.push([item, unmatchedAdded[at]!])
    unmatchedAdded.splice(at, 1)
    return false
  })
  return { added: [...unmatchedAdded, ...changedAdded], removed: stillRemoved, renamed }
}

const samePrimaryKey = (a: PrimaryKeyModel, b: PrimaryKeyModel): boolean => sameList(a.columns, b.columns)

const sameUnique = (a: UniqueModel, b: UniqueModel): boolean =>
  sameList(a.columns, b.columns) && a.nullsNotDistinct === b.nullsNotDistinct

const sameCheck = (a: CheckModel, b: CheckModel): boolean => a.definition === b.definition

const sameForeignKey = (a: ForeignKeyModel, b: ForeignKeyModel): boolean =>
  sameList(a.columns, b.columns) &&
  a.references.schema === b.references.schema &&
  a.references.name === b.references.name &&
  sameList(a.referencedColumns, b.referencedColumns) &&
  a.onDelete === b.onDelete &&
  a.onUpdate === b.onUpdate &&
  a.deferrable === b.deferrable &&
  a.match === b.match

const sameIndex = (a: IndexModel, b: IndexModel): boolean =>
  a.unique === b.unique &&
  a.using === b.using &&
  a.where === b.where &&
  sameList(a.include ?? [], b.include ?? []) &&
  sameList(a.storageParameters ?? [], b.storageParameters ?? []) &&
  a.keys.length === b.keys.length &&
  a.keys.every((key, i) => {
    const other = b.keys[i]!
    const isSameKey =
      key.kind === 'column' ? other.kind === 'column' && other.name === key.name : other.kind === 'expression' && other.sql === key.sql
    return isSameKey && key.descending === other.descending && key.nulls === other.nulls && key.opclass === other.opclass
  })

const byName = <T extends Named>(items: readonly T[]): readonly T[] => items.toSorted((a, b) => compareText(a.name, b.name))

/** Constraint and index ops between two versions of one table (columns already renamed in `from`). */
export function diffTableConstraints(table: QualifiedName, from: TableModel, to: TableModel): readonly SchemaOp[] {
  const ops: SchemaOp[] = []
  const pk = diffNamed(from.primaryKey ? [from.primaryKey] : [], to.primaryKey ? [to.primaryKey] : [], samePrimaryKey)
  for (const item of pk.removed) ops.push({ kind: 'dropPrimaryKey', table, primaryKey: item })
  for (const item of pk.added) ops.push({ kind: 'addPrimaryKey', table, primaryKey: item })
  for (const [a, b] of pk.renamed) ops.push({ kind: 'renameConstraint', table, constraint: 'primaryKey', from: a.name, to: b.name })

  const uniques = diffNamed(from.uniques, to.uniques, sameUnique)
  for (const item of byName(uniques.removed)) ops.push({ kind: 'dropUnique', table, unique: item })
  for (const item of byName(uniques.added)) ops.push({ kind: 'addUnique', table, unique: item })
  for (const [a, b] of uniques.renamed) ops.push({ kind: 'renameConstraint', table, constraint: 'unique', from: a.name, to: b.name })

  const checks = diffNamed(from.checks, to.checks, sameCheck)
  for (const item of byName(checks.removed)) ops.push({ kind: 'dropCheck', table, check: item })
  for (const item of byName(checks.added)) ops.push({ kind: 'addCheck', table, check: item })
  for (const [a, b] of checks.renamed) ops.push({ kind: 'renameConstraint', table, constraint: 'check', from: a.name, to: b.name })

  const exclusions = diffNamed(from.exclusions, to.exclusions, (a, b) => a.definition === b.definition)
  for (const item of byName(exclusions.removed)) ops.push({ kind: 'dropExclusion', table, exclusion: item })
  for (const item of byName(exclusions.added)) ops.push({ kind: 'addExclusion', table, exclusion: item })
  for (const [a, b] of exclusions.renamed) ops.push({ kind: 'renameConstraint', table, constraint: 'exclusion', from: a.name, to: b.name })

  const foreignKeys = diffNamed(from.foreignKeys, to.foreignKeys, sameForeignKey)
  for (const item of byName(foreignKeys.removed)) ops.push({ kind: 'dropForeignKey', table, foreignKey: item })
  for (const item of byName(foreignKeys.added)) ops.push({ kind: 'addForeignKey', table, foreignKey: item })
  for (const [a, b] of foreignKeys.renamed) {
    ops.push({ kind: 'renameConstraint', table, constraint: 'foreignKey', from: a.name, to: b.name })
  }

  const indexes = diffNamed(from.indexes, to.indexes, sameIndex)
  for (const item of byName(indexes.removed)) ops.push({ kind: 'dropIndex', table, index: item })
  for (const item of byName(indexes.added)) ops.push({ kind: 'createIndex', table, index: item })
  for (const [a, b] of indexes.renamed) ops.push({ kind: 'renameIndex', table, from: a.name, to: b.name })
  return ops
}
