import type { ResolvedConfig } from '../config/config.js'
import { describeDatabase } from '../connection/open-caller-database.js'
import { withDatabase } from '../connection/with-database.js'
import { UnknownRevisionError } from '../errors.js'
import { loadRevisionGraph } from './load-revisions.js'
import { readCurrentHeads } from './read-current-heads.js'
import { createRevisionDescriber, type RevisionInfo } from './revision-info.js'

export interface CurrentResult {
  /** The database that was asked: its redacted URL, or which `db` the caller passed. */
  readonly database: string
  /** One entry per row of the version table; empty at base. */
  readonly heads: readonly RevisionInfo[]
}

/**
 * The revision(s) the database is at (`flask db current`). Reads only; creates nothing.
 *
 * @example
 * const { heads } = await current(config)
 */
export async function current(config: ResolvedConfig): Promise<CurrentResult> {
  const graph = await loadRevisionGraph(config)
  const heads = await withDatabase(config, (db) => readCurrentHeads(db, config))
  // Every row is current by definition; Alembic's `current` does not mark them `(current)`.
  const describe = createRevisionDescriber(graph)
  return {
    database: describeDatabase(config).label,
    heads: heads.map((id) => {
      const revision = graph.byId.get(id)
      if (revision === undefined) {
        throw new UnknownRevisionError(
          id,
          `Can't locate revision identified by '${id}': the database's ${config.versionTable} table names a ` +
            'revision no file in the migrations folder defines; restore the file, or run ' +
            '`tsdb db stamp --purge <revision>` to record where the database really is',
        )
      }
      return describe(revision)
    }),
  }
}
