import { PGlite } from '@electric-sql/pglite'
import * as kyselyModule from 'kysely'
import { Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPgliteDialect } from '../../../src/connection/pglite-dialect.js'

/**
 * The PGlite dialect tsdb uses when the app's Kysely has none (Kysely 0.28): the same module
 * without its PGliteDialect export stands in for it.
 */
describe('the PGlite dialect for a Kysely without one', () => {
  const withoutDialect = { ...kyselyModule, PGliteDialect: undefined } as unknown as typeof kyselyModule
  let pglite: PGlite
  let db: Kysely<any>

  beforeAll(async () => {
    pglite = new PGlite()
    db = new Kysely<any>({ dialect: createPgliteDialect(withoutDialect, pglite) })
    expect(db.getExecutor().adapter).not.toBeInstanceOf(kyselyModule.PGliteAdapter)
  })
  afterAll(() => db?.destroy())

  it('runs DDL and queries, with affected-row counts', async () => {
    await db.schema.createTable('item').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('name', 'text').execute()
    const inserted = await db.insertInto('item').values([{ name: 'a' }, { name: 'b' }]).executeTakeFirst()
    expect(inserted.numInsertedOrUpdatedRows).toBe(2n)
    expect(await db.selectFrom('item').select('name').orderBy('id').execute()).toEqual([{ name: 'a' }, { name: 'b' }])
  })

  it('commits a transaction, and rolls a failed one back, DDL included', async () => {
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('item').values({ name: 'c' }).execute()
    })
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.schema.createTable('gone').addColumn('id', 'integer').execute()
        await tx.insertInto('item').values({ name: 'd' }).execute()
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    expect((await db.selectFrom('item').select('name').orderBy('id').execute()).map((row) => row.name)).toEqual(['a', 'b', 'c'])
    const gone = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename = 'gone'`.execute(db)
    expect(gone.rows).toEqual([{ n: 0 }])
  })

  it('takes an isolation level', async () => {
    const level = await db.transaction().setIsolationLevel('serializable').execute((tx) =>
      sql<{ level: string }>`select current_setting('transaction_isolation') as level`.execute(tx),
    )
    expect(level.rows).toEqual([{ level: 'serializable' }])
  })
})
