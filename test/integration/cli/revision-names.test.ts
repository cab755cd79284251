import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, runTsdb } from '../../helpers/run-cli.js'

/** Issue 19 item 8: the longest `--rev-id` the version column holds is written and applied. */
describeEachDatabase('revision ids at the version column limit', (ctx) => {
  it('writes a revision with a 32-character --rev-id, and upgrade records it', async () => {
    const project = await createProject()
    const env = { DATABASE_URL: ctx.url }
    expect((await runTsdb(['db', 'init'], { cwd: project, env })).code).toBe(0)
    const id = `rev_${'a'.repeat(28)}`
    const written = await runTsdb(['db', 'revision', '-m', 'long id', '--rev-id', id], { cwd: project, env })
    expect(written.code, written.stderr).toBe(0)
    expect(await readdir(join(project, 'migrations', 'versions'))).toEqual([`${id}_long_id.ts`])
    const upgraded = await runTsdb(['db', 'upgrade'], { cwd: project, env })
    expect(upgraded.code, upgraded.stderr).toBe(0)
    const db = ctx.kysely()
    expect(await db.selectFrom('alembic_version').select('version_num').execute()).toEqual([{ version_num: id }])
  })
})
