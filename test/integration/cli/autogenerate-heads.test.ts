import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase, type DatabaseContext } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import { createInitializedProject, tableRevision, writeFiles } from '../bad-input/catalogue.js'

/** The version table's rows, or null when there is no version table. */
async function versionRows(ctx: DatabaseContext): Promise<string[] | null> {
  try {
    const db = ctx.kysely()
    const { rows } = await sql<{ found: string | null }>`select to_regclass('alembic_version')::text as found`.execute(db)
    if (rows[0]?.found == null) return null
    const versions = await sql<{ version_num: string }>`select version_num from alembic_version order by 1`.execute(db)
    return versions.rows.map((r) => r.version_num)
  } finally {
    await ctx.closeAll()
  }
}

const declaration = (tables: readonly string[]) => `import { defineSchema, table, t } from 'tsdb-migrate'
export default defineSchema({
${tables.map((name) => `  ${name}: table({ id: t.integer().primaryKey() }),`).join('\n')}
})
`

const labelled = (id: string, down: string, name: string, label: string) =>
  `${tableRevision(id, down, name)}export const branchLabels = '${label}'\n`

/**
 * Autogenerate compares with the database as Alembic does: the database must be at every head
 * (whatever `--head` says), and a database without a version table gets the empty one.
 */
describeEachDatabase('autogenerate and the heads of the database', (ctx) => {
  let project: string
  const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: ctx.url } })

  beforeAll(async () => {
    project = await createInitializedProject()
    await writeFiles(project, { 'src/schema.ts': declaration(['a']) })
  })

  it('creates the empty version table on a database that had none (issue 17, item 10)', async () => {
    expect(await versionRows(ctx)).toBeNull()
    const result = await tsdb('migrate', '-m', 'a', '--rev-id', 'aaaa1111')
    expect(result.code, result.stderr).toBe(0)
    expect(await versionRows(ctx)).toEqual([])
  })

  it('creates none when it refuses: the database is behind the revision files', async () => {
    await sql`drop table alembic_version`.execute(ctx.kysely())
    await ctx.closeAll()
    const result = await tsdb('migrate', '-m', 'again')
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: Target database is not up to date. It is at base; the revision files end at aaaa1111: run `tsdb db upgrade` first\n',
    })
    expect(await versionRows(ctx)).toBeNull()
    expect((await tsdb('upgrade')).code).toBe(0)
  })

  it('migrate with two heads not applied: Target database is not up to date (issue 17, item 7)', async () => {
    await writeFiles(project, {
      'migrations/versions/bbbb2222_b.ts': labelled('bbbb2222', 'aaaa1111', 'b', 'left'),
      'migrations/versions/cccc3333_c.ts': labelled('cccc3333', 'aaaa1111', 'c', 'right'),
      'src/schema.ts': declaration(['a', 'b', 'c']),
    })
    const result = await tsdb('migrate', '-m', 'more')
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error: Target database is not up to date. It is at aaaa1111; the revision files end at bbbb2222, cccc3333: ' +
        'run `tsdb db upgrade heads` first\n',
    })
  })

  it('--head <label>@head at every head compares with the database', async () => {
    expect((await tsdb('upgrade', 'heads')).code).toBe(0)
    const same = await tsdb('revision', '--autogenerate', '--head', 'left@head', '-m', 'nothing')
    expect(same).toEqual({ code: 0, stdout: '', stderr: 'No changes in schema detected.\n' })
    // Plain `migrate` at two heads with nothing to write says the same, as Alembic does.
    expect(await tsdb('migrate', '-m', 'nothing')).toEqual(same)

    await writeFiles(project, { 'src/schema.ts': declaration(['a', 'b', 'c', 'd']) })
    const left = await tsdb('revision', '--autogenerate', '--head', 'left@head', '-m', 'd', '--rev-id', 'dddd4444')
    expect(left.code, left.stderr).toBe(0)
    expect(left.stderr).toBe("Detected added table 'd'\n")
    const file = await readFile(join(project, 'migrations', 'versions', 'dddd4444_d.ts'), 'utf8')
    expect(file).toContain("export const downRevision = 'bbbb2222'\n")
  })
})
