import { assertNever } from '../errors.js'
import type { VersionChange } from './version-change.js'

interface ReadHeadsOptions {
  /** Default is `'sorted'`. */
  readonly order?: 'sorted' | 'table'
}

/**
 * Where the applied heads live (Alembic's `alembic_version`, one row per head).
 * The runner asks `planVersionChanges` what to change and only applies it here.
 */
export interface VersionStore {
  /** Creates the version table when it is missing; rejects a table of another shape. */
  ensureTable(): Promise<void>
  /**
   * The current heads, sorted; empty when the table does not exist (nothing is created).
   * `order: 'table'` gives them in the order a plain `SELECT` returns the rows, which is the
   * order Alembic works from (a relative downgrade from several heads starts at the first).
   */
  readHeads(options?: ReadHeadsOptions): Promise<readonly string[]>
  /** Applies the changes in order; an update or delete that does not match exactly one row fails. */
  apply(changes: readonly VersionChange[]): Promise<void>
}

/** Alembic's words, so that users searching for the message find the explanation. */
export function renderRowCountMessage(change: VersionChange, table: string, found: number): string {
  switch (change.kind) {
    case 'update':
      return `Online migration expected to match one row when updating '${change.from}' to '${change.to}' in '${table}'; ${found} found`
    case 'delete':
      return `Online migration expected to match one row when deleting '${change.id}' in '${table}'; ${found} found`
    case 'insert':
      return `Online migration expected to insert one row '${change.id}' in '${table}'; ${found} inserted`
    default:
      return assertNever(change)
  }
}
