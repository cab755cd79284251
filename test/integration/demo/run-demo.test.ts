/**
 * `npm run demo` (demo/run-demo.mjs) runs to the end, on the embedded database and on a
 * PostgreSQL server through DATABASE_URL, and prints the walk-through.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../helpers/databases.js'
import { repoRoot } from '../../helpers/run-cli.js'

function runDemo(folder: string, env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'demo', 'run-demo.mjs'), folder],
      { cwd: repoRoot, env: { ...process.env, CI: 'true', DATABASE_URL: undefined, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    )
  })
}

const rev = '[0-9a-f]{12}'

/** The lines a reader of the tutorial must see, in this order. */
function expectWalkThrough(stdout: string): void {
  const expected: readonly (string | RegExp)[] = [
    '$ npx tsdb db init',
    'Creating migrations/versions ...  done',
    '$ npx tsdb db migrate -m "users table"',
    "Detected added table 'user'",
    "Detected added index 'ix_user_username' on '('username',)'",
    new RegExp(`^Generating migrations/versions/${rev}_users_table\\.ts \\.\\.\\.  done$`),
    '$ npx tsdb db upgrade',
    new RegExp(`^Running upgrade  -> ${rev}, users table$`),
    '$ npx tsdb db migrate -m "posts table"',
    "Detected added table 'post'",
    new RegExp(`^Running upgrade ${rev} -> ${rev}, posts table$`),
    /no mallory below\): duplicate key value violates unique constraint "ix_user_username"$/,
    '>>> all users',
    '{"id":1,"username":"john","email":"john@example.com"}',
    '{"id":2,"username":"susan","email":"susan@example.com"}',
    '>>> posts of user 1',
    '{"id":1,"body":"my first post!"}',
    '>>> posts of user 2',
    '(no rows)',
    '>>> every post with its author',
    '{"id":1,"username":"john","body":"my first post!"}',
    '>>> users in reverse alphabetical order',
    '{"username":"susan"}',
    '{"username":"john"}',
    ">>> users whose username starts with 's'",
    '{"username":"susan"}',
    '>>> deleted 1 post(s) and 2 user(s)',
    '$ npx tsdb db downgrade base',
    new RegExp(`^Running downgrade ${rev} -> , users table$`),
    '$ npx tsdb db upgrade',
    '# the tables are back, and empty: 0 users, 0 posts',
    '$ npx tsdb db history',
    new RegExp(`^${rev} -> ${rev} \\(head\\), posts table$`),
    new RegExp(`^<base> -> ${rev}, users table$`),
    '$ npx tsdb db current',
    new RegExp(`^${rev} \\(head\\)$`),
    '# demo finished',
  ]
  const lines = stdout.split('\n')
  let at = 0
  for (const line of expected) {
    const found = lines.findIndex((candidate, index) => index >= at && (typeof line === 'string' ? candidate === line : line.test(candidate)))
    expect(found, `${String(line)} after line ${at} of:\n${stdout}`).toBeGreaterThanOrEqual(0)
    at = found + 1
  }
  expect(stdout).not.toContain('mallory@example.com')
}

describe('npm run demo', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const step of cleanup) await step()
  })

  it('runs the walk-through on the embedded database', { timeout: 900_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tsdb-demo-test-'))
    cleanup.push(() => rm(folder, { recursive: true, force: true }))
    const result = await runDemo(folder, {})
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('on the embedded database (no server needed)')
    expectWalkThrough(result.stdout)
  })

  it('runs the walk-through on PostgreSQL through DATABASE_URL, and leaves the database empty', { timeout: 900_000 }, async () => {
    const database = await createTestDatabase()
    cleanup.push(() => database.drop())
    const folder = await mkdtemp(join(tmpdir(), 'tsdb-demo-test-'))
    cleanup.push(() => rm(folder, { recursive: true, force: true }))
    const result = await runDemo(folder, { DATABASE_URL: database.url })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('on the PostgreSQL server in DATABASE_URL')
    expect(result.stdout).not.toContain(new URL(database.url).password)
    expectWalkThrough(result.stdout)
    expect(result.stdout).toContain('# leaving the server database empty again, as the demo found it')

    // A second run on the same database works: the first one left it empty.
    const again = await runDemo(folder, { DATABASE_URL: database.url })
    expect(again.code).toBe(0)
    expectWalkThrough(again.stdout)
  })
})
