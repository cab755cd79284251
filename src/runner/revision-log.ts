import { sql, type Kysely } from 'kysely'
import { ensureOwnTable, findOwnTable, ownTableRef, OWN_TABLES_SCHEMA, type OwnTable } from './own-tables.js'
import { REVISION_ID_COLUMN_TYPE } from '../revision/revision.js'

/**
 * One row per step a run applied, written in the step's transaction. Only the "edited after it
 * was applied" warning reads it; what is applied is `alembic_version`'s alone.
 */
const REVISION_LOG_TABLE = 'tsdb_revision_log'

export interface RevisionLogEntry {
  readonly revision: string
  readonly direction: 'up' | 'down'
  /** See revision-checksum.ts; null when the step cannot be rendered offline. */
  readonly sqlChecksum: string | null
  readonly sourceChecksum: string | null
  readonly durationMs: number
  /** `performance.now()` when the step finished: rows written later still get the time it was applied. */
  readonly finishedAt: number
}

/** What was recorded when a revision was last applied (its latest `up` row). */
export interface AppliedChecksums {
  readonly sqlChecksum: string | null
  readonly sourceChecksum: string | null
}

const REVISION_LOG: OwnTable = {
  name: REVISION_LOG_TABLE,
  columns: ['revision', 'direction', 'sql_checksum', 'source_checksum', 'applied_at', 'duration_ms'],
}

/** Creates the log table in OWN_TABLES_SCHEMA when it is missing there; commits at once. */
export async function ensureRevisionLogTable(db: Kysely<any>, legacySchema: string | null): Promise<void> {
  await ensureOwnTable(db, REVISION_LOG, legacySchema, createRevisionLogTable)
}

async function createRevisionLogTable(db: Kysely<any>): Promise<void> {
  await db.schema.createTable(REVISION_LOG_TABLE)
    .ifNotExists()
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('revision', REVISION_ID_COLUMN_TYPE, (col) => col.notNull())
    .addColumn('direction', 'varchar(4)', (col) => col.notNull())
    .addColumn('sql_checksum', 'char(64)')
    .addColumn('source_checksum', 'char(64)')
    // clock_timestamp, not now(): in a one-transaction run every row would get the run's start.
    .addColumn('applied_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .execute()
}

/** Writes the rows in one statement of fixed text: the values travel as arrays the server unnests. */
export async function writeRevisionLogEntries(
  db: Kysely<any>,
  entries: readonly RevisionLogEntry[],
): Promise<void> {
  if (entries.length === 0) return
  const now = performance.now()
  // The server's clock, set back by how long ago each step finished.
  const agoMs = entries.map((entry) => Math.max(0, Math.round(now - entry.finishedAt)))
  const table = ownTableRef(OWN_TABLES_SCHEMA, REVISION_LOG_TABLE)
  await sql`insert into ${table} (revision, direction, sql_checksum, source_checksum, applied_at, duration_ms)
select entry.revision, entry.direction, entry.sql_checksum, entry.source_checksum,
  pg_catalog.clock_timestamp() - entry.ago_ms * interval '1 millisecond', entry.duration_ms
from rows from (
  pg_catalog.unnest(${entries.map((entry) => entry.revision)}::varchar[]),
  pg_catalog.unnest(${entries.map((entry) => entry.direction)}::varchar[]),
  pg_catalog.unnest(${entries.map((entry) => entry.sqlChecksum)}::char(64)[]),
  pg_catalog.unnest(${entries.map((entry) => entry.sourceChecksum)}::char(64)[]),
  pg_catalog.unnest(${agoMs}::integer[]),
  pg_catalog.unnest(${entries.map((entry) => Math.round(entry.durationMs))}::integer[])
) with ordinality as entry(revision, direction, sql_checksum, source_checksum, ago_ms, duration_ms, step)
order by entry.step`.execute(db)
}

/** Each revision's latest `up` row, wherever the log is; empty when there is none. */
export async function readAppliedChecksums(
  db: Kysely<any>,
  legacySchema: string | null,
): Promise<ReadonlyMap<string, AppliedChecksums>> {
  const latest = new Map<string, AppliedChecksums>()
  // The new place last: its rows are the later ones.
  for (const schema of (await findOwnTable(db, REVISION_LOG, legacySchema)).toReversed()) {
    const rows = await (schema === null ? db : db.withSchema(schema))
      .selectFrom(REVISION_LOG_TABLE)
      .select(['revision', 'sql_checksum', 'source_checksum'])
      .where('direction', '=', 'up')
      .distinctOn('revision')
      .orderBy('revision')
      .orderBy('id', 'desc')
      .execute()
    for (const row of rows) {
      latest.set(String(row.revision), {
        sqlChecksum: row.sql_checksum === null ? null : String(row.sql_checksum),
        sourceChecksum: row.source_checksum === null ? null : String(row.source_checksum),
      })
    }
  }
  return latest
}

/** Whether the log exists; one of another shape is an error that names it (see checkOwnTable). */
export async function checkRevisionLogTable(db: Kysely<any>, legacySchema: string | null): Promise<boolean> {
  return (await findOwnTable(db, REVISION_LOG, legacySchema)).length > 0
}
