import type { RenameHint } from '../../../src/diff/rename-hints.js'
import type { ForeignKeyModel, SchemaModel, TableModel } from '../../../src/model/schema-model.js'
import { col, index, model, postTable, serialId, table, tutorialModel, userTable } from './model-builders.js'

export interface RoundTripCase {
  readonly name: string
  readonly from: SchemaModel
  readonly to: SchemaModel
  readonly renames?: readonly RenameHint[]
  readonly schemas?: readonly string[]
  /** Op kinds the diff must produce (a subset check), so a case cannot pass by doing nothing. */
  readonly expectKinds: readonly string[]
}

const fk = (name: string, columns: string[], target: string, referencedColumns: string[], extra: Partial<ForeignKeyModel> = {}): ForeignKeyModel => ({
  name,
  columns,
  references: { schema: 'public', name: target },
  referencedColumns,
  onDelete: 'no action',
  onUpdate: 'no action',
  ...extra,
})

const item = table('item', [serialId(), col('name', 'text', { nullable: false }), col('price', 'numeric(10,2)')])
const withItem = (patch: Partial<TableModel>, columns = item.columns): SchemaModel => model([{ ...item, columns, ...patch }])
const itemCols = (...extra: ReturnType<typeof col>[]) => [...item.columns, ...extra]
const base = model([item])
const mood = { schema: 'public', name: 'mood', values: ['happy', 'sad', 'ok'] }
const withMood = (values: readonly string[], columnDefault: string | null = "'happy'::mood"): SchemaModel =>
  model([{ ...item, columns: itemCols(col('mood', 'mood', { default: columnDefault })) }], { enums: [{ ...mood, values }] })

export const roundTripCases: readonly RoundTripCase[] = [
  { name: 'create the tutorial user table', from: model([]), to: model([userTable]), expectKinds: ['createTable'] },
  { name: 'add the tutorial post table', from: model([userTable]), to: tutorialModel, expectKinds: ['createTable'] },
  { name: 'drop a table', from: tutorialModel, to: model([userTable]), expectKinds: ['dropTable'] },
  { name: 'add a nullable column', from: base, to: withItem({}, itemCols(col('note', 'text'))), expectKinds: ['addColumn'] },
  {
    name: 'add a NOT NULL column with a default',
    from: base,
    to: withItem({}, itemCols(col('stock', 'integer', { nullable: false, default: '0' }))),
    expectKinds: ['addColumn'],
  },
  { name: 'drop a column', from: withItem({}, itemCols(col('note', 'text'))), to: base, expectKinds: ['dropColumn'] },
  {
    name: 'rename a column through renamedFrom',
    from: withItem({}, itemCols(col('mail', 'text'))),
    to: withItem({}, itemCols(col('email', 'text', { renamedFrom: 'mail' }))),
    expectKinds: ['renameColumn'],
  },
  {
    name: 'rename a column through --rename',
    from: withItem({}, itemCols(col('mail', 'text'))),
    to: withItem({}, itemCols(col('email', 'text'))),
    renames: [{ table: 'item', from: 'mail', to: 'email' }],
    expectKinds: ['renameColumn'],
  },
  {
    name: 'rename a table through renamedFrom (its primary key follows)',
    from: base,
    to: model([{ ...item, name: 'product', renamedFrom: 'item', primaryKey: { name: 'product_pkey', columns: ['id'] } }]),
    expectKinds: ['renameTable', 'renameConstraint'],
  },
  {
    name: 'rename a table through --rename',
    from: base,
    to: model([{ ...item, name: 'product', primaryKey: { name: 'product_pkey', columns: ['id'] } }]),
    renames: [{ from: 'item', to: 'product' }],
    expectKinds: ['renameTable'],
  },
  {
    name: 'widen a varchar',
    from: withItem({}, itemCols(col('code', 'character varying(10)'))),
    to: withItem({}, itemCols(col('code', 'character varying(40)'))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'narrow a varchar',
    from: withItem({}, itemCols(col('code', 'character varying(40)'))),
    to: withItem({}, itemCols(col('code', 'character varying(10)'))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'integer to bigint',
    from: withItem({}, itemCols(col('qty', 'integer'))),
    to: withItem({}, itemCols(col('qty', 'bigint'))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'text to integer (USING cast)',
    from: withItem({}, itemCols(col('qty', 'text'))),
    to: withItem({}, itemCols(col('qty', 'integer'))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'numeric precision',
    from: base,
    to: withItem({}, [...item.columns.slice(0, 2), col('price', 'numeric(12,3)')]),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'timestamp to timestamptz with a default',
    from: withItem({}, itemCols(col('at', 'timestamp without time zone', { default: 'now()' }))),
    to: withItem({}, itemCols(col('at', 'timestamp with time zone', { default: 'now()' }))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'set NOT NULL',
    from: base,
    to: withItem({}, [...item.columns.slice(0, 2), col('price', 'numeric(10,2)', { nullable: false })]),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'drop NOT NULL',
    from: base,
    to: withItem({}, [item.columns[0]!, col('name', 'text'), item.columns[2]!]),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'add a default',
    from: base,
    to: withItem({}, [...item.columns.slice(0, 2), col('price', 'numeric(10,2)', { default: '0' })]),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'change a string default',
    from: withItem({}, itemCols(col('status', 'text', { default: "'new'" }))),
    to: withItem({}, itemCols(col('status', 'text', { default: "'open'" }))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'drop a default',
    from: withItem({}, itemCols(col('status', 'text', { default: "'new'" }))),
    to: withItem({}, itemCols(col('status', 'text'))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'add an identity',
    from: withItem({}, itemCols(col('seq', 'bigint', { nullable: false }))),
    to: withItem({}, itemCols(col('seq', 'bigint', { nullable: false, identity: 'byDefault' }))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'identity always to by default',
    from: withItem({}, itemCols(col('seq', 'bigint', { nullable: false, identity: 'always' }))),
    to: withItem({}, itemCols(col('seq', 'bigint', { nullable: false, identity: 'byDefault' }))),
    expectKinds: ['alterColumn'],
  },
  {
    name: 'add a column comment',
    from: base,
    to: withItem({}, [...item.columns.slice(0, 2), col('price', 'numeric(10,2)', { comment: "price in € (it's net)" })]),
    expectKinds: ['alterColumn'],
  },
  { name: 'add a table comment', from: base, to: withItem({ comment: 'Things we sell' }), expectKinds: ['setTableComment'] },
  {
    name: 'create a table with comments',
    from: model([]),
    to: model([{ ...item, comment: 'Things', columns: [item.columns[0]!, col('name', 'text', { nullable: false, comment: 'Shown' })] }]),
    expectKinds: ['createTable'],
  },
  {
    name: 'add a unique constraint',
    from: base,
    to: withItem({ uniques: [{ name: 'item_name_key', columns: ['name'], nullsNotDistinct: false }] }),
    expectKinds: ['addUnique'],
  },
  {
    name: 'drop a unique constraint',
    from: withItem({ uniques: [{ name: 'item_name_key', columns: ['name'], nullsNotDistinct: false }] }),
    to: base,
    expectKinds: ['dropUnique'],
  },
  {
    name: 'multi-column unique NULLS NOT DISTINCT',
    from: base,
    to: withItem({ uniques: [{ name: 'uq_item_name_price', columns: ['name', 'price'], nullsNotDistinct: true }] }),
    expectKinds: ['addUnique'],
  },
  { name: 'add an index', from: base, to: withItem({ indexes: [index('ix_item_name', ['name'])] }), expectKinds: ['createIndex'] },
  { name: 'drop an index', from: withItem({ indexes: [index('ix_item_name', ['name'])] }), to: base, expectKinds: ['dropIndex'] },
  {
    name: 'change an index (drop + create)',
    from: withItem({ indexes: [index('ix_item_name', ['name'])] }),
    to: withItem({ indexes: [index('ix_item_name', ['name', 'price'])] }),
    expectKinds: ['dropIndex', 'createIndex'],
  },
  {
    name: 'make an index unique',
    from: withItem({ indexes: [index('ix_item_name', ['name'])] }),
    to: withItem({ indexes: [index('ix_item_name', ['name'], { unique: true })] }),
    expectKinds: ['dropIndex', 'createIndex'],
  },
  {
    name: 'partial index',
    from: base,
    to: withItem({ indexes: [index('ix_item_priced', ['name'], { where: 'price IS NOT NULL' })] }),
    expectKinds: ['createIndex'],
  },
  {
    name: 'expression index',
    from: base,
    to: withItem({ indexes: [{ ...index('ix_item_lower_name', []), keys: [{ kind: 'expression', sql: 'lower(name)' }] }] }),
    expectKinds: ['createIndex'],
  },
  {
    name: 'hash index',
    from: base,
    to: withItem({ indexes: [index('ix_item_name_hash', ['name'], { using: 'hash' })] }),
    expectKinds: ['createIndex'],
  },
  {
    name: 'add a foreign key with ON DELETE CASCADE',
    from: tutorialModel,
    to: model([userTable, { ...postTable, foreignKeys: [fk('post_user_id_fkey', ['user_id'], 'user', ['id'], { onDelete: 'cascade' })] }]),
    expectKinds: ['dropForeignKey', 'addForeignKey'],
  },
  {
    name: 'drop a foreign key',
    from: tutorialModel,
    to: model([userTable, { ...postTable, foreignKeys: [] }]),
    expectKinds: ['dropForeignKey'],
  },
  {
    name: 'add a check constraint',
    from: base,
    to: withItem({ checks: [{ name: 'item_price_positive', definition: 'CHECK (price > 0)' }] }),
    expectKinds: ['addCheck'],
  },
  {
    name: 'change a check constraint',
    from: withItem({ checks: [{ name: 'item_price_positive', definition: 'CHECK (price > 0)' }] }),
    to: withItem({ checks: [{ name: 'item_price_positive', definition: 'CHECK (price >= 1)' }] }),
    expectKinds: ['dropCheck', 'addCheck'],
  },
  { name: 'create an enum and a column of it', from: base, to: withMood(['happy', 'sad', 'ok']), expectKinds: ['createEnum', 'addColumn'] },
  { name: 'append an enum value', from: withMood(['happy', 'sad']), to: withMood(['happy', 'sad', 'ok']), expectKinds: ['addEnumValue'] },
  { name: 'insert an enum value', from: withMood(['happy', 'ok']), to: withMood(['happy', 'sad', 'ok']), expectKinds: ['addEnumValue'] },
  { name: 'drop an enum value (recreate)', from: withMood(['happy', 'sad', 'ok']), to: withMood(['happy', 'ok']), expectKinds: ['recreateEnum'] },
  { name: 'drop an enum', from: withMood(['happy', 'sad']), to: base, expectKinds: ['dropColumn', 'dropEnum'] },
  {
    name: 'create a schema with a table in it',
    from: base,
    to: model([item, { ...item, schema: 'app', name: 'setting' , primaryKey: { name: 'setting_pkey', columns: ['id'] } }], { schemas: ['app'] }),
    expectKinds: ['createSchema', 'createTable'],
  },
  {
    name: 'drop a schema with its table',
    from: model([item, { ...item, schema: 'app', name: 'setting', primaryKey: { name: 'setting_pkey', columns: ['id'] } }], { schemas: ['app'] }),
    to: base,
    schemas: ['public', 'app'],
    expectKinds: ['dropTable', 'dropSchema'],
  },
  {
    name: 'composite primary key',
    from: model([table('tag', [col('a', 'integer', { nullable: false }), col('b', 'integer', { nullable: false })])]),
    to: model([table('tag', [col('a', 'integer', { nullable: false }), col('b', 'integer', { nullable: false })], { primaryKey: { name: 'tag_pkey', columns: ['a', 'b'] } })]),
    expectKinds: ['addPrimaryKey'],
  },
  {
    name: 'add a generated column',
    from: base,
    to: withItem({}, itemCols(col('price_cents', 'numeric', { generated: '(price * (100)::numeric)' }))),
    expectKinds: ['addColumn'],
  },
  {
    name: 'change a generated expression (drop + add)',
    from: withItem({}, itemCols(col('double_price', 'numeric', { generated: '(price * (2)::numeric)' }))),
    to: withItem({}, itemCols(col('double_price', 'numeric', { generated: '(price * (3)::numeric)' }))),
    expectKinds: ['dropColumn', 'addColumn'],
  },
  {
    name: 'two new tables that reference each other',
    from: model([]),
    to: model([
      table('a', [serialId(), col('b_id', 'integer')], { foreignKeys: [fk('a_b_id_fkey', ['b_id'], 'b', ['id'])] }),
      table('b', [serialId(), col('a_id', 'integer')], { foreignKeys: [fk('b_a_id_fkey', ['a_id'], 'a', ['id'])] }),
    ]),
    expectKinds: ['createTable', 'addForeignKey'],
  },
  {
    name: 'self-referencing table with a named multi-column FK',
    from: model([]),
    to: model([
      table('node', [serialId(), col('parent_id', 'integer')], {
        foreignKeys: [fk('fk_node_parent', ['parent_id'], 'node', ['id'], { onDelete: 'set null', onUpdate: 'cascade' })],
      }),
    ]),
    expectKinds: ['createTable'],
  },
  {
    name: 'add a serial column',
    from: model([table('log', [col('msg', 'text')])]),
    to: model([table('log', [col('msg', 'text'), col('seq', 'bigint', { serial: true, nullable: false })])]),
    expectKinds: ['addColumn'],
  },
  {
    name: 'several changes at once',
    from: tutorialModel,
    to: model([
      { ...userTable, columns: [...userTable.columns, col('about_me', 'character varying(140)'), col('last_seen', 'timestamp without time zone', { default: 'now()' })] },
      { ...postTable, indexes: [index('ix_post_timestamp', ['timestamp'])], checks: [{ name: 'post_body_nonempty', definition: "CHECK (body <> '')" }] },
    ]),
    expectKinds: ['addColumn', 'dropIndex', 'addCheck'],
  },
]
