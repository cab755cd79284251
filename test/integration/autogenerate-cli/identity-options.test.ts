import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, expect, test } from 'vitest'
import { migrate, upgrade, withDatabase, type ResolvedConfig } from '../../../dist/index.js'
import { describeEachDatabase } from '../../helpers/databases.js'
import { apiConfig, createApiProject } from './project.js'
import { schemaModuleText } from './declaration-cases.js'

/**
 * An identity's START and INCREMENT reach the database, and a change to them is found and made:
 * the ids a table hands out and the sequence PostgreSQL keeps are read back.
 */
describeEachDatabase("an identity's START and INCREMENT", (ctx) => {
  let project: string
  let config: ResolvedConfig

  const declare = (options: string) =>
    writeFile(
      join(project, 'src', 'schema.ts'),
      schemaModuleText({ tables: `  ticket: table({ id: t.bigint().generatedAlwaysAsIdentity(${options}).primaryKey(), body: t.text() }),` }),
    )
  const readSequence = () =>
    withDatabase(config, async (db) => {
      const { rows } = await sql<{ start: string; increment: string }>`
        select s.seqstart::text as start, s.seqincrement::text as increment
        from pg_sequence s where s.seqrelid = pg_get_serial_sequence('ticket', 'id')::regclass`.execute(db)
      return rows[0]
    })

  beforeAll(async () => {
    project = await createApiProject()
    config = apiConfig(ctx, project)
  })

  test('are created with the table, hand out the ids they say, and are altered in place', async () => {
    await declare('{ start: 1000, increment: 10 }')
    await migrate(config, { message: 'ticket' })
    await upgrade(config)
    const ids = await withDatabase(config, async (db) => {
      await db.insertInto('ticket').values([{ body: 'a' }, { body: 'b' }]).execute()
      return (await db.selectFrom('ticket').select('id').orderBy('id').execute()).map((row) => String(row.id))
    })
    expect(ids).toEqual(['1000', '1010'])

    await declare('{ start: 1000, increment: 5 }')
    const change = await migrate(config, { message: 'step by 5' })
    expect(change.detected).toEqual([
      "Detected identity sequence change from START WITH 1000 INCREMENT BY 10 to START WITH 1000 INCREMENT BY 5 on column 'ticket.id'",
    ])
    await upgrade(config)
    expect(await readSequence()).toEqual({ start: '1000', increment: '5' })
    expect((await migrate(config, { message: 'again' })).detected).toEqual([])
  })
})
