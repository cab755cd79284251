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
  // pg leaves the socket of a failed attempt open when the failure is its own (a server that asks
  // for a password the URL lacks): the process would wait for the server's authentication_timeout
  // (60 s) to close it. The sockets are tsdb's, so a failed open closes them.
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
  // An idle connection that the server drops emits 'error' on the pool; unhandled, that would
  // crash the process. The next query reports the problem instead.
  pool.on('error', () => undefined)
  // A connection in use that the server drops emits 'error' on its client, out of reach of any
  // await: unhandled, the process would die with a stack trace. The query in flight fails with
  // the same error, which the command reports.
  pool.on('connect', (client) => client.on('error', () => undefined))
  const queryLog = createQueryLog()
  const db: Kysely<any> = new Kysely({ dialect: new PostgresDialect({ pool }), log: queryLog.logger })
  // pg's timeout error has no code; the attempt is known to have timed out by this clock, which
  // starts first and so fires first.
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
 * pg reads `sslmode=prefer`, `require` and `verify-ca` as `verify-full` (the certificate and the
 * host name are verified), and says so in an eight-line warning on every run. Spelling out
 * `verify-full`, as that warning advises, keeps the meaning and drops the warning. A URL with
 * `uselibpqcompat=true` asks for libpq's meanings instead, and pg does not warn about it.
 */
function spellOutSslMode(url: string): string {
  const query = url.indexOf('?')
  if (query === -1) return url
  const params = url.slice(query)
  if (/[?&]uselibpqcompat=true(&|#|$)/.test(params)) return url
  return url.slice(0, query) + params.replace(/([?&]sslmode=)(prefer|require|verify-ca)(?=&|#|$)/g, '$1verify-full')
}
