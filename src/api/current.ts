import type { ResolvedConfig } from '../config/config.js'
import { describeDatabase } from '../connection/open-caller-database.js'
import { withDatabase } from '../connection/with-database.js'
import { silentReporter, type Reporter } from '../runner/reporter.js'
import { hasBinds, runOnEveryDatabase } from './binds.js'
import { loadRevisionGraph } from './load-revisions.js'
import { assertHeadsKnown, readCurrentHeads } from './read-current-heads.js'
import { describeIds, type RevisionInfo } from './revision-info.js'

export interface CurrentResult {
  /** The database that was asked: its redacted URL, or which `db` the caller passed. */
  readonly database: string
  /** One entry per row of the version table; empty at base. */
  readonly heads: readonly RevisionInfo[]
  /** A multidb project's binds, by name (the fields above are the main database's). */
  readonly binds?: Readonly<Record<string, CurrentResult>>
}

export interface CurrentOptions {
  /** Told what takes a while (creating the embedded database on first use). Default is silent. */
  readonly reporter?: Reporter
}

/**
 * The revision(s) the database is at (`flask db current`). Reads only; creates nothing.
 *
 * @example
 * const { heads } = await current(config)
 */
export async function current(config: ResolvedConfig, options: CurrentOptions = {}): Promise<CurrentResult> {
  if (!hasBinds(config)) return currentOne(config, options)
  const { main, binds } = await runOnEveryDatabase(config, options.reporter ?? silentReporter, (database) => currentOne(database, options))
  return { ...main, binds }
}

async function currentOne(config: ResolvedConfig, options: CurrentOptions): Promise<CurrentResult> {
  const graph = await loadRevisionGraph(config)
  const reporter = options.reporter ?? silentReporter
  const heads = await withDatabase(config, (db) => readCurrentHeads(db, config), { notice: (line) => reporter.info(line) })
  assertHeadsKnown(graph, heads, config)
  // Every row is current by definition; Alembic's `current` does not mark them `(current)`.
  return { database: describeDatabase(config).label, heads: describeIds(graph, heads) }
}
