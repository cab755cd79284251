import { sql, type Kysely } from 'kysely'
import type { ResolvedConfig } from '../config/config.js'
import { CommandError, ConfigError, ConnectionError, TsdbError } from '../errors.js'
import { isConnectionLost } from './connection-lost.js'
import { describeDatabase, openCallerDatabase } from './open-caller-database.js'
import { openPglite } from './open-pglite.js'
import { openPostgres } from './open-postgres.js'
import type { DatabaseHandle } from './database-handle.js'
import type { QueryLog } from './query-log.js'

export interface WithDatabaseOptions {
  /** Default is TSDB_CONNECT_TIMEOUT (milliseconds), else 10 s. */
  readonly connectTimeoutMs?: number
  /** Wait for another process using the embedded database. Default: TSDB_PGLITE_LOCK_TIMEOUT (ms), lockTimeout, 60 s. */
  readonly pgliteLockTimeoutMs?: number
  /** Told what takes a while before it starts (creating the embedded database). Default is none. */
  readonly notice?: (line: string) => void
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
const DEFAULT_PGLITE_LOCK_TIMEOUT_MS = 60_000

/**
 * Opens the configured database, checks that it answers (so a wrong URL fails here, as a
 * ConnectionError, before any work), runs `fn`, and always closes it: a PGlite left open
 * keeps the process alive, and its folder lock blocks the next run.
 */
export async function withDatabase<T>(
  config: ResolvedConfig,
  fn: (db: Kysely<any>, queryLog: QueryLog) => Promise<T>,
  options: WithDatabaseOptions = {},
): Promise<T> {
  const handle = await openDatabase(config, options)
  try {
    return await fn(handle.db, handle.queryLog)
  } catch (error) {
    if (!(error instanceof TsdbError) && isPermissionDenied(error)) throw await buildPermissionError(handle.db, error)
    const database = describeDatabase(config)
    if (error instanceof TsdbError || !isConnectionLost(error) || !database.isServer) throw error
    // Lost outside a revision (a run reports those itself, with what was applied): the open
    // transaction, if any, is rolled back by the server, unless it was committing.
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConnectionError(
      handle.queryLog.hasLostCommit()
        ? `Lost the connection to the database (${database.label}) while committing: ${reason}. Whether the transaction ` +
            'committed is unknown: `tsdb db current` shows where the database is; run the command again once the database answers'
        : `Lost the connection to the database (${database.label}): ${reason}. Anything not yet committed was ` +
            'rolled back; run the command again once the database answers (`tsdb db current` shows where it is)',
      database.label,
      { code: 'CONNECTION_LOST', cause: error },
    )
  } finally {
    await handle.close()
  }
}

/** PostgreSQL's insufficient_privilege: a grant is missing, which is the user's to fix, not a bug. */
function isPermissionDenied(error: unknown): error is Error {
  return error instanceof Error && (error as { code?: unknown }).code === '42501'
}

/**
 * A statement of tsdb's own (not a revision's, which the runner reports with its file) was
 * refused: name the role and what the database said, which names the object.
 */
async function buildPermissionError(db: Kysely<any>, error: Error): Promise<CommandError> {
  const role = await sql<{ role: string }>`select current_user::text as role`
    .execute(db)
    .then((result) => result.rows[0]?.role ?? null)
    .catch(() => null)
  const who = role === null ? 'The database role' : `Role ${role}`
  return new CommandError(
    `${who} may not do what tsdb needs: ${error.message}; have the owner of that object grant the privilege, or connect as a role that has it`,
    { code: 'PERMISSION_DENIED', cause: error },
  )
}

/** With `config.db`, the caller's database, which closing the handle leaves open. */
async function openDatabase(config: ResolvedConfig, options: WithDatabaseOptions = {}): Promise<DatabaseHandle> {
  const database = config.database
  const connectTimeoutMs = () => options.connectTimeoutMs ?? readMsFromEnv('TSDB_CONNECT_TIMEOUT') ?? DEFAULT_CONNECT_TIMEOUT_MS
  if (config.db !== undefined) return openCallerDatabase(config.db, { connectTimeoutMs: connectTimeoutMs() })
  if (database.kind === 'postgres') return openPostgres(database, { urlSource: config.urlSource, connectTimeoutMs: connectTimeoutMs() })
  return openPglite(database, {
    lockTimeoutMs:
      options.pgliteLockTimeoutMs ?? readMsFromEnv('TSDB_PGLITE_LOCK_TIMEOUT') ?? config.lockTimeout ?? DEFAULT_PGLITE_LOCK_TIMEOUT_MS,
    cwd: config.cwd,
    ...(options.notice !== undefined && { notice: options.notice }),
  })
}

function readMsFromEnv(name: string): number | undefined {
  const text = process.env[name]
  if (text === undefined || text.trim() === '') return undefined
  const value = Number(text)
  // A typo must not silently mean the default wait.
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError(`${name} must be a number of milliseconds (0 or more), e.g. ${name}=30000; it is '${text}'`, undefined, {
      code: 'INVALID_ENV',
    })
  }
  return value
}
