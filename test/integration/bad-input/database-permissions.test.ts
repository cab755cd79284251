import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, openPostgres, testPgUrl, type TestDatabase } from '../../helpers/databases.js'
import { createProject, runTsdb, type CliResult } from '../../helpers/run-cli.js'
import { snapshotDatabase, tableRevision, writeFiles } from './catalogue.js'

/**
 * A role without the privileges tsdb needs on the version table (issue 19, item 6): one line that
 * names the role, the table and the missing privileges, exit 1, no stack trace, and the database
 * as it was (no revision ran, no table was created).
 */
const role = `tsdb_limited_${randomBytes(4).toString('hex')}`
const password = randomBytes(12).toString('hex')
let database: TestDatabase
let project: string
let roleUrl: string

async function withDb<T>(url: string, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const db = openPostgres(url, 1)
  try {
    return await fn(db)
  } finally {
    await db.destroy()
  }
}

beforeAll(async () => {
  database = await createTestDatabase()
  project = await createProject()
  await writeFiles(project, {
    'migrations/versions/aaaa1111_a.ts': tableRevision('aaaa1111', null, 'a'),
    'migrations/versions/bbbb2222_b.ts': tableRevision('bbbb2222', 'aaaa1111', 'b'),
  })
  // The owner applies the first revision: the version table exists and belongs to it.
  const owner = await runTsdb(['db', 'upgrade', 'aaaa1111'], { cwd: project, env: { DATABASE_URL: database.url } })
  expect(owner.code, owner.stderr).toBe(0)
  // CREATE ROLE takes no bind parameters; sql.lit quotes the (random hex) password as a literal.
  await withDb(testPgUrl(), (db) => sql`create role ${sql.id(role)} login password ${sql.lit(password)}`.execute(db))
  const url = new URL(database.url)
  url.username = role
  url.password = password
  roleUrl = url.toString()
})

afterAll(async () => {
  await database.drop()
  await withDb(testPgUrl(), (db) => sql`drop role if exists ${sql.id(role)}`.execute(db))
})

/** Runs `tsdb db upgrade` as the role and checks that the database did not change. */
async function upgradeAsRole(): Promise<CliResult> {
  const before = await withDb(database.url, snapshotDatabase)
  const result = await runTsdb(['db', 'upgrade'], { cwd: project, env: { DATABASE_URL: roleUrl } })
  expect(await withDb(database.url, snapshotDatabase), result.stderr).toEqual(before)
  return result
}

function expectOneErrorLine(result: CliResult, line: string): void {
  const context = `exit ${result.code}\nstderr:\n${result.stderr}\nstdout:\n${result.stdout}`
  expect(result.code, context).toBe(1)
  expect(result.stderr, context).not.toMatch(/^\s+at /m)
  expect(result.stderr.split('\n').filter((l) => l.trim() !== ''), context).toEqual([`Error: ${line}`])
  expect(`${result.stdout}${result.stderr}`).not.toContain(password)
}

const grant = `have its owner run GRANT SELECT, INSERT, UPDATE, DELETE ON alembic_version TO ${role}, or connect as a role that has them`

describe('upgrade by a role without privileges on alembic_version', () => {
  it('no privilege at all', async () => {
    expectOneErrorLine(
      await upgradeAsRole(),
      `Role ${role} lacks the SELECT, INSERT, UPDATE, DELETE privileges on table 'alembic_version', where tsdb records revisions; ${grant}`,
    )
  })

  it('SELECT only: refused before any revision runs', async () => {
    // Reading tsdb_revision_log too, so that the run's warnings have nothing to say.
    await withDb(database.url, async (db) => {
      await sql`grant usage on schema tsdb_meta to ${sql.id(role)}`.execute(db)
      await sql`grant select on alembic_version, tsdb_meta.tsdb_revision_log to ${sql.id(role)}`.execute(db)
    })
    expectOneErrorLine(
      await upgradeAsRole(),
      `Role ${role} lacks the INSERT, UPDATE, DELETE privileges on table 'alembic_version', where tsdb records revisions; ${grant}`,
    )
  })
})

describe('upgrade by a role that may not create tsdb\'s tables', () => {
  let fresh: TestDatabase
  beforeAll(async () => {
    fresh = await createTestDatabase()
    // PostgreSQL 15 and later grant no CREATE on schema public to other roles; older ones do.
    await withDb(fresh.url, (db) => sql`revoke create on schema public from public`.execute(db))
  })
  afterAll(() => fresh.drop())

  it('names the role and the schema, and creates nothing', async () => {
    const url = new URL(roleUrl)
    url.pathname = new URL(fresh.url).pathname
    const before = await withDb(fresh.url, snapshotDatabase)
    const result = await runTsdb(['db', 'upgrade'], { cwd: project, env: { DATABASE_URL: url.toString() } })
    expect(await withDb(fresh.url, snapshotDatabase), result.stderr).toEqual(before)
    expectOneErrorLine(
      result,
      `Role ${role} may not do what tsdb needs: permission denied for database ${new URL(fresh.url).pathname.slice(1)}; have the owner of that object grant the privilege, or connect as a role that has it`,
    )
  })
})
