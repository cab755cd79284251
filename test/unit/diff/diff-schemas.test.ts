import { describe, expect, test } from 'vitest'
import { describeOp, describeOpLines } from '../../../src/diff/describe-op.js'
import { diffSchemas } from '../../../src/diff/diff-schemas.js'
import { parseRenameOption, type RenameCandidate } from '../../../src/diff/rename-hints.js'
import { isNarrowing, reverseOp, reverseOps, type SchemaOp } from '../../../src/diff/schema-op.js'
import { UsageError } from '../../../src/errors.js'
import type { ColumnModel } from '../../../src/model/schema-model.js'
import { col, index, model, postTable, serialId, table, tutorialModel, userTable } from '../../integration/autogenerate/model-builders.js'

const kinds = (ops: readonly SchemaOp[]): readonly string[] => ops.map((op) => op.kind)
const item = table('item', [serialId(), col('name', 'text', { nullable: false })])
const withColumns = (...columns: ColumnModel[]) => model([{ ...item, columns: [...item.columns, ...columns] }])

describe('diffSchemas', () => {
  test('the tutorial schema from nothing: user before post, indexes inside createTable', () => {
    const { ops, warnings } = diffSchemas(model([]), tutorialModel)
    expect(ops).toEqual([
      { kind: 'createTable', table: userTable },
      { kind: 'createTable', table: postTable },
    ])
    expect(warnings).toEqual([])
    expect(ops.flatMap(describeOpLines)).toEqual([
      "Detected added table 'user'",
      "Detected added index 'ix_user_email' on '('email',)'",
      "Detected added index 'ix_user_username' on '('username',)'",
      "Detected added table 'post'",
      "Detected added index 'ix_post_timestamp' on '('timestamp',)'",
      "Detected added index 'ix_post_user_id' on '('user_id',)'",
    ])
  })

  test('identical models give no ops', () => {
    expect(diffSchemas(tutorialModel, tutorialModel)).toEqual({ ops: [], warnings: [] })
  })

  test('dropping tables drops the referencing one first and warns about data loss', () => {
    const { ops, warnings } = diffSchemas(tutorialModel, model([]))
    expect(kinds(ops)).toEqual(['dropTable', 'dropTable'])
    expect(ops.map((op) => (op.kind === 'dropTable' ? op.table.name : ''))).toEqual(['post', 'user'])
    expect(warnings).toEqual([
      'Data loss: drops table "post" and all its rows',
      'Data loss: drops table "user" and all its rows',
    ])
  })

  test('a drop and an add of the same type warn instead of guessing a rename', () => {
    const { ops, warnings } = diffSchemas(withColumns(col('mail', 'text')), withColumns(col('email', 'text')))
    expect(kinds(ops)).toEqual(['dropColumn', 'addColumn'])
    expect(warnings[0]).toBe(
      "Column 'item.mail' was dropped and 'item.email' added; if this is a rename, use --rename item.mail:email or renamedFrom",
    )
  })

  test('resolveRename is asked, and a yes becomes a rename', () => {
    const asked: RenameCandidate[] = []
    const { ops, warnings } = diffSchemas(withColumns(col('mail', 'text')), withColumns(col('email', 'text')), {
      resolveRename: (candidate) => {
        asked.push(candidate)
        return true
      },
    })
    expect(asked).toEqual([{ kind: 'column', schema: 'public', table: 'item', from: 'mail', to: 'email' }])
    expect(ops).toEqual([{ kind: 'renameColumn', table: { schema: 'public', name: 'item' }, from: 'mail', to: 'email' }])
    expect(warnings).toEqual([])
  })

  test('a column of another type is not a rename candidate', () => {
    const asked: RenameCandidate[] = []
    diffSchemas(withColumns(col('mail', 'text')), withColumns(col('email', 'integer')), {
      resolveRename: (candidate) => asked.push(candidate) > 0,
    })
    expect(asked).toEqual([])
  })

  test('an explicit table rename renames the table and its default-named primary key', () => {
    const product = { ...item, name: 'product', primaryKey: { name: 'product_pkey', columns: ['id'] } }
    const { ops } = diffSchemas(model([item]), model([product]), { renames: [parseRenameOption('item:product')] })
    expect(ops).toEqual([
      { kind: 'renameTable', from: { schema: 'public', name: 'item' }, to: { schema: 'public', name: 'product' } },
      { kind: 'renameConstraint', table: { schema: 'public', name: 'product' }, constraint: 'primaryKey', from: 'item_pkey', to: 'product_pkey' },
    ])
  })

  test('renamedFrom on a column, and constraints follow the renamed column', () => {
    const from = model([{ ...item, columns: [...item.columns, col('mail', 'text')], indexes: [index('ix_mail', ['mail'])] }])
    const to = model([{ ...item, columns: [...item.columns, col('email', 'text', { renamedFrom: 'mail' })], indexes: [index('ix_mail', ['email'])] }])
    expect(kinds(diffSchemas(from, to).ops)).toEqual(['renameColumn'])
  })

  test('a renamed column keeps its index key options, and its place in INCLUDE', () => {
    const ixOf = (name: string) => index('ix_x', [], { keys: [{ kind: 'column', name, descending: true, opclass: 'text_pattern_ops' }], include: [name] })
    const from = model([{ ...item, columns: [...item.columns, col('mail', 'text')], indexes: [ixOf('mail')] }])
    const to = model([{ ...item, columns: [...item.columns, col('email', 'text', { renamedFrom: 'mail' })], indexes: [ixOf('email')] }])
    expect(kinds(diffSchemas(from, to).ops)).toEqual(['renameColumn'])
  })

  test('type, nullability and default changes are one alterColumn; narrowing and NOT NULL are data loss', () => {
    const from = withColumns(col('code', 'character varying(40)'))
    const to = withColumns(col('code', 'character varying(10)', { nullable: false, default: "'x'::character varying" }))
    const { ops } = diffSchemas(from, to)
    expect(kinds(ops)).toEqual(['alterColumn'])
    expect(ops[0]).toMatchObject({
      dataLoss:
        'changes the type of "item"."code" from character varying(40) to character varying(10); ' +
        'sets NOT NULL on "item"."code", which fails while a row holds NULL there',
    })
    expect(describeOpLines(ops[0]!)).toEqual([
      "Detected type change from character varying(40) to character varying(10) on 'item.code'",
      "Detected NOT NULL on column 'item.code'",
      "Detected server default on column 'item.code'",
    ])
  })

  test('a changed index or check is dropped and created again; FKs come last', () => {
    const from = tutorialModel
    const to = model([
      userTable,
      {
        ...postTable,
        indexes: [index('ix_post_timestamp', ['timestamp', 'id']), postTable.indexes[1]!],
        foreignKeys: [{ ...postTable.foreignKeys[0]!, onDelete: 'cascade' }],
        checks: [{ name: 'post_body_check', definition: 'CHECK ((body <> \'\'::text))' }],
      },
    ])
    expect(kinds(diffSchemas(from, to).ops)).toEqual(['dropForeignKey', 'dropIndex', 'addCheck', 'createIndex', 'addForeignKey'])
  })

  test.each([
    ['DEFERRABLE', { deferrable: 'initiallyImmediate' }],
    ['INITIALLY DEFERRED', { deferrable: 'initiallyDeferred' }],
    ['MATCH FULL', { match: 'full' }],
  ] as const)('a foreign key that becomes %s is dropped and added again', (_, options) => {
    const fk = postTable.foreignKeys[0]!
    const to = model([userTable, { ...postTable, foreignKeys: [{ ...fk, ...options }] }])
    expect(diffSchemas(tutorialModel, to).ops).toEqual([
      { kind: 'dropForeignKey', table: { schema: 'public', name: 'post' }, foreignKey: fk },
      { kind: 'addForeignKey', table: { schema: 'public', name: 'post' }, foreignKey: { ...fk, ...options } },
    ])
    expect(diffSchemas(to, to).ops).toEqual([])
  })

  test.each([
    ['a key becomes DESC', { keys: [{ kind: 'column', name: 'name', descending: true }] }],
    ['a key becomes NULLS FIRST', { keys: [{ kind: 'column', name: 'name', nulls: 'first' }] }],
    ['a key gets an operator class', { keys: [{ kind: 'column', name: 'name', opclass: 'text_pattern_ops' }] }],
    ['it gets INCLUDE columns', { include: ['id'] }],
    ['it gets storage parameters', { storageParameters: ['fillfactor=70'] }],
  ] as const)('an index is dropped and created again when %s', (_, options) => {
    const from = model([{ ...item, indexes: [index('ix_item_name', ['name'])] }])
    const to = model([{ ...item, indexes: [index('ix_item_name', ['name'], options)] }])
    expect(kinds(diffSchemas(from, to).ops)).toEqual(['dropIndex', 'createIndex'])
    expect(diffSchemas(to, to).ops).toEqual([])
  })

  test("a column's collation is altered in place, and described", () => {
    const { ops } = diffSchemas(withColumns(col('code', 'text')), withColumns(col('code', 'text', { collation: 'C' })))
    expect(kinds(ops)).toEqual(['alterColumn'])
    expect(ops.map(describeOp)).toEqual(["Detected collation change from default to C on 'item.code'"])
  })

  test('enum values: appended and inserted values are ADD VALUE, a dropped value recreates the type', () => {
    const mood = (values: string[]) => model([], { enums: [{ schema: 'public', name: 'mood', values }] })
    expect(diffSchemas(mood(['a', 'c']), mood(['a', 'b', 'c', 'd'])).ops).toEqual([
      { kind: 'addEnumValue', enum: { schema: 'public', name: 'mood', values: ['a', 'c'] }, value: 'b', before: 'c', uses: [] },
      { kind: 'addEnumValue', enum: { schema: 'public', name: 'mood', values: ['a', 'b', 'c'] }, value: 'd', before: null, uses: [] },
    ])
    const { ops } = diffSchemas(mood(['a', 'b']), mood(['b', 'a']))
    expect(kinds(ops)).toEqual(['recreateEnum'])
    expect(ops[0]).not.toHaveProperty('dataLoss')
    expect(diffSchemas(mood(['a', 'b']), mood(['a'])).ops[0]).toMatchObject({ dataLoss: expect.stringContaining("drops 'b'") })
  })

  test('standalone sequences: created before the tables whose defaults use them, dropped after; a change is one alter', () => {
    const seq = { schema: 'public', name: 'n', type: 'bigint', start: '1', increment: '1', minValue: '1', maxValue: '9223372036854775807', cycle: false }
    const withSeq = (sequences: (typeof seq)[], columns: ColumnModel[] = []) => ({ ...withColumns(...columns), sequences })
    const number = col('number', 'bigint', { default: "nextval('n'::regclass)" })
    const added = diffSchemas(withSeq([]), withSeq([seq], [number])).ops
    expect(kinds(added)).toEqual(['createSequence', 'addColumn'])
    expect(kinds(reverseOps(added))).toEqual(['dropColumn', 'dropSequence'])
    const changed = { ...seq, increment: '5', cycle: true }
    expect(diffSchemas(withSeq([seq]), withSeq([changed])).ops).toEqual([{ kind: 'alterSequence', from: seq, to: changed }])
    expect(diffSchemas(withSeq([seq]), withSeq([seq])).ops).toEqual([])
    expect(diffSchemas(withSeq([seq]), withSeq([])).ops.map(describeOp)).toEqual(["Detected removed sequence 'n'"])
  })

  test('views: replaced when only the query changes, else dropped before the tables change and created after, with their readers', () => {
    const v = (name: string, definition: string, columns: string[], dependsOn: string[]) =>
      ({ schema: 'public', name, materialized: false, definition, columns, dependsOn })
    const base = v('b', 'SELECT id FROM item', ['id integer'], ['public.item'])
    const reader = v('a', 'SELECT id FROM b', ['id integer'], ['public.b'])
    const withViews = (...views: ReturnType<typeof v>[]) => ({ ...withColumns(), views })
    const replaced = { ...base, definition: 'SELECT id FROM item WHERE id > 0' }
    expect(diffSchemas(withViews(base, reader), withViews(replaced, reader)).ops).toEqual([{ kind: 'replaceView', from: base, to: replaced }])
    const widened = { ...base, definition: 'SELECT id, name FROM item', columns: ['id integer', 'name text'] }
    const ops = diffSchemas(withViews(base, reader), withViews(widened, reader)).ops
    expect(ops.map(describeOp)).toEqual([
      "Detected removed view 'a'",
      "Detected removed view 'b'",
      "Detected added view 'b'",
      "Detected added view 'a'",
    ])
    expect(kinds(diffSchemas(withViews(base), { ...withViews(base), tables: [] }).ops)).toEqual(['dropView', 'dropTable', 'createView'])
  })

  test('tables that reference each other: the cycle is broken with a separate foreign key', () => {
    const fk = (name: string, column: string, target: string) => ({
      name,
      columns: [column],
      references: { schema: 'public', name: target },
      referencedColumns: ['id'],
      onDelete: 'no action' as const,
      onUpdate: 'no action' as const,
    })
    const a = table('a', [serialId(), col('b_id', 'integer')], { foreignKeys: [fk('a_b_id_fkey', 'b_id', 'b')] })
    const b = table('b', [serialId(), col('a_id', 'integer')], { foreignKeys: [fk('b_a_id_fkey', 'a_id', 'a')] })
    const { ops } = diffSchemas(model([]), model([a, b]))
    expect(kinds(ops)).toEqual(['createTable', 'createTable', 'addForeignKey'])
    expect(ops[0]).toEqual({ kind: 'createTable', table: { ...a, foreignKeys: [] } })
    const down = reverseOps(ops)
    expect(kinds(down)).toEqual(['dropForeignKey', 'dropTable', 'dropTable'])
  })

  test('schemas are created first and dropped last', () => {
    const app = model([{ ...item, schema: 'app' }], { schemas: ['app'] })
    expect(kinds(diffSchemas(model([]), app).ops)).toEqual(['createSchema', 'createTable'])
    expect(kinds(diffSchemas(app, model([])).ops)).toEqual(['dropTable', 'dropSchema'])
  })
})

describe('reverseOp', () => {
  const t = { schema: 'public', name: 'item' }
  const column = col('x', 'integer')
  const all: readonly SchemaOp[] = [
    { kind: 'createSchema', schema: 'app' },
    { kind: 'dropSchema', schema: 'app' },
    { kind: 'createEnum', enum: { schema: 'public', name: 'mood', values: ['a'] } },
    { kind: 'dropEnum', enum: { schema: 'public', name: 'mood', values: ['a'] } },
    { kind: 'addEnumValue', enum: { schema: 'public', name: 'mood', values: ['a'] }, value: 'b', before: null, uses: [] },
    { kind: 'recreateEnum', from: { schema: 'public', name: 'mood', values: ['a', 'b'] }, to: { schema: 'public', name: 'mood', values: ['b', 'a'] }, uses: [] },
    { kind: 'createTable', table: item },
    { kind: 'dropTable', table: item, dataLoss: 'drops table "item" and all its rows' },
    { kind: 'renameTable', from: t, to: { schema: 'public', name: 'product' } },
    { kind: 'setTableComment', table: t, from: null, to: 'x' },
    { kind: 'addColumn', table: t, column },
    { kind: 'dropColumn', table: t, column, dataLoss: 'drops column "item"."x"' },
    { kind: 'renameColumn', table: t, from: 'a', to: 'b' },
    { kind: 'alterColumn', table: t, from: column, to: { ...column, comment: 'c' } },
    { kind: 'addPrimaryKey', table: t, primaryKey: { name: 'pk', columns: ['id'] } },
    { kind: 'dropPrimaryKey', table: t, primaryKey: { name: 'pk', columns: ['id'] } },
    { kind: 'addUnique', table: t, unique: { name: 'u', columns: ['x'], nullsNotDistinct: false } },
    { kind: 'dropUnique', table: t, unique: { name: 'u', columns: ['x'], nullsNotDistinct: false } },
    { kind: 'addCheck', table: t, check: { name: 'c', definition: 'CHECK ((x > 0))' } },
    { kind: 'dropCheck', table: t, check: { name: 'c', definition: 'CHECK ((x > 0))' } },
    { kind: 'addForeignKey', table: t, foreignKey: postTable.foreignKeys[0]! },
    { kind: 'dropForeignKey', table: t, foreignKey: postTable.foreignKeys[0]! },
    { kind: 'renameConstraint', table: t, constraint: 'check', from: 'a', to: 'b' },
    { kind: 'createIndex', table: t, index: index('ix', ['x']) },
    { kind: 'dropIndex', table: t, index: index('ix', ['x']) },
    { kind: 'renameIndex', table: t, from: 'a', to: 'b' },
  ]

  test('covers every kind', () => {
    const covered = new Set(all.map((op) => op.kind))
    expect(covered.size).toBe(26)
  })

  test.each(all.filter((op) => op.kind !== 'addEnumValue').map((op) => [op.kind, op] as const))(
    'reversing %s twice gives it back',
    (_kind, op) => {
      expect(reverseOp(reverseOp(op))).toEqual(op)
    },
  )

  test('the reverse of ADD VALUE recreates the type without the value (PostgreSQL cannot drop one)', () => {
    const add = all[4]!
    expect(reverseOp(add)).toEqual({
      kind: 'recreateEnum',
      from: { schema: 'public', name: 'mood', values: ['a', 'b'] },
      to: { schema: 'public', name: 'mood', values: ['a'] },
      uses: [],
      dataLoss: `drops 'b' from enum "mood"; rows holding them fail the cast`,
    })
  })

  test('every describeOp text starts with Detected', () => {
    for (const op of all) expect(describeOp(op)).toMatch(/^Detected /)
  })
})

describe('isNarrowing', () => {
  test.each([
    ['character varying(10)', 'character varying(20)', false],
    ['character varying(20)', 'character varying(10)', true],
    ['character varying(20)', 'text', false],
    ['text', 'character varying(20)', true],
    ['integer', 'bigint', false],
    ['bigint', 'integer', true],
    ['numeric(10,2)', 'numeric(12,2)', false],
    ['numeric(10,2)', 'numeric(10,1)', true],
    ['text', 'integer', true],
    ['real', 'double precision', false],
    ['double precision', 'real', true],
    ['integer', 'double precision', false],
    ['bigint', 'double precision', true],
    ['integer', 'real', true],
    ['integer', 'numeric(12,2)', false],
    ['integer', 'numeric(8,2)', true],
    ['timestamp without time zone', 'timestamp with time zone', false],
    ['timestamp with time zone', 'timestamp without time zone', true],
    ['timestamp(3) without time zone', 'timestamp without time zone', false],
    ['timestamp without time zone', 'timestamp(3) without time zone', true],
    ['date', 'timestamp with time zone', false],
    ['timestamp without time zone', 'date', true],
    ['time without time zone', 'time with time zone', false],
    ['time without time zone', 'timestamp without time zone', true],
  ])('%s -> %s: %s', (from, to, expected) => {
    expect(isNarrowing(from, to)).toBe(expected)
  })
})

describe('parseRenameOption', () => {
  test('column and table forms', () => {
    expect(parseRenameOption('user.mail:email')).toEqual({ table: 'user', from: 'mail', to: 'email' })
    expect(parseRenameOption('olduser:user')).toEqual({ from: 'olduser', to: 'user' })
  })
  test.each(['nocolon', ':x', 'x:', 'a.:b', 'a:b.c'])('rejects %s', (text) => {
    expect(() => parseRenameOption(text)).toThrow(UsageError)
  })
})
