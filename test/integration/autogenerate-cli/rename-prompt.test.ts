import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createProject, repoRoot, runTsdb, type CliResult } from '../../helpers/run-cli.js'
import { writeSchema } from './project.js'

const shellQuote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`

/**
 * Runs the real bin on a pseudo terminal (util-linux `script`), typing `input`: the only way to
 * see what a user at a terminal sees. The output is the terminal's (stdout and stderr together).
 */
function runOnTerminal(args: readonly string[], options: { cwd: string; env: Record<string, string>; input: string }): Promise<CliResult> {
  const command = [process.execPath, join(repoRoot, 'bin', 'tsdb.js'), ...args].map(shellQuote).join(' ')
  const { CI: _ci, ...env } = process.env
  return new Promise((done, fail) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: options.cwd,
      env: { ...env, NO_COLOR: '1', DATABASE_URL: undefined, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ stdout: stripVTControlCharacters(stdout).replaceAll('\r', ''), stderr, code: code ?? 1 }))
    child.stdin.end(options.input)
  })
}

/**
 * The rename question on a terminal (DESIGN §6: never guessed; asked when a person is there).
 * The prompt's wiring does not depend on the database, so this runs on PostgreSQL only.
 */
describeEachDatabase(
  'migrate asks about renames on a terminal',
  (ctx) => {
    let project: string
    const env = () => ({ DATABASE_URL: ctx.url })
    const generatedPath = (output: string): string => {
      const match = /Generating (\S+) \.\.\. {2}done/.exec(output)
      expect(match, output).not.toBeNull()
      return match![1]!
    }

    beforeAll(async () => {
      project = await createProject()
      expect((await runTsdb(['db', 'init'], { cwd: project, env: env() })).code).toBe(0)
      await writeSchema(project, '  user: table({ id: t.serial().primaryKey(), mail: t.varchar(120).notNull() }),')
      expect((await runTsdb(['db', 'migrate', '-m', 'users'], { cwd: project, env: env() })).code).toBe(0)
      expect((await runTsdb(['db', 'upgrade'], { cwd: project, env: env() })).code).toBe(0)
      await writeSchema(project, '  user: table({ id: t.serial().primaryKey(), email: t.varchar(120).notNull() }),')
    })

    it('answering y makes a rename', async () => {
      const result = await runOnTerminal(['db', 'migrate', '-m', 'email'], { cwd: project, env: env(), input: 'y\n' })
      expect(result.code, result.stdout).toBe(0)
      expect(result.stdout).toContain('Did you rename `user.mail` to `user.email`? [y/N] ')
      expect(result.stdout).toContain("Detected renamed column 'user.mail' to 'email'\n")
      const path = generatedPath(result.stdout)
      expect(await readFile(path, 'utf8')).toContain(".renameColumn('mail', 'email')")
      await rm(path)
    })

    it('answering n (or just Enter) keeps the drop and the add', async () => {
      const result = await runOnTerminal(['db', 'migrate', '-m', 'email'], { cwd: project, env: env(), input: '\n' })
      expect(result.code, result.stdout).toBe(0)
      expect(result.stdout).toContain('Did you rename `user.mail` to `user.email`? [y/N] ')
      expect(result.stdout).toContain("Detected removed column 'user.mail'\nDetected added column 'user.email'\n")
      const path = generatedPath(result.stdout)
      const text = await readFile(path, 'utf8')
      expect(text).not.toContain('renameColumn')
      expect(text).toContain(".dropColumn('mail')")
      await rm(path)
    })

    it('without a terminal nothing is asked: a warning names --rename', async () => {
      const result = await runTsdb(['db', 'migrate', '-m', 'email'], { cwd: project, env: { ...env(), CI: undefined } })
      expect(result.code).toBe(0)
      expect(result.stderr).not.toContain('Did you rename')
      expect(result.stderr).toContain('use --rename user.mail:email or renamedFrom')
      await rm(generatedPath(result.stdout))
    })
  },
  ['postgres'],
)
