import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import { beforeAll, beforeEach, expect, it } from 'vitest'
import { describeEachDatabase, type DatabaseContext } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import { createInitializedProject, tableRevision, USAGE_HINT, writeFiles } from '../bad-input/catalogue.js'

/** The chain t1 <- t2 <- t3 <- t4 <- t5, each revision creating the table of its name. */
const CHAIN = ['dddd0001', 'dddd0002', 'dddd0003', 'dddd0004', 'dddd0005'] as const

/** The version rows and the chain's tables that exist, read back from the database. */
async function stateOf(ctx: DatabaseContext): Promise<{ versions: string[]; tables: string[] }> {
  try {
    const db = ctx.kysely()
    const versions = await sql<{ version_num: string }>`select version_num from alembic_version order by 1`.execute(db)
    const tables = await sql<{ relname: string }>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname like 't_' order by 1`.execute(db)
    return { versions: versions.rows.map((r) => r.version_num), tables: tables.rows.map((r) => r.relname) }
  } finally {
    await ctx.closeAll()
  }
}

/** The state of a database at the chain's n-th revision (0: base). */
const at = (n: number) => ({ versions: n === 0 ? [] : [CHAIN[n - 1]], tables: CHAIN.slice(0, n).map((_, i) => `t${i + 1}`) })

/**
 * Everything after `--` is positional, as Flask-Migrate (Click) reads it: `downgrade -- -2` is
 * the target -2, and `-- --sql` is a target, never the option. Whatever no positional takes is a
 * usage error before the database is touched.
 */
describeEachDatabase('arguments after --', (ctx) => {
  let project: string
  const tsdb = (...args: string[]) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: ctx.url } })

  beforeAll(async () => {
    project = await createInitializedProject()
    await writeFiles(
      project,
      Object.fromEntries(CHAIN.map((id, i) => [`migrations/versions/${id}_t${i + 1}.ts`, tableRevision(id, CHAIN[i - 1] ?? null, `t${i + 1}`)])),
    )
  })

  // Every test starts at the head. Most leave the database there, and then the upgrade (a CLI
  // run, which on PGlite opens the database) is skipped; before the first, no version table.
  beforeEach(async () => {
    if (isDeepStrictEqual(await stateOf(ctx).catch(() => null), at(5))) return
    const result = await tsdb('upgrade', 'heads')
    expect(result.code, result.stderr).toBe(0)
    expect(await stateOf(ctx)).toEqual(at(5))
  })

  it('downgrade -- -2 goes down two steps', async () => {
    const result = await tsdb('downgrade', '--', '-2')
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Running downgrade dddd0005 -> dddd0004, create t5\nRunning downgrade dddd0004 -> dddd0003, create t4\n',
    })
    expect(await stateOf(ctx)).toEqual(at(3))
  })

  it('downgrade -- base reverts everything', async () => {
    const result = await tsdb('downgrade', '--', 'base')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.trim().split('\n')).toHaveLength(5)
    expect(result.stderr).toContain('Running downgrade dddd0001 -> , create t1\n')
    expect(await stateOf(ctx)).toEqual(at(0))
  })

  it('downgrade -- -5 reverts all five', async () => {
    const result = await tsdb('downgrade', '--', '-5')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr.trim().split('\n')).toHaveLength(5)
    expect(await stateOf(ctx)).toEqual(at(0))
  })

  it('upgrade -- <rev> stops at that revision', async () => {
    expect((await tsdb('downgrade', 'base')).code).toBe(0)
    const result = await tsdb('upgrade', '--', 'dddd0002')
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Running upgrade  -> dddd0001, create t1\nRunning upgrade dddd0001 -> dddd0002, create t2\n',
    })
    expect(await stateOf(ctx)).toEqual(at(2))
  })

  it('downgrade -- --sql is the target --sql, an unknown revision, and runs nothing', async () => {
    const result = await tsdb('downgrade', '--', '--sql')
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^Error: Can't locate revision identified by '--sql'\. Run `tsdb db history`.*\n$/)
    expect(await stateOf(ctx)).toEqual(at(5))
  })

  it('an option before -- still counts: downgrade --sql -- dddd0005:dddd0003 prints the script only', async () => {
    const result = await tsdb('downgrade', '--sql', '--', 'dddd0005:dddd0003')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('-- Running downgrade dddd0005 -> dddd0004')
    expect(result.stdout).toContain('-- Running downgrade dddd0004 -> dddd0003')
    expect(await stateOf(ctx)).toEqual(at(5))
  })

  for (const [args, extra] of [
    [['downgrade', '-1', '--', '-2'], ' (-2)'],
    [['downgrade', '--', '-1', 'base'], ' (base)'],
    [['upgrade', '--', 'head', '--sql'], ' (--sql)'],
    [['current', '--', 'x'], ' (x)'],
    [['stamp', '--', 'base', 'x', 'y'], 's (x y)'],
  ] as const) {
    it(`${args.join(' ')} is a usage error and changes nothing`, async () => {
      const result = await tsdb(...args)
      expect(result).toEqual({ code: 2, stdout: '', stderr: `Error: Got unexpected extra argument${extra}\n${USAGE_HINT}\n` })
      expect(await stateOf(ctx)).toEqual(at(5))
    })
  }

  it('too many positionals without -- are a usage error too', async () => {
    const result = await tsdb('downgrade', 'base', 'extra')
    expect(result).toEqual({ code: 2, stdout: '', stderr: `Error: Unknown argument: extra\n${USAGE_HINT}\n` })
    expect(await stateOf(ctx)).toEqual(at(5))
  })
})
