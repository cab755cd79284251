import { sql, type Kysely } from 'kysely'
import { expect, it } from 'vitest'
import { VersionTableError } from '../../../src/errors.js'
import { createPgVersionStore } from '../../../src/version/pg-version-store.js'
import { describeEachDatabase } from '../../helpers/databases.js'

async function readColumns(db: Kysely<any>, schema: string, table: string) {
  const { rows } = await sql<{ column_name: string; data_type: string; max: number | null; is_nullable: string }>`
    select column_name, data_type, character_maximum_length as max, is_nullable
    from information_schema.columns where table_schema = ${schema} and table_name = ${table}
    order by ordinal_position`.execute(db)
  return rows.map((r) => ({ ...r, max: r.max === null ? null : Number(r.max) }))
}

async function readPrimaryKey(db: Kysely<any>, schema: string, table: string) {
  const { rows } = await sql<{ conname: string; def: string }>`
    select c.conname, pg_get_constraintdef(c.oid) as def
    from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
    where c.contype = 'p' and t.relname = ${table} and n.nspname = ${schema}`.execute(db)
  return rows
}

async function readRows(db: Kysely<any>, table = 'alembic_version') {
  const rows = await db.selectFrom(table).select('version_num').orderBy('version_num').execute()
  return rows.map((r) => r.version_num)
}

describeEachDatabase('pg version store', (ctx) => {
  it('reads no heads and creates nothing while the table is missing', async () => {
    const db = ctx.kysely()
    const store = createPgVersionStore(db, { table: 'alembic_version', schema: null })
    expect(await store.readHeads()).toEqual([])
    expect(await readColumns(db, 'public', 'alembic_version')).toEqual([])
  })

  it("creates exactly Alembic's table", async () => {
    const db = ctx.kysely()
    const store = createPgVersionStore(db, { table: 'alembic_version', schema: null })
    await store.ensureTable()
    await store.ensureTable()
    expect(await readColumns(db, 'public', 'alembic_version')).toEqual([
      { column_name: 'version_num', data_type: 'character varying', max: 32, is_nullable: 'NO' },
    ])
    expect(await readPrimaryKey(db, 'public', 'alembic_version')).toEqual([
      { conname: 'alembic_version_pkc', def: 'PRIMARY KEY (version_num)' },
    ])
  })

  it('inserts, updates and deletes rows, reading heads back sorted', async () => {
    const db = ctx.kysely()
    const store = createPgVersionStore(db, { table: 'alembic_version', schema: null })
    await store.ensureTable()
    await store.apply([{ kind: 'insert', id: 'bbb' }, { kind: 'insert', id: 'aaa' }])
    expect(await store.readHeads()).toEqual(['aaa', 'bbb'])
    await store.apply([{ kind: 'update', from: 'bbb', to: 'ccc' }])
    await store.apply([{ kind: 'delete', id: 'aaa' }])
    expect(await readRows(db)).toEqual(['ccc'])
    await store.apply([{ kind: 'delete', id: 'ccc' }])
    expect(await readRows(db)).toEqual([])
  })

  it("fails with Alembic's message when an update or delete matches no row", async () => {
    const db = ctx.kysely()
    const store = createPgVersionStore(db, { table: 'alembic_version', schema: null })
    await store.ensureTable()
    await store.apply([{ kind: 'insert', id: 'a' }])
    const update = store.apply([{ kind: 'update', from: 'zzz', to: 'b' }])
    await expect(update).rejects.toBeInstanceOf(VersionTableError)
    await expect(update).rejects.toThrow(
      "Online migration expected to match one row when updating 'zzz' to 'b' in 'alembic_version'; 0 found",
    )
    await expect(store.apply([{ kind: 'delete', id: 'zzz' }])).rejects.toThrow(
      "Online migration expected to match one row when deleting 'zzz' in 'alembic_version'; 0 found",
    )
    expect(await readRows(db)).toEqual(['a'])
    await store.apply([{ kind: 'delete', id: 'a' }])
  })

  it('uses a custom table in a custom schema', async () => {
    const db = ctx.kysely()
    await sql`create schema ops`.execute(db)
    const store = createPgVersionStore(db, { table: 'tsdb_versions', schema: 'ops' })
    expect(await store.readHeads()).toEqual([])
    await store.ensureTable()
    await store.apply([{ kind: 'insert', id: 'x1' }])
    expect(await readPrimaryKey(db, 'ops', 'tsdb_versions')).toEqual([
      { conname: 'tsdb_versions_pkc', def: 'PRIMARY KEY (version_num)' },
    ])
    expect(await readRows(db.withSchema('ops'), 'tsdb_versions')).toEqual(['x1'])
    expect(await readColumns(db, 'public', 'tsdb_versions')).toEqual([])
  })

  it('rejects an existing table of another shape, saying what it found', async () => {
    const db = ctx.kysely()
    await sql`create table odd_versions (id int, name text)`.execute(db)
    const store = createPgVersionStore(db, { table: 'odd_versions', schema: null })
    const error = await store.ensureTable().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VersionTableError)
    expect((error as VersionTableError).code).toBe('VERSION_TABLE_SHAPE')
    expect((error as Error).message).toMatch(/'odd_versions' exists but has no version_num column \(found columns id, name\)/)
    expect((error as Error).message).toMatch(/versionTable/)
    await expect(store.readHeads()).rejects.toBeInstanceOf(VersionTableError)
  })

  it('reads an Alembic table that has a wider column as is', async () => {
    const db = ctx.kysely()
    await sql`create table wide_version (version_num varchar(64) not null primary key)`.execute(db)
    await sql`insert into wide_version values ('abc')`.execute(db)
    const store = createPgVersionStore(db, { table: 'wide_version', schema: null })
    await store.ensureTable()
    expect(await store.readHeads()).toEqual(['abc'])
  })
})
