import type { Kysely } from 'kysely'
import type { DatabaseUrl, UrlSource } from '../config/config.js'
import { buildConnectionError } from './connection-error.js'
import { createQueryLog } from './query-log.js'
import type { DatabaseHandle } from './database-handle.js'

export interface OpenPostgresOptions {
  readonly urlSource: UrlSource
  readonly connectTimeoutMs: number
}

/** A small pool: a command holds one connection for its lock and transaction, rarely more. */
const POOL_SIZE = 3

export async function openPostgres(
  database: Extract<DatabaseUrl, { kind: 'postgres' }>,
  options: OpenPostgresOptions,
): Promise<DatabaseHandle> {
  const [{ default: pg }, { Kysely, PostgresDialect, sql }] = await Promise.all([import('pg'), import('kysely')])
  const pool = new pg.Pool({
    connectionString: database.url,
    max: POOL_SIZE,
    application_name: 'tsdb',
    connectionTimeoutMillis: options.connectTimeoutMs,
  })
  // An idle connection that the server drops emits 'error' on the pool; unhandled, that would
  // crash the process. The next query reports the problem instead.
  pool.on('error', () => undefined)
  // A connection in use that the server drops emits 'error' on its client, out of reach of any
  // await: unhandled, the process would die with a stack trace. The query in flight fails with
  // the same error, which the command reports.
  pool.on('connect', (client) => client.on('error', () => undefined))
  const queryLog = createQueryLog()
  const db: Kysely<any> = new Kysely({ dialect: new PostgresDialect({ pool }), log: queryLog.logger })
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    await db.destroy().catch(() => undefined)
    throw buildConnectionError(error, {
      url: database.url,
      redactedUrl: database.redacted,
      urlSource: options.urlSource,
      connectTimeoutMs: options.connectTimeoutMs,
    })
  }
  return { db, queryLog, close: () => db.destroy() }
}
