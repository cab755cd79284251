import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openPostgres } from '../../helpers/databases.js'
import { revisionFileText } from '../../helpers/run-cli.js'
import { useSafetyProject } from './safety-project.js'

/**
 * The server ends tsdb's connection in the middle of a step (pg_terminate_backend, as a restart
 * or a failover would): one line that says what was applied, exit 1, no stack trace, and the
 * database as a failure leaves it.
 */
describe('the connection is lost during a run [postgres]', () => {
  const { url, db, project, versions, run, versionRows, tableExists } = useSafetyProject()

  /** Runs the CLI and terminates its backend once it runs a statement matching `pattern`. */
  const runAndTerminate = async (args: readonly string[], pattern: string) => {
    const running = run(...args)
    let terminated = false
    for (let attempt = 0; attempt < 600 && !terminated; attempt++) {
      const { rows } = await sql<{ ended: boolean }>`
        select pg_terminate_backend(pid) as ended from pg_stat_activity
        where application_name = 'tsdb' and datname = current_database() and state = 'active' and query like ${pattern}`.execute(db)
      terminated = rows.some((row) => row.ended)
      if (!terminated) await new Promise((r) => setTimeout(r, 50))
    }
    expect(terminated, 'no tsdb session ran the statement').toBe(true)
    return running
  }
  const expectOneCleanError = (stderr: string): string => {
    const errors = stderr.split('\n').filter((line) => line.startsWith('Error'))
    expect(errors, stderr).toHaveLength(1)
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(stderr).not.toContain('unexpectedly; please report')
    return errors[0]!
  }

  beforeAll(async () => {
    await writeFile(
      join(versions, 'd00000000001_base.ts'),
      revisionFileText({ id: 'd00000000001', message: 'base', up: "await db.schema.createTable('d_base').addColumn('id', 'integer').execute()" }),
    )
  })
  beforeEach(async () => {
    await rm(join(versions, 'd00000000002_slow.ts'), { force: true })
    await rm(join(project, 'tsdb.config.json'), { force: true })
    for (const table of ['d_base', 'd_slow']) await sql`drop table if exists ${sql.id(table)}`.execute(db)
    await sql`drop table if exists alembic_version`.execute(db)
    await sql`drop table if exists tsdb_meta.tsdb_revision_progress`.execute(db)
    await sql`drop function if exists d_slow_commit()`.execute(db)
  })

  const writeSlow = (transactional: boolean) =>
    writeFile(
      join(versions, 'd00000000002_slow.ts'),
      revisionFileText({
        id: 'd00000000002',
        message: 'slow',
        down: 'd00000000001',
        transactional,
        up: `await sql\`create table d_slow (id integer)\`.execute(db)
  await sql\`select pg_sleep(60)\`.execute(db)`,
      }),
    )

  it('during a transactional step: the revisions committed before are named, the step is rolled back', async () => {
    await writeFile(join(project, 'tsdb.config.json'), JSON.stringify({ transactionPerMigration: true }))
    await writeSlow(true)
    const result = await runAndTerminate(['upgrade'], 'select pg_sleep%')
    expect(result.code).toBe(1)
    const line = expectOneCleanError(result.stderr)
    expect(line).toMatch(
      /^Error: Lost the connection to the database while running upgrade d00000000001 -> d00000000002 in \S+d00000000002_slow\.ts: terminating connection due to administrator command \(statement: select pg_sleep\(60\)\)\. Its transaction was rolled back\. These revisions stayed committed: d00000000001\. Run the command again once the database answers; `tsdb db current` shows where the database is\.$/,
    )
    expect(await versionRows()).toEqual(['d00000000001'])
    expect(await tableExists('d_slow')).toBe(false)
  })

  it('during COMMIT: the outcome is unknown, and the message says how to find it out', async () => {
    await writeFile(join(project, 'tsdb.config.json'), JSON.stringify({ transactionPerMigration: true }))
    // A deferred trigger makes the COMMIT itself take long enough to be cut.
    await writeFile(
      join(versions, 'd00000000002_slow.ts'),
      revisionFileText({
        id: 'd00000000002',
        message: 'slow',
        down: 'd00000000001',
        up: `await sql\`create table d_slow (id integer)\`.execute(db)
  await sql\`create function d_slow_commit() returns trigger language plpgsql as $$ begin perform pg_sleep(60); return null; end $$\`.execute(db)
  await sql\`create constraint trigger d_slow_commit after insert on d_slow deferrable initially deferred for each row execute function d_slow_commit()\`.execute(db)
  await sql\`insert into d_slow values (1)\`.execute(db)`,
      }),
    )
    const result = await runAndTerminate(['upgrade'], 'commit%')
    expect(result.code).toBe(1)
    const line = expectOneCleanError(result.stderr)
    expect(line).toMatch(
      /^Error: Lost the connection to the database while committing the transaction that ran upgrade d00000000001 -> d00000000002 \(\S+d00000000002_slow\.ts\): (terminating connection due to administrator command|Connection terminated unexpectedly)\. Whether it committed is unknown: its revisions and their version rows commit together, so `tsdb db current` shows whether they were applied; run the command again once the database answers, and it applies what is missing\. These revisions stayed committed: d00000000001\.$/,
    )
    expect(line).not.toContain('rolled back')
    // Cut before the server committed: nothing of the transaction stayed, as `current` tells.
    expect(await versionRows()).toEqual(['d00000000001'])
    expect(await tableExists('d_slow')).toBe(false)
  })

  it('during the COMMIT of a stamp: the outcome is unknown, not "rolled back"', async () => {
    // A deferred trigger on the version table makes the stamp's COMMIT take long enough to be cut.
    await sql`create table alembic_version (version_num varchar(32) not null, constraint alembic_version_pkc primary key (version_num))`.execute(db)
    await sql`create function d_slow_commit() returns trigger language plpgsql as $$ begin perform pg_sleep(60); return null; end $$`.execute(db)
    await sql`create constraint trigger d_slow_commit after insert on alembic_version
      deferrable initially deferred for each row execute function d_slow_commit()`.execute(db)
    const result = await runAndTerminate(['stamp', 'd00000000001'], 'commit%')
    expect(result.code).toBe(1)
    const line = expectOneCleanError(result.stderr)
    expect(line).toMatch(
      /^Error: Lost the connection to the database \(postgres:\/\/[^)]*\) while committing: (terminating connection due to administrator command|Connection terminated unexpectedly)\. Whether the transaction committed is unknown: `tsdb db current` shows where the database is; run the command again once the database answers$/,
    )
    expect(line).not.toContain('rolled back')
    // Cut before the server committed: the stamp did not happen, as `current` tells.
    expect(await versionRows()).toEqual([])
  })

  it('during a non-transactional step: what ran is listed, and the next run names the revision', async () => {
    await writeSlow(false)
    const result = await runAndTerminate(['upgrade'], 'select pg_sleep%')
    expect(result.code).toBe(1)
    const line = expectOneCleanError(result.stderr)
    expect(line).toContain('Lost the connection to the database while running upgrade d00000000001 -> d00000000002')
    expect(line).toContain('it ran `create table d_slow (id integer);`, and may have run `select pg_sleep(60);`')
    expect(await versionRows()).toEqual(['d00000000001'])

    const next = await run('upgrade')
    expect(next.code).toBe(1)
    expect(expectOneCleanError(next.stderr)).toContain('Revision d00000000002 (migrations/versions/d00000000002_slow.ts) was interrupted')
  })

  it('outside any revision (a command reading the database): one line, exit 1', async () => {
    await writeSlow(true)
    // `history -i` reads the version table; a lock held elsewhere makes it wait where it can be ended.
    await sql`create table alembic_version (version_num varchar(32) primary key)`.execute(db)
    const holder = openPostgres(url, 1)
    try {
      await holder.connection().execute(async (conn) => {
        await sql`begin`.execute(conn)
        await sql`lock table alembic_version in access exclusive mode`.execute(conn)
        const result = await runAndTerminate(['current'], 'select%')
        await sql`rollback`.execute(conn)
        expect(result.code).toBe(1)
        expect(expectOneCleanError(result.stderr)).toMatch(
          /^Error: Lost the connection to the database \(postgres:\/\/.*\): terminating connection due to administrator command\. /,
        )
      })
    } finally {
      await holder.destroy()
    }
  })
})
