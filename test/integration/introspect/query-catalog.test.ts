import { sql, type KyselyPlugin } from 'kysely'
import { expect, test } from 'vitest'
import { autogenerate, introspectDatabase } from '../../../src/autogenerate/autogenerate.js'
import { CATALOG_QUERY_COUNT, queryCatalog } from '../../../src/introspect/query-catalog.js'
import { describeEachDatabase } from '../../helpers/databases.js'
import { renderStatements } from '../../../src/render/render-ops.js'
import { applyStatement } from '../../../src/autogenerate/apply-statements.js'
import { tutorialModel } from '../autogenerate/model-builders.js'

function counter(): { plugin: KyselyPlugin; count: () => number } {
  let n = 0
  return {
    plugin: { transformQuery: (args) => (n++, args.node), transformResult: async (args) => args.result },
    count: () => n,
  }
}

describeEachDatabase('queryCatalog', (ctx) => {
  test('a fixed number of queries, whatever the number of tables', async () => {
    const db = ctx.kysely()
    await sql`drop schema public cascade`.execute(db)
    await sql`create schema public`.execute(db)
    const few = counter()
    await queryCatalog(db.withPlugin(few.plugin))
    for (let i = 0; i < 25; i++) {
      await db.schema.createTable(`t${i}`).addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('v', 'text', (c) => c.unique()).execute()
    }
    const many = counter()
    const rows = await queryCatalog(db.withPlugin(many.plugin))
    expect(rows.tables).toHaveLength(25)
    expect(few.count()).toBe(CATALOG_QUERY_COUNT)
    expect(many.count()).toBe(CATALOG_QUERY_COUNT)
  })

  test('the tutorial schema: user and post, their indexes and the foreign key; a second run finds nothing', async () => {
    const db = ctx.kysely()
    await sql`drop schema public cascade`.execute(db)
    await sql`create schema public`.execute(db)
    await db.schema.createTable('alembic_version').addColumn('version_num', 'varchar(32)', (c) => c.primaryKey()).execute()
    const options = { versionTable: 'alembic_version', versionTableSchema: null }
    const first = await autogenerate(db, tutorialModel, options)
    for (const statement of renderStatements(first.ops)) await applyStatement(db, statement)
    const model = await introspectDatabase(db)
    expect(model.tables.map((t) => t.name)).toEqual(['post', 'user'])
    const [post, user] = model.tables
    expect(user!.indexes.map((i) => [i.name, i.unique, i.keys])).toEqual([
      ['ix_user_email', true, [{ kind: 'column', name: 'email' }]],
      ['ix_user_username', true, [{ kind: 'column', name: 'username' }]],
    ])
    expect(post!.indexes.map((i) => [i.name, i.unique])).toEqual([['ix_post_timestamp', false], ['ix_post_user_id', false]])
    expect(post!.foreignKeys).toEqual([
      {
        name: 'post_user_id_fkey', columns: ['user_id'], references: { schema: 'public', name: 'user' },
        referencedColumns: ['id'], onDelete: 'no action', onUpdate: 'no action',
      },
    ])
    const second = await autogenerate(db, tutorialModel, options)
    expect(second.ops).toEqual([])
    // The database's catalogs, and one query for the texts of the declaration's plain tables.
    expect(second.queryCount).toBe(CATALOG_QUERY_COUNT + 1)
  })

  test('an invalid declaration is reported as a command error and leaves no scratch schema', async () => {
    const db = ctx.kysely()
    const broken = {
      ...tutorialModel,
      tables: [{ ...tutorialModel.tables[0]!, columns: [{ ...tutorialModel.tables[0]!.columns[1]!, default: 'no_such_function()' }] }],
    }
    await expect(autogenerate(db, broken, { versionTable: 'alembic_version', versionTableSchema: null })).rejects.toMatchObject({
      code: 'DECLARATION_INVALID',
      message: expect.stringContaining('no_such_function'),
    })
    const left = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname like 'tsdb\\_shadow%'`.execute(db)
    expect(left.rows[0]!.n).toBe(0)
  })
})
