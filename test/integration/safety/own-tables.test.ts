import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { beforeAll, beforeEach, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

/**
 * tsdb's own tables and the version table, of a shape tsdb cannot write, are refused before
 * anything runs, with an error that names the table (not the revision file).
 */
describeEachDatabase('tsdb tables of another shape', (ctx) => {
  let project: string
  const run = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: ctx.url } })
  /** The database between tsdb's runs: an embedded one is open in one place at a time. */
  const withDb = async <T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T> => {
    try {
      return await fn(ctx.kysely())
    } finally {
      await ctx.closeAll()
    }
  }
  const exec = (...queries: ReturnType<typeof sql>[]) =>
    withDb(async (db) => {
      for (const query of queries) await query.execute(db)
    })
  const tableExists = (name: string) =>
    withDb(async (db) => (await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(db)).rows[0]?.found !== null)

  beforeAll(async () => {
    project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    await writeFile(
      join(versions, 'e00000000001_first.ts'),
      revisionFileText({ id: 'e00000000001', message: 'first', up: "await db.schema.createTable('e_first').addColumn('id', 'integer').execute()" }),
    )
    await writeFile(
      join(versions, 'e00000000002_index.ts'),
      revisionFileText({
        id: 'e00000000002',
        message: 'index',
        down: 'e00000000001',
        transactional: false,
        up: 'await sql`create index concurrently e_first_id on e_first (id)`.execute(db)',
      }),
    )
  })
  beforeEach(() =>
    withDb(async (db) => {
      await sql`drop schema if exists tsdb_meta cascade`.execute(db)
      for (const name of ['alembic_version', 'tsdb_revision_log', 'tsdb_revision_progress', 'e_first', 'real_versions']) {
        await sql`drop view if exists ${sql.id(name)}`.execute(db).catch(() => undefined)
        await sql`drop table if exists ${sql.id(name)}`.execute(db).catch(() => undefined)
      }
    }),
  )

  const expectRefused = async (message: RegExp) => {
    const result = await run('upgrade')
    expect(result.code).toBe(1)
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('Error'))
    expect(errors, result.stderr).toHaveLength(1)
    expect(errors[0]).toMatch(message)
    expect(result.stderr).not.toContain('Fix the revision file')
    expect(result.stderr).not.toContain('Running upgrade')
    expect(await tableExists('e_first')).toBe(false)
  }

  it('a tsdb_revision_log with other columns', async () => {
    await exec(sql`create table tsdb_revision_log (id integer, rev text)`)
    await expectRefused(/^Error: 'tsdb_revision_log' is not the table tsdb keeps there \(it has no column revision, direction, sql_checksum, source_checksum, applied_at, duration_ms\)\. .*rename that one/)
  })

  it('a tsdb_revision_progress that is a view', async () => {
    await exec(sql`create view tsdb_revision_progress as select 1 as revision`)
    await expectRefused(/^Error: 'tsdb_revision_progress' is not the table tsdb keeps there \(it is not a table\)/)
  })

  it('an alembic_version that is a view', async () => {
    await exec(sql`create table real_versions (version_num varchar(32))`, sql`create view alembic_version as select version_num from real_versions`)
    await expectRefused(/^Error: 'alembic_version' is a view, not a table, so tsdb cannot record revisions in it\. Rename or drop it/)
  })

  it.each([
    ['integer', 'integer'],
    ['varchar(8)', 'character varying(8)'],
    ['char(32)', 'character(32)'],
  ])('an alembic_version whose version_num is %s', async (type, shown) => {
    await exec(sql`create table alembic_version (version_num ${sql.raw(type)} not null)`)
    await expectRefused(
      new RegExp(`^Error: Column version_num of table 'alembic_version' is ${shown.replace(/[()]/g, '\\$&')}; revision ids need character varying\\(32\\)`),
    )
  })

  it('an alembic_version with a longer varchar or text is used as is', async () => {
    await exec(sql`create table alembic_version (version_num varchar(64) primary key)`)
    const result = await run('upgrade')
    expect(result.code, result.stderr).toBe(0)
    expect(await tableExists('e_first')).toBe(true)
  })
})
