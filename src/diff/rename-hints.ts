import { UsageError } from '../errors.js'

/**
 * An explicit rename: a column when `table` is given (`--rename user.mail:email`), else a table
 * (`--rename olduser:user`). `table` names the table as the declaration calls it (after any table
 * rename); `schema` defaults to `public`.
 */
export interface RenameHint {
  readonly schema?: string
  readonly table?: string
  readonly from: string
  readonly to: string
}

/** A drop and an add that look like one rename; `table` is the table's new name. */
export interface RenameCandidate {
  readonly kind: 'table' | 'column'
  readonly schema: string
  readonly table: string
  readonly from: string
  readonly to: string
}

/** Parses the CLI's `--rename` value: `table.old:new` renames a column, `old:new` a table. */
export function parseRenameOption(text: string): RenameHint {
  const colon = text.indexOf(':')
  const left = colon < 0 ? '' : text.slice(0, colon)
  const to = colon < 0 ? '' : text.slice(colon + 1)
  const dot = left.lastIndexOf('.')
  if (left === '' || to === '' || to.includes(':') || to.includes('.') || dot === 0 || dot === left.length - 1) {
    throw new UsageError(
      `Invalid --rename '${text}': use 'table.old_column:new_column' for a column or 'old_table:new_table' for a table`,
    )
  }
  return dot < 0 ? { from: left, to } : { table: left.slice(0, dot), from: left.slice(dot + 1), to }
}

/** The option text that would resolve a candidate, as the warnings suggest it. */
export function renameOptionText(candidate: RenameCandidate): string {
  const table = candidate.schema === 'public' ? candidate.table : `${candidate.schema}.${candidate.table}`
  if (candidate.kind === 'column') return `${table}.${candidate.from}:${candidate.to}`
  return `${candidate.from}:${candidate.to}`
}
