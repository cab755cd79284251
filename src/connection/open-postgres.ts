import { Socket } from 'node:net'
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
  // pg leaves a failed attempt's socket open when the failure is its own (no password for a
  // server that asks): the process would wait 60 s for the server to close it, so tsdb does.
  const sockets = new Set<Socket>()
  const pool = new pg.Pool({
    connectionString: spellOutSslMode(database.url),
    max: POOL_SIZE,
    application_name: 'tsdb',
    connectionTimeoutMillis: options.connectTimeoutMs,
    stream: () => {
      const socket = new Socket()
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
      return socket
    },
  })
  // A dropped connection emits 'error' on the pool (idle) or its client (in use), out of reach of
  // any await: unhandled, it would crash the process. The next or current query reports it instead.
  pool.on('error', () => undefined)
  pool.on('connect', (client) => client.on('error', () => undefined))
  const queryLog = createQueryLog()
  const db: Kysely<any> = new Kysely({ dialect: new PostgresDialect({ pool }), log: queryLog.logger })
  // pg's timeout error has no code: this clock, which starts first, tells it.
  let hasTimedOut = false
  const timer = options.connectTimeoutMs > 0 ? setTimeout(() => (hasTimedOut = true), options.connectTimeoutMs) : undefined
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    for (const socket of sockets) socket.destroy()
    await db.destroy().catch(() => undefined)
    throw buildConnectionError(error, {
      url: database.url,
      redactedUrl: database.redacted,
      urlSource: options.urlSource,
      connectTimeoutMs: options.connectTimeoutMs,
      hasTimedOut,
    })
  } finally {
    clearTimeout(timer)
  }
  return { db, queryLog, close: () => db.destroy() }
}

/**
 * pg reads `sslmode=prefer`, `require` and `verify-ca` as `verify-full`, with an eight-line warning
 * on every run: spelling it out keeps the meaning without the warning (not with `uselibpqcompat=true`).
 */
function spellOutSslMode(url: string): string {
  const query = url.indexOf('?')
  if (query === -1) return url
  const params = url.slice(query)
  if (/[?&]uselibpqcompat=true(&|#|$)/.test(params)) return url
  return url.slice(0, query) + params.replace(/([?&]sslmode=)(prefer|require|verify-ca)(?=&|#|$)/g, '$1verify-full')
}
