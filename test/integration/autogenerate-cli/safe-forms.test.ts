import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { beforeAll, expect, test } from 'vitest'
import { downgrade, migrate, upgrade, withDatabase, type ResolvedConfig } from '../../../dist/index.js'
import { describeEachDatabase } from '../../helpers/databases.js'
import { apiConfig, createApiProject } from './project.js'
import { schemaModuleText } from './declaration-cases.js'

const OWNER = '  owner: table({ id: t.serial().primaryKey() }),'
const item = (columns: string, options = '') => ({
  tables: `${OWNER}
  item: table({
    id: t.serial().primaryKey(),
    name: t.text(),
${columns}
  }${options === '' ? '' : `, ${options}`}),`,
})
const BEFORE = item('    price: t.integer(),\n    owner_id: t.integer(),')
const AFTER = {
  tables: `${OWNER}
  item: table({
    id: t.serial().primaryKey(),
    name: t.text().notNull(),
    price: t.bigint(),
    owner_id: t.integer().references('owner.id').index(),
  }, { checks: [{ name: 'ck_item_price', expression: sql\`price > 0\` }] }),`,
}

/** What the catalogs say about the safe forms' objects on `item`. */
async function readItem(db: Kysely<any>) {
  const constraints = await sql<{ name: string; validated: boolean }>`
    select conname as name, convalidated as validated from pg_constraint
    where conrelid = 'public.item'::regclass and contype in ('c', 'f') order by conname`.execute(db)
  const indexes = await sql<{ name: string; valid: boolean }>`
    select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = 'public.item'::regclass and not i.indisprimary order by c.relname`.execute(db)
  const columns = await sql<{ name: string; notNull: boolean; type: string }>`
    select attname as name, attnotnull as "notNull", format_type(atttypid, atttypmod) as type from pg_attribute
    where attrelid = 'public.item'::regclass and attnum > 0 and not attisdropped order by attnum`.execute(db)
  return { constraints: constraints.rows, indexes: indexes.rows, columns: columns.rows }
}

/**
 * Autogenerate writes the safe form of a change to a table that exists: the index built
 * CONCURRENTLY, the constraints added NOT VALID then validated, SET NOT NULL through a validated
 * check, in a revision that runs outside a transaction; each statement says what it locks and
 * scans, with the table's size. The safe forms round-trip as every other operation does.
 */
describeEachDatabase('autogenerate writes the safe form of a change to an existing table', (ctx) => {
  let project: string
  let config: ResolvedConfig
  const declare = (declaration: { tables: string }) => writeFile(join(project, 'src', 'schema.ts'), schemaModuleText(declaration))

  beforeAll(async () => {
    project = await createApiProject()
    config = apiConfig(ctx, project)
    await declare(BEFORE)
    await migrate(config, { message: 'item' })
    await upgrade(config)
    await withDatabase(config, async (db) => {
      await sql`insert into owner default values`.execute(db)
      await sql`insert into item (name, price, owner_id) select 'n' || g, g, 1 from generate_series(1, 20) g`.execute(db)
      await sql`analyze item`.execute(db)
    })
  })

  test('upgrade, an idempotent second migrate, downgrade and upgrade again, on a table with rows', async () => {
    const initial = await withDatabase(config, readItem)
    expect(initial).toEqual({
      constraints: [],
      indexes: [],
      columns: [
        { name: 'id', notNull: true, type: 'integer' },
        { name: 'name', notNull: false, type: 'text' },
        { name: 'price', notNull: false, type: 'integer' },
        { name: 'owner_id', notNull: false, type: 'integer' },
      ],
    })
    await declare(AFTER)
    const change = await migrate(config, { message: 'safe' })
    expect(change.detected).toEqual([
      "Detected NOT NULL on column 'item.name'",
      "Detected type change from integer to bigint on 'item.price'",
      "Detected added check constraint 'ck_item_price' on 'item'",
      "Detected added index 'ix_item_owner_id' on '('owner_id',)'",
      'Detected added foreign key (owner_id)(id) on table item',
    ])
    const text = await readFile(change.created!.path, 'utf8')
    const up = text.slice(text.indexOf('async function up'), text.indexOf('async function down'))
    const down = text.slice(text.indexOf('async function down'))
    expect(text).toContain('export const transactional = false')
    const statements = (body: string) => body.split('\n').filter((line) => line.trim().startsWith('await ')).map((line) => line.trim())
    expect(statements(up)).toEqual([
      "await sql`SET lock_timeout = '5000ms'`.execute(db)",
      "await sql`ALTER TABLE ${sql.id('item')} ADD CONSTRAINT ${sql.id('item_name_not_null')} CHECK (${sql.id('name')} IS NOT NULL) NOT VALID`.execute(db)",
      "await sql`ALTER TABLE ${sql.id('item')} VALIDATE CONSTRAINT ${sql.id('item_name_not_null')}`.execute(db)",
      "await sql`ALTER TABLE ${sql.id('item')} ALTER COLUMN ${sql.id('name')} SET NOT NULL`.execute(db)",
      "await sql`ALTER TABLE ${sql.id('item')} DROP CONSTRAINT ${sql.id('item_name_not_null')}`.execute(db)",
      'await db.schema',
      "await sql`ALTER TABLE ${sql.id('item')} ADD CONSTRAINT ${sql.id('ck_item_price')} CHECK ((price > 0)) NOT VALID`.execute(db)",
      "await sql`ALTER TABLE ${sql.id('item')} VALIDATE CONSTRAINT ${sql.id('ck_item_price')}`.execute(db)",
      // No lock_timeout for the index build: it waits for older transactions, blocking no one.
      'await sql`SET lock_timeout = 0`.execute(db)',
      "await sql`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${sql.id('ix_item_owner_id')} ON ${sql.id('item')} (${sql.id('owner_id')})`.execute(db)",
      "await sql`SET lock_timeout = '5000ms'`.execute(db)",
      "await sql`ALTER TABLE ${sql.id('item')} ADD CONSTRAINT ${sql.id('item_owner_id_fkey')} FOREIGN KEY (${sql.id('owner_id')}) REFERENCES ${sql.id('owner')} (${sql.id('id')}) NOT VALID`.execute(db)",
      "await sql`ALTER TABLE ${sql.id('item')} VALIDATE CONSTRAINT ${sql.id('item_owner_id_fkey')}`.execute(db)",
      'await sql`RESET lock_timeout`.execute(db)',
    ])
    // Each statement carries its lock, its work and the live size of the table.
    const size = String.raw`item: ~20 rows, \d+ kB`
    expect(up).toMatch(new RegExp(String.raw`// lock: ACCESS EXCLUSIVE on item \(blocks reads and writes\); no scan, no rewrite; ${size}\n\s+await sql\`ALTER TABLE \$\{sql.id\('item'\)\} ADD CONSTRAINT \$\{sql.id\('item_name_not_null'\)\}`))
    expect(up).toMatch(new RegExp(String.raw`// lock: SHARE UPDATE EXCLUSIVE on item \(blocks neither reads nor writes\); validating ck_item_price over all of item; ${size}\n`))
    expect(up).toMatch(new RegExp(String.raw`// lock: ACCESS EXCLUSIVE on item \(blocks reads and writes\); rewriting item; ${size}\n\s+await db.schema\n\s+.alterTable\('item'\)\n\s+.alterColumn\('price'`))
    expect(up).toMatch(new RegExp(String.raw`// lock: SHARE UPDATE EXCLUSIVE on item \(blocks neither reads nor writes\); reads the table without blocking reads or writes \(CONCURRENTLY\); ${size}\n`))
    expect(up).toMatch(new RegExp(String.raw`// lock: SHARE ROW EXCLUSIVE on item \(blocks writes\), SHARE ROW EXCLUSIVE on owner \(blocks writes\); no scan, no rewrite; ${size}; owner: ~\d+ rows, \d+ kB\n`))
    expect(statements(down)).toContain("await db.schema.alterTable('item').alterColumn('name', (col) => col.dropNotNull()).execute()")
    // The one rewrite has no cheap path: migrate names it, both ways.
    expect(change.risks).toHaveLength(2)
    expect(change.risks[0]).toMatch(/^upgrade: rewriting item under ACCESS EXCLUSIVE on item \(blocks reads and writes; ~20 rows, \d+ kB\): alter table "item" alter column "price" type bigint$/)
    expect(change.risks[1]).toMatch(/^downgrade: rewriting item under ACCESS EXCLUSIVE on item \(blocks reads and writes; ~20 rows, \d+ kB\): alter table "item" alter column "price" type integer$/)

    await upgrade(config)
    const after = await withDatabase(config, readItem)
    expect(after.constraints).toEqual([
      { name: 'ck_item_price', validated: true },
      { name: 'item_owner_id_fkey', validated: true },
    ])
    expect(after.indexes).toEqual([{ name: 'ix_item_owner_id', valid: true }])
    expect(after.columns.find((c) => c.name === 'name')).toEqual({ name: 'name', notNull: true, type: 'text' })
    expect((await migrate(config, { message: 'again' })).created).toBeNull()

    await downgrade(config)
    expect(await withDatabase(config, readItem)).toEqual(initial)
    await upgrade(config)
    expect(await withDatabase(config, readItem)).toEqual(after)
    await downgrade(config)
    await rm(change.created!.path)
  })

  test('safeForms: false writes the plain statements, in one transaction, and names each scan under lock', async () => {
    const plain = apiConfig(ctx, project, { safeForms: false })
    await declare(item('    price: t.integer(),\n    owner_id: t.integer().references(\'owner.id\').index(),'))
    const change = await migrate(plain, { message: 'plain' })
    const text = await readFile(change.created!.path, 'utf8')
    expect(text).not.toContain('transactional')
    expect(text).not.toContain('CONCURRENTLY')
    expect(text).not.toContain('NOT VALID')
    expect(change.risks).toEqual([
      expect.stringMatching(/^upgrade: building index ix_item_owner_id on item under SHARE on item \(blocks writes; ~20 rows, \d+ kB\): create index "ix_item_owner_id" on "item" \("owner_id"\)$/),
      expect.stringMatching(/^upgrade: validating item_owner_id_fkey over all of item under SHARE ROW EXCLUSIVE on item \(blocks writes; ~20 rows, \d+ kB\), SHARE ROW EXCLUSIVE on owner \(blocks writes; ~\d+ rows, \d+ kB\): alter table "item" add constraint "item_owner_id_fkey" foreign key \("owner_id"\) references "owner" \("id"\)$/),
    ])
    await upgrade(plain)
    expect((await migrate(plain, { message: 'again' })).created).toBeNull()
    await downgrade(plain)
    expect((await withDatabase(plain, readItem)).indexes).toEqual([])
    await rm(change.created!.path)
  })
})
