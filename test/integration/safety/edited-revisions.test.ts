import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, runTsdb } from '../../helpers/run-cli.js'

const ID = 'e1a2b3c4d5e6'
const FILE = `${ID}_account.ts`

const header = `/**
 * account
 *
 * Revision ID: ${ID}
 * Revises:
 * Create Date: 2026-11-21 18:24:31.081132
 */
import { sql, type Kysely } from 'kysely'

export const revision = '${ID}'
export const downRevision = null
export const branchLabels = null
export const dependsOn = null
`

const original = `${header}
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('account').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('name', 'text').execute()
  await sql\`create index account_name_idx on account (name)\`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account').execute()
}
`

/** The same SQL: other line breaks, CRLF, comments, whitespace inside the sql template. */
const reformatted = `${header}
// Reformatted by a code formatter; the SQL is the same.
export async function up(
  db: Kysely<any>,
): Promise<void> {
  await db.schema
    .createTable("account")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("name", "text")
    .execute();
  await sql\`
    create index account_name_idx
      on account ( name ) -- by name
  \`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("account").execute();
}
`.replaceAll('\n', '\r\n')

const changed = original.replace(".addColumn('name', 'text')", ".addColumn('name', 'text').addColumn('email', 'text')")

/**
 * Kysely and the CLI on both backends: only a change of the SQL a revision emits is reported. The
 * revision sends DDL only, so a run hashes what it sent and a later check renders it offline: the
 * two must agree (test/integration/runner/revision-log.test.ts covers steps a run renders).
 */
describeEachDatabase('edited revisions', (ctx) => {
  let project: string
  const run = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: ctx.url } })
  const write = (text: string) => writeFile(join(project, 'migrations', 'versions', FILE), text)
  const warning = `Warning: revision ${ID} (migrations/versions/${FILE}) was changed after it was applied: its SQL differs from what ran`

  beforeAll(async () => {
    project = await createProject()
    await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
    await mkdir(join(project, 'src'), { recursive: true })
    await writeFile(
      join(project, 'src', 'schema.ts'),
      `import { defineSchema, table, t } from 'tsdb-migrate'
export default defineSchema({
  account: table({ id: t.serial().primaryKey(), name: t.text().index() }),
})
`,
    )
    await write(original)
  })

  it('records the applied revision in tsdb_revision_log; --sql does not write it', async () => {
    const offline = await run('upgrade', '--sql')
    expect(offline.code, offline.stderr).toBe(0)
    expect(offline.stdout).not.toContain('tsdb_revision_log')
    const result = await run('upgrade')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('Warning')
    const db = ctx.kysely()
    try {
      const { rows } = await sql<{ revision: string; direction: string; sql_checksum: string; duration_ms: number }>`
        select revision, direction, sql_checksum, duration_ms from tsdb_meta.tsdb_revision_log order by id`.execute(db)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ revision: ID, direction: 'up' })
      expect(rows[0]?.sql_checksum).toMatch(/^[0-9a-f]{64}$/)
      expect(rows[0]?.duration_ms).toBeGreaterThanOrEqual(0)
    } finally {
      await ctx.closeAll()
    }
  })

  it('reformatting the TypeScript of an applied revision gives no warning', async () => {
    await write(reformatted)
    const result = await run('upgrade')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toContain('Warning')
  })

  it('changing its SQL warns on upgrade and on check, naming the file', async () => {
    await write(changed)
    const result = await run('upgrade')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain(warning)
    const checked = await run('check')
    expect(checked.stderr).toContain(warning)
  })

  it('a downgrade and upgrade of the changed revision records it anew, and the warning stops', async () => {
    const down = await run('downgrade', 'base')
    expect(down.code, down.stderr).toBe(0)
    const up = await run('upgrade')
    expect(up.code, up.stderr).toBe(0)
    const again = await run('upgrade')
    expect(again.stderr).not.toContain('Warning')
    const db = ctx.kysely()
    try {
      const { rows } = await sql<{ direction: string }>`select direction from tsdb_meta.tsdb_revision_log order by id`.execute(db)
      expect(rows.map((row) => row.direction)).toEqual(['up', 'down', 'up'])
    } finally {
      await ctx.closeAll()
    }
  })
})
