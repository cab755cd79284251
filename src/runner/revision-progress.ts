import { sql, type CompiledQuery, type DatabaseConnection, type Driver, type Kysely, type KyselyPlugin, type QueryResult } from 'kysely'
import { REVISION_ID_COLUMN_TYPE } from '../revision/revision.js'
import { createDriverKysely, renderRecordedStatement } from './recording-driver.js'
import { ensureOwnTable, findOwnTable, ownTableRef, OWN_TABLES_SCHEMA, type OwnTable } from './own-tables.js'

/**
 * How far a `transactional = false` revision got: each statement is recorded, committed, before it
 * is sent (`running`) and after it returned (`done`). The rows go with the step's version rows, or
 * a stamp; rows left behind make the next run stop and say what ran instead of running it again.
 */
const REVISION_PROGRESS_TABLE = 'tsdb_revision_progress'

export interface ProgressTableName {
  /** Projects with different version tables share this table; each sees only its own rows. */
  readonly versionTable: string
  /** Where an older tsdb kept the table (see own-tables.ts). */
  readonly versionTableSchema: string | null
}

export interface ProgressStatement {
  readonly revision: string
  readonly direction: 'up' | 'down'
  readonly number: number
  readonly statement: string
  /** false: it was sent and no answer came back, so it may or may not have run. */
  readonly isDone: boolean
}

const REVISION_PROGRESS: OwnTable = {
  name: REVISION_PROGRESS_TABLE,
  columns: ['version_table', 'revision', 'direction', 'statement_number', 'statement', 'state'],
}

/** Creates the table in OWN_TABLES_SCHEMA when it is missing there; commits at once. */
export async function ensureRevisionProgressTable(db: Kysely<any>, legacySchema: string | null): Promise<void> {
  await ensureOwnTable(db, REVISION_PROGRESS, legacySchema, async (trx) => {
    await trx.schema
      .createTable(REVISION_PROGRESS_TABLE)
      .ifNotExists()
      .addColumn('version_table', 'varchar(63)', (col) => col.notNull())
      .addColumn('revision', REVISION_ID_COLUMN_TYPE, (col) => col.notNull())
      .addColumn('direction', 'varchar(4)', (col) => col.notNull())
      .addColumn('statement_number', 'integer', (col) => col.notNull())
      .addColumn('statement', 'text', (col) => col.notNull())
      .addColumn('state', 'varchar(7)', (col) => col.notNull())
      .addPrimaryKeyConstraint(`${REVISION_PROGRESS_TABLE}_pkey`, ['version_table', 'statement_number'])
      .execute()
  })
}

/** The statements of an interrupted revision, in order; empty when there is none. */
export async function readRevisionProgress(db: Kysely<any>, name: ProgressTableName): Promise<readonly ProgressStatement[]> {
  const rows = []
  for (const schema of await findOwnTable(db, REVISION_PROGRESS, name.versionTableSchema)) {
    const found = await sql<{ revision: string; direction: string; statement_number: number; statement: string; state: string }>`
      select revision, direction, statement_number, statement, state from ${ownTableRef(schema, REVISION_PROGRESS_TABLE)}
      where version_table = ${name.versionTable} order by statement_number`.execute(db)
    rows.push(...found.rows)
  }
  return rows.map((row) => ({
    revision: row.revision,
    direction: row.direction === 'down' ? 'down' : 'up',
    number: Number(row.statement_number),
    statement: row.statement,
    isDone: row.state === 'done',
  }))
}

/** Forgets the interrupted revision (a stamp, or the step's own version rows, settle it). */
export async function clearRevisionProgress(db: Kysely<any>, name: ProgressTableName): Promise<void> {
  for (const schema of await findOwnTable(db, REVISION_PROGRESS, name.versionTableSchema)) {
    await sql`delete from ${ownTableRef(schema, REVISION_PROGRESS_TABLE)} where version_table = ${name.versionTable}`.execute(db)
  }
}

export interface ProgressRecorder {
  /** The statements that returned, and the one in flight if any. */
  statements(): readonly ProgressStatement[]
}

/**
 * A Kysely for a `transactional = false` step that records each statement first. `conn` is one
 * connection outside any transaction, so each record commits before its statement goes out.
 * `plugins` (the run's) see the step's statements, not the records.
 */
export function createProgressRecordingKysely(
  conn: Kysely<any>,
  options: ProgressTableName & { readonly revision: string; readonly direction: 'up' | 'down'; readonly plugins: readonly KyselyPlugin[] },
): { readonly db: Kysely<any>; readonly recorder: ProgressRecorder } {
  const raw = conn.withoutPlugins()
  // Written after ensureRevisionProgressTable, which put the table in its schema.
  const table = ownTableRef(OWN_TABLES_SCHEMA, REVISION_PROGRESS_TABLE)
  const recorded: ProgressStatement[] = []
  let depth = 0

  const record = async (statement: string): Promise<number> => {
    const number = recorded.length + 1
    await sql`insert into ${table} (version_table, revision, direction, statement_number, statement, state)
      values (${options.versionTable}, ${options.revision}, ${options.direction}, ${number}, ${statement}, 'running')`.execute(raw)
    recorded.push({ revision: options.revision, direction: options.direction, number, statement, isDone: false })
    return number
  }
  const settle = async (number: number, isApplied: boolean): Promise<void> => {
    const where = sql`version_table = ${options.versionTable} and statement_number = ${number}`
    if (isApplied) {
      await sql`update ${table} set state = 'done' where ${where}`.execute(raw)
      recorded[number - 1] = { ...recorded[number - 1]!, isDone: true }
    } else {
      await sql`delete from ${table} where ${where}`.execute(raw)
      recorded.splice(number - 1, 1)
    }
  }
  /**
   * Runs one statement between its records. An error from the server means it did not apply, so
   * its record goes; when the connection is what failed, the record stays `running`: unknown.
   */
  const run = async <R>(statement: string, send: () => Promise<R>): Promise<R> => {
    const number = await record(statement)
    let result: R
    try {
      result = await send()
    } catch (error) {
      if (isServerError(error)) await settle(number, false).catch(() => undefined)
      throw error
    }
    await settle(number, true)
    return result
  }

  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> =>
      depth > 0 ? raw.executeQuery<R>(query) : run(renderRecordedStatement(query), () => raw.executeQuery<R>(query)),
    streamQuery: async function* <R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      yield await connection.executeQuery<R>(query)
    },
  }
  const control = (statement: string) => raw.executeQuery(sql.raw(statement).compile(raw))
  let transaction: number | undefined
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
    // A transaction the revision opens is one recorded unit: it applies whole or not at all.
    beginTransaction: async () => {
      transaction = await record('BEGIN (a transaction opened by the revision)')
      depth += 1
      await control('begin')
    },
    commitTransaction: async () => {
      depth -= 1
      await control('commit')
      if (transaction !== undefined) await settle(transaction, true)
    },
    rollbackTransaction: async () => {
      depth -= 1
      await control('rollback')
      if (transaction !== undefined) await settle(transaction, false)
    },
  }
  return { db: createDriverKysely(driver, options.plugins), recorder: { statements: () => [...recorded] } }
}

/** An error the server sent (it has a SQLSTATE), as opposed to a lost connection. */
function isServerError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && code !== '57P01'
}
