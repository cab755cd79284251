import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createProject, runTsdb } from '../../helpers/run-cli.js'

const MULTIDB_REFUSED =
  'Error: Multiple databases (init --multidb, the multidb template) are not supported yet: tsdb migrates one database per ' +
  'config. Run `tsdb db init` (the generic template), and keep each further database in a project folder of its own ' +
  'with its own tsdb config\n'

/** `init -t/--template` and `init --multidb` as Flask-Migrate spells them (issue 17, item 4). */
describe('init -t and --multidb', () => {
  const init = async (...args: string[]) => {
    const project = await createProject()
    const before = await readdir(project)
    const result = await runTsdb(['db', 'init', ...args], { cwd: project })
    return { result, project, before }
  }

  it.each([['--multidb'], ['-t', 'multidb'], ['--template', 'flask-multidb']])('%s is refused in one line, creating nothing', async (...args) => {
    const { result, project, before } = await init(...args)
    expect(result).toEqual({ code: 1, stdout: '', stderr: MULTIDB_REFUSED })
    expect(await readdir(project)).toEqual(before)
  })

  it('-t flask (Flask-Migrate\'s default template) creates the generic folder', async () => {
    const { result, project } = await init('-t', 'flask')
    expect(result.code, result.stderr).toBe(0)
    expect((await readdir(join(project, 'migrations'))).sort()).toEqual(['README', 'script.ts.tmpl', 'versions'])
  })
})
