import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planDowngrade, planUpgrade } from '../../../src/revision/plan.js'
import { renderOfflineScript } from '../../../src/runner/offline-sql.js'
import { runMigrations } from '../../../src/runner/run-migrations.js'
import { createTestDatabase, openPostgres, type TestDatabase } from '../../helpers/databases.js'
import { findPsql, runPsqlScript } from '../../helpers/postgres-server.js'
import { createRecordingReporter } from '../../helpers/recording-reporter.js'
import { createProject } from './runner-fixtures.js'

const psql = findPsql()

/**
 * Everything the two databases must agree on: columns, indexes, version rows and data. tsdb's own
 * tables are left out: an online run writes tsdb_revision_log, the offline script deliberately not.
 */
async function readState(db: Kysely<any>) {
  const columns = await sql`
    select table_name, column_name, data_type, column_default, is_nullable from information_schema.columns
    where table_schema = 'public' and table_name not like 'tsdb\\_%' order by table_name, ordinal_position`.execute(db)
  const indexes = await sql`
    select tablename, indexname, indexdef from pg_indexes
    where schemaname = 'public' and tablename not like 'tsdb\\_%' order by indexname`.execute(db)
  const versions = await sql`select version_num from alembic_version order by version_num`.execute(db)
  const hasUsers = columns.rows.some((r: any) => r.table_name === 'account')
  const users = hasUsers ? (await sql`select * from account order by id`.execute(db)).rows : []
  return { columns: columns.rows, indexes: indexes.rows, versions: versions.rows, users }
}

const project = createProject('off', [
  {
    id: 'a1b2c3d4e5f6',
    module: {
      up: async (db) => {
        await db.schema
          .createTable('account')
          .addColumn('id', 'serial', (c) => c.primaryKey())
          .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
          .addColumn('created', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .execute()
        await db
          .insertInto('account')
          .values([
            { username: "o'neil", created: new Date('2024-05-06T07:08:09.000Z') },
            { username: 'back\\slash $1', created: new Date('2024-01-01T00:00:00.000Z') },
          ])
          .execute()
      },
      down: async (db) => {
        await db.schema.dropTable('account').execute()
      },
    },
  },
  {
    id: 'b2c3d4e5f6a1',
    down: ['a1b2c3d4e5f6'],
    module: {
      up: async (db) => {
        await db.schema.alterTable('account').addColumn('score', 'integer', (c) => c.defaultTo(0).notNull()).execute()
        await db.updateTable('account').set({ score: 42 }).where('username', '=', "o'neil").execute()
      },
      down: async (db) => {
        await db.schema.alterTable('account').dropColumn('score').execute()
      },
    },
  },
  {
    id: 'c3d4e5f6a1b2',
    down: ['b2c3d4e5f6a1'],
    transactional: false,
    module: {
      up: async (db) => {
        await sql`create index concurrently ix_account_score on account (score)`.execute(db)
      },
      down: async (db) => {
        await sql`drop index concurrently ix_account_score`.execute(db)
      },
    },
  },
])

describe.skipIf(psql === null)('offline script piped into psql [postgres]', () => {
  let online: TestDatabase
  let offline: TestDatabase
  const opened: Kysely<any>[] = []
  beforeAll(async () => {
    ;[online, offline] = await Promise.all([createTestDatabase(), createTestDatabase()])
  })
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.destroy()))
    await Promise.all([online.drop(), offline.drop()])
  })
  const open = (url: string) => {
    const db = openPostgres(url, 2)
    opened.push(db)
    return db
  }
  const render = (steps: ReturnType<typeof planUpgrade>, startHeads: readonly string[]) =>
    renderOfflineScript({
      steps,
      startHeads,
      graph: project.graph,
      versionTable: 'alembic_version',
      versionTableSchema: null,
      loadModule: async (revision) => project.modules[revision.id]!,
      createVersionTable: startHeads.length === 0,
      transactionPerMigration: false,
    })

  it('yields the same tables, indexes, data and version rows as the online run', async () => {
    const onlineDb = open(online.url)
    const offlineDb = open(offline.url)
    await runMigrations(onlineDb, { ...project.options(createRecordingReporter()), versionTable: 'alembic_version' })

    await runPsqlScript(offline.url, await render(planUpgrade(project.graph, [], 'heads'), []))

    const expected = await readState(onlineDb)
    expect(expected.versions).toEqual([{ version_num: 'c3d4e5f6a1b2' }])
    expect(expected.users.map((u: any) => [u.username, u.score])).toEqual([
      ["o'neil", 42],
      ['back\\slash $1', 0],
    ])
    expect(await readState(offlineDb)).toEqual(expected)
  })

  it('downgrades back to base offline as online', async () => {
    const onlineDb = open(online.url)
    const offlineDb = open(offline.url)
    const heads = ['c3d4e5f6a1b2']
    await runMigrations(onlineDb, {
      ...project.options(createRecordingReporter()),
      versionTable: 'alembic_version',
      plan: (current) => planDowngrade(project.graph, current, 'base'),
    })
    await runPsqlScript(offline.url, await render(planDowngrade(project.graph, heads, 'base'), heads))
    const expected = await readState(onlineDb)
    expect(expected.versions).toEqual([])
    expect(expected.columns).toEqual([
      expect.objectContaining({ table_name: 'alembic_version', column_name: 'version_num' }),
    ])
    expect(await readState(offlineDb)).toEqual(expected)
  })
})
