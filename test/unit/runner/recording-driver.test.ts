import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createRecordingKysely, renderRecordedStatement } from '../../../src/runner/recording-driver.js'

function recorder(shouldRecordTransactions: boolean) {
  const statements: string[] = []
  const db = createRecordingKysely({ record: (s) => statements.push(s), shouldRecordTransactions })
  return { db, statements }
}

describe('RecordingDriver', () => {
  it('records schema builder and query builder statements with literals inlined', async () => {
    const { db, statements } = recorder(false)
    await db.schema
      .createTable('user')
      .addColumn('id', 'serial', (c) => c.primaryKey())
      .addColumn('name', 'varchar(64)', (c) => c.notNull().defaultTo("o'neil"))
      .execute()
    await db.insertInto('user').values({ name: "d'arcy", id: 3 }).execute()
    await db.updateTable('user').set({ name: 'x' }).where('id', '=', 3).execute()
    expect(statements).toEqual([
      `create table "user" ("id" serial primary key, "name" varchar(64) default 'o''neil' not null);`,
      `insert into "user" ("name", "id") values ('d''arcy', 3);`,
      `update "user" set "name" = 'x' where "id" = 3;`,
    ])
  })

  it('returns no rows for selects and executes nothing', async () => {
    const { db, statements } = recorder(false)
    const rows = await db.selectFrom('user').selectAll().where('id', '>', 1).execute()
    expect(rows).toEqual([])
    expect(statements).toEqual([`select * from "user" where "id" > 1;`])
  })

  it('keeps raw sql as written, without doubling a final semicolon', async () => {
    const { db, statements } = recorder(false)
    await sql`create index concurrently ix_a on t (a);`.execute(db)
    await sql`select ${'v'}::text`.execute(db)
    expect(statements).toEqual([`create index concurrently ix_a on t (a);`, `select 'v'::text;`])
  })

  it('lets a revision open a transaction: recorded outside the script transaction, silent inside it', async () => {
    const outside = recorder(true)
    await outside.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx)
    })
    expect(outside.statements).toEqual(['BEGIN;', 'select 1;', 'COMMIT;'])

    const inside = recorder(false)
    await inside.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx)
    })
    expect(inside.statements).toEqual(['select 1;'])
  })

  it('records a rolled-back transaction and savepoints', async () => {
    const { db, statements } = recorder(true)
    const trx = await db.startTransaction().execute()
    const sp = await trx.savepoint('before_x').execute()
    await sp.rollbackToSavepoint('before_x').execute()
    await trx.rollback().execute()
    expect(statements).toEqual(['BEGIN;', 'savepoint "before_x";', 'rollback to "before_x";', 'ROLLBACK;'])
  })

  it('renders one compiled query', () => {
    expect(renderRecordedStatement({ sql: 'select $1, $2', parameters: [null, true] })).toBe('select NULL, true;')
  })
})
