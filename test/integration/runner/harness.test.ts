import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createTestDatabase, describeEachDatabase, openPostgres, testPgUrl } from '../../helpers/databases.js'

describe('test harness', () => {
  it('passes the server URL to workers through the environment', () => {
    expect(process.env.TSDB_TEST_PG_URL).toMatch(/^postgres(ql)?:\/\//)
    expect(testPgUrl()).toBe(process.env.TSDB_TEST_PG_URL)
  })

  it('rejects a wrong password (password auth is real)', async () => {
    const url = new URL(testPgUrl())
    url.password = 'wrong-password'
    const db = openPostgres(url.toString(), 1)
    try {
      await expect(sql`select 1`.execute(db)).rejects.toThrow(/password authentication failed/)
    } finally {
      await db.destroy()
    }
  })

  it('creates and drops a database', async () => {
    const database = await createTestDatabase()
    const db = openPostgres(database.url, 1)
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db)
    await db.destroy()
    expect(rows[0]?.name).toBe(database.name)
    await database.drop()
    const admin = openPostgres(testPgUrl(), 1)
    const left = await sql`select 1 from pg_database where datname = ${database.name}`.execute(admin)
    await admin.destroy()
    expect(left.rows).toHaveLength(0)
  })
})

describeEachDatabase('describeEachDatabase', (ctx) => {
  it('opens the backend it names', async () => {
    const db = ctx.kysely()
    await sql`create table t (id int)`.execute(db)
    await sql`insert into t values (1)`.execute(db)
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from t`.execute(ctx.kysely())
    expect(rows[0]?.n).toBe(1)
    expect(ctx.url.startsWith(ctx.backend === 'postgres' ? 'postgres://' : 'pglite:')).toBe(true)
  })
})
