import { sql, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { computeSqlChecksum, computeSqlChecksumOnce, hashStatements, normalizeStatement } from '../../../src/runner/revision-checksum.js'

describe('normalizeStatement', () => {
  it('collapses whitespace, drops comments and the final semicolon', () => {
    expect(normalizeStatement('create  index\n\tx_idx on x ( a , b ) ; ')).toBe('create index x_idx on x(a,b)')
    expect(normalizeStatement('select 1 -- why\n + 2 /* block */ ;')).toBe('select 1 + 2')
  })

  it('keeps quoted strings, quoted identifiers and dollar-quoted bodies as they are', () => {
    expect(normalizeStatement("insert into \"My  Table\" values ('a  b -- c', 'it''s  x')")).toBe(
      "insert into \"My  Table\" values('a  b -- c','it''s  x')",
    )
    expect(normalizeStatement('do $body$ begin  perform 1; end $body$')).toBe('do $body$ begin  perform 1; end $body$')
    expect(normalizeStatement('select $$ a  b $$')).toBe('select $$ a  b $$')
    expect(normalizeStatement('select $a$ unclosed')).toBe('select $a$ unclosed')
  })

  it('reads a lone - or / as text, and $ as a parameter or part of a name where it opens no quote', () => {
    expect(normalizeStatement('select 4 - 2 / 1 -1/2')).toBe('select 4 - 2 / 1 -1/2')
    expect(normalizeStatement('select $1, x$y, $a from t -- tail')).toBe('select $1,x$y,$a from t')
    expect(normalizeStatement('a--b\n c')).toBe('a c')
    expect(normalizeStatement('select\u00a0 1 /* open')).toBe('select 1')
  })

  it("reads E'…' strings with backslash escapes and nested block comments as PostgreSQL does", () => {
    expect(normalizeStatement("select E'it\\'s  x'")).toBe("select E'it\\'s  x'")
    expect(normalizeStatement('select 1 /* a /* b */ c */ + 2')).toBe('select 1 + 2')
  })

  it('tells different SQL apart', () => {
    expect(hashStatements(['create table a (id int)'])).not.toBe(hashStatements(['create table a (id bigint)']))
    expect(hashStatements(["select 'a b'"])).not.toBe(hashStatements(["select 'a  b'"]))
    expect(hashStatements(['select 1', 'select 2'])).not.toBe(hashStatements(['select 2', 'select 1']))
  })
})

describe('computeSqlChecksum', () => {
  const builder = async (db: Kysely<any>) => {
    await db.schema.createTable('account').addColumn('id', 'serial', (c) => c.primaryKey()).execute()
    await sql`create index account_id_idx on account (id)`.execute(db)
    await db.insertInto('account').values({ id: 1 }).execute()
  }

  it('is the same for the same SQL written differently', async () => {
    const reformatted = async (db: Kysely<any>) => {
      await db.schema
        .createTable('account')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .execute()
      await sql`
        create index account_id_idx
          on account ( id )  -- the lookup
      `.execute(db)
      await db.insertInto('account').values({ id: 1 }).execute()
    }
    const checksum = await computeSqlChecksum(builder)
    expect(checksum).toMatch(/^[0-9a-f]{64}$/)
    expect(await computeSqlChecksum(reformatted)).toBe(checksum)
  })

  it('changes with a value or a statement', async () => {
    const checksum = await computeSqlChecksum(builder)
    expect(
      await computeSqlChecksum(async (db) => {
        await builder(db)
        await db.insertInto('account').values({ id: 2 }).execute()
      }),
    ).not.toBe(checksum)
  })

  it('is null when the SQL cannot be reproduced: a random value, or up() failing without a database', async () => {
    expect(await computeSqlChecksum(async (db) => void (await db.insertInto('t').values({ v: Math.random() }).execute()))).toBeNull()
    expect(
      await computeSqlChecksum(async (db) => {
        const rows = await db.selectFrom('t').selectAll().execute()
        if (rows.length === 0) throw new Error('expected a row')
      }),
    ).toBeNull()
    expect(await computeSqlChecksumOnce(async (db) => void (await db.insertInto('t').values({ v: 1 }).execute()))).toMatch(
      /^[0-9a-f]{64}$/,
    )
  })
})
