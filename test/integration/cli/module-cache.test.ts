import { chmod, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, createTableBody, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

/**
 * Revision files load through a cache of transpiled and compiled code in the project's
 * node_modules/.cache/tsdb (docs/performance.md): what the cache holds may be run, so it is
 * private to its user, and a folder anyone can write to is never used; with TSDB_CACHE=off, or a
 * file the fast path does not cover, revisions still load and run the same.
 */
describeEachDatabase('the module cache of revision files', (ctx) => {
  let project: string
  const cache = () => join(project, 'node_modules', '.cache', 'tsdb')
  const tsdb = (args: readonly string[], env: Record<string, string> = {}) =>
    runTsdb(args, { cwd: project, env: { DATABASE_URL: ctx.url, ...env } })
  const tables = async () => {
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(ctx.kysely())
    await ctx.closeAll()
    return rows.map((row) => row.name)
  }

  beforeAll(async () => {
    project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    await writeFile(join(versions, '1111aaaa2222_users.ts'), revisionFileText({ id: '1111aaaa2222', message: 'users', ...createTableBody('users') }))
    // ES-module-only syntax: this one loads through jiti, not the cached path.
    await writeFile(
      join(versions, '3333bbbb4444_posts.ts'),
      revisionFileText({ id: '3333bbbb4444', message: 'posts', down: '1111aaaa2222', ...createTableBody('posts') }).replace(
        'void sql',
        'void sql\nawait Promise.resolve(import.meta.url)',
      ),
    )
  })

  it('upgrades through the cache, written for its user alone', async () => {
    const result = await tsdb(['db', 'upgrade'])
    expect(result.stderr).toContain('Running upgrade 1111aaaa2222 -> 3333bbbb4444, posts')
    expect(result.code).toBe(0)
    expect(await tables()).toEqual(['alembic_version', 'posts', 'users'])
    for (const folder of [cache(), join(cache(), 'modules'), join(cache(), 'jiti')]) {
      expect((await stat(folder)).mode & 0o777).toBe(0o700)
    }
    const files = await readdir(join(cache(), 'modules'))
    expect(files.filter((name) => name.endsWith('.cjs'))).toHaveLength(1)
    for (const name of files) expect((await stat(join(cache(), 'modules', name))).mode & 0o777).toBe(0o600)
  })

  it('runs nothing from a cache folder that others can write to', async () => {
    const modules = join(cache(), 'modules')
    const [cached] = (await readdir(modules)).filter((name) => name.endsWith('.cjs'))
    expect(cached).toBeDefined()
    // Someone else's code under the very name the users revision is cached by.
    await writeFile(
      join(modules, cached!),
      `exports.up = async (db) => { await db.schema.createTable('planted').addColumn('id', 'integer').execute() }\n` +
        `exports.down = async (db) => { await db.schema.createTable('planted').addColumn('id', 'integer').execute() }\n`,
    )
    await chmod(modules, 0o777)
    const down = await tsdb(['db', 'downgrade', 'base'])
    expect(down.code).toBe(0)
    const up = await tsdb(['db', 'upgrade'])
    expect(up.code).toBe(0)
    expect(await tables()).toEqual(['alembic_version', 'posts', 'users'])
  })

  it('loads the same without any cache (TSDB_CACHE=off)', async () => {
    await rm(cache(), { recursive: true, force: true })
    const result = await tsdb(['db', 'downgrade', 'base'], { TSDB_CACHE: 'off' })
    expect(result.stderr).toContain('Running downgrade 1111aaaa2222 -> , users')
    expect(result.code).toBe(0)
    expect(await tables()).toEqual(['alembic_version'])
    await expect(stat(cache())).rejects.toThrow(/ENOENT/)
  })
})
