import { sql, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { planStepDrops, renderDataLossWarning } from '../../../src/runner/data-loss.js'
import type { RevisionModule } from '../../../src/revision/revision.js'
import type { MigrationStep } from '../../../src/revision/migration-step.js'
import type { Revision } from '../../../src/revision/revision.js'

function downStep(id: string, downRevisions: readonly string[]): MigrationStep {
  const revision: Revision = { id, downRevisions, branchLabels: [], dependsOn: [], message: '', doc: '', path: '', transactional: true }
  return { direction: 'down', revision }
}

async function dropsOf(down: (db: Kysely<any>) => Promise<void>) {
  const step = downStep('bbbb00000002', ['aaaa00000001'])
  const modules = new Map<string, RevisionModule>([[step.revision.id, { up: async () => {}, down }]])
  const planned = await planStepDrops([step], modules, { xArgs: {} })
  return planned.flatMap((entry) => entry.drops)
}

describe('planStepDrops', () => {
  it('sees the tables and columns the schema builder drops, with their schema when named', async () => {
    const drops = await dropsOf(async (db) => {
      await db.schema.dropTable('user').execute()
      await db.schema.dropTable('app.post').ifExists().execute()
      await db.withSchema('audit').schema.dropTable('event').execute()
      await db.schema.alterTable('account').dropColumn('note').dropColumn('bio').execute()
      await db.schema.alterTable('account').addColumn('x', 'text').execute()
      await db.insertInto('account').values({ id: 1 }).execute()
    })
    expect(drops).toEqual([
      { schema: null, table: 'user', column: null },
      { schema: 'app', table: 'post', column: null },
      { schema: 'audit', table: 'event', column: null },
      { schema: null, table: 'account', column: 'note' },
      { schema: null, table: 'account', column: 'bio' },
    ])
  })

  it('does not guess from raw SQL text', async () => {
    expect(await dropsOf(async (db) => void (await sql`drop table "user"`.execute(db)))).toEqual([])
  })

  it('leaves out a step whose offline render fails', async () => {
    const drops = await dropsOf(async (db) => {
      await db.schema.dropTable('user').execute()
      throw new Error('needs rows')
    })
    expect(drops).toEqual([])
  })
})

describe('renderDataLossWarning', () => {
  it('names the step, the table or column and the rows, with <base> for a base revision', () => {
    const base = downStep('aaaa00000001', [])
    expect(renderDataLossWarning({ step: base, schema: null, table: 'user', column: null, rows: 1, isEstimate: false })).toBe(
      "downgrade aaaa00000001 -> <base> drops table 'user' with 1 row",
    )
    const step = downStep('bbbb00000002', ['aaaa00000001'])
    expect(renderDataLossWarning({ step, schema: 'app', table: 'account', column: 'note', rows: 1234567, isEstimate: true })).toBe(
      "downgrade bbbb00000002 -> aaaa00000001 drops column 'app.account.note' with values in about 1,234,567 rows",
    )
  })
})
