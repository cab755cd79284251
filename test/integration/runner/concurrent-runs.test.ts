import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMigrations } from '../../../src/runner/run-migrations.js'
import { createTestDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'
import { createRecordingReporter } from '../../helpers/recording-reporter.js'
import { createProject, readVersionRows, type RevisionSpec } from './runner-fixtures.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Each up() logs itself into applied_log (slowly, so the runs overlap). */
const loggingSpec = (id: string, down: readonly string[]): RevisionSpec => ({
  id,
  down,
  module: {
    up: async (db) => {
      if (down.length === 0) {
        await db.schema.createTable('applied_log').addColumn('revision', 'text', (c) => c.notNull()).execute()
      }
      await sleep(150)
      await db.insertInto('applied_log').values({ revision: id }).execute()
    },
  },
})

describe('two concurrent runs on one database [postgres]', () => {
  let database: TestDatabase
  const opened: Kysely<any>[] = []
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()))
    await database.drop()
  })

  it('applies each revision exactly once; the second run waits, then finds nothing to do', async () => {
    const project = createProject('cc', [loggingSpec('cca', []), loggingSpec('ccb', ['cca']), loggingSpec('ccc', ['ccb'])])
    const reporters = [createRecordingReporter(), createRecordingReporter()]
    const dbs = reporters.map(() => {
      const db = openPostgres(database.url, 3)
      opened.push(db)
      return db
    })
    const results = await Promise.all(dbs.map((db, i) => runMigrations(db, project.options(reporters[i]!))))

    const stepCounts = results.map((r) => r.steps.length).sort()
    expect(stepCounts).toEqual([0, 3])
    expect(results.map((r) => r.endHeads)).toEqual([['ccc'], ['ccc']])
    const waiter = results.findIndex((r) => r.steps.length === 0)
    expect(results[waiter]!.startHeads).toEqual(['ccc'])
    expect(reporters[waiter]!.lines.some((l) => l.startsWith('Waiting for the migration lock on cc_version, held by pid'))).toBe(true)

    const { rows } = await sql<{ revision: string; n: number }>`
      select revision, count(*)::int as n from applied_log group by revision order by revision`.execute(dbs[0]!)
    expect(rows).toEqual([
      { revision: 'cca', n: 1 },
      { revision: 'ccb', n: 1 },
      { revision: 'ccc', n: 1 },
    ])
    expect(await readVersionRows(dbs[0]!, project.versionTable)).toEqual(['ccc'])
  })
})
