import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'
import { findPsql } from '../../helpers/postgres-server.js'
import { createProject, revisionFileText, runTsdb } from '../../helpers/run-cli.js'
import { fixture, readVersionRows, writePortedProject } from './microblog.js'

const run = promisify(execFile)

/**
 * Taking over a database that Flask-Migrate manages. The fixture is the real thing: the Mega-
 * Tutorial's chapter 4 run with Flask-Migrate 4.0.4 (`generate.sh`), dumped with pg_dump. tsdb
 * ports its two revisions with the same ids, reads the same history, finds the declaration of
 * DESIGN §1 equal to what Flask-Migrate built, and continues with a revision of its own.
 */
describe('a database Flask-Migrate left at its head', () => {
  let project: string
  let database: TestDatabase
  const tsdb = (...args: string[]) => runTsdb(args, { cwd: project, env: { DATABASE_URL: database.url } })
  const versionRows = () => readVersionRows(database.url)

  beforeAll(async () => {
    database = await createTestDatabase()
    const psql = findPsql()
    if (psql === null) throw new Error('psql not found next to the PostgreSQL binaries')
    const load = run(psql, ['-v', 'ON_ERROR_STOP=1', '-q', database.url])
    load.child.stdin?.end(await readFile(join(fixture, 'microblog.sql'), 'utf8'))
    await load

    project = await createProject()
    await writePortedProject(project)
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('reads the same history Flask-Migrate printed, and the same current revision', async () => {
    const history = await tsdb('db', 'history')
    expect(history.stdout).toBe(await readFile(join(fixture, 'history.txt'), 'utf8'))
    const current = await tsdb('db', 'current')
    expect(current.stdout).toBe('935acf0391fb (head)\n')
  })

  it('finds the DESIGN §1 declaration equal to the schema Flask-Migrate built', async () => {
    const check = await tsdb('db', 'check')
    expect(check.stderr).toBe('')
    expect(check.stdout).toBe('No new upgrade operations detected.\n')
    expect(check.code).toBe(0)
  })

  it('continues with a tsdb revision whose downRevision is the Flask-Migrate head', async () => {
    await writeFile(join(project, 'migrations', 'versions', 'c0ffee000001_about_me.ts'), revisionFileText({
      id: 'c0ffee000001', message: 'about me', down: '935acf0391fb',
      up: `await db.schema.alterTable('user').addColumn('about_me', 'varchar(140)').execute()`,
      down_: `await db.schema.alterTable('user').dropColumn('about_me').execute()`,
    }))
    const upgrade = await tsdb('db', 'upgrade')
    expect(upgrade.code).toBe(0)
    expect(upgrade.stderr).toBe('Running upgrade 935acf0391fb -> c0ffee000001, about me\n')
    expect(await versionRows()).toEqual(['c0ffee000001'])
    const db = openPostgres(database.url, 1)
    try {
      const column = await sql`select 1 from information_schema.columns where table_name = 'user' and column_name = 'about_me'`.execute(db)
      expect(column.rows).toHaveLength(1)
    } finally {
      await db.destroy()
    }
  })

  it('downgrades through the ported revisions to an empty database', async () => {
    const down = await tsdb('db', 'downgrade', 'base')
    expect(down.code).toBe(0)
    expect(down.stderr).toBe(
      'Running downgrade c0ffee000001 -> 935acf0391fb, about me\n' +
        'Running downgrade 935acf0391fb -> f2b4b53feeb1, posts table\n' +
        'Running downgrade f2b4b53feeb1 -> , users table\n',
    )
    expect(await versionRows()).toEqual([])
  })
})
