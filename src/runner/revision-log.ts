import { sql, type Kysely } from 'kysely'
import { VersionTableError } from '../errors.js'
import { buildLockKey } from './advisory-lock.js'

/**
 * tsdb's own log of applied revisions (DESIGN §5): one row per step a run applied, written in the
 * step's transaction. Nothing reads it to decide what is applied (that is `alembic_version`
 * alone, so Alembic can take the database back); it only feeds the "edited after it was applied"
 * warning. It lives in the version table's schema, and autogenerate ignores `tsdb_*` tables.
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

const scope = (db: Kysely<any>, schema: string | null) => (schema === null ? db : db.withSchema(schema))

/**
 * Creates the log table when it is missing. Call outside a transaction: it commits at once.
 */
export async function ensureRevisionLogTable(db: Kysely<any>, schema: string | null): Promise<void> {
  await ensureOwnTable(db, schema, REVISION_LOG_TABLE, (trx) => createRevisionLogTable(trx, schema))
}

/**
 * Creates one of tsdb's own tables when it is missing. Projects with different version tables
 * share these tables but not their migration lock, so creating one takes a lock of its own (two
 * CREATE TABLEs race).
 */
export async function ensureOwnTable(
  db: Kysely<any>,
  schema: string | null,
  table: string,
  create: (trx: Kysely<any>) => Promise<void>,
): Promise<void> {
  if (await hasOwnTable(db, schema, table)) return
  const key = buildLockKey(table, schema)
  await db.transaction().execute(async (trx) => {
    await sql`select pg_catalog.pg_advisory_xact_lock(${key.toString()}::bigint)`.execute(trx)
    if (await hasOwnTable(trx, schema, table)) return
    await create(trx)
  })
}

async function createRevisionLogTable(db: Kysely<any>, schema: string | null): Promise<void> {
  await scope(db, schema)
    .schema.createTable(REVISION_LOG_TABLE)
    .ifNotExists()
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('revision', 'varchar(32)', (col) => col.notNull())
    .addColumn('direction', 'varchar(4)', (col) => col.notNull())
    .addColumn('sql_checksum', 'char(64)')
    .addColumn('source_checksum', 'char(64)')
    // clock_timestamp, not now(): in a one-transaction run every row would get the run's start.
    .addColumn('applied_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .execute()
}

/**
 * Writes the rows of a run's steps in one statement, whatever their number, so the log costs a
 * run one round trip, not one per step. The values travel as six array parameters that the
 * server unnests: the statement's text stays the same however many rows it carries, where a
 * VALUES list would grow with them and be built, sent and parsed at that size.
 */
export async function writeRevisionLogEntries(
  db: Kysely<any>,
  schema: string | null,
  entries: readonly RevisionLogEntry[],
): Promise<void> {
  if (entries.length === 0) return
  const now = performance.now()
  // The server's clock, set back by how long ago each step finished.
  const agoMs = entries.map((entry) => Math.max(0, Math.round(now - entry.finishedAt)))
  const table = schema === null ? sql.id(REVISION_LOG_TABLE) : sql.id(schema, REVISION_LOG_TABLE)
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

/** Each revision's latest `up` row; empty when the table does not exist (nothing is created). */
export async function readAppliedChecksums(
  db: Kysely<any>,
  schema: string | null,
): Promise<ReadonlyMap<string, AppliedChecksums>> {
  if (!(await hasOwnTable(db, schema, REVISION_LOG_TABLE))) return new Map()
  const rows = await scope(db, schema)
    .selectFrom(REVISION_LOG_TABLE)
    .select(['revision', 'sql_checksum', 'source_checksum'])
    .where('direction', '=', 'up')
    .distinctOn('revision')
    .orderBy('revision')
    .orderBy('id', 'desc')
    .execute()
  const latest = new Map<string, AppliedChecksums>()
  for (const row of rows) {
    latest.set(String(row.revision), {
      sqlChecksum: row.sql_checksum === null ? null : String(row.sql_checksum),
      sourceChecksum: row.source_checksum === null ? null : String(row.source_checksum),
    })
  }
  return latest
}

const REVISION_LOG_COLUMNS = ['revision', 'direction', 'sql_checksum', 'source_checksum', 'applied_at', 'duration_ms']

/** Whether the log exists; one of another shape is an error that names it (see checkOwnTable). */
export function checkRevisionLogTable(db: Kysely<any>, schema: string | null): Promise<boolean> {
  return checkOwnTable(db, schema, REVISION_LOG_TABLE, REVISION_LOG_COLUMNS)
}

/**
 * Whether one of tsdb's own tables exists, and is tsdb's: a table of that name with other
 * columns (or a view) would fail the first write, after a step ran, with an error that blames
 * the revision. Checked before anything runs, and the error names the table.
 */
export async function checkOwnTable(
  db: Kysely<any>,
  schema: string | null,
  table: string,
  columns: readonly string[],
): Promise<boolean> {
  const { rows } = await sql<{ relkind: string; column_name: string | null }>`
    select c.relkind::text as relkind, a.attname as column_name
    from pg_catalog.pg_class c
    left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.oid = pg_catalog.to_regclass(${qualifiedName(schema, table)})
    order by a.attnum`.execute(db)
  const first = rows[0]
  if (!first) return false
  const found = new Set(rows.flatMap((row) => (row.column_name === null ? [] : [row.column_name])))
  const missing = columns.filter((column) => !found.has(column))
  if (first.relkind === 'r' && missing.length === 0) return true
  const displayName = schema === null ? table : `${schema}.${table}`
  const what = first.relkind === 'r' ? `it has no column ${missing.join(', ')}` : 'it is not a table'
  throw new VersionTableError(
    `'${displayName}' is not the table tsdb keeps there (${what}). tsdb owns the tsdb_* tables next to the version ` +
      'table: rename that one, or drop it if tsdb made it long ago (tsdb creates it again), then run the command again.',
    { code: 'OWN_TABLE_SHAPE' },
  )
}

function qualifiedName(schema: string | null, table: string) {
  // to_regclass follows the search path for an unqualified name, as the unqualified DDL does.
  return schema === null
    ? sql`pg_catalog.quote_ident(${table})`
    : sql`pg_catalog.quote_ident(${schema}) || '.' || pg_catalog.quote_ident(${table})`
}

async function hasOwnTable(db: Kysely<any>, schema: string | null, table: string): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`
    select pg_catalog.to_regclass(${qualifiedName(schema, table)})::text as found`.execute(db)
  return rows[0]?.found !== null && rows[0]?.found !== undefined
}
