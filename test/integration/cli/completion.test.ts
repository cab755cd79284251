/**
 * `tsdb completion`: the script it prints is loaded into a real bash, whose completion function
 * is called as bash calls it on TAB; the zsh script's call is made with zsh's environment. The
 * candidates are commands, options, and the revision ids and branch labels of the project's files.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProject, repoRoot, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

const ROOT = 'aaaa11112222'
const CHILD = 'bbbb33334444'
let project: string
let binDir: string

beforeAll(async () => {
  project = await createProject()
  const versions = join(project, 'migrations', 'versions')
  await mkdir(versions, { recursive: true })
  await writeFile(join(versions, `${ROOT}_users.ts`), revisionFileText({ id: ROOT, message: 'users', branchLabels: 'accounts', up: '' }))
  // Completion reads headers only: a module that throws when it runs must not matter.
  await writeFile(
    join(versions, `${CHILD}_posts.ts`),
    `${revisionFileText({ id: CHILD, message: 'posts', down: ROOT, up: '' })}\nthrow new Error('a revision module ran')\n`,
  )
  // The scripts call `tsdb` from PATH, as after `npm install -g tsdb-migrate`.
  binDir = await mkdtemp(join(tmpdir(), 'tsdb-bin-'))
  await writeFile(join(binDir, 'tsdb'), `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin', 'tsdb.js')}" "$@"\n`)
  await chmod(join(binDir, 'tsdb'), 0o755)
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
  await rm(binDir, { recursive: true, force: true })
})

function run(file: string, args: readonly string[], env: Record<string, string>): Promise<string> {
  return new Promise((done, fail) => {
    execFile(file, args, { cwd: project, env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}`, NO_COLOR: '1', ...env } }, (error, stdout, stderr) =>
      error === null ? done(stdout) : fail(new Error(`${file} failed: ${stderr}`)),
    )
  })
}

describe('bash', () => {
  let script: string
  beforeAll(async () => {
    const result = await runTsdb(['completion'], { cwd: project, env: { SHELL: '/bin/bash' } })
    expect(result.code).toBe(0)
    script = result.stdout
    expect(script).toContain('complete -o bashdefault -o default -F _tsdb_yargs_completions tsdb')
  })

  /** What bash offers on TAB after `words` (the last word is the one being completed). */
  const complete = (...words: string[]) =>
    run(
      'bash',
      [
        '-c',
        `eval "$SCRIPT"
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_tsdb_yargs_completions
printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { SCRIPT: script, SHELL: '/bin/bash' },
    ).then((out) => out.split('\n').filter((line) => line !== ''))

  it('completes the top-level commands and the db commands', async () => {
    expect(await complete('tsdb', '')).toEqual(expect.arrayContaining(['db', 'completion']))
    expect(await complete('tsdb', 'db', 'up')).toEqual(['upgrade'])
    expect(await complete('tsdb', 'db', 'he')).toEqual(['heads'])
  })

  it("completes a command's options", async () => {
    expect(await complete('tsdb', 'db', 'upgrade', '--sq')).toEqual(['--sql'])
    expect(await complete('tsdb', 'db', 'history', '--indicate')).toEqual(['--indicate-current'])
  })

  it('completes revision ids, branch labels and target symbols from the versions folder', async () => {
    expect((await complete('tsdb', 'db', 'upgrade', '')).sort()).toEqual(
      ['accounts', 'accounts@head', ROOT, CHILD, 'base', 'head', 'heads'].sort(),
    )
    expect(await complete('tsdb', 'db', 'downgrade', 'aa')).toEqual([ROOT])
    expect(await complete('tsdb', 'db', 'show', 'acc')).toEqual(['accounts', 'accounts@head'])
    // `current` takes no revision: nothing of the project's is offered.
    expect(await complete('tsdb', 'db', 'current', 'a')).toEqual([])
  })
})

describe('zsh', () => {
  it('prints the zsh script when $SHELL is zsh', async () => {
    const result = await runTsdb(['completion'], { cwd: project, env: { SHELL: '/usr/bin/zsh' } })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^#compdef tsdb$/m)
    expect(result.stdout).toContain('tsdb --get-yargs-completions "${words[@]}"')
  })

  it("answers the script's call with described commands and the project's revisions", async () => {
    // The call the zsh script makes on `tsdb db upgrade <TAB>`: its words, with zsh's variables.
    const zshEnv = { SHELL: '/usr/bin/zsh', COMP_CWORD: '3', COMP_LINE: 'tsdb db upgrade ', COMP_POINT: '16' }
    const commands = (await run('tsdb', ['--get-yargs-completions', 'tsdb', 'db', ''], zshEnv)).split('\n')
    expect(commands).toContain('upgrade:Upgrade to a later version')
    const revisions = (await run('tsdb', ['--get-yargs-completions', 'tsdb', 'db', 'upgrade', ''], zshEnv)).split('\n')
    expect(revisions).toEqual(expect.arrayContaining([ROOT, CHILD, 'accounts', 'head']))
  })
})
