import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { CatalogRows } from '../../../src/introspect/catalog-rows.js'
import { rowsToModel } from '../../../src/introspect/rows-to-model.js'

// Real rows from queryCatalog on PGlite (PostgreSQL 18): see the schema in the test names below.
const rows = JSON.parse(readFileSync(new URL('../../fixtures/catalog/pglite-varied.json', import.meta.url), 'utf8')) as CatalogRows

describe('rowsToModel on real catalog rows', () => {
  const model = rowsToModel(rows)
  const table = (name: string) => model.tables.find((t) => t.name === name)!

  test('schemas, enums and tables, sorted; the version table and tsdb_* were never read', () => {
    expect(model.schemas).toEqual(['app'])
    expect(model.enums).toEqual([
      { schema: 'app', name: 'level', values: ['low', 'high'] },
      { schema: 'public', name: 'mood', values: ['happy', 'sad'] },
    ])
    expect(model.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['app.setting', 'public.post', 'public.user'])
  })

  test('a serial column: integer, no default kept', () => {
    expect(table('user').columns[0]).toEqual({
      name: 'id', type: 'integer', nullable: false, default: null, serial: true, identity: null, generated: null, comment: null,
    })
  })

  test('identity, generated, defaults, comments', () => {
    const post = table('post')
    expect(post.columns.map((c) => [c.name, c.type, c.nullable, c.default, c.identity, c.generated])).toEqual([
      ['id', 'bigint', false, null, 'always', null],
      ['body', 'text', false, "''::text", null, null],
      ['created', 'timestamp with time zone', false, 'now()', null, null],
      ['user_id', 'integer', false, null, null, null],
      ['feeling', 'mood', true, "'happy'::mood", null, null],
      ['score', 'numeric(10,2)', true, null, null, null],
      ['doubled', 'numeric', true, null, null, '(score * (2)::numeric)'],
    ])
    expect(table('user').comment).toBe('People')
    expect(table('user').columns[2]!.comment).toBe('Where we write')
  })

  test('constraints: primary key, unique NULLS NOT DISTINCT, check, foreign key with ON DELETE', () => {
    const post = table('post')
    expect(post.primaryKey).toEqual({ name: 'post_pkey', columns: ['id'] })
    expect(post.uniques).toEqual([{ name: 'uq_post_body_user', columns: ['body', 'user_id'], nullsNotDistinct: true }])
    expect(post.checks).toEqual([{ name: 'post_score_check', definition: 'CHECK ((score >= (0)::numeric))' }])
    expect(post.foreignKeys).toEqual([
      {
        name: 'post_user_id_fkey', columns: ['user_id'], references: { schema: 'public', name: 'user' },
        referencedColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action',
      },
    ])
  })

  test('indexes: the ones backing constraints are left out; expression, partial and access method kept', () => {
    expect(table('user').indexes).toEqual([
      {
        name: 'ix_user_lower_email', unique: false, keys: [{ kind: 'expression', sql: 'lower(email::text)' }], using: 'btree',
        where: 'email IS NOT NULL', definition: expect.stringContaining('CREATE INDEX ix_user_lower_email ON public."user"'),
      },
      {
        name: 'ix_user_username', unique: true, keys: [{ kind: 'column', name: 'username' }], using: 'btree', where: null,
        definition: 'CREATE UNIQUE INDEX ix_user_username ON public."user" USING btree (username)',
      },
    ])
    expect(table('post').indexes.map((i) => [i.name, i.using])).toEqual([['ix_post_created', 'brin']])
  })

  test('include and exclude filter tables by name or schema.name with wildcards', () => {
    expect(rowsToModel(rows, { exclude: ['app.*'] }).tables.map((t) => t.name)).toEqual(['post', 'user'])
    expect(rowsToModel(rows, { include: ['us*'] }).tables.map((t) => t.name)).toEqual(['user'])
  })
})

describe('rowsToModel: options read beyond the fixture', () => {
  const base: CatalogRows = { schemas: [], tables: [{ schema: 'public', name: 'pet', comment: null }], columns: [], constraints: [], indexes: [], enums: [], sequences: [], views: [] }
  const fkRow = {
    schema: 'public', table: 'pet', name: 'pet_owner_id_fkey', type: 'f', definition: null, columns: ['owner_id'], ref_schema: 'public',
    ref_table: 'owner', ref_columns: ['id'], on_update: 'a', on_delete: 'c', nulls_not_distinct: false, deferrable: false, deferred: false, match: 's',
  }

  test('a foreign key keeps DEFERRABLE, INITIALLY DEFERRED and MATCH FULL, and leaves out the defaults', () => {
    const keys = (rows: CatalogRows['constraints']) => rowsToModel({ ...base, constraints: rows }).tables[0]!.foreignKeys
    expect(keys([fkRow])[0]).not.toHaveProperty('deferrable')
    expect(keys([fkRow])[0]).not.toHaveProperty('match')
    expect(keys([{ ...fkRow, deferrable: true }])[0]).toMatchObject({ deferrable: 'initiallyImmediate' })
    expect(keys([{ ...fkRow, deferrable: true, deferred: true, match: 'f' }])[0]).toMatchObject({ deferrable: 'initiallyDeferred', match: 'full' })
  })

  test('an index keeps key order, NULLS, a non-default operator class, INCLUDE and storage parameters, and leaves out the defaults', () => {
    const key = { column: 'name', expression: null, descending: false, nulls_first: false, opclass: null }
    const indexRow = {
      schema: 'public', table: 'pet', name: 'ix_pet', unique: false, using: 'btree', definition: '', where: null,
      keys: [key, { ...key, descending: true, nulls_first: true }, { ...key, descending: true, opclass: 'text_pattern_ops' }, { ...key, nulls_first: true }],
      include: ['id'], options: ['fillfactor=70'],
    }
    const [index] = rowsToModel({ ...base, indexes: [indexRow] }).tables[0]!.indexes
    expect(index).toEqual({
      name: 'ix_pet', unique: false, using: 'btree', where: null, definition: '', include: ['id'], storageParameters: ['fillfactor=70'],
      keys: [
        { kind: 'column', name: 'name' },
        { kind: 'column', name: 'name', descending: true },
        { kind: 'column', name: 'name', descending: true, nulls: 'last', opclass: 'text_pattern_ops' },
        { kind: 'column', name: 'name', nulls: 'first' },
      ],
    })
    expect(rowsToModel({ ...base, indexes: [{ ...indexRow, include: null, options: null }] }).tables[0]!.indexes[0]).not.toHaveProperty('include')
  })

  test("a column's collation is kept where it is not the type's default", () => {
    const columnRow = {
      schema: 'public', table: 'pet', name: 'code', position: 1, type: 'text', not_null: false, default: null, identity: '', generated: '',
      comment: null, owns_sequence: false, collation: null,
    }
    const columns = (collation: string | null) => rowsToModel({ ...base, columns: [{ ...columnRow, collation }] }).tables[0]!.columns
    expect(columns(null)[0]).not.toHaveProperty('collation')
    expect(columns('C')[0]).toMatchObject({ name: 'code', collation: 'C' })
  })
})
