import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { ColumnModel, TableModel } from '../../../src/model/schema-model.js'
import { declarationToModel, defineSchema, enumType, t, table } from '../../../src/schema/index.js'

const column = (name: string, type: string, changes: Partial<ColumnModel> = {}): ColumnModel => ({
  name,
  type,
  nullable: true,
  default: null,
  serial: false,
  identity: null,
  generated: null,
  comment: null,
  ...changes,
})

const onlyTable = (model: ReturnType<typeof declarationToModel>, name: string): TableModel => {
  const found = model.tables.find((candidate) => candidate.name === name)
  if (found === undefined) throw new Error(`no table ${name}`)
  return found
}

describe('declarationToModel: the tutorial schema (DESIGN §1)', () => {
  const schema = defineSchema({
    user: table({
      id: t.serial().primaryKey(),
      username: t.varchar(64).notNull().unique().index(),
      email: t.varchar(120).notNull().unique().index(),
      password_hash: t.varchar(256),
    }),
    post: table({
      id: t.serial().primaryKey(),
      body: t.varchar(140).notNull(),
      timestamp: t.timestamp().notNull().defaultTo(sql`now()`).index(),
      user_id: t.integer().notNull().references('user.id').index(),
    }),
  })

  it('gives the exact declared model', () => {
    expect(declarationToModel(schema)).toEqual({
      schemas: [],
      enums: [],
      sequences: [],
      tables: [
        {
          schema: 'public',
          name: 'post',
          columns: [
            column('id', 'integer', { nullable: false, serial: true }),
            column('body', 'varchar(140)', { nullable: false }),
            column('timestamp', 'timestamp', { nullable: false, default: 'now()' }),
            column('user_id', 'integer', { nullable: false }),
          ],
          primaryKey: { name: 'post_pkey', columns: ['id'] },
          uniques: [],
          indexes: [
            { name: 'ix_post_timestamp', unique: false, keys: [{ kind: 'column', name: 'timestamp' }], using: 'btree', where: null, definition: '' },
            { name: 'ix_post_user_id', unique: false, keys: [{ kind: 'column', name: 'user_id' }], using: 'btree', where: null, definition: '' },
          ],
          foreignKeys: [
            {
              name: 'post_user_id_fkey',
              columns: ['user_id'],
              references: { schema: 'public', name: 'user' },
              referencedColumns: ['id'],
              onDelete: 'no action',
              onUpdate: 'no action',
            },
          ],
          checks: [],
          exclusions: [],
          comment: null,
        },
        {
          schema: 'public',
          name: 'user',
          columns: [
            column('id', 'integer', { nullable: false, serial: true }),
            column('username', 'varchar(64)', { nullable: false }),
            column('email', 'varchar(120)', { nullable: false }),
            column('password_hash', 'varchar(256)'),
          ],
          primaryKey: { name: 'user_pkey', columns: ['id'] },
          // unique + index is one unique index, as Flask-SQLAlchemy's unique=True, index=True.
          uniques: [],
          indexes: [
            { name: 'ix_user_email', unique: true, keys: [{ kind: 'column', name: 'email' }], using: 'btree', where: null, definition: '' },
            { name: 'ix_user_username', unique: true, keys: [{ kind: 'column', name: 'username' }], using: 'btree', where: null, definition: '' },
          ],
          foreignKeys: [],
          checks: [],
          exclusions: [],
          comment: null,
        },
      ],
      views: [],
    })
  })

  it('is deterministic and leaves the declaration untouched', () => {
    expect(declarationToModel(schema)).toEqual(declarationToModel(schema))
    expect(Object.isFrozen(schema.tables)).toBe(true)
  })
})

describe('declarationToModel: column types', () => {
  const mood = enumType('mood', ['sad', 'ok', 'happy'])
  const level = enumType('level', ['low', 'high'], { schema: 'app' })
  const model = declarationToModel(
    defineSchema({
      types: table({
        serial: t.serial(),
        bigserial: t.bigserial(),
        smallserial: t.smallserial(),
        integer: t.integer(),
        bigint: t.bigint(),
        smallint: t.smallint(),
        numeric: t.numeric(),
        numeric_p: t.numeric(10),
        numeric_ps: t.numeric(10, 2),
        decimal: t.decimal(5, 1),
        real: t.real(),
        double: t.doublePrecision(),
        boolean: t.boolean(),
        text: t.text(),
        varchar: t.varchar(),
        varchar_n: t.varchar(64),
        char: t.char(),
        char_n: t.char(3),
        uuid: t.uuid(),
        date: t.date(),
        time: t.time(),
        timetz: t.time({ withTimeZone: true, precision: 3 }),
        timestamp: t.timestamp(),
        timestamp_p: t.timestamp({ precision: 0 }),
        timestamp_tz: t.timestamp({ withTimeZone: true }),
        timestamptz: t.timestamptz(),
        timestamptz_p: t.timestamptz({ precision: 6 }),
        interval: t.interval(),
        json: t.json(),
        jsonb: t.jsonb<{ a: number }>(),
        bytea: t.bytea(),
        inet: t.inet(),
        cidr: t.cidr(),
        macaddr: t.macaddr(),
        mood: t.enum(mood),
        level: t.enum(level),
        citext: t.type('citext'),
        tags: t.text().array(),
        grid: t.integer().array().array(),
        moods: t.enum(mood).array(),
      }),
    }),
  )

  it('writes each type as PostgreSQL input text', () => {
    expect(onlyTable(model, 'types').columns.map((c) => [c.name, c.type, c.serial])).toEqual([
      ['serial', 'integer', true],
      ['bigserial', 'bigint', true],
      ['smallserial', 'smallint', true],
      ['integer', 'integer', false],
      ['bigint', 'bigint', false],
      ['smallint', 'smallint', false],
      ['numeric', 'numeric', false],
      ['numeric_p', 'numeric(10)', false],
      ['numeric_ps', 'numeric(10,2)', false],
      ['decimal', 'numeric(5,1)', false],
      ['real', 'real', false],
      ['double', 'double precision', false],
      ['boolean', 'boolean', false],
      ['text', 'text', false],
      ['varchar', 'varchar', false],
      ['varchar_n', 'varchar(64)', false],
      ['char', 'char', false],
      ['char_n', 'char(3)', false],
      ['uuid', 'uuid', false],
      ['date', 'date', false],
      ['time', 'time', false],
      ['timetz', 'timetz(3)', false],
      ['timestamp', 'timestamp', false],
      ['timestamp_p', 'timestamp(0)', false],
      ['timestamp_tz', 'timestamptz', false],
      ['timestamptz', 'timestamptz', false],
      ['timestamptz_p', 'timestamptz(6)', false],
      ['interval', 'interval', false],
      ['json', 'json', false],
      ['jsonb', 'jsonb', false],
      ['bytea', 'bytea', false],
      ['inet', 'inet', false],
      ['cidr', 'cidr', false],
      ['macaddr', 'macaddr', false],
      ['mood', '"mood"', false],
      ['level', '"app"."level"', false],
      ['citext', 'citext', false],
      ['tags', 'text[]', false],
      ['grid', 'integer[][]', false],
      ['moods', '"mood"[]', false],
    ])
  })

  it('makes serial columns NOT NULL with no default of their own, other columns nullable', () => {
    const columns = onlyTable(model, 'types').columns
    expect(columns.filter((c) => !c.nullable).map((c) => c.name)).toEqual(['serial', 'bigserial', 'smallserial'])
    expect(columns.every((c) => c.default === null)).toBe(true)
  })

  it('collects the enums the columns use, and their schemas', () => {
    expect(model.enums).toEqual([
      { schema: 'app', name: 'level', values: ['low', 'high'] },
      { schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'] },
    ])
    expect(model.schemas).toEqual(['app'])
  })

  it('rejects impossible lengths where the type is declared', () => {
    expect(() => t.varchar(0)).toThrow(/varchar: 0 is not an integer from 1/)
    expect(() => t.char(1.5)).toThrow(/char: 1.5/)
    expect(() => t.numeric(0)).toThrow(/numeric precision/)
    expect(() => t.numeric(undefined, 2)).toThrow(/a scale needs a precision/)
    expect(() => t.timestamp({ precision: 7 })).toThrow(/timestamp: 7/)
    expect(() => t.type('  ')).toThrow(/needs a type name/)
  })
})

describe('declarationToModel: column modifiers', () => {
  const model = declarationToModel(
    defineSchema({
      item: table({
        id: t.integer().generatedAlwaysAsIdentity().primaryKey(),
        code: t.integer().generatedByDefaultAsIdentity(),
        name: t.text().notNull().comment('shown to users').renamedFrom('title'),
        sku: t.varchar(20).unique(),
        price: t.numeric(10, 2).notNull().defaultTo(0).check(sql`price >= 0`),
        discount: t.integer().defaultTo(-5),
        label: t.text().defaultTo("it's"),
        active: t.boolean().defaultTo(true),
        created: t.timestamptz().defaultTo(new Date('2024-01-01T00:00:00.000Z')),
        data: t.jsonb().defaultTo({ tags: ['a'] }),
        tags: t.text().array().defaultTo(['x', 'y z']),
        nothing: t.text().defaultTo(null),
        status: t.text().defaultTo(sql`${'new'}`),
        doubled: t.integer().generatedAlwaysAs(sql`${sql.ref('discount')} * 2`),
      }),
    }),
  )
  const item = onlyTable(model, 'item')

  it('folds every modifier into the column', () => {
    expect(item.columns).toEqual([
      column('id', 'integer', { nullable: false, identity: 'always' }),
      column('code', 'integer', { nullable: false, identity: 'byDefault' }),
      column('name', 'text', { nullable: false, comment: 'shown to users', renamedFrom: 'title' }),
      column('sku', 'varchar(20)'),
      column('price', 'numeric(10,2)', { nullable: false, default: '0' }),
      column('discount', 'integer', { default: '(-5)' }),
      column('label', 'text', { default: "'it''s'" }),
      column('active', 'boolean', { default: 'true' }),
      column('created', 'timestamptz', { default: "'2024-01-01T00:00:00.000Z'" }),
      column('data', 'jsonb', { default: `'{"tags":["a"]}'` }),
      column('tags', 'text[]', { default: `'{"x","y z"}'` }),
      column('nothing', 'text'),
      column('status', 'text', { default: "'new'" }),
      column('doubled', 'integer', { generated: '"discount" * 2' }),
    ])
  })

  it('turns unique() into a unique constraint and check() into a named check', () => {
    expect(item.primaryKey).toEqual({ name: 'item_pkey', columns: ['id'] })
    expect(item.uniques).toEqual([{ name: 'item_sku_key', columns: ['sku'], nullsNotDistinct: false }])
    expect(item.checks).toEqual([{ name: 'item_price_check', definition: 'CHECK (price >= 0)' }])
    expect(item.indexes).toEqual([])
  })

  it('writes literal defaults of every kind as SQL text (each accepted by PostgreSQL 18)', () => {
    const mood = enumType('mood', ['sad', "it's ok"])
    const level = enumType('level', ['low', 'high'], { schema: 'app' })
    const defaults = onlyTable(
      declarationToModel(
        defineSchema({
          d: table({
            real: t.real().defaultTo(Number.NaN),
            numeric: t.numeric(10, 2).defaultTo(-1.5),
            big: t.bigint().defaultTo(12345678901234567890n),
            date: t.date().defaultTo(new Date('2024-02-03T00:00:00Z')),
            interval: t.interval().defaultTo('1 day'),
            bytes: t.bytea().defaultTo(new Uint8Array([1, 255])),
            mood: t.enum(mood).defaultTo("it's ok"),
            levels: t.enum(level).array().defaultTo(['low']),
            grid: t.text().array().array().defaultTo([['a"b', 'c\\d'], ['', 'x y']]),
            docs: t.jsonb().array().defaultTo([{ a: 1 }]),
            json: t.json().defaultTo([1, { b: null }]),
          }),
        }),
      ),
      'd',
    )
    expect(Object.fromEntries(defaults.columns.map((c) => [c.name, c.default]))).toEqual({
      real: "'NaN'",
      numeric: '(-1.5)',
      big: '12345678901234567890',
      date: "'2024-02-03T00:00:00.000Z'",
      interval: "'1 day'",
      bytes: "'\\x01ff'",
      mood: "'it''s ok'",
      levels: "'{\"low\"}'",
      grid: `'{{"a\\"b","c\\\\d"},{"","x y"}}'`,
      docs: `'{"{\\"a\\":1}"}'`,
      json: `'[1,{"b":null}]'`,
    })
  })

  it('makes the columns of a primaryKey option NOT NULL', () => {
    const pair = onlyTable(
      declarationToModel(defineSchema({ pair: table({ a: t.integer(), b: t.text(), c: t.text() }, { primaryKey: ['b', 'a'] }) })),
      'pair',
    )
    expect(pair.primaryKey).toEqual({ name: 'pair_pkey', columns: ['b', 'a'] })
    expect(pair.columns.map((c) => c.nullable)).toEqual([false, false, true])
  })

  it('makes several primaryKey() columns one composite key, in column order', () => {
    const link = onlyTable(
      declarationToModel(defineSchema({ link: table({ a: t.integer().primaryKey(), b: t.integer().primaryKey(), c: t.integer() }) })),
      'link',
    )
    expect(link.primaryKey).toEqual({ name: 'link_pkey', columns: ['a', 'b'] })
    expect(link.columns.map((c) => c.nullable)).toEqual([false, false, true])
  })

  it('writes foreign keys with their actions, also to other schemas', () => {
    const model2 = declarationToModel(
      defineSchema({
        account: table({ id: t.bigint().primaryKey() }, { schema: 'auth' }),
        user: table({ id: t.serial().primaryKey() }),
        session: table({
          account_id: t.bigint().references('auth.account.id').onDelete('cascade').onUpdate('restrict'),
          user_id: t.integer().references('user.id').onDelete('set null'),
          other_account: t.bigint().references('account.id'),
        }),
      }),
    )
    expect(onlyTable(model2, 'session').foreignKeys).toEqual([
      {
        name: 'session_account_id_fkey',
        columns: ['account_id'],
        references: { schema: 'auth', name: 'account' },
        referencedColumns: ['id'],
        onDelete: 'cascade',
        onUpdate: 'restrict',
      },
      {
        name: 'session_other_account_fkey',
        columns: ['other_account'],
        references: { schema: 'auth', name: 'account' },
        referencedColumns: ['id'],
        onDelete: 'no action',
        onUpdate: 'no action',
      },
      {
        name: 'session_user_id_fkey',
        columns: ['user_id'],
        references: { schema: 'public', name: 'user' },
        referencedColumns: ['id'],
        onDelete: 'set null',
        onUpdate: 'no action',
      },
    ])
    expect(model2.schemas).toEqual(['auth'])
    expect(model2.tables.map((table) => `${table.schema}.${table.name}`)).toEqual(['auth.account', 'public.session', 'public.user'])
  })

  it('keeps builders immutable', () => {
    const base = t.text()
    const required = base.notNull()
    expect(base.toDefinition().isNotNull).toBe(false)
    expect(required.toDefinition().isNotNull).toBe(true)
    expect(required).not.toBe(base)
    expect(Object.isFrozen(required.toDefinition())).toBe(true)
  })
})

describe('declarationToModel: table options', () => {
  const model = declarationToModel(
    defineSchema(
      {
        tenant: table({ id: t.integer().primaryKey(), region: t.text().notNull() }, { uniques: [{ columns: ['id', 'region'] }] }),
        membership: table(
          {
            tenant_id: t.integer().notNull(),
            region: t.text().notNull(),
            user_name: t.text().notNull(),
            email: t.text(),
            starts: t.date(),
            ends: t.date(),
            deleted: t.boolean(),
          },
          {
            schema: 'crm',
            primaryKey: ['tenant_id', 'user_name'],
            uniques: [
              { columns: ['tenant_id', 'email'] },
              { columns: ['email'], name: 'one_email', nullsNotDistinct: true },
            ],
            indexes: [
              { columns: ['region', 'user_name'] },
              { expressions: [sql`lower(email)`], unique: true, where: sql`${sql.ref('deleted')} is not true` },
              { expressions: [sql`starts + 1`] },
              { name: 'membership_by_email', columns: ['email'], using: 'HASH' },
              { columns: ['email'], expressions: [sql`lower(email)`, sql`lower(email)`] },
            ],
            checks: [
              { expression: sql`starts <= ends` },
              { expression: sql`ends > '2000-01-01'` },
              { expression: sql`starts > '2000-01-01'` },
              { expression: sql`user_name <> ''`, name: 'named_check' },
            ],
            foreignKeys: [
              { columns: ['tenant_id', 'region'], references: 'tenant', referencedColumns: ['id', 'region'], onDelete: 'cascade' },
              { columns: ['tenant_id'], references: 'public.tenant', referencedColumns: ['id'], name: 'fk_tenant', onUpdate: 'set default' },
            ],
            comment: 'who belongs where',
            renamedFrom: 'members',
          },
        ),
      },
      { schemas: ['reports', 'public'] },
    ),
  )
  const membership = onlyTable(model, 'membership')

  it('places the table in its schema and lists owned schemas sorted, without public', () => {
    expect(membership.schema).toBe('crm')
    expect(model.schemas).toEqual(['crm', 'reports'])
    expect(membership.comment).toBe('who belongs where')
    expect(membership.renamedFrom).toBe('members')
  })

  it('makes the composite primary key and its columns NOT NULL', () => {
    expect(membership.primaryKey).toEqual({ name: 'membership_pkey', columns: ['tenant_id', 'user_name'] })
  })

  it('names unique constraints as PostgreSQL would, sorted by name', () => {
    expect(membership.uniques).toEqual([
      { name: 'membership_tenant_id_email_key', columns: ['tenant_id', 'email'], nullsNotDistinct: false },
      { name: 'one_email', columns: ['email'], nullsNotDistinct: true },
    ])
  })

  it('names indexes as PostgreSQL would, with expression keys and predicates as text', () => {
    expect(membership.indexes).toEqual([
      { name: 'membership_by_email', unique: false, keys: [{ kind: 'column', name: 'email' }], using: 'hash', where: null, definition: '' },
      {
        name: 'membership_email_lower_lower1_idx',
        unique: false,
        keys: [
          { kind: 'column', name: 'email' },
          { kind: 'expression', sql: 'lower(email)' },
          { kind: 'expression', sql: 'lower(email)' },
        ],
        using: 'btree',
        where: null,
        definition: '',
      },
      { name: 'membership_expr_idx', unique: false, keys: [{ kind: 'expression', sql: 'starts + 1' }], using: 'btree', where: null, definition: '' },
      {
        name: 'membership_lower_idx',
        unique: true,
        keys: [{ kind: 'expression', sql: 'lower(email)' }],
        using: 'btree',
        where: '"deleted" is not true',
        definition: '',
      },
      {
        name: 'membership_region_user_name_idx',
        unique: false,
        keys: [
          { kind: 'column', name: 'region' },
          { kind: 'column', name: 'user_name' },
        ],
        using: 'btree',
        where: null,
        definition: '',
      },
    ])
  })

  it('names checks after their single column, else after the table, numbering repeats', () => {
    expect(membership.checks).toEqual([
      { name: 'membership_check', definition: 'CHECK (starts <= ends)' },
      { name: 'membership_ends_check', definition: "CHECK (ends > '2000-01-01')" },
      { name: 'membership_starts_check', definition: "CHECK (starts > '2000-01-01')" },
      { name: 'named_check', definition: "CHECK (user_name <> '')" },
    ])
  })

  it('writes table foreign keys, resolving a table by name or schema.name', () => {
    expect(membership.foreignKeys).toEqual([
      {
        name: 'fk_tenant',
        columns: ['tenant_id'],
        references: { schema: 'public', name: 'tenant' },
        referencedColumns: ['id'],
        onDelete: 'no action',
        onUpdate: 'set default',
      },
      {
        name: 'membership_tenant_id_region_fkey',
        columns: ['tenant_id', 'region'],
        references: { schema: 'public', name: 'tenant' },
        referencedColumns: ['id', 'region'],
        onDelete: 'cascade',
        onUpdate: 'no action',
      },
    ])
  })

  it('adds unused enums from the options, and keeps one copy of a repeated enum', () => {
    const mood = enumType('mood', ['sad', 'happy'])
    const unused = enumType('unused', [], { schema: 'extra' })
    const withEnums = declarationToModel(
      defineSchema({ a: table({ m: t.enum(mood) }), b: table({ m: t.enum(enumType('mood', ['sad', 'happy'])) }) }, { enums: [unused, mood] }),
    )
    expect(withEnums.enums).toEqual([
      { schema: 'extra', name: 'unused', values: [] },
      { schema: 'public', name: 'mood', values: ['sad', 'happy'] },
    ])
    expect(withEnums.schemas).toEqual(['extra'])
  })
})

describe('declarationToModel: default names that collide', () => {
  it('numbers a second unnamed table check like PostgreSQL', () => {
    const model = declarationToModel(
      defineSchema({
        t2: table(
          { a: t.integer().check(sql`a > 0`), c: t.integer() },
          { checks: [{ expression: sql`a > 0` }, { expression: sql`c > 1` }, { expression: sql`a > c` }, { expression: sql`c > a` }] },
        ),
      }),
    )
    expect(onlyTable(model, 't2').checks.map((check) => check.name)).toEqual(['t2_a_check', 't2_a_check1', 't2_c_check', 't2_check', 't2_check1'])
  })

  it('avoids names already taken in the schema by tables, indexes and other tables', () => {
    const model = declarationToModel(
      defineSchema({
        a: table({ id: t.integer().primaryKey(), x: t.integer() }, { indexes: [{ columns: ['x'] }] }),
        a_pkey: table({ id: t.integer() }),
        a_x_idx: table({ id: t.integer() }),
        b: table({ v: t.integer().unique() }, { indexes: [{ columns: ['v'] }, { columns: ['v'] }] }),
      }),
    )
    expect(onlyTable(model, 'a').primaryKey?.name).toBe('a_pkey1')
    expect(onlyTable(model, 'a').indexes.map((index) => index.name)).toEqual(['a_x_idx1'])
    expect(onlyTable(model, 'b').indexes.map((index) => index.name)).toEqual(['b_v_idx', 'b_v_idx1'])
  })

  it('truncates long default names to 63 bytes by PostgreSQL rules', () => {
    const longTable = 'a'.repeat(40) + 'é'.repeat(10)
    const longColumn = 'c'.repeat(30) + 'ü'.repeat(15)
    const model = declarationToModel(
      defineSchema({
        [longTable]: table({ [longColumn]: t.serial().primaryKey().index(), z: t.integer().unique() }),
      }),
    )
    const only = onlyTable(model, longTable)
    expect(only.primaryKey?.name).toBe(`${'a'.repeat(40)}${'é'.repeat(9)}_pkey`)
    expect(only.uniques.map((unique) => unique.name)).toEqual([`${'a'.repeat(40)}${'é'.repeat(8)}_z_key`])
    // ix_ names are explicit names: PostgreSQL keeps their first 63 bytes.
    expect(only.indexes.map((index) => index.name)).toEqual([`ix_${'a'.repeat(40)}${'é'.repeat(10)}`])
  })
})

describe('declarationToModel: foreign key, index and column options', () => {
  const owner = table({ id: t.serial().primaryKey(), region: t.integer().notNull() }, { uniques: [{ columns: ['id', 'region'] }] })

  it('writes DEFERRABLE, INITIALLY DEFERRED and MATCH FULL only where declared', () => {
    const pet = onlyTable(
      declarationToModel(
        defineSchema({
          owner,
          pet: table(
            {
              a: t.integer().references('owner.id').deferrable(),
              b: t.integer().references('owner.id').initiallyDeferred().matchFull(),
              c: t.integer().references('owner.id'),
              region: t.integer(),
            },
            { foreignKeys: [{ name: 'fk_pet_owner', columns: ['c', 'region'], references: 'owner', referencedColumns: ['id', 'region'], match: 'full', initiallyDeferred: true }] },
          ),
        }),
      ),
      'pet',
    )
    expect(pet.foreignKeys.map(({ name, deferrable, match }) => ({ name, deferrable, match }))).toEqual([
      { name: 'fk_pet_owner', deferrable: 'initiallyDeferred', match: 'full' },
      { name: 'pet_a_fkey', deferrable: 'initiallyImmediate', match: undefined },
      { name: 'pet_b_fkey', deferrable: 'initiallyDeferred', match: 'full' },
      { name: 'pet_c_fkey', deferrable: undefined, match: undefined },
    ])
    expect(Object.keys(pet.foreignKeys[3]!)).not.toContain('deferrable')
  })

  it('writes index key options, INCLUDE and WITH (...) in their canonical form', () => {
    const item = onlyTable(
      declarationToModel(
        defineSchema({
          item: table(
            { name: t.text(), price: t.integer(), meta: t.jsonb() },
            {
              indexes: [
                {
                  name: 'ix_keys',
                  columns: [{ column: 'name', opclass: 'text_pattern_ops' }, { column: 'price', order: 'desc', nulls: 'first' }, 'meta'],
                  expressions: [{ expression: sql`lower(name)`, order: 'asc', nulls: 'first' }, sql`upper(name)`],
                },
                { name: 'ix_cover', columns: ['name'], include: ['price'], with: { fillfactor: 70, deduplicate_items: false } },
              ],
            },
          ),
        }),
      ),
      'item',
    )
    expect(item.indexes).toEqual([
      { name: 'ix_cover', unique: false, keys: [{ kind: 'column', name: 'name' }], using: 'btree', where: null, include: ['price'], storageParameters: ['deduplicate_items=false', 'fillfactor=70'], definition: '' },
      {
        name: 'ix_keys', unique: false, using: 'btree', where: null, definition: '',
        keys: [
          { kind: 'column', name: 'name', opclass: 'text_pattern_ops' },
          // NULLS FIRST is DESC's default, so it is left out.
          { kind: 'column', name: 'price', descending: true },
          { kind: 'column', name: 'meta' },
          { kind: 'expression', sql: 'lower(name)', nulls: 'first' },
          { kind: 'expression', sql: 'upper(name)' },
        ],
      },
    ])
  })

  it('writes a collation only where one is declared', () => {
    const item = onlyTable(declarationToModel(defineSchema({ item: table({ a: t.text().collate('C'), b: t.text() }) })), 'item')
    expect(item.columns).toEqual([column('a', 'text', { collation: 'C' }), column('b', 'text')])
  })
})

describe('declarationToModel: exclusion constraints', () => {
  it('writes EXCLUDE with its elements and predicate, named <table>_<keys>_excl like PostgreSQL', () => {
    const model = declarationToModel(
      defineSchema({
        slot: table(
          { room: t.type('tsrange'), starts: t.timestamp(), ends: t.timestamp() },
          {
            exclusions: [
              { elements: [{ column: 'room', operator: '=' }, { expression: sql`tsrange(starts, ends)`, operator: '&&' }], where: sql`starts > now()` },
              { using: 'GIST', elements: [{ column: 'room', operator: '&&' }] },
            ],
          },
        ),
      }),
    )
    expect(onlyTable(model, 'slot').exclusions).toEqual([
      { name: 'slot_room_excl', definition: 'EXCLUDE USING gist ("room" WITH &&)' },
      { name: 'slot_room_tsrange_excl', definition: 'EXCLUDE USING gist ("room" WITH =, (tsrange(starts, ends)) WITH &&) WHERE (starts > now())' },
    ])
  })
})
