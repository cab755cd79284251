import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely'
import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely'
import { describe, expectTypeOf, it } from 'vitest'
import { defineSchema, enumType, t, table, type InferDatabase } from '../../../src/schema/index.js'

// The schema of DESIGN §1, exactly as a user writes it.
export const schema = defineSchema({
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
export type Database = InferDatabase<typeof schema>

/** A Kysely instance that never connects: these tests only compile queries. */
const kyselyOf = <DB>(): Kysely<DB> =>
  new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  })
const db = kyselyOf<Database>()

describe('InferDatabase of the tutorial schema', () => {
  it('is the Database interface a Kysely user would write', () => {
    expectTypeOf<Database>().toEqualTypeOf<{
      user: { id: Generated<number>; username: string; email: string; password_hash: string | null }
      post: {
        id: Generated<number>
        body: string
        timestamp: ColumnType<Date, Date | string | undefined, Date | string>
        user_id: number
      }
    }>()
  })

  it('types selects, including joins', async () => {
    const users = await db.selectFrom('user').select(['id', 'username', 'password_hash']).orderBy('username', 'desc').execute()
    expectTypeOf(users).toEqualTypeOf<{ id: number; username: string; password_hash: string | null }[]>()

    const posts = await db
      .selectFrom('post')
      .innerJoin('user', 'user.id', 'post.user_id')
      .select(['post.body', 'post.timestamp', 'user.username'])
      .where('user.username', 'like', 's%')
      .execute()
    expectTypeOf(posts).toEqualTypeOf<{ body: string; timestamp: Date; username: string }[]>()

    // @ts-expect-error: no such column
    db.selectFrom('user').select('nope')
    // @ts-expect-error: no such table
    db.selectFrom('users')
  })

  it('makes generated and defaulted columns optional on insert, and checks value types', () => {
    db.insertInto('user').values({ username: 'john', email: 'john@example.com' })
    db.insertInto('post').values({ body: 'hi', user_id: 1 })
    db.insertInto('post').values({ body: 'hi', user_id: 1, timestamp: new Date(), id: 7 })
    // @ts-expect-error: a number is not a username
    db.insertInto('user').values({ username: 1, email: 'a@b.c' })
    // @ts-expect-error: email is NOT NULL and has no default
    db.insertInto('user').values({ username: 'susan' })
    // @ts-expect-error: no such column
    db.insertInto('user').values({ username: 'susan', email: 'a@b.c', age: 3 })

    expectTypeOf<Insertable<Database['user']>>().branded.toEqualTypeOf<{
      id?: number
      username: string
      email: string
      password_hash?: string | null
    }>()
    expectTypeOf<Updateable<Database['post']>>().toEqualTypeOf<{
      id?: number
      body?: string
      timestamp?: Date | string
      user_id?: number
    }>()
  })
})

describe('InferDatabase: every column type and modifier', () => {
  const mood = enumType('mood', ['sad', 'ok', 'happy'])
  interface Settings {
    readonly theme: 'dark' | 'light'
  }
  const all = defineSchema({
    every: table({
      serial: t.serial(),
      bigserial: t.bigserial(),
      smallserial: t.smallserial(),
      integer: t.integer().notNull(),
      bigint: t.bigint().notNull(),
      bigint_number: t.bigint<number>().notNull(),
      smallint: t.smallint(),
      numeric: t.numeric(10, 2).notNull(),
      decimal: t.decimal(),
      real: t.real(),
      double: t.doublePrecision(),
      boolean: t.boolean().notNull().defaultTo(false),
      text: t.text(),
      varchar: t.varchar(10),
      char: t.char(2),
      uuid: t.uuid().primaryKey().defaultTo(sql`gen_random_uuid()`),
      date: t.date(),
      time: t.time(),
      timestamp: t.timestamp({ withTimeZone: true }).notNull(),
      timestamptz: t.timestamptz(),
      interval: t.interval(),
      json: t.json(),
      jsonb: t.jsonb<Settings>().notNull(),
      bytea: t.bytea(),
      inet: t.inet(),
      cidr: t.cidr(),
      macaddr: t.macaddr(),
      mood: t.enum(mood).notNull(),
      citext: t.type<string>('citext'),
      tags: t.text().array().notNull(),
      moods: t.enum(mood).array(),
      always_id: t.integer().generatedAlwaysAsIdentity(),
      default_id: t.bigint().generatedByDefaultAsIdentity(),
      computed: t.integer().generatedAlwaysAs(sql`integer * 2`),
    }),
    log: table({ id: t.bigserial().primaryKey(), line: t.text().notNull() }, { schema: 'audit' }),
    explicit_public: table({ id: t.integer() }, { schema: 'public' }),
  })
  type All = InferDatabase<typeof all>

  it('keys tables outside public by schema.table', () => {
    expectTypeOf<keyof All>().toEqualTypeOf<'every' | 'audit.log' | 'explicit_public'>()
    expectTypeOf<All['audit.log']>().toEqualTypeOf<{
      id: ColumnType<string, string | number | bigint | undefined, string | number | bigint>
      line: string
    }>()
  })

  it('maps each PostgreSQL type to what the driver returns', () => {
    type Row = Selectable<All['every']>
    expectTypeOf<Row['serial']>().toEqualTypeOf<number>()
    expectTypeOf<Row['bigserial']>().toEqualTypeOf<string>()
    expectTypeOf<Row['smallserial']>().toEqualTypeOf<number>()
    expectTypeOf<Row['integer']>().toEqualTypeOf<number>()
    expectTypeOf<Row['bigint']>().toEqualTypeOf<string>()
    expectTypeOf<Row['bigint_number']>().toEqualTypeOf<number>()
    expectTypeOf<Row['smallint']>().toEqualTypeOf<number | null>()
    expectTypeOf<Row['numeric']>().toEqualTypeOf<string>()
    expectTypeOf<Row['decimal']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['real']>().toEqualTypeOf<number | null>()
    expectTypeOf<Row['double']>().toEqualTypeOf<number | null>()
    expectTypeOf<Row['boolean']>().toEqualTypeOf<boolean>()
    expectTypeOf<Row['text']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['varchar']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['char']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['uuid']>().toEqualTypeOf<string>()
    expectTypeOf<Row['date']>().toEqualTypeOf<Date | null>()
    expectTypeOf<Row['time']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['timestamp']>().toEqualTypeOf<Date>()
    expectTypeOf<Row['timestamptz']>().toEqualTypeOf<Date | null>()
    expectTypeOf<Row['interval']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['json']>().toEqualTypeOf<unknown>()
    expectTypeOf<Row['jsonb']>().toEqualTypeOf<Settings>()
    expectTypeOf<Row['bytea']>().toEqualTypeOf<Uint8Array | null>()
    expectTypeOf<Row['inet']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['cidr']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['macaddr']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['mood']>().toEqualTypeOf<'sad' | 'ok' | 'happy'>()
    expectTypeOf<Row['citext']>().toEqualTypeOf<string | null>()
    expectTypeOf<Row['tags']>().toEqualTypeOf<string[]>()
    expectTypeOf<Row['moods']>().toEqualTypeOf<('sad' | 'ok' | 'happy')[] | null>()
    expectTypeOf<Row['always_id']>().toEqualTypeOf<number>()
    expectTypeOf<Row['default_id']>().toEqualTypeOf<string>()
    expectTypeOf<Row['computed']>().toEqualTypeOf<number | null>()
  })

  it('wraps generated columns in Generated / GeneratedAlways', () => {
    type Every = All['every']
    expectTypeOf<Every['serial']>().toEqualTypeOf<Generated<number>>()
    expectTypeOf<Every['boolean']>().toEqualTypeOf<Generated<boolean>>()
    expectTypeOf<Every['uuid']>().toEqualTypeOf<Generated<string>>()
    expectTypeOf<Every['always_id']>().toEqualTypeOf<GeneratedAlways<number>>()
    expectTypeOf<Every['computed']>().toEqualTypeOf<GeneratedAlways<number | null>>()
    expectTypeOf<Every['default_id']>().toEqualTypeOf<ColumnType<string, string | number | bigint | undefined, string | number | bigint>>()
  })

  it('checks inserts against the declared types', () => {
    const typed = kyselyOf<All>()
    typed.insertInto('every').values({ integer: 1, bigint: 10n, bigint_number: 2, numeric: '1.50', timestamp: '2024-01-01', jsonb: { theme: 'dark' }, mood: 'ok', tags: ['a'] })
    // @ts-expect-error: not a value of the enum
    typed.insertInto('every').values({ integer: 1, bigint: 1, bigint_number: 2, numeric: 1, timestamp: new Date(), jsonb: { theme: 'dark' }, mood: 'angry', tags: [] })
    // @ts-expect-error: GENERATED ALWAYS columns cannot be inserted
    typed.insertInto('every').values({ integer: 1, bigint: 1, bigint_number: 2, numeric: 1, timestamp: new Date(), jsonb: { theme: 'dark' }, mood: 'ok', tags: [], always_id: 3 })
    // @ts-expect-error: the jsonb type parameter is checked
    typed.insertInto('every').values({ integer: 1, bigint: 1, bigint_number: 2, numeric: 1, timestamp: new Date(), jsonb: { theme: 'blue' }, mood: 'ok', tags: [] })
    typed.insertInto('audit.log').values({ line: 'x' })
  })

  it('types defaultTo and table options from the columns', () => {
    t.integer().defaultTo(1)
    t.text().defaultTo(sql`'x'`)
    t.timestamp().defaultTo(new Date())
    t.jsonb<Settings>().defaultTo({ theme: 'light' })
    // @ts-expect-error: a string is not an integer default
    t.integer().defaultTo('1')
    // @ts-expect-error: primaryKey names a column that does not exist
    table({ a: t.integer() }, { primaryKey: ['b'] })
    table({ a: t.integer(), b: t.integer() }, { primaryKey: ['a', 'b'], uniques: [{ columns: ['b'] }], indexes: [{ columns: ['a'] }] })
    // @ts-expect-error: unknown referential action
    t.integer().references('user.id').onDelete('explode')
  })
})
