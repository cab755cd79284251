import { relative } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { collectAncestors } from '../revision/graph-walk.js'
import type { Revision } from '../revision/revision.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import type { LoadRevisionModule } from './load-step-modules.js'
import { computeSourceChecksum, computeSqlChecksum } from './revision-checksum.js'
import { readAppliedChecksums } from './revision-log.js'

/** An index PostgreSQL marks INVALID: what a failed CREATE INDEX CONCURRENTLY leaves behind. */
export interface InvalidIndex {
  /** Schema-qualified and quoted by PostgreSQL (`format('%I.%I')`), ready to paste into psql. */
  readonly index: string
  readonly table: string
}

/**
 * INVALID indexes outside the system schemas, leaving out builds in progress right now (an index
 * is INVALID while CREATE INDEX CONCURRENTLY runs; such a build shows in pg_stat_progress_create_index).
 */
export async function queryInvalidIndexes(db: Kysely<any>): Promise<readonly InvalidIndex[]> {
  const { rows } = await sql<{ index_name: string; table_name: string }>`
    select pg_catalog.format('%I.%I', n.nspname, c.relname) as index_name,
           pg_catalog.format('%I.%I', tn.nspname, t.relname) as table_name
    from pg_catalog.pg_index i
    join pg_catalog.pg_class c on c.oid = i.indexrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    join pg_catalog.pg_class t on t.oid = i.indrelid
    join pg_catalog.pg_namespace tn on tn.oid = t.relnamespace
    where not i.indisvalid
      and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
      and i.indexrelid not in (select p.index_relid from pg_catalog.pg_stat_progress_create_index p)
    order by 1`.execute(db)
  return rows.map((row) => ({ index: row.index_name, table: row.table_name }))
}

export function renderInvalidIndexWarning(index: InvalidIndex): string {
  return (
    `index ${index.index} on ${index.table} is INVALID (a CREATE INDEX CONCURRENTLY failed or was interrupted) ` +
    `and is maintained but never used: run \`DROP INDEX CONCURRENTLY ${index.index};\` and rerun \`tsdb db upgrade\`, ` +
    `or, if no pending revision creates it, rebuild it with \`REINDEX INDEX CONCURRENTLY ${index.index};\``
  )
}

export interface RunWarningsOptions {
  readonly graph: RevisionGraph
  /** The database's heads; every revision they imply applied is checked. */
  readonly heads: readonly string[]
  readonly versionTableSchema: string | null
  readonly loadModule: LoadRevisionModule
  /** Paths in messages are shown relative to this folder. Default is absolute paths. */
  readonly cwd?: string
}

/**
 * Applied revisions whose SQL is no longer what was recorded. An unchanged file is not loaded; a
 * revision with no recorded SQL checksum, or whose SQL differs between two renders, is never reported.
 */
export async function findChangedRevisions(
  db: Kysely<any>,
  options: RunWarningsOptions,
): Promise<readonly Revision[]> {
  const recorded = await readAppliedChecksums(db, options.versionTableSchema)
  if (recorded.size === 0) return []
  const known = options.heads.filter((id) => options.graph.byId.has(id))
  const applied = [...collectAncestors(options.graph, known)].sort()
  const changed: Revision[] = []
  for (const id of applied) {
    const revision = options.graph.byId.get(id)
    const entry = recorded.get(id)
    if (revision === undefined || entry === undefined || entry.sqlChecksum === null) continue
    if (entry.sourceChecksum !== null && computeSourceChecksum(revision) === entry.sourceChecksum) continue
    let module
    try {
      module = await options.loadModule(revision)
    } catch {
      // A file that no longer loads fails the run where it is needed; here it just can't be compared.
      continue
    }
    const now = await computeSqlChecksum((trx) => module.up(trx))
    if (now !== null && now !== entry.sqlChecksum) changed.push(revision)
  }
  return changed
}

function renderChangedRevisionWarning(revision: Revision, cwd: string | undefined): string {
  const where = revision.path === '' ? '' : ` (${cwd === undefined ? revision.path : relative(cwd, revision.path)})`
  return (
    `revision ${revision.id}${where} was changed after it was applied: its SQL differs from what ran. ` +
    'Restore the file, and put the change in a new revision (`tsdb db revision`)'
  )
}

/** The warnings a run (and `check`) gives about the database before doing anything. */
export async function queryRunWarnings(db: Kysely<any>, options: RunWarningsOptions): Promise<readonly string[]> {
  // One after the other: `db` is often the run's single connection.
  const indexes = await queryInvalidIndexes(db)
  const changed = await findChangedRevisions(db, options)
  return [
    ...indexes.map(renderInvalidIndexWarning),
    ...changed.map((revision) => renderChangedRevisionWarning(revision, options.cwd)),
  ]
}
