import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

const REVISIONS = 30

/**
 * Several deploys running `upgrade` at once on one database: the advisory lock (PostgreSQL) or
 * the folder lock (PGlite) makes the others wait, so every revision is applied exactly once and
 * every process exits 0.
 */
describeEachDatabase('concurrent upgrades', (ctx) => {
  let project: string
  const processes = ctx.backend === 'postgres' ? 8 : 3

  beforeAll(async () => {
    project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    for (let index = 0; index < REVISIONS; index++) {
      const id = `r${String(index).padStart(11, '0')}`
      const down = index === 0 ? null : `r${String(index - 1).padStart(11, '0')}`
      const create = index === 0
        ? "await db.schema.createTable('apply_log').addColumn('revision', 'text', (c) => c.notNull()).execute()\n  "
        : ''
      await writeFile(
        join(versions, `${id}_step_${index}.ts`),
        revisionFileText({
          id,
          message: `step ${index}`,
          down,
          up: `${create}await db.schema.createTable('t_${index}').addColumn('id', 'integer').execute()
  await db.insertInto('apply_log').values({ revision: '${id}' }).execute()`,
          down_: `await db.schema.dropTable('t_${index}').execute()`,
        }),
      )
    }
  })

  it(`applies each revision once when several processes upgrade together`, async () => {
    const results = await Promise.all(
      Array.from({ length: processes }, () => runTsdb(['db', 'upgrade'], { cwd: project, env: { DATABASE_URL: ctx.url }, spawn: true })),
    )
    for (const result of results) {
      expect(result.stderr).not.toContain('Error')
      expect(result.code).toBe(0)
    }
    // Exactly one process ran the steps; the others found nothing to do.
    const runners = results.filter((result) => result.stderr.includes('Running upgrade'))
    expect(runners).toHaveLength(1)
    const db = ctx.kysely()
    try {
      const log = await sql<{ revision: string; n: number }>`
        select revision, count(*)::int as n from apply_log group by revision order by revision`.execute(db)
      expect(log.rows).toHaveLength(REVISIONS)
      expect(log.rows.every((row) => row.n === 1)).toBe(true)
      const version = await db.selectFrom('alembic_version').select('version_num').execute()
      expect(version).toEqual([{ version_num: `r${String(REVISIONS - 1).padStart(11, '0')}` }])
    } finally {
      await ctx.closeAll()
    }
  })
})
