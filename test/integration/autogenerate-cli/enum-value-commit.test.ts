import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, expect, test } from 'vitest'
import { downgrade, migrate, upgrade, withDatabase, type ResolvedConfig } from '../../../dist/index.js'
import { describeEachDatabase } from '../../helpers/databases.js'
import { apiConfig, createApiProject } from './project.js'
import { runPsqlScript } from '../../helpers/postgres-server.js'
import { schemaModuleText } from './declaration-cases.js'

const moodItem = (values: readonly string[], feeling: string) => ({
  preamble: `const mood = enumType('mood', [${values.map((v) => `'${v}'`).join(', ')}])`,
  tables: `  item: table({ id: t.serial().primaryKey(), feeling: t.enum(mood)${feeling} }),`,
})

/**
 * PostgreSQL lets no statement use an enum value added in its own transaction ("unsafe use of
 * new value") until the ADD VALUE commits. tsdb plans the commit: a generated revision that adds
 * a value and uses it runs outside a transaction, and `upgrade` commits after a revision that
 * adds a value before running the next.
 */
describeEachDatabase('an added enum value is committed before it is used', (ctx) => {
  let project: string
  let config: ResolvedConfig

  const declare = (declaration: { preamble: string; tables: string }) =>
    writeFile(join(project, 'src', 'schema.ts'), schemaModuleText(declaration))
  const readDefault = () =>
    withDatabase(config, async (db) => {
      const { rows } = await sql<{ default: string | null }>`
        select pg_get_expr(d.adbin, d.adrelid) as default from pg_attrdef d
        join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
        where d.adrelid = 'public.item'::regclass and a.attname = 'feeling'`.execute(db)
      return rows[0]?.default ?? null
    })

  beforeAll(async () => {
    project = await createApiProject()
    config = apiConfig(ctx, project)
  })

  test('a generated revision that adds a value and uses it as a default', async () => {
    await declare(moodItem(['happy', 'sad'], ''))
    await migrate(config, { message: 'item' })
    await upgrade(config)

    await declare(moodItem(['happy', 'sad', 'ok'], ".defaultTo('ok')"))
    const change = await migrate(config, { message: 'ok by default' })
    expect(change.detected).toEqual(["Detected added value 'ok' in enum 'mood'", "Detected server default on column 'item.feeling'"])
    expect(await readFile(change.created?.path ?? "", 'utf8')).toContain('export const transactional = false')
    await upgrade(config)
    expect(await readDefault()).toBe("'ok'::mood")
    expect((await migrate(config, { message: 'again' })).detected).toEqual([])

    await downgrade(config)
    expect(await readDefault()).toBeNull()
    await upgrade(config)
    expect(await readDefault()).toBe("'ok'::mood")
  })

  test('upgrade commits after a revision that adds a value, before the next one uses it', async () => {
    await declare(moodItem(['happy', 'sad', 'ok', 'meh'], ".defaultTo('ok')"))
    const adds = await migrate(config, { message: 'meh' })
    // Only the value: this revision keeps its transaction, and the run must commit after it.
    expect(adds.detected).toEqual(["Detected added value 'meh' in enum 'mood'"])
    expect(await readFile(adds.created?.path ?? "", 'utf8')).not.toContain('transactional')
    await upgrade(config)
    await declare(moodItem(['happy', 'sad', 'ok', 'meh'], ".defaultTo('meh')"))
    const uses = await migrate(config, { message: 'meh by default' })
    expect(uses.detected).toEqual(["Detected server default on column 'item.feeling'"])
    await upgrade(config)

    await downgrade(config, { target: 'base' })
    // Every revision in one run, in one transaction but for the commits tsdb plans.
    await upgrade(config)
    expect(await readDefault()).toBe("'meh'::mood")
  })

  test('upgrade --sql commits where upgrade does: after the revision that adds a value', async () => {
    // The four revisions of the tests above: two add a value, the last uses one.
    const { sql: script } = await upgrade(config, { sql: true, target: 'base:head' })
    const statements = (script ?? '').split('\n\n').filter((chunk) => !chunk.startsWith('--'))
    const addsMeh = statements.findIndex((statement) => statement.includes("ADD VALUE 'meh'"))
    expect(addsMeh, script ?? '').toBeGreaterThan(0)
    // The version row of the revision that added it, then the commit, then the rest in a new transaction.
    expect(statements.slice(addsMeh + 1, addsMeh + 4)).toEqual([expect.stringMatching(/^UPDATE alembic_version /), 'COMMIT;', 'BEGIN;'])
    if (ctx.backend === 'postgres') {
      await downgrade(config, { target: 'base' })
      // The script starts from base, with the version table's CREATE.
      await withDatabase(config, async (db) => {
        await sql`drop table alembic_version`.execute(db)
        await sql`drop type if exists mood`.execute(db)
      })
      await runPsqlScript(ctx.url, script ?? '')
      expect(await readDefault()).toBe("'meh'::mood")
    }
  })
})
