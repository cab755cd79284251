import { describe, expect, it } from 'vitest'
import { foldProbe, planProbe, slotAnswerKey, type ProbePlan } from '../../../src/autogenerate/probe-plan.js'
import { EMPTY_SCHEMA, type SchemaModel, type TableModel } from '../../../src/model/schema-model.js'
import { col, index, model, serialId, table, tutorialModel, userTable } from '../../integration/autogenerate/model-builders.js'

const item = table('item', [serialId(), col('name', 'text', { nullable: false }), col('price', 'numeric(10,2)')])
const withItem = (patch: Partial<TableModel>): SchemaModel => model([{ ...item, ...patch }])
const child = (type: string): TableModel =>
  table('child', [serialId(), col('owner_id', type)], {
    foreignKeys: [
      { name: 'child_owner_id_fkey', columns: ['owner_id'], references: { schema: 'public', name: 'user' }, referencedColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' },
    ],
  })

/** What PostgreSQL would print for each probed column: here, the declared text itself. */
function echoAnswers(plan: ProbePlan) {
  const columns = new Map(
    plan.typeTables.flatMap((t) => t.columns.map((c) => [slotAnswerKey(t.name, c.name), { type: c.type, default: c.default }] as const)),
  )
  return { columns, indexDefinitions: plan.formattedIndexes.map((item) => `def ${item.index.name}`), skeletons: EMPTY_SCHEMA }
}

describe('planProbe', () => {
  it('builds one column per distinct type and default, and no table of the tutorial schema', () => {
    const plan = planProbe(tutorialModel, 'public')!
    expect(plan.skeletons).toEqual([])
    expect(plan.formattedIndexes.map((item) => item.index.name)).toEqual(['ix_user_email', 'ix_user_username', 'ix_post_timestamp', 'ix_post_user_id'])
    // Both ids and post.user_id share the integer column; a serial's sequence is no default.
    expect(plan.typeTables.flatMap((t) => t.columns.map((c) => [c.type, c.default]))).toEqual([
      ['integer', null],
      ['character varying(64)', null],
      ['character varying(120)', null],
      ['character varying(256)', null],
      ['character varying(140)', null],
      ['timestamp without time zone', 'now()'],
    ])
  })

  it('builds the tables whose texts need their columns, or whose keys PostgreSQL must judge', () => {
    const skeletons = (declared: SchemaModel) => planProbe(declared, 'public')!.skeletons.map((t) => t.name)
    expect(skeletons(withItem({ checks: [{ name: 'item_price_positive', definition: 'CHECK (price > 0)' }] }))).toEqual(['item'])
    expect(skeletons(withItem({ indexes: [index('ix_item_name', ['name'], { where: 'price > 0' })] }))).toEqual(['item'])
    expect(skeletons(withItem({ indexes: [index('ix_item_name', ['name'], { using: 'gin' })] }))).toEqual(['item'])
    expect(skeletons(withItem({ columns: [...item.columns, col('doc', 'json')], indexes: [index('ix_item_doc', ['doc'])] }))).toEqual(['item'])
    expect(skeletons(withItem({ uniques: [{ name: 'item_name_key', columns: ['name'], nullsNotDistinct: true }] }))).toEqual(['item'])
    expect(skeletons(withItem({ indexes: [index('ix_item_name', ['name'])] }))).toEqual([])
  })

  it('leaves to a full build what only building tells', () => {
    for (const declared of [
      model([child('integer')]), // a foreign key to a table not declared
      model([table('log', [col('seq', 'bigserial')])]),
      model([table('alembic_version', [col('version_num', 'text')])]),
      model([table('t'.repeat(64), [col('a', 'text')])]),
      model([table('t', [col('a', 'integer', { identity: 'always', default: '1' })])]),
      model([table('t', [col('xmin', 'integer')])]),
      model([table('a', [col('x', 'integer')], { checks: [{ name: 'positive', definition: 'CHECK (x > 0)' }] }), table('b', [col('x', 'integer')], { checks: [{ name: 'positive', definition: 'CHECK (x > 0)' }] })]),
      model([table('a', [col('x', 'integer')], { indexes: [index('a', ['x'])] })]),
    ]) {
      expect(planProbe(declared, 'public')).toBeNull()
    }
  })
})

describe('foldProbe', () => {
  it("keeps the declaration's names and keys, with PostgreSQL's texts and NOT NULL rules", () => {
    const declared = model([{ ...userTable, comment: '' }, child('integer')])
    const plan = planProbe(declared, 'public')!
    const folded = foldProbe(declared, plan, echoAnswers(plan))!
    const user = folded.tables.find((t) => t.name === 'user')!
    expect(user.comment).toBeNull()
    expect(user.columns[0]).toEqual({
      name: 'id', type: 'integer', nullable: false, default: null, serial: true, identity: null, generated: null, comment: null,
      sequence: { name: 'user_id_seq', type: 'integer' },
    })
    expect(user.indexes.map((i) => i.definition)).toEqual(['def ix_user_email', 'def ix_user_username'])
    expect(folded.tables.find((t) => t.name === 'child')!.foreignKeys).toEqual(declared.tables[1]!.foreignKeys)
  })

  it('gives up when a foreign key joins columns of different types', () => {
    const declared = model([userTable, child('bigint')])
    const plan = planProbe(declared, 'public')!
    expect(foldProbe(declared, plan, echoAnswers(plan))).toBeNull()
  })
})
