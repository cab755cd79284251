import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildLockKey, runWithAdvisoryLock } from '../../../src/runner/advisory-lock.js'
import { OWN_TABLES_SCHEMA } from '../../../src/runner/own-tables.js'
import { ensureRevisionLogTable } from '../../../src/runner/revision-log.js'
import { createTestDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'
import { createProject, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

const REVISION_LOG_TABLE = 'tsdb_revision_log'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const id = (index: number) => `l${String(index).padStart(11, '0')}`

async function writeLoggingRevisions(project: string, count: number): Promise<void> {
  const versions = join(project, 'migrations', 'versions')
  await mkdir(versions, { recursive: true })
  for (let index = 0; index < count; index++) {
    const create =
      index === 0 ? "await db.schema.createTable('apply_log').addColumn('revision', 'text', (c) => c.notNull()).execute()\n  " : ''
    await writeFile(
      join(versions, `${id(index)}_step_${index}.ts`),
      revisionFileText({
        id: id(index),
        message: `step ${index}`,
        down: index === 0 ? null : id(index - 1),
        up: `${create}await db.schema.createTable('t_${index}').addColumn('id', 'integer').execute()
  await db.insertInto('apply_log').values({ revision: '${id(index)}' }).execute()`,
        down_: `await db.schema.dropTable('t_${index}').execute()`,
      }),
    )
  }
}

async function tableExists(db: Kysely<any>, name: string): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(db)
  return rows[0]?.found != null
}

describe('the migration lock, through the CLI [postgres]', () => {
  let database: TestDatabase
  let db: Kysely<any>
  const opened: Kysely<any>[] = []
  const open = (applicationName: string) => {
    const url = new URL(database.url)
    url.searchParams.set('application_name', applicationName)
    const handle = openPostgres(url.toString(), 2)
    opened.push(handle)
    return handle
  }

  beforeAll(async () => {
    database = await createTestDatabase()
    db = open('safety-test')
  })
  afterAll(async () => {
    await Promise.all(opened.map((handle) => handle.destroy()))
    await database.drop()
  })

  it('16 processes upgrading one database all exit 0 and apply each revision once', async () => {
    const project = await createProject()
    const count = 12
    await writeLoggingRevisions(project, count)
    const results = await Promise.all(
      Array.from({ length: 16 }, () => runTsdb(['db', 'upgrade'], { cwd: project, env: { DATABASE_URL: database.url }, spawn: true })),
    )
    for (const result of results) expect(result.code, result.stderr).toBe(0)
    expect(results.filter((result) => result.stderr.includes('Running upgrade'))).toHaveLength(1)
    const { rows } = await sql<{ revision: string; n: number }>`
      select revision, count(*)::int as n from apply_log group by revision order by revision`.execute(db)
    expect(rows).toEqual(Array.from({ length: count }, (_, index) => ({ revision: id(index), n: 1 })))
    expect(await db.selectFrom('alembic_version').select('version_num').execute()).toEqual([{ version_num: id(count - 1) }])
    // And tsdb's log agrees: one `up` row per revision.
    const log = await sql<{ n: number }>`select count(*)::int as n from tsdb_meta.tsdb_revision_log where direction = 'up'`.execute(db)
    expect(log.rows[0]?.n).toBe(count)
    await sql`drop table apply_log, alembic_version, tsdb_meta.tsdb_revision_log`.execute(db)
    for (let index = 0; index < count; index++) await sql`drop table ${sql.id(`t_${index}`)}`.execute(db)
  })

  it('--lock-timeout 1 against a held lock fails with one line naming the holder, exit 1, nothing changed', async () => {
    const project = await createProject()
    await writeLoggingRevisions(project, 2)
    const holder = open('deploy-holder')
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    let holderPid = 0
    let markHeld!: () => void
    const held = new Promise<void>((r) => (markHeld = r))
    const holding = holder.connection().execute((conn) =>
      runWithAdvisoryLock(conn, { versionTable: 'alembic_version', versionTableSchema: null, lockTimeoutMs: null }, async () => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn)
        holderPid = Number(rows[0]?.pid)
        markHeld()
        await released
      }),
    )
    await held
    try {
      const result = await runTsdb(['db', 'upgrade', '--lock-timeout', '1'], { cwd: project, env: { DATABASE_URL: database.url } })
      expect(result.code).toBe(1)
      // The waiting line, then the error: one line each.
      const [waiting, error, ...rest] = result.stderr.trim().split('\n')
      expect(rest, result.stderr).toEqual([])
      const holder = `held by pid ${holderPid} (application 'deploy-holder', connected since `
      expect(waiting).toContain(`Waiting for the migration lock on alembic_version, ${holder}`)
      expect(error).toMatch(/^Error: Timed out after 1 s waiting for the migration lock on alembic_version, /)
      expect(error).toContain(holder)
      expect(error).toContain('--lock-timeout <seconds>')
      expect(result.stderr).not.toMatch(/\n\s+at /)
      expect(await tableExists(db, 'alembic_version')).toBe(false)
      expect(await tableExists(db, 'apply_log')).toBe(false)
      expect(await tableExists(db, 'tsdb_meta.tsdb_revision_log')).toBe(false)
    } finally {
      release()
      await holding
    }
  })

  it('holds the lock across a non-transactional step; every tsdb connection is named tsdb', async () => {
    const project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    await writeFile(
      join(versions, 'n00000000001_table.ts'),
      revisionFileText({
        id: 'n00000000001',
        message: 'table',
        up: "await db.schema.createTable('n_t').addColumn('id', 'integer').execute()",
      }),
    )
    // The step waits, outside any transaction, on an advisory lock the test holds (no timing involved).
    await writeFile(
      join(versions, 'n00000000002_index.ts'),
      revisionFileText({
        id: 'n00000000002',
        message: 'index concurrently',
        down: 'n00000000001',
        transactional: false,
        up: `await sql\`select pg_advisory_lock(4242)\`.execute(db)
  await sql\`select pg_advisory_unlock(4242)\`.execute(db)
  await sql\`create index concurrently n_t_id_idx on n_t (id)\`.execute(db)`,
      }),
    )
    const gate = open('safety-gate')
    await gate.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(4242)`.execute(conn)
      const env = { DATABASE_URL: database.url }
      const running = runTsdb(['db', 'upgrade'], { cwd: project, env })
      try {
        // Wait until the run's step is blocked on the gate.
        let blockedPid: number | undefined
        while (blockedPid === undefined) {
          const { rows } = await sql<{ pid: number }>`
            select pid from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%pg_advisory_lock(4242)%'`.execute(db)
          blockedPid = rows[0] === undefined ? undefined : Number(rows[0].pid)
          if (blockedPid === undefined) await sleep(50)
        }
        // The step runs outside a transaction, and the session lock is still held by that session.
        const key = buildLockKey('alembic_version', 'public')
        const unsigned = BigInt.asUintN(64, key)
        const { rows: locks } = await sql<{ pid: number }>`
          select pid from pg_locks where locktype = 'advisory' and granted and objsubid = 1
            and database = (select oid from pg_catalog.pg_database where datname = current_database())
            and classid = ${(unsigned >> 32n).toString()}::bigint::oid and objid = ${(unsigned & 0xffffffffn).toString()}::bigint::oid`.execute(db)
        expect(locks.map((row) => Number(row.pid))).toEqual([blockedPid])
        const { rows: activity } = await sql<{ application_name: string }>`
          select application_name from pg_stat_activity where pid = ${blockedPid}`.execute(db)
        expect(activity[0]?.application_name).toBe('tsdb')
        // What ran before the non-transactional step is committed.
        expect(await db.selectFrom('alembic_version').select('version_num').execute()).toEqual([{ version_num: 'n00000000001' }])
        const { rows: names } = await sql<{ application_name: string }>`
          select distinct application_name from pg_stat_activity
          where datname = current_database() and application_name not in ('safety-test', 'safety-gate', 'deploy-holder')`.execute(db)
        expect(names.map((row) => row.application_name)).toEqual(['tsdb'])

        const waiter = await runTsdb(['db', 'upgrade', '--lock-timeout', '1'], { cwd: project, env })
        expect(waiter.code).toBe(1)
        expect(waiter.stderr).toContain(`held by pid ${blockedPid} (application 'tsdb'`)
      } finally {
        await sql`select pg_advisory_unlock(4242)`.execute(conn)
      }
      const result = await running
      expect(result.code, result.stderr).toBe(0)
    })
    expect(await db.selectFrom('alembic_version').select('version_num').execute()).toEqual([{ version_num: 'n00000000002' }])
  })
})

describe("the lock that creates tsdb's own tables [postgres]", () => {
  let database: TestDatabase
  let db: Kysely<any>

  beforeAll(async () => {
    database = await createTestDatabase()
    db = openPostgres(database.url, 3)
  })
  afterAll(async () => {
    await db.destroy()
    await database.drop()
  })

  it('a run creating the log waits for another run creating it, whatever its config spells', async () => {
    // Another run is creating the table: the lock is keyed on the one schema tsdb keeps it in.
    let finished = false
    let creating: Promise<unknown> = Promise.resolve()
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${buildLockKey(REVISION_LOG_TABLE, OWN_TABLES_SCHEMA).toString()}::bigint)`.execute(trx)
      creating = ensureRevisionLogTable(db, 'public').then(() => (finished = true))
      await sleep(500)
      expect(finished, 'created the table while another run held its lock').toBe(false)
      await sql`create schema ${sql.id(OWN_TABLES_SCHEMA)}`.execute(trx)
      await trx.withSchema(OWN_TABLES_SCHEMA).schema.createTable(REVISION_LOG_TABLE).addColumn('id', 'integer').execute()
    })
    // It waited, then saw the other run's table and left it alone (its shape is checked later, by name).
    await creating.catch(() => undefined)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns
      where table_schema = ${OWN_TABLES_SCHEMA} and table_name = ${REVISION_LOG_TABLE}`.execute(db)
    expect(Number(rows[0]?.n)).toBe(1)
  })
})
