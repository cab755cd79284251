import { execFile } from 'node:child_process'
import { chmod, lstat, mkdir, readdir, symlink, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { createProject, createTableBody, repoRoot, revisionFileText, type CliResult } from '../../helpers/run-cli.js'

/**
 * Issue 19 item 5: the embedded database's folder and files are owner-only (0700 folders, 0600
 * files), as initdb makes a data folder, whatever the umask of the user running tsdb.
 */
function runTsdbWithUmask(umask: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      '/bin/sh',
      ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, join(repoRoot, 'bin', 'tsdb.js'), ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true', DATABASE_URL: undefined } },
      (error, stdout, stderr) => done({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 }),
    )
  })
}

/** Every path under `root` (itself included) whose mode lets group or others in, with that mode. */
async function looseEntries(root: string): Promise<readonly string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  const paths = [root, ...entries.map((entry) => join(entry.parentPath, entry.name))]
  const loose: string[] = []
  for (const path of paths) {
    const { mode } = await lstat(path)
    if ((mode & 0o077) !== 0) loose.push(`${(mode & 0o777).toString(8)} ${relative(root, path) || '.'}`)
  }
  return loose
}

describe('the embedded database folder is owner-only', () => {
  let project: string
  beforeEach(async () => {
    project = await createProject()
    await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
    await writeFile(
      join(project, 'migrations', 'versions', 'aaaa0001_users.ts'),
      revisionFileText({ id: 'aaaa0001', message: 'users', ...createTableBody('users') }),
    )
  })

  it.each(['022', '000'])('after the first command on a new folder, under umask %s', async (umask) => {
    const result = await runTsdbWithUmask(umask, ['db', 'upgrade'], project)
    expect(result.code, result.stderr).toBe(0)
    const tsdbDir = join(project, '.tsdb')
    const files = await readdir(join(tsdbDir, 'pglite'), { recursive: true })
    // The database is really there: PGlite's cluster and the table the revision made.
    expect(files).toContain('PG_VERSION')
    expect(files.length).toBeGreaterThan(100)
    expect(await looseEntries(tsdbDir)).toEqual([])
    const current = await runTsdbWithUmask(umask, ['db', 'current'], project)
    expect(current.stdout).toBe('aaaa0001 (head)\n')
    expect((await lstat(join(tsdbDir, 'pglite'))).mode & 0o777).toBe(0o700)
  })

  it('restricts a folder an earlier run left open to others', async () => {
    expect((await runTsdbWithUmask('022', ['db', 'upgrade'], project)).code).toBe(0)
    const dataDir = join(project, '.tsdb', 'pglite')
    await chmod(dataDir, 0o755)
    await chmod(join(dataDir, 'PG_VERSION'), 0o666)
    const current = await runTsdbWithUmask('022', ['db', 'current'], project)
    expect(current.stdout).toBe('aaaa0001 (head)\n')
    expect(await looseEntries(dataDir)).toEqual([])
  })
})

describe('an embedded database folder given through a symbolic link', () => {
  it('opens the folder the link points to, owner-only, as the same database as its real name', async () => {
    // Issue 19 item 6: PGlite cannot open a folder through a link; tsdb failed with "[object Object]".
    const project = await createProject()
    await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
    await writeFile(
      join(project, 'migrations', 'versions', 'aaaa0001_users.ts'),
      revisionFileText({ id: 'aaaa0001', message: 'users', ...createTableBody('users') }),
    )
    await mkdir(join(project, 'real'))
    await symlink('real', join(project, 'link'), 'dir')
    const upgraded = await runTsdbWithUmask('022', ['db', 'upgrade', '--url', 'pglite:link'], project)
    expect(upgraded.code, upgraded.stderr).toBe(0)
    expect(await readdir(join(project, 'real'))).toContain('PG_VERSION')
    expect(await looseEntries(join(project, 'real'))).toEqual([])
    const current = await runTsdbWithUmask('022', ['db', 'current', '--url', 'pglite:real'], project)
    expect(current.stdout).toBe('aaaa0001 (head)\n')
  })
})
