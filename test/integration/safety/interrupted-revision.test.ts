import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { pgliteLockPath } from '../../../src/connection/open-pglite.js'
import { repoRoot, revisionFileText } from '../../helpers/run-cli.js'
import { runAndKill } from './crash-harness.js'
import { useSafetyProject } from './safety-project.js'

/**
 * A `transactional = false` revision stopped part-way (SIGKILL, SIGINT, SIGTERM, a failing
 * statement): the next run names it and the statements that ran, and stamping as told settles it.
 * SIGINT/SIGTERM during a transactional step end the run as a failure does.
 */
describe('interrupted revisions [postgres]', () => {
  const { url, db, project, versions, run, versionRows, tableExists } = useSafetyProject()

  /** Spawns the CLI and sends `signal` once a tsdb session runs a statement matching `pattern`. */
  const runAndSignal = (args: readonly string[], signal: NodeJS.Signals, pattern: string) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tsdb.js'), 'db', ...args], {
        cwd: project,
        env: { ...process.env, NO_COLOR: '1', CI: 'true', DATABASE_URL: url },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.setEncoding('utf8')
      child.stderr.on('data', (chunk: string) => (stderr += chunk))
      child.on('error', fail)
      child.on('close', (code, killedBy) => done({ code, signal: killedBy, stderr }))
      const poll = async () => {
        for (let attempt = 0; attempt < 600 && child.exitCode === null; attempt++) {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity
            where application_name = 'tsdb' and datname = current_database() and state = 'active' and query like ${pattern}`.execute(db)
          if (Number(rows[0]?.n) > 0) {
            child.kill(signal)
            return
          }
          await new Promise((r) => setTimeout(r, 50))
        }
      }
      poll().catch(fail)
    })
  /** A killed client's backend keeps running its statement; a server restart would end it too. */
  const endTsdbSessions = async () => {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'tsdb' and datname = current_database()`.execute(db)
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where application_name = 'tsdb' and datname = current_database()`.execute(db)
      if (Number(rows[0]?.n) === 0) return
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const advisoryLocks = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory'
    and database = (select oid from pg_catalog.pg_database where datname = current_database())`.execute(db)).rows[0]?.n)

  beforeAll(async () => {
    await writeFile(
      join(versions, 'b00000000001_base.ts'),
      revisionFileText({ id: 'b00000000001', message: 'base', up: "await db.schema.createTable('base_t').addColumn('id', 'integer').execute()" }),
    )
  })
  beforeEach(async () => {
    for (const file of ['b00000000002_nt.ts', 'b00000000002_tx.ts']) await rm(join(versions, file), { force: true })
    for (const table of ['nt_a', 'nt_b', 'tx_a', 'go_fast']) await sql`drop table if exists ${sql.id(table)}`.execute(db)
    const reset = await run('stamp', '--purge', 'b00000000001')
    expect(reset.code, reset.stderr).toBe(0)
    await sql`create table if not exists base_t (id integer)`.execute(db)
  })

  /** Two statements, then one that sleeps until the table go_fast exists. */
  const writeNonTransactional = () =>
    writeFile(
      join(versions, 'b00000000002_nt.ts'),
      revisionFileText({
        id: 'b00000000002',
        message: 'not transactional',
        down: 'b00000000001',
        transactional: false,
        up: `await sql\`create table nt_a (id integer)\`.execute(db)
  await sql\`create table nt_b (id integer)\`.execute(db)
  await sql\`select pg_sleep(case when to_regclass('go_fast') is null then 60 else 0 end)\`.execute(db)`,
      }),
    )

  it('SIGKILL inside a non-transactional revision: the next run stops, naming it and what ran; stamping it as done settles it', async () => {
    await writeNonTransactional()
    const killed = await runAndSignal(['upgrade'], 'SIGKILL', 'select pg_sleep%')
    expect(killed.signal).toBe('SIGKILL')
    await endTsdbSessions()
    expect(await versionRows()).toEqual(['b00000000001'])

    const next = await run('upgrade')
    expect(next.code).toBe(1)
    const lines = next.stderr.trim().split('\n')
    expect(lines, next.stderr).toHaveLength(1)
    expect(lines[0]).toContain('Revision b00000000002 (migrations/versions/b00000000002_nt.ts) was interrupted during its upgrade')
    expect(lines[0]).toContain('it ran `create table nt_a (id integer);`; `create table nt_b (id integer);`, and may have run `select pg_sleep(')
    expect(lines[0]).toContain('`tsdb db stamp b00000000002` to record the revision as done')
    expect(lines[0]).toContain('`tsdb db stamp b00000000001` then `tsdb db upgrade` to run it again')
    expect(next.stderr).not.toContain('already exists')
    // Nothing ran: the same answer again, and the version table unchanged.
    expect((await run('upgrade')).stderr).toBe(next.stderr)
    expect(await versionRows()).toEqual(['b00000000001'])

    const stamped = await run('stamp', 'b00000000002')
    expect(stamped.code, stamped.stderr).toBe(0)
    const after = await run('upgrade')
    expect(after.code, after.stderr).toBe(0)
    expect(await versionRows()).toEqual(['b00000000002'])
  })

  it('SIGTERM inside a non-transactional revision: cancelled, reported with what ran; undoing and stamping back runs it again', async () => {
    await writeNonTransactional()
    const stopped = await runAndSignal(['upgrade'], 'SIGTERM', 'select pg_sleep%')
    expect(stopped.code).toBe(1)
    const lines = stopped.stderr.trim().split('\n')
    expect(lines.at(-1)).toContain('Interrupted by SIGTERM while running upgrade b00000000001 -> b00000000002')
    expect(lines.at(-1)).toContain('It runs outside a transaction: it ran `create table nt_a (id integer);`; `create table nt_b (id integer);`; the next run stops')
    expect(stopped.stderr).not.toMatch(/\n\s+at /)
    expect(await advisoryLocks()).toBe(0)
    expect(await versionRows()).toEqual(['b00000000001'])

    const next = await run('upgrade')
    expect(next.code).toBe(1)
    // The cancelled statement did not run: only the two that did are listed.
    expect(next.stderr).toContain('it ran `create table nt_a (id integer);`; `create table nt_b (id integer);`, and the version table')

    await sql`drop table nt_a`.execute(db)
    await sql`drop table nt_b`.execute(db)
    await sql`create table go_fast (id integer)`.execute(db)
    const stamped = await run('stamp', 'b00000000001')
    expect(stamped.code, stamped.stderr).toBe(0)
    const again = await run('upgrade')
    expect(again.code, again.stderr).toBe(0)
    expect(await versionRows()).toEqual(['b00000000002'])
    expect(await tableExists('nt_b')).toBe(true)
  })

  it('a failing statement in a non-transactional revision lists the statements that stayed applied', async () => {
    await writeFile(
      join(versions, 'b00000000002_nt.ts'),
      revisionFileText({
        id: 'b00000000002',
        message: 'not transactional',
        down: 'b00000000001',
        transactional: false,
        up: `await sql\`create table nt_a (id integer)\`.execute(db)
  await sql\`select 1/0\`.execute(db)`,
      }),
    )
    const failed = await run('upgrade')
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('division by zero')
    expect(failed.stderr).toContain('It runs outside a transaction: it ran `create table nt_a (id integer);`; the next run stops')
    const next = await run('upgrade')
    expect(next.code).toBe(1)
    expect(next.stderr).toContain('Revision b00000000002 (migrations/versions/b00000000002_nt.ts) was interrupted')
    expect(next.stderr).not.toContain('may have run')
  })

  it('SIGINT during a transactional step rolls it back, releases the lock and exits 1 with one line', async () => {
    await writeFile(
      join(versions, 'b00000000002_tx.ts'),
      revisionFileText({
        id: 'b00000000002',
        message: 'transactional',
        down: 'b00000000001',
        up: `await sql\`create table tx_a (id integer)\`.execute(db)
  await sql\`select pg_sleep(60)\`.execute(db)`,
      }),
    )
    const started = Date.now()
    const stopped = await runAndSignal(['upgrade'], 'SIGINT', 'select pg_sleep%')
    // The sleeping statement was cancelled, not waited for (60 s).
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(stopped.code).toBe(1)
    const errors = stopped.stderr.split('\n').filter((line) => line.startsWith('Error'))
    expect(errors, stopped.stderr).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^Error: Interrupted by SIGINT while running upgrade b00000000001 -> b00000000002 in \S+b00000000002_tx\.ts \(statement: select pg_sleep\(60\)\)\. Its transaction was rolled back\. Run the command again to continue; `tsdb db current` shows where the database is\.$/,
    )
    expect(stopped.stderr).not.toMatch(/\n\s+at /)
    expect(await tableExists('tx_a')).toBe(false)
    expect(await versionRows()).toEqual(['b00000000001'])
    expect(await advisoryLocks()).toBe(0)
  })
})

/**
 * The same on the embedded database, where no statement can be cancelled (PGlite runs it in
 * tsdb's own thread): the run ends before its next statement, as a failure does, and lets go of
 * the folder's lock file.
 */
describe('interrupted revisions [pglite]', () => {
  const { url, project, versions, withDb, run, versionRows, tableExists } = useSafetyProject('pglite')
  const dataDir = url.slice('pglite:'.length)
  /** Sends `signal` once the step of the revision under test has run for a while. */
  const runAndSignal = (signal: NodeJS.Signals) =>
    runAndKill(['db', 'upgrade'], { cwd: project, url, point: { afterSteps: 1, delayMs: 400 }, signal })
  /** Two statements, then many short ones: about 4 s, in which a signal can end the run. */
  const writeRevision = (transactional: boolean) =>
    writeFile(
      join(versions, 'b00000000002_two.ts'),
      revisionFileText({
        id: 'b00000000002',
        message: 'two',
        down: 'b00000000001',
        transactional,
        up: `await sql\`create table nt_a (id integer)\`.execute(db)
  await sql\`create table nt_b (id integer)\`.execute(db)
  for (let i = 0; i < 40; i++) await sql\`select pg_sleep(0.1)\`.execute(db)`,
      }),
    )

  beforeAll(async () => {
    await writeFile(
      join(versions, 'b00000000001_base.ts'),
      revisionFileText({ id: 'b00000000001', message: 'base', up: "await db.schema.createTable('base_t').addColumn('id', 'integer').execute()" }),
    )
  })
  beforeEach(async () => {
    await rm(join(versions, 'b00000000002_two.ts'), { force: true })
    const reset = await run('stamp', '--purge', 'b00000000001')
    expect(reset.code, reset.stderr).toBe(0)
    await withDb(async (db) => {
      await sql`create table if not exists base_t (id integer)`.execute(db)
      for (const table of ['nt_a', 'nt_b']) await sql`drop table if exists ${sql.id(table)}`.execute(db)
    })
  })

  it('SIGTERM inside a non-transactional revision: ends as a failure does, listing what ran; the next run names it', async () => {
    await writeRevision(false)
    const stopped = await runAndSignal('SIGTERM')
    expect(stopped.wasKilled, stopped.stderr).toBe(true)
    expect(stopped.code, stopped.stderr).toBe(1)
    const errors = stopped.stderr.split('\n').filter((line) => line.startsWith('Error'))
    expect(errors, stopped.stderr).toHaveLength(1)
    expect(errors[0]).toContain('Interrupted by SIGTERM while running upgrade b00000000001 -> b00000000002')
    expect(errors[0]).toContain('It runs outside a transaction: it ran `create table nt_a (id integer);`; `create table nt_b (id integer);`; ')
    expect(stopped.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(pgliteLockPath(dataDir)), 'the lock file is left behind').toBe(false)

    const next = await run('upgrade')
    expect(next.code).toBe(1)
    expect(next.stderr).toContain('Revision b00000000002 (migrations/versions/b00000000002_two.ts) was interrupted during its upgrade')
    expect(await versionRows()).toEqual(['b00000000001'])
    expect(await tableExists('nt_b')).toBe(true)

    // Settled as the message says: recorded as done.
    const stamped = await run('stamp', 'b00000000002')
    expect(stamped.code, stamped.stderr).toBe(0)
    expect((await run('upgrade')).code).toBe(0)
    expect(await versionRows()).toEqual(['b00000000002'])
  })

  it('SIGINT during a transactional step rolls it back and exits 1 with one line', async () => {
    await writeRevision(true)
    const stopped = await runAndSignal('SIGINT')
    expect(stopped.wasKilled, stopped.stderr).toBe(true)
    expect(stopped.code).toBe(1)
    const errors = stopped.stderr.split('\n').filter((line) => line.startsWith('Error'))
    expect(errors, stopped.stderr).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^Error: Interrupted by SIGINT while running upgrade b00000000001 -> b00000000002 in \S+b00000000002_two\.ts\b.*\. Its transaction was rolled back\. Run the command again to continue; `tsdb db current` shows where the database is\.$/,
    )
    expect(existsSync(pgliteLockPath(dataDir)), 'the lock file is left behind').toBe(false)
    expect(await tableExists('nt_a')).toBe(false)
    expect(await versionRows()).toEqual(['b00000000001'])
  })
})
