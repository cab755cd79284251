import type { Kysely } from 'kysely'
import type { ResolvedConfig } from '../config/config.js'
import { ConfigError } from '../errors.js'
import { openPglite } from './open-pglite.js'
import { openPostgres } from './open-postgres.js'
import type { DatabaseHandle } from './database-handle.js'
import type { QueryLog } from './query-log.js'

export interface WithDatabaseOptions {
  /** Default is TSDB_CONNECT_TIMEOUT (milliseconds), else 10 s. */
  readonly connectTimeoutMs?: number
  /** How long to wait for another process using the same embedded database. Default is
   * TSDB_PGLITE_LOCK_TIMEOUT (milliseconds), else the config's `lockTimeout`, else 60 s. */
  readonly pgliteLockTimeoutMs?: number
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
export const DEFAULT_PGLITE_LOCK_TIMEOUT_MS = 60_000

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
  } finally {
    await handle.close()
  }
}

/** The open half of `withDatabase`, for callers that must manage the lifetime themselves. */
export async function openDatabase(config: ResolvedConfig, options: WithDatabaseOptions = {}): Promise<DatabaseHandle> {
  const database = config.database
  if (database.kind === 'postgres') {
    return openPostgres(database, {
      urlSource: config.urlSource,
      connectTimeoutMs: options.connectTimeoutMs ?? readMsFromEnv('TSDB_CONNECT_TIMEOUT') ?? DEFAULT_CONNECT_TIMEOUT_MS,
    })
  }
  return openPglite(database, {
    lockTimeoutMs:
      options.pgliteLockTimeoutMs ?? readMsFromEnv('TSDB_PGLITE_LOCK_TIMEOUT') ?? config.lockTimeout ?? DEFAULT_PGLITE_LOCK_TIMEOUT_MS,
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
