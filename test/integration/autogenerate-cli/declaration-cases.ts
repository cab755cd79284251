/**
 * A catalogue of schema changes, each written as two real schema declarations (the text of
 * `src/schema.ts` before and after), for the round-trip property in declaration-roundtrip.ts.
 */
import type { RenameHint } from '../../../dist/index.js'
import { POST_TABLE, USER_TABLE } from './project.js'

/** What goes into `src/schema.ts`: the body of `defineSchema({ ... })`, its options, and lines before it. */
export interface Declaration {
  readonly tables: string
  /** The second argument of `defineSchema`, e.g. `{ schemas: ['app'] }`. */
  readonly options?: string
  /** Lines between the imports and `defineSchema`, e.g. `const mood = enumType(...)`. */
  readonly preamble?: string
}

export interface DeclarationCase {
  readonly name: string
  readonly from: Declaration
  readonly to: Declaration
  /** `--rename` hints for the change. */
  readonly renames?: readonly RenameHint[]
  /** The `Detected ...` lines `migrate` must print for the change: the case tests what it says. */
  readonly detects: readonly string[]
}

export function schemaModuleText(declaration: Declaration): string {
  return `import { sql } from 'kysely'
import { defineSchema, enumType, sequence, table, t, view } from 'tsdb-migrate'
${declaration.preamble ?? ''}
export const schema = defineSchema({
${declaration.tables}
}${declaration.options === undefined ? '' : `, ${declaration.options}`})

void sql
void enumType
void sequence
void view
`
}

const decl = (tables: string, extra: Omit<Declaration, 'tables'> = {}): Declaration => ({ tables, ...extra })
const empty = decl('')

/** `item` with the given extra columns and table options. */
const item = (columns = '', options = ''): Declaration =>
  decl(`  item: table({
    id: t.serial().primaryKey(),
    name: t.text().notNull(),
    price: t.integer(),
${columns}
  }${options === '' ? '' : `, ${options}`}),`)

const base = item()
const moodPreamble = (values: readonly string[]) => `const mood = enumType('mood', [${values.map((v) => `'${v}'`).join(', ')}])`
const withMood = (values: readonly string[]): Declaration => ({
  ...item('    feeling: t.enum(mood),'),
  preamble: moodPreamble(values),
})
/** `item` and `app.log` using the enum `app.status`, which PostgreSQL prints qualified. */
const withStatus = (values: readonly string[]): Declaration => ({
  tables: `${item("    state: t.enum(status).notNull().defaultTo('new'),").tables}
  log: table({ id: t.serial().primaryKey(), state: t.enum(status) }, { schema: 'app' }),`,
  preamble: `const status = enumType('status', [${values.map((v) => `'${v}'`).join(', ')}], { schema: 'app' })`,
})
const withMoods = (values: readonly string[]): Declaration => ({
  ...item("    feeling: t.enum(mood),\n    history: t.enum(mood).array().notNull().defaultTo(['happy']),"),
  preamble: moodPreamble(values),
})
const owner = `  owner: table({ id: t.serial().primaryKey() }),`
const appSetting = (schema: string) => `  setting: table({ id: t.serial().primaryKey(), value: t.text() }, { schema: '${schema}' }),`

/** `item` with a `number` column that takes its values from the standalone sequence `item_number`. */
const withItemNumber = (options: string): Declaration => ({
  ...item("    number: t.bigint().notNull().defaultTo(sql`nextval('item_number')`),"),
  preamble: `const itemNumber = sequence('item_number', ${options})`,
  options: '{ sequences: [itemNumber] }',
})

/** `booking` with the given table options: a range column, which a gist index can compare with `&&` on its own. */
const booking = (options = ''): Declaration =>
  decl(`  booking: table({
    id: t.serial().primaryKey(),
    during: t.type('tsrange').notNull(),
    cancelled: t.boolean().notNull().defaultTo(false),
  }${options === '' ? '' : `, ${options}`}),`)
const noOverlap = (where: string) => `{ exclusions: [{ elements: [{ column: 'during', operator: '&&' }], where: sql\`${where}\` }] }`

/** `item` and the given views, each `view(...)` call as written. */
const withViews = (...views: readonly string[]): Declaration => ({ ...base, options: `{ views: [${views.join(', ')}] }` })
const itemName = (where: string) => `view('item_name', sql\`select id, name from item where ${where}\`)`
const zCheap = (columns: string) => `view('z_cheap', sql\`select ${columns} from item where price < 10\`)`
/** Reads `z_cheap`, and sorts before it. */
const aNames = "view('a_names', sql`select name from z_cheap`)"

export const declarationCases: readonly DeclarationCase[] = [
  {
    name: 'create the tutorial user table',
    from: empty,
    to: decl(USER_TABLE),
    detects: [
      "Detected added table 'user'",
      "Detected added index 'ix_user_email' on '('email',)'",
      "Detected added index 'ix_user_username' on '('username',)'",
    ],
  },
  {
    name: 'add the tutorial post table',
    from: decl(USER_TABLE),
    to: decl(`${USER_TABLE}\n${POST_TABLE}`),
    detects: [
      "Detected added table 'post'",
      "Detected added index 'ix_post_timestamp' on '('timestamp',)'",
      "Detected added index 'ix_post_user_id' on '('user_id',)'",
    ],
  },
  {
    name: 'drop a referencing table',
    from: decl(`${USER_TABLE}\n${POST_TABLE}`),
    to: decl(USER_TABLE),
    detects: ["Detected removed table 'post'"],
  },
  {
    name: 'drop every table',
    from: decl(`${USER_TABLE}\n${POST_TABLE}`),
    to: empty,
    detects: ["Detected removed table 'post'", "Detected removed table 'user'"],
  },
  { name: 'add a nullable column', from: base, to: item('    note: t.text(),'), detects: ["Detected added column 'item.note'"] },
  {
    name: 'add a NOT NULL column with a default',
    from: base,
    to: item('    stock: t.integer().notNull().defaultTo(0),'),
    detects: ["Detected added column 'item.stock'"],
  },
  { name: 'drop a column', from: item('    note: t.text(),'), to: base, detects: ["Detected removed column 'item.note'"] },
  {
    name: 'rename a column through renamedFrom',
    from: item('    note: t.text(),'),
    to: item("    remark: t.text().renamedFrom('note'),"),
    detects: ["Detected renamed column 'item.note' to 'remark'"],
  },
  {
    name: 'rename a column through a rename hint',
    from: item('    note: t.text(),'),
    to: item('    remark: t.text(),'),
    renames: [{ table: 'item', from: 'note', to: 'remark' }],
    detects: ["Detected renamed column 'item.note' to 'remark'"],
  },
  {
    name: 'rename a table through renamedFrom',
    from: base,
    to: decl(`  product: table({
    id: t.serial().primaryKey(),
    name: t.text().notNull(),
    price: t.integer(),
  }, { renamedFrom: 'item' }),`),
    detects: [
      "Detected renamed table 'item' to 'product'",
      "Detected renamed constraint 'item_pkey' to 'product_pkey' on 'product'",
      "Detected renamed sequence 'item_id_seq' to 'product_id_seq' on column 'product.id'",
    ],
  },
  {
    // A renamed table's catalog must equal the one a fresh build makes: the sequences of its
    // serial and identity columns, and the indexes and constraints named after it, follow it.
    name: 'rename a table with a serial, an identity, an index, a unique and a check named after it',
    from: item("    code: t.text().unique().check(sql`code <> ''`),\n    seq: t.bigint().generatedByDefaultAsIdentity(),\n    note: t.text().index(),"),
    to: decl(`  product: table({
    id: t.serial().primaryKey(),
    name: t.text().notNull(),
    price: t.integer(),
    code: t.text().unique().check(sql\`code <> ''\`),
    seq: t.bigint().generatedByDefaultAsIdentity(),
    note: t.text().index(),
  }, { renamedFrom: 'item' }),`),
    detects: [
      "Detected renamed table 'item' to 'product'",
      "Detected renamed constraint 'item_pkey' to 'product_pkey' on 'product'",
      "Detected renamed constraint 'item_code_key' to 'product_code_key' on 'product'",
      "Detected renamed constraint 'item_code_check' to 'product_code_check' on 'product'",
      "Detected renamed index 'ix_item_note' to 'ix_product_note' on 'product'",
      "Detected renamed sequence 'item_id_seq' to 'product_id_seq' on column 'product.id'",
      "Detected renamed sequence 'item_seq_seq' to 'product_seq_seq' on column 'product.seq'",
    ],
  },
  {
    name: 'serial to bigserial (the sequence becomes AS bigint too)',
    from: base,
    to: decl(base.tables.replace('id: t.serial()', 'id: t.bigserial()')),
    detects: [
      "Detected type change from integer to bigint on 'item.id'",
      "Detected sequence type change from integer to bigint on column 'item.id'",
    ],
  },
  {
    name: 'serial to a plain integer (the default and the sequence go)',
    from: base,
    to: decl(base.tables.replace('id: t.serial()', 'id: t.integer()')),
    detects: ["Detected removed serial sequence on column 'item.id'"],
  },
  {
    name: 'a plain integer to serial (a sequence starting after the rows)',
    from: item('    position: t.integer().notNull(),'),
    to: item('    position: t.serial(),'),
    detects: ["Detected added serial sequence on column 'item.position'"],
  },
  {
    name: 'rename a table through a rename hint, with a column rename',
    from: base,
    to: decl(`  product: table({
    id: t.serial().primaryKey(),
    title: t.text().notNull(),
    price: t.integer(),
  }),`),
    renames: [{ from: 'item', to: 'product' }, { table: 'product', from: 'name', to: 'title' }],
    detects: [
      "Detected renamed table 'item' to 'product'",
      "Detected renamed column 'product.name' to 'title'",
      "Detected renamed constraint 'item_pkey' to 'product_pkey' on 'product'",
      "Detected renamed sequence 'item_id_seq' to 'product_id_seq' on column 'product.id'",
    ],
  },
  {
    name: 'widen a varchar',
    from: item('    code: t.varchar(50),'),
    to: item('    code: t.varchar(200),'),
    detects: ["Detected type change from character varying(50) to character varying(200) on 'item.code'"],
  },
  {
    name: 'narrow a varchar',
    from: item('    code: t.varchar(200),'),
    to: item('    code: t.varchar(50),'),
    detects: ["Detected type change from character varying(200) to character varying(50) on 'item.code'"],
  },
  {
    name: 'varchar to text',
    from: item('    code: t.varchar(20),'),
    to: item('    code: t.text(),'),
    detects: ["Detected type change from character varying(20) to text on 'item.code'"],
  },
  {
    name: 'integer to bigint',
    from: base,
    to: decl(base.tables.replace('price: t.integer()', 'price: t.bigint()')),
    detects: ["Detected type change from integer to bigint on 'item.price'"],
  },
  {
    name: 'text to integer (a cast in USING)',
    from: item('    qty: t.text(),'),
    to: item('    qty: t.integer(),'),
    detects: ["Detected type change from text to integer on 'item.qty'"],
  },
  {
    name: 'numeric precision and scale',
    from: item('    weight: t.numeric(10, 2),'),
    to: item('    weight: t.numeric(12, 4),'),
    detects: ["Detected type change from numeric(10,2) to numeric(12,4) on 'item.weight'"],
  },
  {
    name: 'timestamp to timestamptz, keeping a now() default',
    from: item('    seen: t.timestamp().defaultTo(sql`now()`),'),
    to: item('    seen: t.timestamptz().defaultTo(sql`now()`),'),
    detects: ["Detected type change from timestamp without time zone to timestamp with time zone on 'item.seen'"],
  },
  {
    name: 'timestamp precision',
    from: item('    seen: t.timestamp(),'),
    to: item('    seen: t.timestamp({ precision: 3 }),'),
    detects: ["Detected type change from timestamp without time zone to timestamp(3) without time zone on 'item.seen'"],
  },
  {
    name: 'add a column with a collation',
    from: base,
    to: item("    code: t.text().collate('C').notNull().defaultTo('x'),"),
    detects: ["Detected added column 'item.code'"],
  },
  {
    name: "change a column's collation, and drop it",
    from: item("    code: t.text().collate('C'),\n    note: t.text().collate('C'),"),
    to: item("    code: t.text().collate('POSIX'),\n    note: t.text(),"),
    detects: ["Detected collation change from C to POSIX on 'item.code'", "Detected collation change from C to default on 'item.note'"],
  },
  {
    name: 'widen a varchar that has a collation (the collation stays)',
    from: item("    code: t.varchar(10).collate('C'),"),
    to: item("    code: t.varchar(20).collate('C'),"),
    detects: ["Detected type change from character varying(10) to character varying(20) on 'item.code'"],
  },
  {
    name: 'text to integer drops the collation',
    from: item("    qty: t.text().collate('C'),"),
    to: item('    qty: t.integer(),'),
    detects: [
      "Detected type change from text to integer on 'item.qty'",
      "Detected collation change from C to default on 'item.qty'",
    ],
  },
  {
    name: 'set NOT NULL',
    from: base,
    to: decl(base.tables.replace('price: t.integer()', 'price: t.integer().notNull()')),
    detects: ["Detected NOT NULL on column 'item.price'"],
  },
  {
    name: 'drop NOT NULL',
    from: decl(base.tables.replace('price: t.integer()', 'price: t.integer().notNull()')),
    to: base,
    detects: ["Detected NULL on column 'item.price'"],
  },
  {
    name: 'add a literal default',
    from: base,
    to: decl(base.tables.replace('price: t.integer()', 'price: t.integer().defaultTo(100)')),
    detects: ["Detected server default on column 'item.price'"],
  },
  {
    name: 'change a string default',
    from: item("    status: t.text().defaultTo('new'),"),
    to: item("    status: t.text().defaultTo('open'),"),
    detects: ["Detected server default on column 'item.status'"],
  },
  {
    name: 'drop a default',
    from: item("    status: t.text().defaultTo('new'),"),
    to: item('    status: t.text(),'),
    detects: ["Detected server default on column 'item.status'"],
  },
  {
    name: 'flip a boolean default',
    from: item('    active: t.boolean().notNull().defaultTo(false),'),
    to: item('    active: t.boolean().notNull().defaultTo(true),'),
    detects: ["Detected server default on column 'item.active'"],
  },
  {
    name: 'add an identity to an integer column',
    from: item('    seq: t.integer().notNull(),'),
    to: item('    seq: t.integer().generatedAlwaysAsIdentity(),'),
    detects: ["Detected identity change on column 'item.seq'"],
  },
  {
    name: 'identity always to by default',
    from: item('    seq: t.bigint().generatedAlwaysAsIdentity(),'),
    to: item('    seq: t.bigint().generatedByDefaultAsIdentity(),'),
    detects: ["Detected identity change on column 'item.seq'"],
  },
  {
    name: 'create a table whose identity starts at 1000',
    from: empty,
    to: decl('  ticket: table({ id: t.bigint().generatedAlwaysAsIdentity({ start: 1000 }).primaryKey(), body: t.text() }),'),
    detects: ["Detected added table 'ticket'"],
  },
  {
    name: 'add an identity column with START and INCREMENT',
    from: base,
    to: item('    seq: t.bigint().generatedByDefaultAsIdentity({ start: 500, increment: 10 }),'),
    detects: ["Detected added column 'item.seq'"],
  },
  {
    name: "change an identity's START and INCREMENT",
    from: item('    seq: t.integer().generatedAlwaysAsIdentity({ start: 100 }),'),
    to: item('    seq: t.integer().generatedAlwaysAsIdentity({ start: 200, increment: 5 }),'),
    detects: ["Detected identity sequence change from START WITH 100 INCREMENT BY 1 to START WITH 200 INCREMENT BY 5 on column 'item.seq'"],
  },
  {
    name: 'turn an identity descending',
    from: item('    seq: t.integer().generatedByDefaultAsIdentity(),'),
    to: item('    seq: t.integer().generatedByDefaultAsIdentity({ start: -10, increment: -2 }),'),
    detects: ["Detected identity sequence change from START WITH 1 INCREMENT BY 1 to START WITH -10 INCREMENT BY -2 on column 'item.seq'"],
  },
  {
    name: 'an integer column becomes an identity starting at 50',
    from: item('    seq: t.integer().notNull(),'),
    to: item('    seq: t.integer().generatedAlwaysAsIdentity({ start: 50 }),'),
    detects: ["Detected identity change on column 'item.seq'"],
  },
  {
    name: 'add a column comment',
    from: base,
    to: decl(base.tables.replace('price: t.integer()', "price: t.integer().comment('In cents')")),
    detects: ["Detected column comment 'item.price'"],
  },
  {
    name: 'add a table comment',
    from: base,
    to: item('', "{ comment: 'Things we sell' }"),
    detects: ["Detected table comment 'item'"],
  },
  {
    name: 'create a table with column and table comments',
    from: empty,
    to: decl(`  note: table({ id: t.serial().primaryKey(), body: t.text().comment("The note's text") }, { comment: 'Notes' }),`),
    detects: ["Detected added table 'note'"],
  },
  {
    name: 'add a unique constraint',
    from: base,
    to: decl(base.tables.replace('name: t.text().notNull()', 'name: t.text().notNull().unique()')),
    detects: ["Detected added unique constraint 'item_name_key' on '('name',)'"],
  },
  {
    name: 'drop a unique constraint',
    from: decl(base.tables.replace('name: t.text().notNull()', 'name: t.text().notNull().unique()')),
    to: base,
    detects: ["Detected removed unique constraint 'item_name_key' on 'item'"],
  },
  {
    name: 'a named multi-column unique, NULLS NOT DISTINCT',
    from: base,
    to: item('', "{ uniques: [{ columns: ['name', 'price'], name: 'uq_item_name_price', nullsNotDistinct: true }] }"),
    detects: ["Detected added unique constraint 'uq_item_name_price' on '('name', 'price')'"],
  },
  {
    name: 'add an index with .index()',
    from: base,
    to: decl(base.tables.replace('name: t.text().notNull()', 'name: t.text().notNull().index()')),
    detects: ["Detected added index 'ix_item_name' on '('name',)'"],
  },
  {
    name: 'drop an index',
    from: decl(base.tables.replace('name: t.text().notNull()', 'name: t.text().notNull().index()')),
    to: base,
    detects: ["Detected removed index 'ix_item_name' on 'item'"],
  },
  {
    name: 'make an index unique',
    from: decl(base.tables.replace('name: t.text().notNull()', 'name: t.text().notNull().index()')),
    to: decl(base.tables.replace('name: t.text().notNull()', 'name: t.text().notNull().unique().index()')),
    detects: ["Detected removed index 'ix_item_name' on 'item'", "Detected added index 'ix_item_name' on '('name',)'"],
  },
  {
    name: 'a multi-column index',
    from: base,
    to: item('', "{ indexes: [{ columns: ['name', 'price'] }] }"),
    detects: ["Detected added index 'item_name_price_idx' on '('name', 'price')'"],
  },
  {
    name: 'a partial index',
    from: base,
    to: item('', "{ indexes: [{ name: 'ix_item_priced', columns: ['name'], where: sql`price > 0` }] }"),
    detects: ["Detected added index 'ix_item_priced' on '('name',)'"],
  },
  {
    name: 'change the predicate of a partial index',
    from: item('', "{ indexes: [{ name: 'ix_item_priced', columns: ['name'], where: sql`price > 0` }] }"),
    to: item('', "{ indexes: [{ name: 'ix_item_priced', columns: ['name'], where: sql`price > 10` }] }"),
    detects: ["Detected removed index 'ix_item_priced' on 'item'", "Detected added index 'ix_item_priced' on '('name',)'"],
  },
  {
    name: 'an expression index',
    from: base,
    to: item('', "{ indexes: [{ name: 'ix_item_lower_name', expressions: [sql`lower(name)`], unique: true }] }"),
    detects: ["Detected added index 'ix_item_lower_name' on '('lower(name)',)'"],
  },
  {
    name: 'a hash index',
    from: base,
    to: item('', "{ indexes: [{ name: 'ix_item_name_hash', columns: ['name'], using: 'hash' }] }"),
    detects: ["Detected added index 'ix_item_name_hash' on '('name',)'"],
  },
  {
    name: 'an index with an operator class and a DESC NULLS LAST key',
    from: base,
    to: item('', "{ indexes: [{ name: 'ix_item_name_price', columns: [{ column: 'name', opclass: 'text_pattern_ops' }, { column: 'price', order: 'desc', nulls: 'last' }] }] }"),
    detects: ["Detected added index 'ix_item_name_price' on '('name', 'price')'"],
  },
  {
    name: 'an index key becomes DESC',
    from: item('', "{ indexes: [{ name: 'ix_item_price', columns: ['price'] }] }"),
    to: item('', "{ indexes: [{ name: 'ix_item_price', columns: [{ column: 'price', order: 'desc' }] }] }"),
    detects: ["Detected removed index 'ix_item_price' on 'item'", "Detected added index 'ix_item_price' on '('price',)'"],
  },
  {
    name: 'an expression key DESC NULLS LAST, and a gin key with jsonb_path_ops',
    from: base,
    to: item(
      '    meta: t.jsonb(),',
      "{ indexes: [{ name: 'ix_item_lower_name', expressions: [{ expression: sql`lower(name)`, order: 'desc', nulls: 'last' }] }, { name: 'ix_item_meta', columns: [{ column: 'meta', opclass: 'jsonb_path_ops' }], using: 'gin' }] }",
    ),
    detects: [
      "Detected added column 'item.meta'",
      "Detected added index 'ix_item_lower_name' on '('lower(name)',)'",
      "Detected added index 'ix_item_meta' on '('meta',)'",
    ],
  },
  {
    name: 'a partial index becomes covering, with INCLUDE and WITH (fillfactor)',
    from: item('', "{ indexes: [{ name: 'ix_item_name_cover', columns: ['name'], where: sql`price > 0` }] }"),
    to: item('', "{ indexes: [{ name: 'ix_item_name_cover', columns: ['name'], include: ['price'], with: { fillfactor: 70, deduplicate_items: false }, where: sql`price > 0` }] }"),
    detects: ["Detected removed index 'ix_item_name_cover' on 'item'", "Detected added index 'ix_item_name_cover' on '('name',)'"],
  },
  {
    name: 'change the storage parameters of an index',
    from: item('', "{ indexes: [{ name: 'ix_item_name', columns: ['name'], with: { fillfactor: 70 } }] }"),
    to: item('', "{ indexes: [{ name: 'ix_item_name', columns: ['name'], with: { fillfactor: 90 } }] }"),
    detects: ["Detected removed index 'ix_item_name' on 'item'", "Detected added index 'ix_item_name' on '('name',)'"],
  },
  {
    name: 'add a foreign key with ON DELETE CASCADE',
    from: decl(`${owner}\n${base.tables}`),
    to: decl(`${owner}\n${item("    owner_id: t.integer().references('owner.id').onDelete('cascade'),").tables}`),
    detects: ["Detected added column 'item.owner_id'", 'Detected added foreign key (owner_id)(id) on table item'],
  },
  {
    name: 'add a foreign key to an existing column',
    from: decl(`${owner}\n${item('    owner_id: t.integer(),').tables}`),
    to: decl(`${owner}\n${item("    owner_id: t.integer().references('owner.id'),").tables}`),
    detects: ['Detected added foreign key (owner_id)(id) on table item'],
  },
  {
    name: 'change ON DELETE of a foreign key',
    from: decl(`${owner}\n${item("    owner_id: t.integer().references('owner.id').onDelete('cascade'),").tables}`),
    to: decl(`${owner}\n${item("    owner_id: t.integer().references('owner.id').onDelete('set null').onUpdate('cascade'),").tables}`),
    detects: ['Detected removed foreign key (owner_id)(id) on table item', 'Detected added foreign key (owner_id)(id) on table item'],
  },
  {
    name: 'make a foreign key DEFERRABLE INITIALLY DEFERRED and MATCH FULL',
    from: decl(`${owner}\n${item("    owner_id: t.integer().references('owner.id'),").tables}`),
    to: decl(`${owner}\n${item("    owner_id: t.integer().references('owner.id').onDelete('cascade').initiallyDeferred().matchFull(),").tables}`),
    detects: ['Detected removed foreign key (owner_id)(id) on table item', 'Detected added foreign key (owner_id)(id) on table item'],
  },
  {
    name: 'create tables with a DEFERRABLE foreign key and a MATCH FULL multi-column one',
    from: empty,
    to: decl(`  owner: table({ id: t.serial().primaryKey(), region: t.integer().notNull() }, { uniques: [{ columns: ['id', 'region'] }] }),
  pet: table(
    { id: t.serial().primaryKey(), owner_id: t.integer().references('owner.id').deferrable(), region: t.integer() },
    { foreignKeys: [{ columns: ['owner_id', 'region'], references: 'owner', referencedColumns: ['id', 'region'], match: 'full', deferrable: true }] },
  ),`),
    detects: ["Detected added table 'owner'", "Detected added table 'pet'"],
  },
  {
    name: 'drop a foreign key',
    from: decl(`${owner}\n${item("    owner_id: t.integer().references('owner.id'),").tables}`),
    to: decl(`${owner}\n${item('    owner_id: t.integer(),').tables}`),
    detects: ['Detected removed foreign key (owner_id)(id) on table item'],
  },
  {
    name: 'add a column check',
    from: base,
    to: decl(base.tables.replace('price: t.integer()', 'price: t.integer().check(sql`price > 0`)')),
    detects: ["Detected added check constraint 'item_price_check' on 'item'"],
  },
  {
    name: 'change a named table check',
    from: item('', "{ checks: [{ name: 'item_price_positive', expression: sql`price > 0` }] }"),
    to: item('', "{ checks: [{ name: 'item_price_positive', expression: sql`price >= 1 and price < 1000000` }] }"),
    detects: ["Detected removed check constraint 'item_price_positive' on 'item'", "Detected added check constraint 'item_price_positive' on 'item'"],
  },
  {
    // PostgreSQL prints the BETWEEN as a nested AND, which it reads back flat and prints again
    // without the inner parentheses: the second print is what the database holds.
    name: 'a check using BETWEEN combined with AND',
    from: base,
    to: item('', "{ checks: [{ expression: sql`price between 1 and 100 and name <> ''` }] }"),
    detects: ["Detected added check constraint 'item_check' on 'item'"],
  },
  {
    name: 'create an enum and a column of it',
    from: base,
    to: withMood(['happy', 'sad', 'ok']),
    detects: ["Detected added enum 'mood' with values ('happy', 'sad', 'ok')", "Detected added column 'item.feeling'"],
  },
  {
    name: 'append an enum value',
    from: withMood(['happy', 'sad']),
    to: withMood(['happy', 'sad', 'ok']),
    detects: ["Detected added value 'ok' in enum 'mood'"],
  },
  {
    name: 'insert an enum value between two others',
    from: withMood(['happy', 'ok']),
    to: withMood(['happy', 'sad', 'ok']),
    detects: ["Detected added value 'sad' in enum 'mood'"],
  },
  {
    name: 'drop an enum value (the type is recreated)',
    from: withMood(['happy', 'sad', 'ok']),
    to: withMood(['happy', 'ok']),
    detects: ["Detected changed values of enum 'mood': ('happy', 'sad', 'ok') to ('happy', 'ok')"],
  },
  {
    // The downgrade recreates the type without 'ok', moving the array column over too.
    name: 'append a value to an enum that an array column uses',
    from: withMoods(['happy', 'sad']),
    to: withMoods(['happy', 'sad', 'ok']),
    detects: ["Detected added value 'ok' in enum 'mood'"],
  },
  {
    name: 'drop a value of an enum that an array column uses',
    from: withMoods(['happy', 'sad', 'ok']),
    to: withMoods(['happy', 'ok']),
    detects: ["Detected changed values of enum 'mood': ('happy', 'sad', 'ok') to ('happy', 'ok')"],
  },
  {
    name: 'drop an enum with its column',
    from: withMood(['happy', 'sad']),
    to: base,
    detects: ["Detected removed column 'item.feeling'", "Detected removed enum 'mood'"],
  },
  {
    name: 'an enum in another schema, used by a public table and by a table of that schema',
    from: base,
    to: withStatus(['new', 'done']),
    detects: [
      "Detected added schema 'app'",
      "Detected added enum 'app.status' with values ('new', 'done')",
      "Detected added table 'app.log'",
      "Detected added column 'item.state'",
    ],
  },
  {
    name: 'add a value to an enum in another schema',
    from: withStatus(['new', 'done']),
    to: withStatus(['new', 'open', 'done']),
    detects: ["Detected added value 'open' in enum 'app.status'"],
  },
  {
    name: 'drop a value of an enum in another schema',
    from: withStatus(['new', 'open', 'done']),
    to: withStatus(['new', 'done']),
    detects: ["Detected changed values of enum 'app.status': ('new', 'open', 'done') to ('new', 'done')"],
  },
  {
    name: 'an enum no column uses yet',
    from: base,
    to: { ...base, preamble: moodPreamble(['a', 'b']), options: '{ enums: [mood] }' },
    detects: ["Detected added enum 'mood' with values ('a', 'b')"],
  },
  {
    name: 'create a schema with a table in it',
    from: base,
    to: decl(`${base.tables}\n${appSetting('app')}`),
    detects: ["Detected added schema 'app'", "Detected added table 'app.setting'"],
  },
  {
    // A schema that leaves the declaration is no longer compared (tsdb owns only declared
    // schemas), so the schema stays declared for its table to be dropped.
    name: 'drop a table from a declared schema',
    from: decl(`${base.tables}\n${appSetting('app')}`),
    to: { ...base, options: "{ schemas: ['app'] }" },
    detects: ["Detected removed table 'app.setting'"],
  },
  {
    name: 'a table in another schema referencing a public one',
    from: base,
    to: decl(`${base.tables}\n  audit: table({ id: t.serial().primaryKey(), item_id: t.integer().references('item.id') }, { schema: 'app' }),`),
    detects: ["Detected added schema 'app'", "Detected added table 'app.audit'"],
  },
  {
    // Flask-SQLAlchemy's name, so that a database Alembic built is taken over with no change.
    name: '.index() on a table in another schema is named ix_<schema>_<table>_<column>',
    from: decl(`${base.tables}\n${appSetting('app')}`),
    to: decl(`${base.tables}\n${appSetting('app').replace('value: t.text()', 'value: t.text().index()')}`),
    detects: ["Detected added index 'ix_app_setting_value' on '('value',)'"],
  },
  {
    name: 'an empty declared schema',
    from: base,
    to: { ...base, options: "{ schemas: ['reporting'] }" },
    detects: ["Detected added schema 'reporting'"],
  },
  {
    name: 'a composite primary key',
    from: empty,
    to: decl(`  tag: table({ a: t.integer(), b: t.integer() }, { primaryKey: ['a', 'b'] }),`),
    detects: ["Detected added table 'tag'"],
  },
  {
    name: 'add a primary key to a table that had none',
    from: decl(`  tag: table({ a: t.integer().notNull(), b: t.integer() }),`),
    to: decl(`  tag: table({ a: t.integer().primaryKey(), b: t.integer() }),`),
    detects: ["Detected added primary key 'tag_pkey' on '('a',)'"],
  },
  {
    name: 'add a generated column',
    from: base,
    to: item('    doubled: t.integer().generatedAlwaysAs(sql`price * 2`),'),
    detects: ["Detected added column 'item.doubled'"],
  },
  {
    name: 'change a generated expression (drop and add)',
    from: item('    doubled: t.integer().generatedAlwaysAs(sql`price * 2`),'),
    to: item('    doubled: t.integer().generatedAlwaysAs(sql`price * 3`),'),
    detects: ["Detected removed column 'item.doubled'", "Detected added column 'item.doubled'"],
  },
  {
    name: 'two new tables that reference each other',
    from: empty,
    to: decl(`  a: table({ id: t.serial().primaryKey(), b_id: t.integer().references('b.id') }),
  b: table({ id: t.serial().primaryKey(), a_id: t.integer().references('a.id') }),`),
    detects: ["Detected added table 'a'", "Detected added table 'b'", 'Detected added foreign key (b_id)(id) on table a'],
  },
  {
    name: 'a self-referencing table with a named multi-column foreign key',
    from: empty,
    to: decl(`  node: table(
    { tree: t.integer().notNull(), id: t.integer().notNull(), parent_tree: t.integer(), parent_id: t.integer() },
    {
      primaryKey: ['tree', 'id'],
      foreignKeys: [{ name: 'fk_node_parent', columns: ['parent_tree', 'parent_id'], references: 'node', referencedColumns: ['tree', 'id'], onDelete: 'cascade' }],
    },
  ),`),
    detects: ["Detected added table 'node'"],
  },
  {
    name: 'add a serial column',
    from: base,
    to: item('    position: t.serial(),'),
    detects: ["Detected added column 'item.position'"],
  },
  {
    name: 'jsonb with an object default, text[] with an array default',
    from: base,
    to: item("    meta: t.jsonb().notNull().defaultTo({ tags: ['a'], n: 1 }),\n    labels: t.text().array().defaultTo(['x', 'y']),"),
    detects: ["Detected added column 'item.meta'", "Detected added column 'item.labels'"],
  },
  {
    name: 'uuid primary key with gen_random_uuid()',
    from: empty,
    to: decl(`  token: table({ id: t.uuid().primaryKey().defaultTo(sql\`gen_random_uuid()\`), issued: t.date().notNull().defaultTo(sql\`current_date\`) }),`),
    detects: ["Detected added table 'token'"],
  },
  {
    name: 'several changes at once',
    from: decl(`${USER_TABLE}\n${POST_TABLE}`),
    to: decl(`${USER_TABLE.replace('password_hash: t.varchar(256),', "password_hash: t.varchar(256),\n    about_me: t.varchar(140),\n    last_seen: t.timestamp().defaultTo(sql`now()`),")}
${POST_TABLE.replace("references('user.id')", "references('user.id').onDelete('cascade')").replace('body: t.varchar(140).notNull()', "body: t.varchar(280).notNull().check(sql`body <> ''`)")}`),
    detects: [
      'Detected removed foreign key (user_id)(id) on table post',
      "Detected added column 'user.about_me'",
      "Detected added column 'user.last_seen'",
      "Detected type change from character varying(140) to character varying(280) on 'post.body'",
      "Detected added check constraint 'post_body_check' on 'post'",
      'Detected added foreign key (user_id)(id) on table post',
    ],
  },
  {
    name: 'a standalone sequence that a column default takes its values from',
    from: base,
    to: withItemNumber('{ start: 1000, increment: 10 }'),
    detects: ["Detected added sequence 'item_number'", "Detected added column 'item.number'"],
  },
  {
    name: "change a standalone sequence's type, bounds and cycling",
    from: withItemNumber('{ start: 1000, increment: 10 }'),
    to: withItemNumber("{ as: 'integer', start: 1000, increment: 5, minValue: 100, maxValue: 99999, cycle: true }"),
    detects: ["Detected changed sequence 'item_number'"],
  },
  {
    name: 'drop a standalone sequence with the column that used it',
    from: withItemNumber('{}'),
    to: base,
    detects: ["Detected removed column 'item.number'", "Detected removed sequence 'item_number'"],
  },
  {
    name: 'a descending sequence in another schema',
    from: base,
    to: {
      ...item("    countdown: t.integer().defaultTo(sql`nextval('app.countdown')`),"),
      preamble: "const countdown = sequence('countdown', { schema: 'app', as: 'integer', increment: -1 })",
      options: "{ schemas: ['app'], sequences: [countdown] }",
    },
    detects: ["Detected added schema 'app'", "Detected added sequence 'app.countdown'", "Detected added column 'item.countdown'"],
  },
  {
    name: 'add an exclusion constraint with a predicate',
    from: booking(),
    to: booking(noOverlap('not cancelled')),
    detects: ["Detected added exclusion constraint 'booking_during_excl' on 'booking'"],
  },
  {
    name: "change an exclusion constraint's predicate (drop and add)",
    from: booking(noOverlap('not cancelled')),
    to: booking(noOverlap('id > 0 and not cancelled')),
    detects: [
      "Detected removed exclusion constraint 'booking_during_excl' on 'booking'",
      "Detected added exclusion constraint 'booking_during_excl' on 'booking'",
    ],
  },
  {
    name: 'a new table with a named exclusion constraint on an expression',
    from: empty,
    to: decl(`  slot: table(
    { id: t.serial().primaryKey(), starts: t.timestamp().notNull(), ends: t.timestamp().notNull() },
    { exclusions: [{ name: 'slot_no_overlap', using: 'gist', elements: [{ expression: sql\`tsrange(starts, ends)\`, operator: '&&' }] }] },
  ),`),
    detects: ["Detected added table 'slot'"],
  },
  {
    name: 'drop an exclusion constraint',
    from: booking(noOverlap('not cancelled')),
    to: booking(),
    detects: ["Detected removed exclusion constraint 'booking_during_excl' on 'booking'"],
  },
  {
    name: 'a view on a table created in the same revision',
    from: empty,
    to: withViews(itemName('price > 0')),
    detects: ["Detected added table 'item'", "Detected added view 'item_name'"],
  },
  {
    name: 'a view on a view (created after it), and a materialized view',
    from: base,
    to: withViews(aNames, zCheap('id, name'), "view('price_stats', sql`select count(*) as n, max(price) as top from item`, { materialized: true })"),
    detects: ["Detected added materialized view 'price_stats'", "Detected added view 'z_cheap'", "Detected added view 'a_names'"],
  },
  {
    name: "change a view's query, not its columns (replaced)",
    from: withViews(itemName('price > 0')),
    to: withViews(itemName('price > 10 and name <> \'\'')),
    detects: ["Detected changed view 'item_name'"],
  },
  {
    name: "change a view's columns (dropped and created, with the view that reads it)",
    from: withViews(aNames, zCheap('id, name')),
    to: withViews(aNames, zCheap('id, name, price')),
    detects: [
      "Detected removed view 'a_names'",
      "Detected removed view 'z_cheap'",
      "Detected added view 'z_cheap'",
      "Detected added view 'a_names'",
    ],
  },
  {
    name: 'retype a column a view reads (the view is dropped first and created after)',
    from: withViews(itemName('price > 0')),
    to: { ...withViews(itemName('price > 0')), tables: base.tables.replace('price: t.integer()', 'price: t.bigint()') },
    detects: [
      "Detected removed view 'item_name'",
      "Detected type change from integer to bigint on 'item.price'",
      "Detected added view 'item_name'",
    ],
  },
  {
    name: 'drop a table and the view that reads it',
    from: withViews(itemName('price > 0')),
    to: empty,
    detects: ["Detected removed view 'item_name'", "Detected removed table 'item'"],
  },
  {
    name: 'a materialized view in another schema',
    from: base,
    to: { ...base, options: "{ schemas: ['app'], views: [view('stats', sql`select count(*) as n from item`, { schema: 'app', materialized: true })] }" },
    detects: ["Detected added schema 'app'", "Detected added materialized view 'app.stats'"],
  },
]
