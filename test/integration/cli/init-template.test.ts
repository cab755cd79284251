import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createProject, runTsdb } from '../../helpers/run-cli.js'

/** `init -t/--template` and `init --multidb` as Flask-Migrate spells them (issue 17, item 4). */
describe('init -t and --multidb', () => {
  const init = async (...args: string[]) => {
    const project = await createProject()
    const before = await readdir(project)
    const result = await runTsdb(['db', 'init', ...args], { cwd: project })
    return { result, project, before }
  }

  it.each([['--multidb'], ['-t', 'multidb'], ['--template', 'flask-multidb']])('%s creates the multidb folder and a config with binds', async (...args) => {
    const { result, project } = await init(...args)
    expect(result.code, result.stderr).toBe(0)
    expect((await readdir(join(project, 'migrations'))).sort()).toEqual(['README', 'script.ts.tmpl', 'versions'])
    expect(await readFile(join(project, 'tsdb.config.ts'), 'utf8')).toContain("users: { url: 'pglite:.tsdb/users', schema: 'src/users-schema.ts' }")
  })

  it('-t flask (Flask-Migrate\'s default template) creates the generic folder', async () => {
    const { result, project } = await init('-t', 'flask')
    expect(result.code, result.stderr).toBe(0)
    expect((await readdir(join(project, 'migrations'))).sort()).toEqual(['README', 'script.ts.tmpl', 'versions'])
  })
})
