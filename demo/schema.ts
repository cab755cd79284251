// The walk-through's schema (DESIGN §1), exactly as a user writes it in src/schema.ts.
import { sql } from 'kysely'
import { defineSchema, table, t, type InferDatabase } from 'tsdb-migrate'

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
export default schema
export type Database = InferDatabase<typeof schema>   // new Kysely<Database>(...) is fully typed
