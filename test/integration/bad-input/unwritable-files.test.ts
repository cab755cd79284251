import { execFile } from 'node:child_process'
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../helpers/databases.js'
import { findUnprivilegedOsUser } from '../../helpers/postgres-server.js'
import { createProject, repoRoot, runTsdb, type CliResult } from '../../helpers/run-cli.js'
import { tableRevision, writeFiles } from './catalogue.js'

/**
 * Files tsdb cannot write (issue 19, item 6): one line that names the file and what to do,
 * exit 1, no stack trace, and nothing half-written. The CLI runs as a user other than root,
 * for whom a folder's permissions are real.
 */
const run = promisify(execFile)
let user: { uid: number; gid: number } | null
let database: TestDatabase
let closeCheckout: () => Promise<void> = async () => {}

beforeAll(async () => {
  user = await findUnprivilegedOsUser()
  if (user !== null) closeCheckout = await openForTraversal(repoRoot)
  database = await createTestDatabase()
})
afterAll(async () => {
  await closeCheckout()
  await database.drop()
})

/**
 * The CLI's user must reach this checkout's bin/, dist/ and node_modules/. A checkout inside a
 * folder only root may enter (`git clone . "$(mktemp -d)"` makes one) gets the search bit for
 * others (enter, not list) on each such folder while this file runs; the modes are put back after.
 */
async function openForTraversal(dir: string): Promise<() => Promise<void>> {
  const opened: { readonly path: string; readonly mode: number }[] = []
  for (let path = dir; ; path = dirname(path)) {
    const mode = (await stat(path)).mode & 0o7777
    if ((mode & 0o001) === 0) {
      await chmod(path, mode | 0o001)
      opened.push({ path, mode })
    }
    if (dirname(path) === path) break
  }
  return async () => {
    for (const { path, mode } of opened) await chmod(path, mode)
  }
}

/** A project owned by the user the CLI runs as, with two heads (one with `isOneHead`) and a schema declaration. */
async function createUserProject(options: { isOneHead?: boolean } = {}): Promise<string> {
  const project = await createProject()
  await writeFiles(project, {
    'migrations/versions/aaaa1111_a.ts': tableRevision('aaaa1111', null, 'a'),
    'migrations/versions/bbbb2222_b.ts': tableRevision('bbbb2222', options.isOneHead === true ? 'aaaa1111' : null, 'b'),
    'src/schema.ts': "import { defineSchema, table, t } from 'tsdb-migrate'\nexport default defineSchema({ c: table({ id: t.integer().primaryKey() }) })\n",
  })
  if (user !== null) await run('chown', ['-R', `${user.uid}:${user.gid}`, project])
  return project
}

function expectOneErrorLine(result: CliResult, line: string): void {
  const context = `exit ${result.code}\nstderr:\n${result.stderr}\nstdout:\n${result.stdout}`
  expect(result.code, context).toBe(1)
  expect(result.stderr, context).not.toMatch(/^\s+at /m)
  expect(result.stderr.split('\n').filter((l) => l.startsWith('Error')), context).toEqual([`Error: ${line}`])
}

const runAsUser = (project: string, args: readonly string[]) =>
  runTsdb(['db', ...args], { cwd: project, user, env: { DATABASE_URL: database.url } })

describe('a versions folder tsdb may not write', () => {
  let project: string
  beforeAll(async () => {
    project = await createUserProject()
    await chmod(join(project, 'migrations', 'versions'), 0o555)
  })

  const fix = 'permission denied; check the permissions of migrations/versions, or choose another migrations folder with -d/--directory'
  const cases: readonly (readonly [string, readonly string[], string])[] = [
    ['revision', ['revision', '-m', 'x', '--head', 'aaaa1111', '--rev-id', 'cccc3333'], `Can't write migrations/versions/cccc3333_x.ts: ${fix}`],
    ['merge', ['merge', 'heads', '-m', 'join', '--rev-id', 'dddd4444'], `Can't write migrations/versions/dddd4444_join.ts: ${fix}`],
    [
      'revision --version-path to a new folder',
      ['revision', '-m', 'x', '--head', 'aaaa1111', '--version-path', 'migrations/versions/more'],
      `Can't create folder migrations/versions/more: ${fix}`,
    ],
  ]
  for (const [name, args, line] of cases) {
    it(name, async () => {
      expectOneErrorLine(await runAsUser(project, args), line)
      expect((await readdir(join(project, 'migrations', 'versions'))).sort()).toEqual(['aaaa1111_a.ts', 'bbbb2222_b.ts'])
    })
  }

  it('migrate (autogenerate)', async () => {
    const project = await createUserProject({ isOneHead: true })
    expect((await runAsUser(project, ['upgrade'])).code).toBe(0)
    await chmod(join(project, 'migrations', 'versions'), 0o555)
    const result = await runAsUser(project, ['migrate', '-m', 'add c', '--rev-id', 'eeee5555'])
    expectOneErrorLine(result, `Can't write migrations/versions/eeee5555_add_c.ts: ${fix}`)
    expect((await readdir(join(project, 'migrations', 'versions'))).sort()).toEqual(['aaaa1111_a.ts', 'bbbb2222_b.ts'])
  })
})

describe('a versions folder or revision file tsdb may not read', () => {
  it('heads with an unreadable versions folder', async () => {
    const project = await createUserProject()
    await chmod(join(project, 'migrations', 'versions'), 0o000)
    expectOneErrorLine(
      await runAsUser(project, ['heads']),
      "Can't read migrations/versions: permission denied; check its permissions, or choose another migrations folder with -d/--directory",
    )
  })

  it('revision with an unreadable revision file', async () => {
    const project = await createUserProject()
    await chmod(join(project, 'migrations', 'versions', 'bbbb2222_b.ts'), 0o000)
    expectOneErrorLine(
      await runAsUser(project, ['revision', '-m', 'x', '--head', 'aaaa1111', '--rev-id', 'cccc3333']),
      "Can't read migrations/versions/bbbb2222_b.ts: permission denied; check its permissions, or choose another migrations folder with -d/--directory",
    )
    expect((await readdir(join(project, 'migrations', 'versions'))).sort()).toEqual(['aaaa1111_a.ts', 'bbbb2222_b.ts'])
  })
})

describe('init where the folder may not be written', () => {
  it('in a project folder tsdb may not write: nothing is created', async () => {
    const project = await createUserProject()
    const parent = join(project, 'app')
    await mkdir(parent)
    if (user !== null) await run('chown', [`${user.uid}:${user.gid}`, parent])
    await chmod(parent, 0o555)
    const result = await runTsdb(['db', 'init'], { cwd: parent, user })
    expectOneErrorLine(result, `Can't create folder migrations: permission denied; check the permissions of ${parent}, or choose another folder with -d/--directory`)
    expect(await readdir(parent)).toEqual([])
  })

  it('with -d in a writable folder but no room for the config file: the scaffold is removed again', async () => {
    const project = await createUserProject()
    const parent = join(project, 'app')
    await mkdir(join(parent, 'db'), { recursive: true })
    if (user !== null) await run('chown', ['-R', `${user.uid}:${user.gid}`, parent])
    await chmod(parent, 0o555)
    const result = await runTsdb(['db', 'init', '-d', 'db/deep/migrations'], { cwd: parent, user })
    expectOneErrorLine(result, `Can't write tsdb.config.ts: permission denied; check the permissions of ${parent}`)
    expect(await readdir(parent)).toEqual(['db'])
    expect(await readdir(join(parent, 'db'))).toEqual([])
  })
})

describe('a file where a folder must be', () => {
  it('revision --version-path under a file', async () => {
    const project = await createUserProject()
    await writeFile(join(project, 'migrations', 'versions', 'more'), '')
    const result = await runAsUser(project, ['revision', '-m', 'x', '--head', 'aaaa1111', '--version-path', 'migrations/versions/more/deeper'])
    expectOneErrorLine(
      result,
      "Can't create folder migrations/versions/more/deeper: migrations/versions/more is a file, not a folder; move that file away, or choose another migrations folder with -d/--directory",
    )
    expect((await readdir(join(project, 'migrations', 'versions'))).sort()).toEqual(['aaaa1111_a.ts', 'bbbb2222_b.ts', 'more'])
  })
})
