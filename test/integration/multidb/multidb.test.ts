import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createPgliteTestDatabase,
  createTestDatabase,
  openPostgres,
  type TestBackend,
  type TestDatabase,
} from '../../helpers/databases.js'
import { createProject, runTsdb } from '../../helpers/run-cli.js'

/** What a database holds: its tables (tsdb's own and the version table left out) and its version rows (null: no version table). */
interface DatabaseState {
  readonly tables: readonly string[]
  readonly versions: readonly string[] | null
}

async function readState(url: string): Promise<DatabaseState> {
  const pglite = url.startsWith('pglite:') ? new PGlite(url.slice('pglite:'.length)) : null
  const db = pglite === null ? openPostgres(url, 1) : new Kysely<any>({ dialect: new PGliteDialect({ pglite }) })
  try {
    const tables = await sql<{ name: string }>`
      select tablename as name from pg_tables
      where schemaname = 'public' and tablename <> 'alembic_version' and tablename not like 'tsdb\\_%'
      order by 1`.execute(db)
    const { rows } = await sql<{ found: string | null }>`select to_regclass('public.alembic_version')::text as found`.execute(db)
    const versions =
      rows[0]?.found == null
        ? null
        : (await sql<{ v: string }>`select version_num as v from alembic_version order by 1`.execute(db)).rows.map((row) => row.v)
    return { tables: tables.rows.map((row) => row.name), versions }
  } finally {
    await db.destroy()
  }
}

const createDatabase = (backend: TestBackend): Promise<TestDatabase> =>
  backend === 'postgres' ? createTestDatabase() : createPgliteTestDatabase()

const MAIN_SCHEMA = `import { defineSchema, table, t } from 'tsdb-migrate'
export const schema = defineSchema({ post: table({ id: t.serial().primaryKey(), body: t.varchar(140).notNull() }) })
`
const USERS_SCHEMA = `import { defineSchema, table, t } from 'tsdb-migrate'
export const schema = defineSchema({ account: table({ id: t.serial().primaryKey(), name: t.varchar(64).notNull() }) })
`

// A revision whose second database fails after creating a table: nothing of it may stay anywhere.
const FAILING_REVISION = `/**
 * comments, and profiles that fail
 *
 * Revision ID: bbbb2222
 * Revises: aaaa1111
 */
import { sql, type Kysely } from 'kysely'

export const revision = 'bbbb2222'
export const downRevision = 'aaaa1111'
export const branchLabels = null
export const dependsOn = null

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('comment').addColumn('id', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('comment').execute()
}

export const binds = {
  users: {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createTable('profile').addColumn('id', 'integer').execute()
      await sql\`select 1 / 0\`.execute(db)
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('profile').execute()
    },
  },
}
`

/**
 * Several databases (issue 17, item 5): the main one and a bind `users`, each with its own URL,
 * schema declaration and version table; one revision file holds both databases' steps.
 */
for (const backend of ['postgres', 'pglite'] as const) {
  describe(`multidb [${backend}]`, () => {
    let main: TestDatabase
    let users: TestDatabase
    let project: string
    const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project })

    beforeAll(async () => {
      main = await createDatabase(backend)
      users = await createDatabase(backend)
      project = await createProject()
      const init = await tsdb('init', '--multidb')
      expect(init.code, init.stderr).toBe(0)
      await writeFile(
        join(project, 'tsdb.config.ts'),
        `import { defineConfig } from 'tsdb-migrate'
export default defineConfig({
  url: ${JSON.stringify(main.url)},
  schema: 'src/schema.ts',
  binds: { users: { url: ${JSON.stringify(users.url)}, schema: 'src/users-schema.ts' } },
})
`,
      )
      await mkdir(join(project, 'src'))
      await writeFile(join(project, 'src', 'schema.ts'), MAIN_SCHEMA)
      await writeFile(join(project, 'src', 'users-schema.ts'), USERS_SCHEMA)
    })
    afterAll(async () => {
      await main.drop()
      await users.drop()
    })

    it('migrate compares each database with its own declaration, into one revision file', async () => {
      const result = await tsdb('migrate', '-m', 'posts and accounts', '--rev-id', 'aaaa1111')
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain(
        "Migrating database <default>\nDetected added table 'post'\nMigrating database users\nDetected added table 'account'\n",
      )
      const files = await readdir(join(project, 'migrations', 'versions'))
      expect(files).toEqual(['aaaa1111_posts_and_accounts.ts'])
      const text = await readFile(join(project, 'migrations', 'versions', files[0] ?? ''), 'utf8')
      const [mainPart, bindPart] = text.split('export const binds = {')
      expect(mainPart).toContain(".createTable('post')")
      expect(mainPart).not.toContain("'account'")
      expect(bindPart).toMatch(/^\n {2}users: \{\n {4}async up\(db: Kysely<any>\): Promise<void> \{\n {6}await db\.schema\n/)
      expect(bindPart).toContain(".createTable('account')")
      expect(bindPart).toContain(".dropTable('account')")
      expect(bindPart).not.toContain("'post'")
    })

    it('upgrade applies every database, each recording its own version row; current and check read each', async () => {
      const result = await tsdb('upgrade')
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain(
        'Migrating database <default>\nRunning upgrade  -> aaaa1111, posts and accounts\nMigrating database users\nRunning upgrade  -> aaaa1111, posts and accounts\n',
      )
      expect(await readState(main.url)).toEqual({ tables: ['post'], versions: ['aaaa1111'] })
      expect(await readState(users.url)).toEqual({ tables: ['account'], versions: ['aaaa1111'] })
      expect(await tsdb('current')).toMatchObject({ code: 0, stdout: 'aaaa1111 (head)\naaaa1111 (head)\n' })
      const check = await tsdb('check')
      expect(check, check.stderr).toMatchObject({ code: 0, stdout: 'No new upgrade operations detected.\n' })
      expect(await tsdb('migrate', '-m', 'nothing')).toMatchObject({ code: 0 })
      expect(await readdir(join(project, 'migrations', 'versions'))).toEqual(['aaaa1111_posts_and_accounts.ts'])
    })

    it('check names the bind whose declaration drifted', async () => {
      await writeFile(
        join(project, 'src', 'users-schema.ts'),
        USERS_SCHEMA.replace('account: table', "role: table({ id: t.serial().primaryKey() }),\n  account: table"),
      )
      try {
        const check = await tsdb('check')
        expect(check.code).toBe(1)
        expect(check.stderr).toContain("users: Detected added table 'role'")
        expect(check.stdout).toBe('')
      } finally {
        await writeFile(join(project, 'src', 'users-schema.ts'), USERS_SCHEMA)
      }
    })

    it('a failure in the second database leaves both as they were', async () => {
      const path = join(project, 'migrations', 'versions', 'bbbb2222_comments.ts')
      await writeFile(path, FAILING_REVISION)
      try {
        const result = await tsdb('upgrade')
        expect(result.code).toBe(1)
        expect(result.stderr).toContain('bbbb2222')
        expect(result.stderr).toContain('division by zero')
        expect(await readState(main.url)).toEqual({ tables: ['post'], versions: ['aaaa1111'] })
        expect(await readState(users.url)).toEqual({ tables: ['account'], versions: ['aaaa1111'] })
      } finally {
        await rm(path)
      }
    })

    it('upgrade --sql prints each database\'s script after its name, connecting to none', async () => {
      const result = await tsdb('upgrade', '--sql', 'base:head')
      expect(result.code, result.stderr).toBe(0)
      const [mainScript, usersScript] = result.stdout.split('-- Database: users\n')
      expect(mainScript).toMatch(/^-- Database: <default>\n\nBEGIN;\n/)
      expect(mainScript).toContain('create table "post"')
      expect(mainScript).not.toContain('"account"')
      expect(usersScript).toMatch(/^\nBEGIN;\n/)
      expect(usersScript).toContain('create table "account"')
      expect(usersScript).toContain("INSERT INTO alembic_version (version_num) VALUES ('aaaa1111')")
    })

    it('downgrade and stamp act on every database', async () => {
      expect((await tsdb('downgrade', 'base')).code).toBe(0)
      expect(await readState(main.url)).toEqual({ tables: [], versions: [] })
      expect(await readState(users.url)).toEqual({ tables: [], versions: [] })
      expect((await tsdb('stamp', 'head')).code).toBe(0)
      expect(await readState(main.url)).toEqual({ tables: [], versions: ['aaaa1111'] })
      expect(await readState(users.url)).toEqual({ tables: [], versions: ['aaaa1111'] })
      expect((await tsdb('stamp', 'base')).code).toBe(0)
      expect(await readState(users.url)).toEqual({ tables: [], versions: [] })
    })
  })
}

describe('init --multidb', () => {
  it('writes a project that migrates its two embedded databases as it stands', async () => {
    const project = await createProject()
    const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project })
    const init = await tsdb('init', '--multidb')
    expect(init.code, init.stderr).toBe(0)
    expect((await readdir(join(project, 'migrations'))).sort()).toEqual(['README', 'script.ts.tmpl', 'versions'])
    await mkdir(join(project, 'src'))
    await writeFile(join(project, 'src', 'schema.ts'), MAIN_SCHEMA)
    await writeFile(join(project, 'src', 'users-schema.ts'), USERS_SCHEMA)
    const migrate = await tsdb('migrate', '-m', 'first', '--rev-id', 'cccc3333')
    expect(migrate.code, migrate.stderr).toBe(0)
    const upgrade = await tsdb('upgrade')
    expect(upgrade.code, upgrade.stderr).toBe(0)
    expect(await readState(`pglite:${join(project, '.tsdb', 'pglite')}`)).toEqual({ tables: ['post'], versions: ['cccc3333'] })
    expect(await readState(`pglite:${join(project, '.tsdb', 'users')}`)).toEqual({ tables: ['account'], versions: ['cccc3333'] })

    const empty = await tsdb('revision', '-m', 'by hand', '--rev-id', 'dddd4444')
    expect(empty.code, empty.stderr).toBe(0)
    const text = await readFile(join(project, 'migrations', 'versions', 'dddd4444_by_hand.ts'), 'utf8')
    expect(text).toContain('export const binds = {\n  users: {\n    async up(db: Kysely<any>): Promise<void> {\n      // Write the upgrade here')
  })

  it.each([
    [
      "{ users: { url: 'pglite:.tsdb/users' } }",
      'Error: binds.users needs both a url and a schema (e.g. binds: { users: { url: \'pglite:.tsdb/users\', schema: \'src/users-schema.ts\' } })\n',
    ],
    [
      "{ users: { url: 'pglite:.tsdb/pglite', schema: 'src/users-schema.ts' } }",
      'Error: binds.users names the same database as <default>: each bind needs a database of its own (with its own alembic_version table)\n',
    ],
  ])('refuses binds %s in one line, touching no database', async (binds, message) => {
    const project = await createProject()
    await writeFile(join(project, 'tsdb.config.ts'), `export default { binds: ${binds} }\n`)
    await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
    const result = await runTsdb(['db', 'upgrade'], { cwd: project })
    expect(result).toEqual({ code: 1, stdout: '', stderr: message })
    expect(await readdir(project)).not.toContain('.tsdb')
  })
})
