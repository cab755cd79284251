import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'
import { findPsql } from '../../helpers/postgres-server.js'
import { createProject, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

const run = promisify(execFile)

/** What a database holds: its tables with columns and indexes, and the version rows (tsdb's own log table aside). */
async function snapshot(db: Kysely<any>) {
  const columns = await sql<{ table: string; column: string; type: string; nullable: string }>`
    select table_name as "table", column_name as "column", data_type as type, is_nullable as nullable
    from information_schema.columns
    where table_schema = 'public' and table_name not like 'tsdb\\_%' order by 1, 2`.execute(db)
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
    where schemaname = 'public' and tablename not like 'tsdb\\_%' order by 1`.execute(db)
  const versions = await sql<{ version_num: string }>`select version_num from alembic_version order by 1`.execute(db)
  return { columns: columns.rows, indexes: indexes.rows, versions: versions.rows }
}

/**
 * `--sql` (Alembic's offline mode) through the CLI: the script piped into psql on an empty
 * database reaches the same tables and version rows as the online run, for upgrade from base,
 * a start:end range, and a downgrade range.
 */
describe('offline --sql piped into psql', () => {
  const psql = findPsql()
  let project: string
  let online: TestDatabase
  let offline: TestDatabase
  const tsdb = (...args: string[]) => runTsdb(args, { cwd: project })

  beforeAll(async () => {
    project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    await writeFile(join(versions, '1111aaaa2222_users.ts'), revisionFileText({
      id: '1111aaaa2222', message: 'users',
      up: `await db.schema.createTable('user').addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull()).execute()
  await db.insertInto('user').values({ name: "O'Brien" }).execute()`,
      down_: `await db.schema.dropTable('user').execute()`,
    }))
    await writeFile(join(versions, '3333bbbb4444_posts.ts'), revisionFileText({
      id: '3333bbbb4444', message: 'posts', down: '1111aaaa2222',
      up: `await db.schema.createTable('post').addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('user.id').notNull()).execute()
  await db.schema.createIndex('ix_post_user_id').on('post').column('user_id').execute()`,
      down_: `await db.schema.dropTable('post').execute()`,
    }))
    online = await createTestDatabase()
    offline = await createTestDatabase()
  })

  afterAll(async () => {
    await online?.drop()
    await offline?.drop()
  })

  const psqlRun = async (url: string, script: string) => {
    if (psql === null) throw new Error('psql not found next to the PostgreSQL binaries')
    const child = run(psql, ['-v', 'ON_ERROR_STOP=1', '-q', url])
    child.child.stdin?.end(script)
    await child
  }
  const compare = async () => {
    const [a, b] = [openPostgres(online.url, 1), openPostgres(offline.url, 1)]
    try {
      const [left, right] = [await snapshot(a), await snapshot(b)]
      expect(right).toEqual(left)
      const users = await sql<{ name: string }>`select name from "user"`.execute(b)
      expect(users.rows).toEqual([{ name: "O'Brien" }])
      return left
    } finally {
      await Promise.all([a.destroy(), b.destroy()])
    }
  }

  it('upgrade --sql from base prints a psql-ready script equal in effect to the online upgrade', async () => {
    const script = await tsdb('db', 'upgrade', '--sql', '--url', offline.url)
    expect(script.code).toBe(0)
    expect(script.stdout.startsWith('BEGIN;\n')).toBe(true)
    expect(script.stdout).toContain('CREATE TABLE alembic_version')
    expect(script.stdout).toContain('-- Running upgrade  -> 1111aaaa2222')
    expect(script.stdout).toContain("INSERT INTO alembic_version (version_num) VALUES ('1111aaaa2222');")
    expect(script.stdout).toContain("UPDATE alembic_version SET version_num='3333bbbb4444' WHERE alembic_version.version_num = '1111aaaa2222';")
    expect(script.stdout.trimEnd().endsWith('COMMIT;')).toBe(true)
    // Offline mode never connects: the offline database is still empty.
    const empty = openPostgres(offline.url, 1)
    try {
      const tables = await sql`select 1 from pg_tables where schemaname = 'public'`.execute(empty)
      expect(tables.rows).toEqual([])
    } finally {
      await empty.destroy()
    }
    await psqlRun(offline.url, script.stdout)
    expect((await tsdb('db', 'upgrade', '--url', online.url)).code).toBe(0)
    const state = await compare()
    expect(state.versions).toEqual([{ version_num: '3333bbbb4444' }])
  })

  it('downgrade --sql with a start:end range reverses it the same way', async () => {
    const script = await tsdb('db', 'downgrade', '--sql', '3333bbbb4444:1111aaaa2222')
    expect(script.code).toBe(0)
    expect(script.stdout).toContain('-- Running downgrade 3333bbbb4444 -> 1111aaaa2222')
    expect(script.stdout).not.toContain('CREATE TABLE alembic_version')
    await psqlRun(offline.url, script.stdout)
    expect((await tsdb('db', 'downgrade', '--url', online.url)).code).toBe(0)
    const state = await compare()
    expect(state.versions).toEqual([{ version_num: '1111aaaa2222' }])
  })

  it('an upgrade range starting at a revision continues from there', async () => {
    const script = await tsdb('db', 'upgrade', '--sql', '1111aaaa2222:head')
    expect(script.stdout).not.toContain('-- Running upgrade  -> 1111aaaa2222')
    await psqlRun(offline.url, script.stdout)
    expect((await tsdb('db', 'upgrade', '--url', online.url)).code).toBe(0)
    await compare()
  })

  it('downgrade --sql without a range writes the script of head:-1, as Flask-Migrate', async () => {
    const script = await tsdb('db', 'downgrade', '--sql')
    expect(script.code, script.stderr).toBe(0)
    expect(script.stdout).toBe((await tsdb('db', 'downgrade', '--sql', 'head:-1')).stdout)
    expect((await tsdb('db', 'downgrade', '--sql', '--', '-1')).stdout).toBe(script.stdout)
    expect(script.stdout).toContain('-- Running downgrade 3333bbbb4444 -> 1111aaaa2222')
    expect(script.stdout).not.toContain('-- Running downgrade 1111aaaa2222')
    await psqlRun(offline.url, script.stdout)
    expect((await tsdb('db', 'downgrade', '--url', online.url)).code).toBe(0)
    const state = await compare()
    expect(state.versions).toEqual([{ version_num: '1111aaaa2222' }])
  })
})
