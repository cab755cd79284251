import { sql, type Kysely } from 'kysely'
import { expect, it } from 'vitest'
import { createQueryLog } from '../../../src/connection/query-log.js'
import type { RevisionModule } from '../../../src/revision/revision.js'
import { computeSqlChecksumOnce } from '../../../src/runner/revision-checksum.js'
import { ensureRevisionLogTable, readAppliedChecksums, writeRevisionLogEntries } from '../../../src/runner/revision-log.js'
import { runMigrations } from '../../../src/runner/run-migrations.js'
import { findChangedRevisions, queryInvalidIndexes } from '../../../src/runner/run-warnings.js'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createRecordingReporter } from '../../helpers/recording-reporter.js'
import { createProject, readTables, readVersionRows, tableModule } from './runner-fixtures.js'

async function readLog(db: Kysely<any>, prefix: string) {
  const { rows } = await sql<{ revision: string; direction: string; sql_checksum: string | null; duration_ms: number }>`
    select revision, direction, sql_checksum, duration_ms from tsdb_meta.tsdb_revision_log
    where revision like ${`${prefix}%`} order by id`.execute(db)
  return rows
}

describeEachDatabase('the revision log', (ctx) => {
  it('gets one row per step, in the step transaction, in both directions and both modes', async () => {
    for (const transactionPerMigration of [false, true]) {
      const prefix = transactionPerMigration ? 'lgp' : 'lgo'
      const project = createProject(prefix, [
        { id: `${prefix}a`, module: tableModule(`${prefix}a`) },
        { id: `${prefix}b`, down: [`${prefix}a`], module: tableModule(`${prefix}b`) },
      ])
      const db = ctx.kysely()
      await runMigrations(db, project.options(createRecordingReporter(), { transactionPerMigration }))
      await runMigrations(db, project.options(createRecordingReporter(), { transactionPerMigration, plan: project.downgradeTo('base') }))
      const log = await readLog(db, prefix)
      expect(log.map((row) => `${row.direction} ${row.revision}`)).toEqual([
        `up ${prefix}a`,
        `up ${prefix}b`,
        `down ${prefix}b`,
        `down ${prefix}a`,
      ])
      for (const row of log) {
        expect(row.sql_checksum).toMatch(/^[0-9a-f]{64}$/)
        expect(row.duration_ms).toBeGreaterThanOrEqual(0)
      }
      expect(log[0]?.sql_checksum).not.toBe(log[3]?.sql_checksum)
    }
  })

  it('loses the row with the step when the run rolls back', async () => {
    const project = createProject('lgf', [
      { id: 'lgfa', module: tableModule('lgfa') },
      {
        id: 'lgfb',
        down: ['lgfa'],
        module: { up: async (db) => void (await sql`select 1/0`.execute(db)) },
      },
    ])
    const db = ctx.kysely()
    await expect(runMigrations(db, project.options(createRecordingReporter()))).rejects.toThrow('division by zero')
    expect(await readLog(db, 'lgf')).toEqual([])
  })

  it('finds applied revisions whose SQL changed, not those whose SQL is the same or not reproducible', async () => {
    const nondeterministic = {
      up: async (db: Kysely<any>) => {
        await tableModule('lgcn').up(db)
        await db.insertInto('lgcn_t').values({ note: String(Math.random()) }).execute()
      },
    }
    const project = createProject('lgc', [
      { id: 'lgca', module: tableModule('lgca') },
      { id: 'lgcb', down: ['lgca'], module: tableModule('lgcb') },
      { id: 'lgcn', down: ['lgcb'], module: nondeterministic },
    ])
    const db = ctx.kysely()
    await runMigrations(db, project.options(createRecordingReporter()))
    // A run renders each step once; whether the SQL is reproducible is asked when comparing.
    expect((await readLog(db, 'lgcn'))[0]?.sql_checksum).toMatch(/^[0-9a-f]{64}$/)
    const heads = await readVersionRows(db, project.versionTable)
    const edited: typeof project.modules = {
      ...project.modules,
      lgcb: {
        up: async (db: Kysely<any>) => {
          await db.schema.createTable('lgcb_t').addColumn('id', 'bigserial', (c) => c.primaryKey()).execute()
        },
      },
    }
    const find = (modules: typeof project.modules) =>
      findChangedRevisions(db, {
        graph: project.graph,
        heads,
        versionTableSchema: null,
        loadModule: async (revision) => modules[revision.id]!,
      })
    expect(await find(project.modules)).toEqual([])
    expect((await find(edited)).map((revision) => revision.id)).toEqual(['lgcb'])

    const reporter = createRecordingReporter()
    await runMigrations(db, project.options(reporter, { loadModule: async (revision) => edited[revision.id]! }))
    expect(reporter.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      'warning: revision lgcb (/project/migrations/versions/lgcb_create.ts) was changed after it was applied: its SQL ' +
        'differs from what ran. Restore the file, and put the change in a new revision (`tsdb db revision`)',
    ])
  })

  it('hashes what a step sent, without running it again, when that is what its offline render records', async () => {
    let calls = 0
    const module: RevisionModule = {
      up: async (db) => {
        calls += 1
        await db.schema.createTable('lgsa_t').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('note', 'text').execute()
        // A parameter (inlined in the checksum) and a row count of 0: what the render returns too.
        await db.updateTable('lgsa_t').set({ note: "it's" }).where('id', '=', 0).execute()
      },
    }
    const queryLog = createQueryLog()
    const db = ctx.kysely({ log: queryLog.logger })
    const project = createProject('lgs', [{ id: 'lgsa', module }])
    await runMigrations(db, project.options(createRecordingReporter(), { queryLog }))
    expect(calls).toBe(1)
    const [row] = await readLog(db, 'lgsa')
    expect(row?.sql_checksum).toBe(await computeSqlChecksumOnce(module.up))

    // Without a query log the step is rendered: the same checksum, for a second run of up().
    const again = createProject('lgt', [{ id: 'lgta', module }])
    calls = 0
    await sql`drop table lgsa_t`.execute(db)
    await runMigrations(db, again.options(createRecordingReporter()))
    expect(calls).toBe(2)
    expect((await readLog(db, 'lgta'))[0]?.sql_checksum).toBe(row?.sql_checksum)
  })

  it('renders a step that saw rows, a failure it caught or its own transaction, as offline it would not', async () => {
    const createTable = (name: string) => async (db: Kysely<any>) => {
      await db.schema.createTable(name).addColumn('id', 'serial', (c) => c.primaryKey()).execute()
    }
    const modules: Record<string, RevisionModule> = {
      // Live the query returns a row; offline it returns none, and the other table is created.
      lgra: {
        up: async (db) => {
          const { rows } = await sql`select 1 as one`.execute(db)
          await createTable(rows.length > 0 ? 'lgra_live' : 'lgra_offline')(db)
        },
      },
      // Outside a transaction: live the division fails and is caught; offline nothing fails.
      lgrb: {
        up: async (db) => {
          try {
            await sql`select 1/0`.execute(db)
            await createTable('lgrb_offline')(db)
          } catch {
            await createTable('lgrb_live')(db)
          }
        },
      },
      // BEGIN and COMMIT of its own, which the render leaves out.
      lgrc: { up: async (db) => db.transaction().execute(createTable('lgrc_t')) },
    }
    const queryLog = createQueryLog()
    const db = ctx.kysely({ log: queryLog.logger })
    const project = createProject('lgr', [
      { id: 'lgra', module: modules.lgra! },
      { id: 'lgrb', down: ['lgra'], transactional: false, module: modules.lgrb! },
      { id: 'lgrc', down: ['lgrb'], transactional: false, module: modules.lgrc! },
    ])
    await runMigrations(db, project.options(createRecordingReporter(), { queryLog }))
    expect(await readTables(db, 'lgr')).toEqual(['lgra_live', 'lgrb_live', 'lgrc_t'])
    const log = await readLog(db, 'lgr')
    expect(log.map((row) => row.revision)).toEqual(['lgra', 'lgrb', 'lgrc'])
    for (const row of log) {
      const rendered = await computeSqlChecksumOnce(modules[row.revision]!.up)
      expect(rendered).toMatch(/^[0-9a-f]{64}$/)
      expect(row.sql_checksum).toBe(rendered)
    }
    // What the first two sent differs from their render: taking it would have been wrong.
    expect(await computeSqlChecksumOnce(createTable('lgra_live'))).not.toBe(log[0]?.sql_checksum)
  })

  it('lists no INVALID index on a healthy database', async () => {
    expect(await queryInvalidIndexes(ctx.kysely())).toEqual([])
  })
  it('writes any number of rows in one statement, in step order, with the values as given', async () => {
    const db = ctx.kysely()
    await ensureRevisionLogTable(db, null)
    const checksum = 'a'.repeat(64)
    const odd = ['lgw"q', 'lgw\\b', 'lgw,{c}', 'lgwNULL']
    const many = Array.from({ length: 2500 }, (_, index) => `lgwm${index}`)
    const now = performance.now()
    const entries = [...odd, ...many].map((revision, index) => ({
      revision,
      direction: index % 2 === 0 ? ('up' as const) : ('down' as const),
      sqlChecksum: index === 1 ? null : checksum,
      sourceChecksum: index === 2 ? null : checksum,
      durationMs: index + 0.4,
      finishedAt: now - 60_000 + index,
    }))
    const sent: string[] = []
    const logged = ctx.kysely({ log: (event) => void sent.push(event.query.sql) })
    await writeRevisionLogEntries(logged, entries)
    expect(sent).toHaveLength(1)
    const { rows } = await sql<{
      revision: string
      direction: string
      sql_checksum: string | null
      source_checksum: string | null
      duration_ms: number
      ago: number
    }>`select revision, direction, sql_checksum, source_checksum, duration_ms,
         extract(epoch from clock_timestamp() - applied_at)::float8 as ago
       from tsdb_meta.tsdb_revision_log where revision like 'lgw%' order by id`.execute(db)
    expect(rows.map((row) => row.revision)).toEqual([...odd, ...many])
    expect(rows.slice(0, 4).map((row) => [row.direction, row.sql_checksum, row.source_checksum, row.duration_ms])).toEqual([
      ['up', checksum, checksum, 0],
      ['down', null, checksum, 1],
      ['up', checksum, null, 2],
      ['down', checksum, checksum, 3],
    ])
    // applied_at is the server's clock set back to when each step finished: about a minute ago.
    expect(Number(rows[0]?.ago)).toBeGreaterThan(59)
    expect(Number(rows[0]?.ago)).toBeLessThan(120)
    expect(Number(rows[0]?.ago)).toBeGreaterThan(Number(rows.at(-1)?.ago))
  })

  it('moves the log an older tsdb kept next to the version table into tsdb_meta, rows and all', async () => {
    const db = ctx.kysely()
    const old = sql.id('mv "old"', 'tsdb_revision_log')
    const createOld = async (revision: string) => {
      await sql`create schema if not exists "mv ""old"""`.execute(db)
      // The shape tsdb gave it there.
      await sql`create table ${old} (id bigint generated always as identity primary key, revision varchar(32) not null,
        direction varchar(4) not null, sql_checksum char(64), source_checksum char(64),
        applied_at timestamptz not null default clock_timestamp(), duration_ms integer not null)`.execute(db)
      await sql`insert into ${old} (revision, direction, sql_checksum, duration_ms) values (${revision}, 'up', ${'b'.repeat(64)}, 5)`.execute(db)
    }
    const oldExists = async () => (await sql<{ found: string | null }>`select to_regclass('"mv ""old"""."tsdb_revision_log"')::text as found`.execute(db)).rows[0]?.found != null
    await sql`drop table if exists tsdb_meta.tsdb_revision_log`.execute(db)
    await createOld('lgmv1')
    // Read where it is until a run moves it.
    expect((await readAppliedChecksums(db, 'mv "old"')).get('lgmv1')?.sqlChecksum).toBe('b'.repeat(64))
    await ensureRevisionLogTable(db, 'mv "old"')
    expect(await oldExists()).toBe(false)
    // Another project made the new one already: the old rows join it.
    await createOld('lgmv2')
    await ensureRevisionLogTable(db, 'mv "old"')
    expect(await oldExists()).toBe(false)
    const { rows } = await sql<{ revision: string }>`select revision from tsdb_meta.tsdb_revision_log where revision like 'lgmv%' order by id`.execute(db)
    expect(rows.map((row) => row.revision)).toEqual(['lgmv1', 'lgmv2'])
    expect([...(await readAppliedChecksums(db, 'mv "old"')).keys()].filter((id) => id.startsWith('lgmv'))).toEqual(['lgmv1', 'lgmv2'])
    await sql`drop schema "mv ""old""" cascade`.execute(db)
  })
})
