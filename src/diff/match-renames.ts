import type { ColumnModel, QualifiedName, SchemaModel, TableModel } from '../model/schema-model.js'
import { compareText, displayName, tableKey } from '../model/schema-model.js'
import { renameOptionText, type RenameCandidate, type RenameHint } from './rename-hints.js'

export interface RenameOptions {
  /** Asked for each drop + add pair that looks like a rename; `true` makes it a rename. */
  readonly resolveRename?: (candidate: RenameCandidate) => boolean
  readonly renames?: readonly RenameHint[]
}

interface TableMatch {
  readonly from: TableModel
  readonly to: TableModel
  /** Old name -> new name. */
  readonly columnRenames: ReadonlyMap<string, string>
}

export interface RenameMatches {
  readonly matches: readonly TableMatch[]
  readonly created: readonly TableModel[]
  readonly dropped: readonly TableModel[]
  readonly candidates: readonly RenameCandidate[]
  readonly warnings: readonly string[]
}

const sameColumns = (a: TableModel, b: TableModel): boolean =>
  a.columns.length === b.columns.length &&
  a.columns.every((column) => b.columns.some((other) => other.name === column.name && other.type === column.type))

/**
 * Pairs the tables and columns of two models, renames included. A rename is never guessed: it
 * comes from `renamedFrom` in `to`, from an explicit hint, or from `resolveRename` saying yes.
 * Without any of those, a pair that looks like a rename stays a drop plus an add, with a warning
 * naming the option that would make it one.
 */
export function matchRenames(from: SchemaModel, to: SchemaModel, options: RenameOptions): RenameMatches {
  const warnings: string[] = []
  const candidates: RenameCandidate[] = []
  const hints = options.renames ?? []
  const fromByKey = new Map(from.tables.map((table) => [tableKey(table), table]))
  const toTables = to.tables.toSorted((a, b) => compareText(tableKey(a), tableKey(b)))
  const toKeys = new Set(toTables.map(tableKey))
  const unmatchedFrom = new Map([...fromByKey].filter(([key]) => !toKeys.has(key)))
  const pairs: (readonly [TableModel, TableModel])[] = []
  const created: TableModel[] = []

  const decide = (candidate: RenameCandidate, looksLike: boolean): boolean => {
    if (!looksLike) return false
    candidates.push(candidate)
    if (options.resolveRename) return options.resolveRename(candidate)
    const { kind, schema, table } = candidate
    const shown = (name: string): string =>
      kind === 'table' ? displayName({ schema, name }) : `${displayName({ schema, name: table })}.${name}`
    const what = kind === 'table' ? 'Table' : 'Column'
    warnings.push(
      `${what} '${shown(candidate.from)}' was dropped and '${shown(candidate.to)}' added; if this is a rename, ` +
        `use --rename ${renameOptionText(candidate)} or renamedFrom`,
    )
    return false
  }

  for (const table of toTables) {
    const key = tableKey(table)
    const same = fromByKey.get(key)
    if (same !== undefined) {
      pairs.push([same, table])
      continue
    }
    const hinted =
      table.renamedFrom ??
      hints.find((hint) => hint.table === undefined && hint.to === table.name && (hint.schema ?? 'public') === table.schema)?.from
    const named = hinted === undefined ? undefined : unmatchedFrom.get(tableKey({ schema: table.schema, name: hinted }))
    const guessed =
      named ??
      [...unmatchedFrom.values()].find(
        (old) =>
          old.schema === table.schema &&
          decide({ kind: 'table', schema: table.schema, table: table.name, from: old.name, to: table.name }, sameColumns(old, table)),
      )
    if (guessed === undefined) created.push(table)
    else {
      unmatchedFrom.delete(tableKey(guessed))
      pairs.push([guessed, table])
    }
  }

  const matches = pairs.map(([old, next]) => ({
    from: old,
    to: next,
    columnRenames: matchColumns(old, next, hints, decide),
  }))
  return { matches, created, dropped: [...unmatchedFrom.values()], candidates, warnings }
}

function matchColumns(
  from: TableModel,
  to: TableModel,
  hints: readonly RenameHint[],
  decide: (candidate: RenameCandidate, looksLike: boolean) => boolean,
): ReadonlyMap<string, string> {
  const renames = new Map<string, string>()
  const toNames = new Set(to.columns.map((column) => column.name))
  const unmatched = new Map<string, ColumnModel>(
    from.columns.filter((column) => !toNames.has(column.name)).map((column) => [column.name, column]),
  )
  const fromNames = new Set(from.columns.map((column) => column.name))
  for (const column of to.columns) {
    if (fromNames.has(column.name)) continue
    const hinted =
      column.renamedFrom ??
      hints.find(
        (hint) => hint.table === to.name && (hint.schema ?? 'public') === to.schema && hint.to === column.name,
      )?.from
    const named = hinted === undefined ? undefined : unmatched.get(hinted)
    const guessed =
      named ??
      [...unmatched.values()].find((old) =>
        decide(
          { kind: 'column', schema: to.schema, table: to.name, from: old.name, to: column.name },
          old.type === column.type && old.generated === null && column.generated === null,
        ),
      )
    if (guessed !== undefined) {
      unmatched.delete(guessed.name)
      renames.set(guessed.name, column.name)
    }
  }
  return renames
}

/** `from` as it reads after the renames: new table and column names, FKs pointing at new names. */
export function applyRenames(
  table: TableModel,
  name: QualifiedName,
  columnRenames: ReadonlyMap<string, string>,
  tableRenames: ReadonlyMap<string, QualifiedName>,
  columnRenamesByTable: ReadonlyMap<string, ReadonlyMap<string, string>>,
): TableModel {
  const rename = (column: string): string => columnRenames.get(column) ?? column
  return {
    ...table,
    schema: name.schema,
    name: name.name,
    columns: table.columns.map((column) => ({ ...column, name: rename(column.name) })),
    primaryKey: table.primaryKey && { ...table.primaryKey, columns: table.primaryKey.columns.map(rename) },
    uniques: table.uniques.map((unique) => ({ ...unique, columns: unique.columns.map(rename) })),
    indexes: table.indexes.map((index) => ({
      ...index,
      keys: index.keys.map((key) => (key.kind === 'column' ? { ...key, name: rename(key.name) } : key)),
      ...(index.include === undefined ? {} : { include: index.include.map(rename) }),
    })),
    foreignKeys: table.foreignKeys.map((fk) => {
      const target = tableRenames.get(tableKey(fk.references)) ?? fk.references
      const targetRenames = columnRenamesByTable.get(tableKey(target))
      return {
        ...fk,
        columns: fk.columns.map(rename),
        references: { schema: target.schema, name: target.name },
        referencedColumns: fk.referencedColumns.map((column) => targetRenames?.get(column) ?? column),
      }
    }),
  }
}
