import { expect, test } from 'vitest'
import { readCanonicalDeclaration } from '../../../src/autogenerate/canonicalize-declaration.js'
import { CATALOG_QUERY_COUNT } from '../../../src/introspect/query-catalog.js'
import type { SchemaModel, TableModel } from '../../../src/model/schema-model.js'
import { describeEachDatabase } from '../../helpers/databases.js'
import { col, index, model, serialId, table, tutorialModel, userTable } from './model-builders.js'
import { roundTripCases } from './roundtrip-cases.js'

const item = table('item', [serialId(), col('name', 'text', { nullable: false }), col('price', 'numeric(10,2)')])
const withItem = (patch: Partial<TableModel>): SchemaModel => model([{ ...item, ...patch }])
const fk = (column: string, target: string) => ({
  name: `child_${column}_fkey`,
  columns: [column],
  references: { schema: 'public', name: target },
  referencedColumns: ['id'],
  onDelete: 'no action' as const,
  onUpdate: 'no action' as const,
})

/**
 * The probe builds only what prints the texts the comparison reads; it must read exactly what
 * building the whole declaration reads, and leave to the full build whatever it cannot tell.
 */
describeEachDatabase('canonicalising a declaration by probe', (ctx) => {
  const bothWays = async (declared: SchemaModel) => {
    const db = ctx.kysely()
    const probed = await readCanonicalDeclaration(db, declared)
    const built = await readCanonicalDeclaration(db, declared, { shouldProbe: false })
    expect(probed.model).toEqual(built.model)
    return probed
  }

  test('agrees with the full build on every model of the round-trip catalogue', async () => {
    for (const c of roundTripCases) {
      await bothWays(c.from)
      await bothWays(c.to)
    }
  })

  test('agrees on quoted names, other schemas, enums, arrays, identity, defaults and comments', async () => {
    const mood = { schema: 'public', name: 'mood', values: ['happy', 'sad'] }
    const account = table('User', [
      col('id', 'bigint', { nullable: false, identity: 'always' }),
      col('timestamp', 'timestamp with time zone', { nullable: false, default: 'now()', comment: 'when' }),
      col('order', 'character varying(20)', { default: "'new'" }),
      col('Mood', '"mood"', { default: "'happy'" }),
      col('tags', 'text[]', { default: "'{}'" }),
      col('price', 'numeric(10,2)', { default: '0' }),
    ], {
      primaryKey: { name: 'User_pkey', columns: ['id'] },
      uniques: [{ name: 'User_order_key', columns: ['order'], nullsNotDistinct: false }],
      indexes: [index('ix_User_timestamp', ['timestamp', 'order'], { unique: true }), index('select', ['Mood'])],
      comment: 'People',
    })
    const setting = table('setting', [serialId(), col('user_id', 'bigint'), col('value', 'text', { comment: '' })], {
      schema: 'app',
      primaryKey: { name: 'setting_pkey', columns: ['id'] },
      indexes: [index('ix_setting_value', ['value'])],
      foreignKeys: [{ ...fk('user_id', 'User'), name: 'setting_user_id_fkey', onDelete: 'cascade' }],
    })
    const probed = await bothWays(model([account, setting], { schemas: ['app'], enums: [mood] }))
    expect([probed.method, probed.catalogQueries]).toEqual(['probe', 1])
  })

  test('reads plain tables, their indexes and foreign keys with one catalog query', async () => {
    const tutorial = await bothWays(tutorialModel)
    expect([tutorial.method, tutorial.catalogQueries]).toEqual(['probe', 1])
    const empty = await bothWays(model([]))
    expect([empty.method, empty.catalogQueries]).toEqual(['probe', 0])
  })

  test('builds the tables whose texts need their columns: checks, generated columns, expression and partial indexes', async () => {
    for (const declared of [
      withItem({ checks: [{ name: 'item_price_positive', definition: 'CHECK (price > 0)' }] }),
      withItem({ columns: [...item.columns, col('cents', 'numeric', { generated: 'price * 100' })] }),
      withItem({ indexes: [{ ...index('ix_item_lower_name', []), keys: [{ kind: 'expression', sql: 'lower(name)' }] }] }),
      withItem({ indexes: [index('ix_item_priced', ['name'], { where: 'price IS NOT NULL' })] }),
      withItem({ indexes: [index('ix_item_name_hash', ['name'], { using: 'hash' })] }),
      // A key of a type the probe does not know to have a btree operator class: PostgreSQL judges it.
      withItem({ columns: [...item.columns, col('amount', 'money')], uniques: [{ name: 'item_amount_key', columns: ['amount'], nullsNotDistinct: false }] }),
    ]) {
      const probed = await bothWays(declared)
      // Checks are printed a second time (canonicalize-declaration.ts, reprintChecks).
      const reprints = declared.tables.some((t) => t.checks.length > 0) ? 1 : 0
      expect([probed.method, probed.catalogQueries]).toEqual(['probe', 1 + CATALOG_QUERY_COUNT + reprints])
    }
  })

  test('leaves to the full build what only it can tell', async () => {
    const child = (type: string): TableModel => table('child', [serialId(), col('owner_id', type)], { foreignKeys: [fk('owner_id', 'user')] })
    for (const declared of [
      // PostgreSQL accepts this pair of key types; only building the key says so.
      model([userTable, child('bigint')]),
      // Two constraints of one name in a schema: PostgreSQL would pick another name for an unnamed one.
      model([
        { ...item, checks: [{ name: 'positive', definition: 'CHECK (price > 0)' }] },
        { ...item, name: 'other', primaryKey: { name: 'other_pkey', columns: ['id'] }, checks: [{ name: 'positive', definition: 'CHECK (price > 0)' }] },
      ]),
      model([table('log', [col('seq', 'serial')])]),
      model([table('alembic_version', [col('version_num', 'character varying(32)', { nullable: false })])]),
    ]) {
      expect((await bothWays(declared)).method).toBe('build')
    }
  })

  test('a declaration PostgreSQL rejects is reported by the full build, naming the operation', async () => {
    const declared = model([userTable, table('child', [serialId(), col('owner_id', 'text')], { foreignKeys: [fk('owner_id', 'user')] })])
    await expect(readCanonicalDeclaration(ctx.kysely(), declared)).rejects.toMatchObject({
      code: 'DECLARATION_INVALID',
      message: expect.stringMatching(/Detected added table '.*child'.*cannot be implemented/),
    })
  })
})
