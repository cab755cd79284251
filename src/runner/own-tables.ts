import { sql, type Kysely, type RawBuilder } from 'kysely'
import { VersionTableError } from '../errors.js'
import { buildLockKey } from './advisory-lock.js'

/**
 * The schema of tsdb's own tables. Not the version table's: `flask db migrate` would write a
 * `drop_table` for a `tsdb_*` table in `public`, and leaves other schemas alone. Older tsdb kept
 * them next to the version table; a run that writes one moves it here, until then readers find it.
 */
export const OWN_TABLES_SCHEMA = 'tsdb_meta'

/** One of tsdb's own tables: its name and the columns tsdb reads and writes. */
export interface OwnTable {
  readonly name: string
  readonly columns: readonly string[]
}

/** `schema.table`, or the bare name (the search path's) for a null schema. */
export const ownTableRef = (schema: string | null, table: string): RawBuilder<unknown> =>
  schema === null ? sql.id(table) : sql.id(schema, table)

/**
 * Where the table is: OWN_TABLES_SCHEMA, then its old place (`legacySchema`, null for the search
 * path's); both until a run moves it. A table of that name that is not tsdb's is an error.
 */
export async function findOwnTable(db: Kysely<any>, table: OwnTable, legacySchema: string | null): Promise<readonly (string | null)[]> {
  const found: (string | null)[] = []
  if ((await resolveOwnTable(db, OWN_TABLES_SCHEMA, table)) !== undefined) found.push(OWN_TABLES_SCHEMA)
  // The old place, unqualified, follows the search path: with tsdb_meta on it, that may be the new table.
  const legacy = legacySchema === OWN_TABLES_SCHEMA ? undefined : await resolveOwnTable(db, legacySchema, table)
  if (legacy !== undefined && legacy !== OWN_TABLES_SCHEMA) found.push(legacySchema)
  return found
}

/**
 * Creates the table in OWN_TABLES_SCHEMA, moving an older one there (or its rows, when both
 * exist). Commits at once. Projects with different version tables share these tables but not
 * their migration lock, so this takes a lock of its own (two CREATE TABLEs race).
 */
export async function ensureOwnTable(
  db: Kysely<any>,
  table: OwnTable,
  legacySchema: string | null,
  create: (trx: Kysely<any>) => Promise<void>,
): Promise<void> {
  const found = await findOwnTable(db, table, legacySchema)
  if (found.length === 1 && found[0] === OWN_TABLES_SCHEMA) return
  const key = buildLockKey(table.name, OWN_TABLES_SCHEMA)
  await db.transaction().execute(async (trx) => {
    await sql`select pg_catalog.pg_advisory_xact_lock(${key.toString()}::bigint)`.execute(trx)
    const now = await findOwnTable(trx, table, legacySchema)
    if (now.length === 1 && now[0] === OWN_TABLES_SCHEMA) return
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when it exists.
    const { rows } = await sql<{ found: boolean }>`
      select exists (select from pg_catalog.pg_namespace where nspname = ${OWN_TABLES_SCHEMA}) as found`.execute(trx)
    if (rows[0]?.found !== true) await sql`create schema ${sql.id(OWN_TABLES_SCHEMA)}`.execute(trx)
    const legacy = now.includes(OWN_TABLES_SCHEMA) ? now.filter((schema) => schema !== OWN_TABLES_SCHEMA) : []
    if (!now.includes(OWN_TABLES_SCHEMA)) {
      const [old] = now
      if (old === undefined) await create(trx.withSchema(OWN_TABLES_SCHEMA))
      else await sql`alter table ${ownTableRef(old, table.name)} set schema ${sql.id(OWN_TABLES_SCHEMA)}`.execute(trx)
    }
    for (const old of legacy) {
      const columns = sql.join(table.columns.map((column) => sql.id(column)))
      await sql`insert into ${ownTableRef(OWN_TABLES_SCHEMA, table.name)} (${columns})
        select ${columns} from ${ownTableRef(old, table.name)}`.execute(trx)
      await sql`drop table ${ownTableRef(old, table.name)}`.execute(trx)
    }
  })
}

/**
 * The schema the table resolves to (the search path's for a null schema), if any. One that is not
 * tsdb's fails here, naming the table, not at its first write after a step ran, blaming the revision.
 */
async function resolveOwnTable(db: Kysely<any>, schema: string | null, table: OwnTable): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string; relkind: string; column_name: string | null }>`
    select n.nspname as schema, c.relkind::text as relkind, a.attname as column_name
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.oid = pg_catalog.to_regclass(${qualifiedName(schema, table.name)})
    order by a.attnum`.execute(db)
  const first = rows[0]
  if (!first) return undefined
  const found = new Set(rows.flatMap((row) => (row.column_name === null ? [] : [row.column_name])))
  const missing = table.columns.filter((column) => !found.has(column))
  if (first.relkind === 'r' && missing.length === 0) return first.schema
  const displayName = schema === null ? table.name : `${schema}.${table.name}`
  const what = first.relkind === 'r' ? `it has no column ${missing.join(', ')}` : 'it is not a table'
  throw new VersionTableError(
    `'${displayName}' is not the table tsdb keeps there (${what}). tsdb owns the tsdb_* tables in schema ${OWN_TABLES_SCHEMA} ` +
      '(and, from older versions, next to the version table): rename that one, or drop it if tsdb made it long ago (tsdb creates it again), then run the command again.',
    { code: 'OWN_TABLE_SHAPE' },
  )
}

function qualifiedName(schema: string | null, table: string) {
  // to_regclass follows the search path for an unqualified name, as the unqualified DDL does.
  return schema === null
    ? sql`pg_catalog.quote_ident(${table})`
    : sql`pg_catalog.quote_ident(${schema}) || '.' || pg_catalog.quote_ident(${table})`
}
