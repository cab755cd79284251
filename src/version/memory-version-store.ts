import { assertNever, VersionTableError } from '../errors.js'
import { VERSION_TABLE, type VersionChange } from './version-change.js'
import { renderRowCountMessage, type VersionStore } from './version-store.js'

export interface MemoryVersionStore extends VersionStore {
  /** Whether ensureTable() has run (or the store started with rows). */
  readonly hasTable: boolean
}

/** A VersionStore in memory, with the same checks as the PostgreSQL one (tests, dry runs). */
export function createMemoryVersionStore(initial?: readonly string[]): MemoryVersionStore {
  let rows: readonly string[] = [...(initial ?? [])]
  let hasTable = initial !== undefined
  return {
    get hasTable() {
      return hasTable
    },
    async ensureTable() {
      hasTable = true
    },
    async readHeads(options = {}) {
      return options.order === 'table' ? rows : rows.toSorted()
    },
    async apply(changes: readonly VersionChange[]) {
      for (const change of changes) {
        rows = applyChange(rows, change)
      }
    },
  }
}

function applyChange(rows: readonly string[], change: VersionChange): readonly string[] {
  switch (change.kind) {
    case 'insert':
      if (rows.includes(change.id)) {
        throw new VersionTableError(`Version '${change.id}' is already present in '${VERSION_TABLE}'`)
      }
      return [...rows, change.id]
    case 'delete':
    case 'update': {
      const id = change.kind === 'delete' ? change.id : change.from
      const found = rows.filter((r) => r === id).length
      if (found !== 1) throw new VersionTableError(renderRowCountMessage(change, VERSION_TABLE, found))
      const others = rows.filter((r) => r !== id)
      // As on PostgreSQL, the updated row's new version goes after the others.
      return change.kind === 'delete' ? others : [...others, change.to]
    }
    default:
      return assertNever(change)
  }
}
