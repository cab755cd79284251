import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LockTimeoutError } from '../../../src/errors.js'
import { buildLockKey, cancelLockHolder, runWithAdvisoryLock, type AdvisoryLockOptions } from '../../../src/runner/advisory-lock.js'
import { createTestDatabase, describeEachDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'

const lockOptions: AdvisoryLockOptions = { versionTable: 'alembic_version', versionTableSchema: null, lockTimeoutMs: null }

async function countAdvisoryLocks(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory'
    and database = (select oid from pg_catalog.pg_database where datname = current_database())`.execute(db)
  return Number(rows[0]?.n)
}

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('buildLockKey', () => {
  it('is fixed per version table and differs between tables', () => {
    expect(buildLockKey('alembic_version', null)).toBe(buildLockKey('alembic_version', null))
    expect(buildLockKey('alembic_version', null)).not.toBe(buildLockKey('other_version', null))
    expect(buildLockKey('alembic_version', null)).not.toBe(buildLockKey('alembic_version', 'ops'))
  })
})

describeEachDatabase('advisory lock', (ctx) => {
  it('holds a session lock while the body runs and releases it afterwards, also on failure', async () => {
    const db = ctx.kysely()
    const seen = await db.connection().execute((conn) =>
      runWithAdvisoryLock(conn, lockOptions, async () => countAdvisoryLocks(conn)),
    )
    expect(seen).toBe(1)
    expect(await countAdvisoryLocks(db)).toBe(0)
    await expect(
      db.connection().execute((conn) =>
        runWithAdvisoryLock(conn, lockOptions, async () => {
          throw new Error('boom')
        }),
      ),
    ).rejects.toThrow('boom')
    expect(await countAdvisoryLocks(db)).toBe(0)
  })
})

describe('advisory lock contention [postgres]', () => {
  let database: TestDatabase
  const opened: Kysely<any>[] = []
  const open = (applicationName: string) => {
    const url = new URL(database.url)
    url.searchParams.set('application_name', applicationName)
    const db = openPostgres(url.toString(), 2)
    opened.push(db)
    return db
  }
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()))
    await database.drop()
  })

  /** Runs a holder that keeps the lock until `release` is called; resolves with the holder's pid once it holds it. */
  async function hold(db: Kysely<any>, options = lockOptions) {
    const release = deferred()
    const held = deferred()
    let pid = 0
    const done = db.connection().execute((conn) =>
      runWithAdvisoryLock(conn, options, async () => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn)
        pid = Number(rows[0]?.pid)
        held.resolve()
        await release.promise
      }),
    )
    await held.promise
    return { pid, release: release.resolve, done }
  }

  it('cancels and names only a holder in its own database, not a session holding the same key in another', async () => {
    // Every project with a default config uses this key; advisory locks belong to their database.
    const key = buildLockKey('alembic_version', 'public')
    const other = await createTestDatabase()
    const url = new URL(other.url)
    url.searchParams.set('application_name', 'tsdb-test-elsewhere')
    const elsewhere = openPostgres(url.toString(), 2)
    try {
      const held = deferred()
      const busy = elsewhere.connection().execute((conn) =>
        runWithAdvisoryLock(conn, lockOptions, async () => {
          held.resolve()
          await sql`select pg_sleep(1.5)`.execute(conn)
          return 'finished'
        }),
      )
      await held.promise
      const here = await hold(open('tsdb-test-holder'))
      await cancelLockHolder(open('tsdb-test-canceller'), key)
      expect(await busy.catch((error: unknown) => String(error))).toBe('finished')
      const error = await open('tsdb-test-waiter')
        .connection()
        .execute((conn) => runWithAdvisoryLock(conn, { ...lockOptions, lockTimeoutMs: 300 }, async () => 'ran'))
        .catch((e: unknown) => e)
      here.release()
      await here.done
      expect((error as LockTimeoutError).holder).toMatchObject({ pid: here.pid, applicationName: 'tsdb-test-holder' })
    } finally {
      await elsewhere.destroy()
      await other.drop()
    }
  })

  it('times out naming the holder and suggesting --lock-timeout', async () => {
    const holder = await hold(open('tsdb-test-holder'))
    const waits: string[] = []
    const started = Date.now()
    const error = await open('tsdb-test-waiter')
      .connection()
      .execute((conn) =>
        runWithAdvisoryLock(
          conn,
          { ...lockOptions, lockTimeoutMs: 1000, noticeIntervalMs: 150, onWait: (line) => waits.push(line) },
          async () => 'ran',
        ),
      )
      .catch((e: unknown) => e)
    holder.release()
    await holder.done
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(error).toBeInstanceOf(LockTimeoutError)
    const lockError = error as LockTimeoutError
    expect(lockError.holder).toMatchObject({ pid: holder.pid, applicationName: 'tsdb-test-holder' })
    expect(lockError.holder?.since).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(lockError.message).toContain(`held by pid ${holder.pid} (application 'tsdb-test-holder'`)
    expect(lockError.message).toContain('--lock-timeout')
    expect(waits.length).toBeGreaterThanOrEqual(2)
    expect(waits[0]).toMatch(new RegExp(`^Waiting for the migration lock on alembic_version, held by pid ${holder.pid} `))
  })

  it('waits without a timeout until the holder releases', async () => {
    const holder = await hold(open('tsdb-test-holder'))
    const order: string[] = []
    const waiter = open('tsdb-test-waiter')
      .connection()
      .execute((conn) => runWithAdvisoryLock(conn, lockOptions, async () => order.push('waiter ran')))
    await new Promise((r) => setTimeout(r, 300))
    order.push('holder released')
    holder.release()
    await holder.done
    await waiter
    expect(order).toEqual(['holder released', 'waiter ran'])
  })

  it('is the same lock whether the version table schema is left out or spelled out', async () => {
    // Issue 19 item 4: a default config and `versionTableSchema: 'public'` name one table.
    for (const [holding, waiting] of [
      [null, 'public'],
      ['public', null],
    ] as const) {
      const holder = await hold(open('tsdb-test-holder'), { ...lockOptions, versionTableSchema: holding })
      const error = await open('tsdb-test-waiter')
        .connection()
        .execute((conn) => runWithAdvisoryLock(conn, { ...lockOptions, versionTableSchema: waiting, lockTimeoutMs: 300 }, async () => 'ran'))
        .catch((e: unknown) => e)
      holder.release()
      await holder.done
      expect(error, `holding ${holding}, waiting ${waiting}`).toBeInstanceOf(LockTimeoutError)
      expect((error as LockTimeoutError).holder?.pid).toBe(holder.pid)
    }
  })

  it("resolves a left-out schema through the session's search_path", async () => {
    const admin = open('tsdb-test-admin')
    await sql`create schema if not exists ops`.execute(admin)
    const holder = await hold(open('tsdb-test-holder'), { ...lockOptions, versionTableSchema: 'ops' })
    const attempt = (searchPath: string) =>
      open('tsdb-test-waiter')
        .connection()
        .execute(async (conn) => {
          await sql`select pg_catalog.set_config('search_path', ${searchPath}, false)`.execute(conn)
          return runWithAdvisoryLock(conn, { ...lockOptions, lockTimeoutMs: 300 }, async () => 'ran')
        })
        .catch((e: unknown) => e)
    const inOps = await attempt('ops, public')
    const inPublic = await attempt('public')
    holder.release()
    await holder.done
    expect(inOps).toBeInstanceOf(LockTimeoutError)
    expect(inPublic).toBe('ran')
  })

  it('does not block a project with another version table', async () => {
    const holder = await hold(open('tsdb-test-holder'))
    const result = await open('tsdb-test-other')
      .connection()
      .execute((conn) =>
        runWithAdvisoryLock(conn, { ...lockOptions, versionTable: 'other_version', lockTimeoutMs: 200 }, async () => 'ran'),
      )
    holder.release()
    await holder.done
    expect(result).toBe('ran')
  })
})
