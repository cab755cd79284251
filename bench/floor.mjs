// The least a Node tool can do for the benchmark's upgrade and downgrade: the same statements
// tsdb sends for the revision chain, in one transaction, the version table written once, with no
// revision file to read, no graph, nothing checked or recorded. Two floors:
//   node-pg   node-postgres alone, one round trip per statement;
//   kysely    one Kysely on node-postgres, each revision's statement built with Kysely's schema
//             builder, as a revision file builds it.
// No tool that runs Kysely migrations through node-postgres can be faster than these.
//
// Plain JavaScript, no loader. The benchmark runs it bundled with Kysely by esbuild, as the tsdb
// command is (pg stays a package, as in tsdb's bundle): Kysely's 256 ES modules cost a bare
// script about 0.2 s to load, which would otherwise count against the floor, not against tsdb.
// Usage: DATABASE_URL=... node bench/floor.mjs <node-pg|kysely> <up|down> <N> <head revision id>
import pg from 'pg'

const [mode, direction, count, head] = process.argv.slice(2)
const n = Number(count)
if (!['node-pg', 'kysely'].includes(mode) || !['up', 'down'].includes(direction) || !(n > 0) || !head) {
  console.error('usage: node bench/floor.mjs <node-pg|kysely> <up|down> <N> <head revision id>')
  process.exit(2)
}
const url = process.env.DATABASE_URL
const VERSION_TABLE = 'alembic_version'
const tableName = (index) => `t_${index}`
// Down drops the tables in the order the downgrade does: the last revision first.
const indexes = Array.from({ length: n }, (_, i) => (direction === 'up' ? i : n - 1 - i))

if (mode === 'node-pg') {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const id = (name) => client.escapeIdentifier(name)
  await client.query('BEGIN')
  if (direction === 'up') {
    await client.query(`CREATE TABLE IF NOT EXISTS ${id(VERSION_TABLE)} (version_num varchar(32) NOT NULL PRIMARY KEY)`)
    for (const i of indexes) await client.query(`CREATE TABLE ${id(tableName(i))} ("id" serial PRIMARY KEY, "name" varchar(64))`)
    await client.query(`INSERT INTO ${id(VERSION_TABLE)} (version_num) VALUES ($1)`, [head])
  } else {
    for (const i of indexes) await client.query(`DROP TABLE ${id(tableName(i))}`)
    await client.query(`DELETE FROM ${id(VERSION_TABLE)} WHERE version_num = $1`, [head])
  }
  await client.query('COMMIT')
  await client.end()
} else {
  const { Kysely, PostgresDialect } = await import('kysely')
  const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) })
  await db.transaction().execute(async (trx) => {
    if (direction === 'up') {
      await trx.schema
        .createTable(VERSION_TABLE)
        .ifNotExists()
        .addColumn('version_num', 'varchar(32)', (col) => col.notNull().primaryKey())
        .execute()
      for (const i of indexes) {
        await trx.schema
          .createTable(tableName(i))
          .addColumn('id', 'serial', (col) => col.primaryKey())
          .addColumn('name', 'varchar(64)')
          .execute()
      }
      await trx.insertInto(VERSION_TABLE).values({ version_num: head }).execute()
    } else {
      for (const i of indexes) await trx.schema.dropTable(tableName(i)).execute()
      await trx.deleteFrom(VERSION_TABLE).where('version_num', '=', head).execute()
    }
  })
  await db.destroy()
}
