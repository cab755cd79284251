import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'
import { createProject, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

/**
 * The server ends tsdb's connection in the middle of a step (pg_terminate_backend, as a restart
 * or a failover would): one line that says what was applied, exit 1, no stack trace, and the
 * database as a failure leaves it.
 */
describe('the connection is lost during a run [postgres]', () => {
  let database: TestDatabase
  let db: Kysely<any>
  let project: string
  let versions: string
  const versionRows = async () =>
    (await db.selectFrom('alembic_version').select('version_num').orderBy('version_num').execute()).map((row) => row.version_num)
  const tableExists = async (name: string) =>
    (await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(db)).rows[0]?.found !== null

  /** Runs the CLI and terminates its backend once it runs a statement matching `pattern`. */
  const runAndTerminate = async (args: readonly string[], pattern: string) => {
    const running = runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: database.url } })
    let terminated = false
    for (let attempt = 0; attempt < 600 && !terminated; attempt++) {
      const { rows } = await sql<{ ended: boolean }>`
        select pg_terminate_backend(pid) as ended from pg_stat_activity
        where application_name = 'tsdb' and datname = current_database() and state = 'active' and query like ${pattern}`.execute(db)
      terminated = rows.some((row) => row.ended)
      if (!terminated) await new Promise((r) => setTimeout(r, 50))
    }
    expect(terminated, 'no tsdb session ran the statement').toBe(true)
    return running
  }
  const expectOneCleanError = (stderr: string): string => {
    const errors = stderr.split('\n').filter((line) => line.startsWith('Error'))
    expect(errors, stderr).toHaveLength(1)
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(stderr).not.toContain('unexpectedly; please report')
    return errors[0]!
  }

  beforeAll(async () => {
    database = await createTestDatabase()
    db = openPostgres(database.url, 2)
    project = await createProject()
    versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    await writeFile(
      join(versions, 'd00000000001_base.ts'),
      revisionFileText({ id: 'd00000000001', message: 'base', up: "await db.schema.createTable('d_base').addColumn('id', 'integer').execute()" }),
    )
  })
  afterAll(async () => {
    await db.destroy()
    await database.drop()
  })
  beforeEach(async () => {
    await rm(join(versions, 'd00000000002_slow.ts'), { force: true })
    await rm(join(project, 'tsdb.config.json'), { force: true })
    for (const table of ['d_base', 'd_slow']) await sql`drop table if exists ${sql.id(table)}`.execute(db)
    await sql`drop table if exists alembic_version`.execute(db)
    await sql`drop table if exists tsdb_meta.tsdb_revision_progress`.execute(db)
  })

  const writeSlow = (transactional: boolean) =>
    writeFile(
      join(versions, 'd00000000002_slow.ts'),
      revisionFileText({
        id: 'd00000000002',
        message: 'slow',
        down: 'd00000000001',
        transactional,
        up: `await sql\`create table d_slow (id integer)\`.execute(db)
  await sql\`select pg_sleep(60)\`.execute(db)`,
      }),
    )

  it('during a transactional step: the revisions committed before are named, the step is rolled back', async () => {
    await writeFile(join(project, 'tsdb.config.json'), JSON.stringify({ transactionPerMigration: true }))
    await writeSlow(true)
    const result = await runAndTerminate(['upgrade'], 'select pg_sleep%')
    expect(result.code).toBe(1)
    const line = expectOneCleanError(result.stderr)
    expect(line).toMatch(
      /^Error: Lost the connection to the database while running upgrade d00000000001 -> d00000000002 in \S+d00000000002_slow\.ts: terminating connection due to administrator command \(statement: select pg_sleep\(60\)\)\. Its transaction was rolled back\. These revisions stayed committed: d00000000001\. Run the command again once the database answers; `tsdb db current` shows where the database is\.$/,
    )
    expect(await versionRows()).toEqual(['d00000000001'])
    expect(await tableExists('d_slow')).toBe(false)
  })

  it('during a non-transactional step: what ran is listed, and the next run names the revision', async () => {
    await writeSlow(false)
    const result = await runAndTerminate(['upgrade'], 'select pg_sleep%')
    expect(result.code).toBe(1)
    const line = expectOneCleanError(result.stderr)
    expect(line).toContain('Lost the connection to the database while running upgrade d00000000001 -> d00000000002')
    expect(line).toContain('it ran `create table d_slow (id integer);`, and may have run `select pg_sleep(60);`')
    expect(await versionRows()).toEqual(['d00000000001'])

    const next = await runTsdb(['db', 'upgrade'], { cwd: project, env: { DATABASE_URL: database.url } })
    expect(next.code).toBe(1)
    expect(expectOneCleanError(next.stderr)).toContain('Revision d00000000002 (migrations/versions/d00000000002_slow.ts) was interrupted')
  })

  it('outside any revision (a command reading the database): one line, exit 1', async () => {
    await writeSlow(true)
    // `history -i` reads the version table; a lock held elsewhere makes it wait where it can be ended.
    await sql`create table alembic_version (version_num varchar(32) primary key)`.execute(db)
    const holder = openPostgres(database.url, 1)
    try {
      await holder.connection().execute(async (conn) => {
        await sql`begin`.execute(conn)
        await sql`lock table alembic_version in access exclusive mode`.execute(conn)
        const result = await runAndTerminate(['current'], 'select%')
        await sql`rollback`.execute(conn)
        expect(result.code).toBe(1)
        expect(expectOneCleanError(result.stderr)).toMatch(
          /^Error: Lost the connection to the database \(postgres:\/\/.*\): terminating connection due to administrator command\. /,
        )
      })
    } finally {
      await holder.destroy()
    }
  })
})
