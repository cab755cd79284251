import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { revisionFileText } from '../../helpers/run-cli.js'
import { useSafetyProject } from './safety-project.js'

/**
 * A revision file that no longer compiles is found before anything runs: by `check` even when the
 * revision was applied long ago, and by `upgrade`/`downgrade` when they would run it later.
 */
describe('a revision file that does not compile [postgres]', () => {
  const { versions, run, versionRows, tableExists } = useSafetyProject()
  const table = (id: string, down: string | null) =>
    revisionFileText({ id, message: id, down, up: `await db.schema.createTable('t_${id}').addColumn('id', 'integer').execute()`, down_: `await db.schema.dropTable('t_${id}').execute()` })
  const broken = (id: string, down: string | null) =>
    `export const revision = '${id}'\nexport const downRevision = ${down === null ? 'null' : `'${down}'`}\nexport async function up(db) { await db.schema.createTable('x'). }\n`
  const expectOneError = (stderr: string, file: string) => {
    const errors = stderr.split('\n').filter((line) => line.startsWith('Error'))
    expect(errors, stderr).toHaveLength(1)
    expect(errors[0]).toMatch(new RegExp(`${file}: the revision file failed to load: .*\\(line 3, column \\d+\\); fix the file`))
  }

  beforeAll(async () => {
    await writeFile(join(versions, 'f00000000001_a.ts'), table('f00000000001', null))
    await writeFile(join(versions, 'f00000000002_b.ts'), table('f00000000002', 'f00000000001'))
    const first = await run('upgrade')
    expect(first.code, first.stderr).toBe(0)
    // Applied long ago, then broken by an edit.
    await writeFile(join(versions, 'f00000000001_a.ts'), broken('f00000000001', null))
  })

  it('check fails on an applied revision that no longer compiles', async () => {
    const result = await run('check')
    expect(result.code).toBe(1)
    expectOneError(result.stderr, 'f00000000001_a\\.ts')
  })

  it('upgrade loads every file it will run before running the first', async () => {
    await writeFile(join(versions, 'f00000000003_c.ts'), table('f00000000003', 'f00000000002'))
    await writeFile(join(versions, 'f00000000004_d.ts'), broken('f00000000004', 'f00000000003'))
    const result = await run('upgrade')
    expect(result.code).toBe(1)
    expectOneError(result.stderr, 'f00000000004_d\\.ts')
    expect(result.stderr).not.toContain('Running upgrade')
    expect(await tableExists('t_f00000000003')).toBe(false)
    expect(await versionRows()).toEqual(['f00000000002'])
  })

  it('downgrade loads every file it will run before running the first', async () => {
    const result = await run('downgrade', 'base')
    expect(result.code).toBe(1)
    expectOneError(result.stderr, 'f00000000001_a\\.ts')
    expect(result.stderr).not.toContain('Running downgrade')
    expect(await tableExists('t_f00000000002')).toBe(true)
    expect(await versionRows()).toEqual(['f00000000002'])
  })
})
