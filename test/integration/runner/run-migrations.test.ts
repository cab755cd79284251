import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { MigrationFailedError } from '../../../src/errors.js'
import { runMigrations, runStamp } from '../../../src/runner/run-migrations.js'
import { planStamp } from '../../../src/version/plan-stamp.js'
import { describeEachDatabase } from '../../helpers/databases.js'
import { createRecordingReporter } from '../../helpers/recording-reporter.js'
import { createProject, readTables, readVersionRows, tableModule } from './runner-fixtures.js'

const failingModule = (id: string) => ({
  up: async (db: Parameters<ReturnType<typeof tableModule>['up']>[0]) => {
    await tableModule(id).up(db)
    await db.insertInto('missing_table').values({ note: "it's gone" }).execute()
  },
})

describeEachDatabase('runMigrations', (ctx) => {
  it('upgrades a linear history and downgrades it step by step, logging as Alembic', async () => {
    const project = createProject('lin', [
      { id: 'lina', module: tableModule('lina') },
      { id: 'linb', down: ['lina'], module: tableModule('linb') },
      { id: 'linc', down: ['linb'], module: tableModule('linc') },
    ])
    const db = ctx.kysely()
    const reporter = createRecordingReporter()
    const result = await runMigrations(db, project.options(reporter))
    expect(result.startHeads).toEqual([])
    expect(result.endHeads).toEqual(['linc'])
    expect(result.steps.map((s) => s.revision.id)).toEqual(['lina', 'linb', 'linc'])
    expect(reporter.lines).toEqual([
      'Running upgrade  -> lina, create lina',
      'Running upgrade lina -> linb, create linb',
      'Running upgrade linb -> linc, create linc',
    ])
    expect(reporter.finished).toHaveLength(3)
    expect(await readTables(db, 'lin')).toEqual(['lina_t', 'linb_t', 'linc_t'])
    expect(await readVersionRows(db, project.versionTable)).toEqual(['linc'])

    const down = createRecordingReporter()
    const reverted = await runMigrations(db, project.options(down, { plan: project.downgradeTo('lina') }))
    expect(reverted.startHeads).toEqual(['linc'])
    expect(reverted.endHeads).toEqual(['lina'])
    expect(down.lines).toEqual([
      'Running downgrade linc -> linb, create linc',
      'Running downgrade linb -> lina, create linb',
    ])
    expect(await readTables(db, 'lin')).toEqual(['lina_t'])
    expect(await readVersionRows(db, project.versionTable)).toEqual(['lina'])

    const base = createRecordingReporter()
    await runMigrations(db, project.options(base, { plan: project.downgradeTo('base') }))
    expect(base.lines).toEqual(['Running downgrade lina -> , create lina'])
    expect(await readTables(db, 'lin')).toEqual([])
    expect(await readVersionRows(db, project.versionTable)).toEqual([])
  })

  it('does nothing when already at the target', async () => {
    const project = createProject('noop', [{ id: 'noopa', module: tableModule('noopa') }])
    const db = ctx.kysely()
    await runMigrations(db, project.options(createRecordingReporter()))
    const reporter = createRecordingReporter()
    const again = await runMigrations(db, project.options(reporter))
    expect(again.steps).toEqual([])
    expect(again.endHeads).toEqual(['noopa'])
    expect(reporter.lines).toEqual([])
  })

  it('merges two branches into one version row', async () => {
    const project = createProject('mrg', [
      { id: 'mrga', module: tableModule('mrga') },
      { id: 'mrgb1', down: ['mrga'], module: tableModule('mrgb1') },
      { id: 'mrgb2', down: ['mrga'], module: tableModule('mrgb2') },
      { id: 'mrgm', down: ['mrgb1', 'mrgb2'], module: tableModule('mrgm') },
    ])
    const db = ctx.kysely()
    const branches = await runMigrations(db, project.options(createRecordingReporter(), { plan: project.upgradeTo('mrgb1') }))
    expect(branches.endHeads).toEqual(['mrgb1'])
    const reporter = createRecordingReporter()
    const result = await runMigrations(db, project.options(reporter))
    expect(reporter.lines).toContain('Running upgrade mrgb1, mrgb2 -> mrgm, create mrgm')
    expect(result.endHeads).toEqual(['mrgm'])
    expect(await readVersionRows(db, project.versionTable)).toEqual(['mrgm'])
    expect(await readTables(db, 'mrg')).toEqual(['mrga_t', 'mrgb1_t', 'mrgb2_t', 'mrgm_t'])
  })

  it('writes the version table once per transaction, from the heads it began with to those it ends with', async () => {
    const project = createProject('vwr', [
      { id: 'vwra', module: tableModule('vwra') },
      { id: 'vwrb', down: ['vwra'], module: tableModule('vwrb') },
      { id: 'vwrc', down: ['vwrb'], module: tableModule('vwrc') },
    ])
    const sent: string[] = []
    const db = ctx.kysely({
      log: (event) => {
        const { sql: text, parameters } = event.query
        if (/^(insert into|update|delete from) "vwr_version"/.test(text)) sent.push(`${text} ${JSON.stringify(parameters)}`)
      },
    })
    const statementsOf = async (overrides: Parameters<typeof project.options>[1]) => {
      sent.length = 0
      await runMigrations(db, project.options(createRecordingReporter(), overrides))
      return [...sent]
    }
    expect(await statementsOf({ plan: project.upgradeTo('vwra') })).toEqual([
      'insert into "vwr_version" ("version_num") values ($1) ["vwra"]',
    ])
    // Two steps in one transaction: one row changes, once.
    expect(await statementsOf({})).toEqual([
      'update "vwr_version" set "version_num" = $1 where "version_num" = $2 ["vwrc","vwra"]',
    ])
    expect(await readVersionRows(db, project.versionTable)).toEqual(['vwrc'])
    // A transaction per step: each step commits its own row.
    expect(await statementsOf({ plan: project.downgradeTo('base'), transactionPerMigration: true })).toEqual([
      'update "vwr_version" set "version_num" = $1 where "version_num" = $2 ["vwrb","vwrc"]',
      'update "vwr_version" set "version_num" = $1 where "version_num" = $2 ["vwra","vwrb"]',
      'delete from "vwr_version" where "version_num" = $1 ["vwra"]',
    ])
    expect(await readVersionRows(db, project.versionTable)).toEqual([])
    expect(await readTables(db, 'vwr')).toEqual([])
  })

  it('rolls back the whole command when the third step fails (default mode)', async () => {
    const project = createProject('one', [
      { id: 'onea', module: tableModule('onea') },
      { id: 'oneb', down: ['onea'], module: tableModule('oneb') },
      { id: 'onec', down: ['oneb'], module: failingModule('onec') },
    ])
    const db = ctx.kysely()
    const error = await runMigrations(db, project.options(createRecordingReporter())).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationFailedError)
    const failure = error as MigrationFailedError
    expect(failure.step).toEqual({ direction: 'up', revision: 'onec', path: '/project/migrations/versions/onec_create.ts' })
    expect(failure.appliedSteps).toEqual([])
    expect(failure.statement).toBe(`insert into "missing_table" ("note") values ('it''s gone')`)
    expect(failure.message).toBe(
      'Running upgrade oneb -> onec failed in /project/migrations/versions/onec_create.ts: ' +
        `relation "missing_table" does not exist (statement: insert into "missing_table" ("note") values ('it''s gone'))`,
    )
    expect(await readTables(db, 'one')).toEqual([])
    expect(await readVersionRows(db, project.versionTable)).toEqual([])
  })

  it('keeps the first two steps when the third fails with transactionPerMigration', async () => {
    const project = createProject('per', [
      { id: 'pera', module: tableModule('pera') },
      { id: 'perb', down: ['pera'], module: tableModule('perb') },
      { id: 'perc', down: ['perb'], module: failingModule('perc') },
    ])
    const db = ctx.kysely()
    const error = await runMigrations(db, project.options(createRecordingReporter(), { transactionPerMigration: true })).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(MigrationFailedError)
    expect((error as MigrationFailedError).appliedSteps.map((s) => s.revision)).toEqual(['pera', 'perb'])
    expect(await readTables(db, 'per')).toEqual(['pera_t', 'perb_t'])
    expect(await readVersionRows(db, project.versionTable)).toEqual(['perb'])
  })

  it('reports a failure that is not from the database without a statement', async () => {
    const project = createProject('js', [
      {
        id: 'jsa',
        module: {
          up: async () => {
            throw new TypeError('cannot read x of undefined')
          },
        },
      },
    ])
    const error = await runMigrations(ctx.kysely(), project.options(createRecordingReporter())).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MigrationFailedError)
    expect((error as MigrationFailedError).statement).toBeUndefined()
    expect((error as Error).message).toBe(
      'Running upgrade  -> jsa failed in /project/migrations/versions/jsa_create.ts: cannot read x of undefined',
    )
  })

  it('refuses to downgrade through a revision without down() before running anything', async () => {
    const project = createProject('nod', [
      { id: 'noda', module: { up: tableModule('noda').up } },
      { id: 'nodb', down: ['noda'], module: tableModule('nodb') },
    ])
    const db = ctx.kysely()
    await runMigrations(db, project.options(createRecordingReporter()))
    const reporter = createRecordingReporter()
    const error = await runMigrations(db, project.options(reporter, { plan: project.downgradeTo('base') })).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(MigrationFailedError)
    expect((error as Error).message).toBe(
      'revision noda (/project/migrations/versions/noda_create.ts) has no down(); it cannot be downgraded',
    )
    expect(reporter.lines).toEqual([])
    expect(await readTables(db, 'nod')).toEqual(['noda_t', 'nodb_t'])
    expect(await readVersionRows(db, project.versionTable)).toEqual(['nodb'])
  })

  it('stamps without running revisions, and purges unknown rows', async () => {
    const project = createProject('stp', [
      { id: 'stpa', module: tableModule('stpa') },
      { id: 'stpb', down: ['stpa'], module: tableModule('stpb') },
    ])
    const db = ctx.kysely()
    const stampOptions = (target: string, purge: boolean, reporter = createRecordingReporter()) => ({
      plan: (heads: readonly string[]) => planStamp(project.graph, heads, target, { purge }).steps,
      versionTable: project.versionTable,
      versionTableSchema: null,
      lockTimeoutMs: null,
      purge,
      reporter,
    })
    const reporter = createRecordingReporter()
    const result = await runStamp(db, stampOptions('stpb', false, reporter))
    expect(result).toEqual({ changes: [{ kind: 'insert', id: 'stpb' }], startHeads: [], endHeads: ['stpb'] })
    expect(reporter.lines).toEqual(['Running stamp_revision  -> stpb'])
    expect(await readTables(db, 'stp')).toEqual([])

    const down = createRecordingReporter()
    await runStamp(db, stampOptions('stpa', false, down))
    expect(down.lines).toEqual(['Running stamp_revision stpb -> stpa'])
    expect(await readVersionRows(db, project.versionTable)).toEqual(['stpa'])

    await db.insertInto(project.versionTable).values({ version_num: 'unknown1' }).execute()
    const purged = await runStamp(db, stampOptions('stpb', true))
    expect(purged.startHeads).toEqual(['stpa', 'unknown1'])
    expect(await readVersionRows(db, project.versionTable)).toEqual(['stpb'])
  })
})

describeEachDatabase(
  'runMigrations outside a transaction',
  (ctx) => {
    it('commits what is open, runs CREATE INDEX CONCURRENTLY outside a transaction, and resumes', async () => {
      const project = createProject('ntx', [
        { id: 'ntxa', module: tableModule('ntxa') },
        {
          id: 'ntxb',
          down: ['ntxa'],
          transactional: false,
          module: {
            up: async (db) => {
              await sql`create index concurrently ix_ntxa_note on ntxa_t (note)`.execute(db)
            },
          },
        },
        { id: 'ntxc', down: ['ntxb'], module: failingModule('ntxc') },
      ])
      const db = ctx.kysely()
      const reporter = createRecordingReporter()
      const error = await runMigrations(db, project.options(reporter)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationFailedError)
      expect((error as MigrationFailedError).appliedSteps.map((s) => s.revision)).toEqual(['ntxa', 'ntxb'])
      expect(reporter.lines).toContain(
        'Revision ntxb is not transactional: what ran before it is committed, and it runs outside a transaction',
      )
      const { rows } = await sql<{ indexname: string }>`
        select indexname from pg_indexes where tablename = 'ntxa_t' and indexname = 'ix_ntxa_note'`.execute(db)
      expect(rows).toHaveLength(1)
      expect(await readTables(db, 'ntx')).toEqual(['ntxa_t'])
      expect(await readVersionRows(db, project.versionTable)).toEqual(['ntxb'])
    })
  },
  ['postgres'],
)
