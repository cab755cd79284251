/**
 * The repository's top-level migrations/ are the demo's revisions, written by `tsdb db migrate`
 * from demo/schema.ts (tsdb.config.ts at the root points there). They must still match it.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { repoRoot, runTsdb } from '../../helpers/run-cli.js'

describeEachDatabase('the checked-in demo revisions', (ctx) => {
  const tsdb = (...args: string[]) => runTsdb(['db', ...args, '--url', ctx.url], { cwd: repoRoot })

  it('are the two steps of the walk-through', async () => {
    const files = (await readdir(join(repoRoot, 'migrations', 'versions'))).filter((name) => name.endsWith('.ts')).sort()
    expect(files.map((name) => name.replace(/^[0-9a-f]{12}_/, '')).sort()).toEqual(['posts_table.ts', 'users_table.ts'])
    const history = await runTsdb(['db', 'history'], { cwd: repoRoot })
    expect(history.code).toBe(0)
    expect(history.stdout).toMatch(/^[0-9a-f]{12} -> [0-9a-f]{12} \(head\), posts table\n<base> -> [0-9a-f]{12}, users table\n$/)
  })

  it('upgrade a fresh database to exactly demo/schema.ts: check is clean', async () => {
    const upgrade = await tsdb('upgrade')
    expect(upgrade.stderr).toContain(', users table')
    expect(upgrade.stderr).toContain(', posts table')
    expect(upgrade.code).toBe(0)
    const check = await tsdb('check')
    expect(check.stdout + check.stderr).toContain('No new upgrade operations detected.')
    expect(check.code).toBe(0)
  })

  it('downgrade base removes everything, and upgrade builds it again', async () => {
    const down = await tsdb('downgrade', 'base')
    expect(down.code).toBe(0)
    expect(down.stderr).toMatch(/Running downgrade [0-9a-f]{12} -> , users table/)
    const current = await tsdb('current')
    expect(current).toMatchObject({ code: 0, stdout: '' })
    const check = await tsdb('check')
    expect(check.code).toBe(1)

    const up = await tsdb('upgrade')
    expect(up.code).toBe(0)
    expect((await tsdb('current')).stdout).toMatch(/^[0-9a-f]{12} \(head\)\n$/)
    expect((await tsdb('check')).code).toBe(0)
  })
})
