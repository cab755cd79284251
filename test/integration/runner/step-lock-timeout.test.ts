/**
 * `upgrade` runs each transaction with PostgreSQL's lock_timeout (stepLockTimeout) and runs a
 * transaction that hit it again, up to stepLockRetries times: a second connection holds a lock on
 * the table, upgrade waits, rolls back, retries, and either succeeds once the lock is released or
 * fails with a line saying what happened, the database unchanged.
 */
import { writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../helpers/databases.js'
import { createProject, revisionFileText, runTsdb, type CliResult } from '../../helpers/run-cli.js'

let database: TestDatabase
let project: string
let holder: pg.Client

beforeAll(async () => {
  database = await createTestDatabase()
  project = await createProject()
  await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
  await writeFile(join(project, '.tsdbrc.json'), JSON.stringify({ stepLockTimeout: 300, stepLockRetries: 2 }))
  await writeFile(
    join(project, 'migrations', 'versions', 'aaaaaaaaaaaa_t.ts'),
    revisionFileText({ id: 'aaaaaaaaaaaa', message: 't', up: "await sql`create table t (id integer primary key)`.execute(db)" }),
  )
  await writeFile(
    join(project, 'migrations', 'versions', 'bbbbbbbbbbbb_x.ts'),
    revisionFileText({ id: 'bbbbbbbbbbbb', message: 'x', down: 'aaaaaaaaaaaa', up: "await sql`alter table t add column x integer`.execute(db)" }),
  )
  expect((await tsdb(['db', 'upgrade', 'aaaaaaaaaaaa'])).code).toBe(0)
  holder = new pg.Client({ connectionString: database.url })
  await holder.connect()
})

afterAll(async () => {
  await holder.end()
  await database.drop()
})

const tsdb = (args: readonly string[]): Promise<CliResult> => runTsdb(args, { cwd: project, env: { DATABASE_URL: database.url } })

/** Resolves once another session waits for a lock on t and, with `andGone`, once that wait has ended. */
async function waitForBlockedRequest(options: { andGone: boolean }): Promise<void> {
  const waiting = async () =>
    (await holder.query(`select 1 from pg_locks where relation = 't'::regclass and not granted`)).rows.length > 0
  while (!(await waiting())) await new Promise((resolve) => setTimeout(resolve, 20))
  if (options.andGone) while (await waiting()) await new Promise((resolve) => setTimeout(resolve, 20))
}

async function columns(): Promise<string[]> {
  const { rows } = await holder.query<{ name: string }>(`select attname as name from pg_attribute where attrelid = 't'::regclass and attnum > 0 and not attisdropped order by attnum`)
  return rows.map((row) => row.name)
}

async function versions(): Promise<string[]> {
  return (await holder.query<{ v: string }>('select version_num as v from alembic_version')).rows.map((row) => row.v)
}

describe('upgrade with a lock_timeout [postgres]', () => {
  it('gives up after stepLockRetries retries with a clear line, and leaves the database unchanged', async () => {
    await holder.query('begin')
    await holder.query('select * from t')
    const result = await tsdb(['db', 'upgrade'])
    await holder.query('rollback')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('revision bbbbbbbbbbbb waited 300 ms for a table lock (lock_timeout) and its transaction rolled back; retrying in 300 ms (attempt 2 of 3)')
    expect(result.stderr).toContain('(attempt 3 of 3)')
    expect(result.stderr).toContain('canceling statement due to lock timeout')
    expect(result.stderr).toContain('Gave up after 3 attempts, each waiting 300 ms for a table lock that another session holds (stepLockTimeout 300 ms, stepLockRetries 2)')
    expect(await columns()).toEqual(['id'])
    expect(await versions()).toEqual(['aaaaaaaaaaaa'])
  })

  it('waits, rolls back, retries, and succeeds once the other session releases the lock', async () => {
    await holder.query('begin')
    await holder.query('select * from t')
    const run = tsdb(['db', 'upgrade'])
    // The first attempt waits for the lock, times out and rolls back; then the holder lets go.
    await waitForBlockedRequest({ andGone: true })
    await holder.query('commit')
    const result = await run
    expect(result.stderr).toContain('revision bbbbbbbbbbbb waited 300 ms for a table lock (lock_timeout) and its transaction rolled back; retrying in 300 ms (attempt 2 of 3)')
    expect(result.code).toBe(0)
    expect(await columns()).toEqual(['id', 'x'])
    expect(await versions()).toEqual(['bbbbbbbbbbbb'])
  })
})
