import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { formatMs } from '../connection/format-ms.js'
import { LockTimeoutError, type LockHolderInfo } from '../errors.js'

export interface AdvisoryLockOptions {
  readonly versionTable: string
  readonly versionTableSchema: string | null
  /** null waits forever. */
  readonly lockTimeoutMs: number | null
  /** Called while waiting: at once, then every `noticeIntervalMs`, with a line naming the holder. */
  readonly onWait?: (line: string) => void
  /** Default is 3000. */
  readonly noticeIntervalMs?: number
}

const POLL_INTERVAL_MS = 100

/**
 * The lock's key is derived from the version table, so two projects sharing a database with
 * different version tables never wait for each other. Pass the schema the server resolved
 * (`resolveLockSchema`), not the config's spelling, or two runs on one table would not exclude
 * each other. It is a signed 64-bit integer, as pg_advisory_lock(bigint) takes.
 */
export function buildLockKey(versionTable: string, versionTableSchema: string | null): bigint {
  const digest = createHash('sha256').update(`tsdb:${versionTableSchema ?? ''}.${versionTable}`).digest()
  return digest.readBigInt64BE(0)
}

/**
 * Runs `fn` holding a SESSION-level advisory lock on `conn`, which must be bound to one
 * connection (`db.connection().execute(conn => …)`): the lock belongs to the session, so it
 * outlives the transactions the run commits and is released even when one of them fails.
 */
export async function runWithAdvisoryLock<T>(
  conn: Kysely<any>,
  options: AdvisoryLockOptions,
  fn: (key: bigint) => Promise<T>,
): Promise<T> {
  const key = buildLockKey(options.versionTable, await resolveLockSchema(conn, options.versionTableSchema))
  await acquireLock(conn, key, options)
  try {
    return await fn(key)
  } finally {
    // A broken connection has dropped the lock with its session; the original error matters more.
    await sql`select pg_catalog.pg_advisory_unlock(${key.toString()}::bigint)`.execute(conn).catch(() => undefined)
  }
}

/**
 * The schema the version table is in, as the server resolves it: with none configured, an
 * unqualified name means the first schema of the session's search_path. A default config and
 * `versionTableSchema: 'public'` then name the same table, and so the same lock.
 */
async function resolveLockSchema(conn: Kysely<any>, configured: string | null): Promise<string | null> {
  if (configured !== null) return configured
  const { rows } = await sql<{ schema: string | null }>`select pg_catalog.current_schema() as schema`.execute(conn)
  return rows[0]?.schema ?? null
}

async function acquireLock(conn: Kysely<any>, key: bigint, options: AdvisoryLockOptions): Promise<void> {
  if (await tryLock(conn, key)) return
  const lockName = options.versionTableSchema === null ? options.versionTable : `${options.versionTableSchema}.${options.versionTable}`
  const started = Date.now()
  const noticeInterval = options.noticeIntervalMs ?? 3000
  let nextNotice = started
  for (;;) {
    const now = Date.now()
    if (options.onWait && now >= nextNotice) {
      options.onWait(`Waiting for the migration lock on ${lockName}, ${renderHolder(await queryLockHolder(conn, key))}`)
      nextNotice = now + noticeInterval
    }
    if (options.lockTimeoutMs !== null && now - started >= options.lockTimeoutMs) {
      const holder = await queryLockHolder(conn, key)
      throw new LockTimeoutError(
        `Timed out after ${formatMs(options.lockTimeoutMs)} waiting for the migration lock on ${lockName}, ` +
          `${renderHolder(holder)}. Wait for that run to finish, or allow more time with --lock-timeout <seconds> ` +
          `(lockTimeout in the config, in milliseconds).`,
        lockName,
        options.lockTimeoutMs,
        holder,
      )
    }
    const remaining = options.lockTimeoutMs === null ? POLL_INTERVAL_MS : options.lockTimeoutMs - (now - started)
    await delay(Math.max(1, Math.min(POLL_INTERVAL_MS, remaining)))
    if (await tryLock(conn, key)) return
  }
}

async function tryLock(conn: Kysely<any>, key: bigint): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    select pg_catalog.pg_try_advisory_lock(${key.toString()}::bigint) as locked`.execute(conn)
  return rows[0]?.locked === true
}

/**
 * pg_locks shows a bigint advisory key as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
 * An advisory lock belongs to its database: every project with a default config uses the same key,
 * so a session holding it in another database of the server is not this lock's holder.
 */
function isHolderOf(key: bigint) {
  const unsigned = BigInt.asUintN(64, key)
  const classid = (unsigned >> 32n).toString()
  const objid = (unsigned & 0xffffffffn).toString()
  return sql`l.locktype = 'advisory' and l.granted and l.objsubid = 1
      and l.classid = ${classid}::bigint::oid and l.objid = ${objid}::bigint::oid
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database())`
}

async function queryLockHolder(db: Kysely<any>, key: bigint): Promise<LockHolderInfo | null> {
  const { rows } = await sql<{ pid: number; application_name: string | null; since: string | null }>`
    select l.pid, a.application_name,
           to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since
    from pg_catalog.pg_locks l
    left join pg_catalog.pg_stat_activity a on a.pid = l.pid
    where ${isHolderOf(key)}
    limit 1`.execute(db)
  const row = rows[0]
  if (!row) return null
  return { pid: Number(row.pid), applicationName: row.application_name || null, since: row.since }
}

/**
 * Cancels the statement that the session holding the lock `key` is running, from another
 * connection (`db`). The holder is found by its lock, so it need not have said its pid.
 */
export async function cancelLockHolder(db: Kysely<any>, key: bigint): Promise<void> {
  await sql`select pg_catalog.pg_cancel_backend(l.pid) from pg_catalog.pg_locks l where ${isHolderOf(key)}`.execute(db)
}

function renderHolder(holder: LockHolderInfo | null): string {
  if (!holder) return 'held by a session that has just released it'
  const app = holder.applicationName ? `application '${holder.applicationName}'` : 'no application name'
  const since = holder.since ? `, connected since ${holder.since}` : ''
  return `held by pid ${holder.pid} (${app}${since})`
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
