// Step 1 of the walk-through: the `user` table of the Flask Mega-Tutorial, chapter 4.
import { defineSchema, table, t, type InferDatabase } from 'tsdb-migrate'

export const schema = defineSchema({
  user: table({
    id: t.serial().primaryKey(),
    username: t.varchar(64).notNull().unique().index(),
    email: t.varchar(120).notNull().unique().index(),
    password_hash: t.varchar(256),
  }),
})
export default schema
export type Database = InferDatabase<typeof schema>
