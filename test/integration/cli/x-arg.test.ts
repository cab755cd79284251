import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase, type DatabaseContext } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import { createInitializedProject, writeFiles } from '../bad-input/catalogue.js'

/** The names in `setting`, or null when there is no such table. */
async function readRows(ctx: DatabaseContext, query: string): Promise<string[] | null> {
  try {
    const db = ctx.kysely()
    const table = query.split(' from ')[1]?.split(' ')[0] ?? ''
    const { rows } = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(db)
    if (rows[0]?.found == null) return null
    return (await sql<{ v: string }>`${sql.raw(query)}`.execute(db)).rows.map((row) => row.v)
  } finally {
    await ctx.closeAll()
  }
}

// A data migration gated by `-x data=true`, as docs/commands.md shows it.
const SEED_REVISION = `/**
 * settings, seeded with -x data=true
 *
 * Revision ID: aaaa1111
 * Revises:
 */
import type { Kysely } from 'kysely'
import type { MigrationContext } from 'tsdb-migrate'

export const revision = 'aaaa1111'
export const downRevision = null

export async function up(db: Kysely<any>, { xArgs }: MigrationContext): Promise<void> {
  await db.schema.createTable('setting').addColumn('name', 'text', (c) => c.primaryKey()).execute()
  if (xArgs.data === 'true') {
    await db.insertInto('setting').values({ name: xArgs.who ?? 'default' }).execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('setting').execute()
}
`

/**
 * `-x/--x-arg key=value` (issue 17, item 3): repeatable, on migrate, revision, upgrade,
 * downgrade, stamp and check; revision files receive them (`up(db, { xArgs })`), a config written
 * as a function too, and `--sql` renders with them.
 */
describeEachDatabase('-x/--x-arg', (ctx) => {
  let project: string
  const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: ctx.url } })
  const settings = () => readRows(ctx, 'select name as v from setting order by 1')
  const versions = (table: string) => readRows(ctx, `select version_num as v from ${table} order by 1`)

  beforeAll(async () => {
    project = await createInitializedProject()
    await writeFiles(project, {
      'migrations/versions/aaaa1111_settings.ts': SEED_REVISION,
      'tsdb.config.ts': `import { defineConfig } from 'tsdb-migrate'
export default defineConfig(({ xArgs }) => ({ versionTable: xArgs.versions ?? 'alembic_version' }))
`,
      'src/schema.ts': `import { defineSchema, table, t } from 'tsdb-migrate'
export default defineSchema({ setting: table({ name: t.text().primaryKey() }) })
`,
    })
  })

  it('upgrade -x data=true runs the gated data step; without it, none', async () => {
    const seeded = await tsdb('upgrade', '-x', 'data=true', 'head')
    expect(seeded.code, seeded.stderr).toBe(0)
    expect(await settings()).toEqual(['default'])
    expect((await tsdb('downgrade', '-x', 'data=true', 'base')).code).toBe(0)
    expect(await settings()).toBeNull()
    expect((await tsdb('upgrade')).code).toBe(0)
    expect(await settings()).toEqual([])
    expect((await tsdb('downgrade', 'base')).code).toBe(0)
  })

  it('is repeatable, and the long spelling works: both values reach the revision', async () => {
    const result = await tsdb('upgrade', '--x-arg', 'data=true', '-x', 'who=susan')
    expect(result.code, result.stderr).toBe(0)
    expect(await settings()).toEqual(['susan'])
    expect((await tsdb('downgrade', 'base')).code).toBe(0)
  })

  it('--sql renders with them', async () => {
    const plain = await tsdb('upgrade', '--sql')
    const seeded = await tsdb('upgrade', '--sql', '-x', 'data=true', '-x', 'who=john')
    expect(seeded.code, seeded.stderr).toBe(0)
    expect(plain.stdout).not.toContain('insert into')
    expect(seeded.stdout).toContain(`insert into "setting" ("name") values ('john');`)
  })

  it('a config written as a function reads them: upgrade, stamp, check and migrate use its version table', async () => {
    // The runs above made alembic_version; with another version table it would be a table of the app.
    await sql`drop table alembic_version`.execute(ctx.kysely())
    await ctx.closeAll()
    const upgrade = await tsdb('upgrade', '-x', 'versions=tenant_versions')
    expect(upgrade.code, upgrade.stderr).toBe(0)
    expect(await versions('tenant_versions')).toEqual(['aaaa1111'])
    expect(await versions('alembic_version')).toBeNull()

    const check = await tsdb('check', '-x', 'versions=tenant_versions')
    expect(check).toEqual({ code: 0, stdout: 'No new upgrade operations detected.\n', stderr: '' })
    expect((await tsdb('check')).stderr).toMatch(/^Error: Target database is not up to date\. It is at base;/)
    const migrate = await tsdb('migrate', '-x', 'versions=tenant_versions', '-m', 'nothing')
    expect(migrate).toEqual({ code: 0, stdout: '', stderr: 'No changes in schema detected.\n' })
    const revision = await tsdb('revision', '--autogenerate', '-x', 'versions=tenant_versions', '-m', 'nothing')
    expect(revision).toEqual(migrate)

    const stamp = await tsdb('stamp', '-x', 'versions=tenant_versions', 'base')
    expect(stamp.code, stamp.stderr).toBe(0)
    expect(await versions('tenant_versions')).toEqual([])
  })
})
