import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase, type DatabaseContext } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import { createInitializedProject, tableRevision, writeFiles } from '../bad-input/catalogue.js'

/** The version rows in the order a plain SELECT returns them (Alembic's order), and the tables. */
async function stateOf(ctx: DatabaseContext): Promise<{ rows: string[]; tables: string[] }> {
  try {
    const db = ctx.kysely()
    const rows = await sql<{ version_num: string }>`select version_num from alembic_version`.execute(db)
    const tables = await sql<{ relname: string }>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname in ('a', 'f', 'b') order by 1`.execute(db)
    return { rows: rows.rows.map((r) => r.version_num), tables: tables.rows.map((r) => r.relname) }
  } finally {
    await ctx.closeAll()
  }
}

/**
 *   aaaa0000 <- ffff1111
 *            <- bbbb2222
 * Upgraded to ffff1111 first, then to bbbb2222: the version table's first row is ffff1111,
 * although bbbb2222 sorts first. `downgrade` (-1) reverts the branch of the first row, as
 * Alembic does, with Alembic's warning on stderr.
 */
describeEachDatabase('downgrade -1 with several heads applied', (ctx) => {
  let project: string
  const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: ctx.url } })

  beforeAll(async () => {
    project = await createInitializedProject()
    await writeFiles(project, {
      'migrations/versions/aaaa0000_a.ts': tableRevision('aaaa0000', null, 'a'),
      'migrations/versions/ffff1111_f.ts': tableRevision('ffff1111', 'aaaa0000', 'f'),
      'migrations/versions/bbbb2222_b.ts': tableRevision('bbbb2222', 'aaaa0000', 'b'),
    })
    await ctx.closeAll()
    for (const target of ['ffff1111', 'bbbb2222']) {
      const result = await tsdb('upgrade', target)
      expect(result.code, result.stderr).toBe(0)
    }
    expect(await stateOf(ctx)).toEqual({ rows: ['ffff1111', 'bbbb2222'], tables: ['a', 'b', 'f'] })
  })

  it('reverts the first row\'s head and warns', async () => {
    const current = await tsdb('current')
    expect(current.stdout).toBe('bbbb2222 (head)\nffff1111 (head)\n')

    const result = await tsdb('downgrade')
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'Warning: downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release. ' +
        "Reverting from ffff1111, the version table's first row; name the branch to choose, e.g. `tsdb db downgrade ffff1111@-1`.\n" +
        'Running downgrade ffff1111 -> aaaa0000, create f\n',
    })
    expect(await stateOf(ctx)).toEqual({ rows: ['bbbb2222'], tables: ['a', 'b'] })
  })
})
