/**
 * Helpers for the autogenerate CLI suites: a project with a schema declaration, and catalog
 * reads between CLI runs (closed again each time, since PGlite allows one process per folder).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { resolveConfig, type ResolvedConfig } from '../../../dist/index.js'
import type { DatabaseContext } from '../../helpers/databases.js'
import { createProject } from '../../helpers/run-cli.js'

/** The Mega-Tutorial's `user` table, exactly as DESIGN §1 writes it. */
export const USER_TABLE = `  user: table({
    id: t.serial().primaryKey(),
    username: t.varchar(64).notNull().unique().index(),
    email: t.varchar(120).notNull().unique().index(),
    password_hash: t.varchar(256),
  }),`

/** The Mega-Tutorial's `post` table, exactly as DESIGN §1 writes it. */
export const POST_TABLE = `  post: table({
    id: t.serial().primaryKey(),
    body: t.varchar(140).notNull(),
    timestamp: t.timestamp().notNull().defaultTo(sql\`now()\`).index(),
    user_id: t.integer().notNull().references('user.id').index(),
  }),`

/** A `src/schema.ts` as a user writes it, with `tables` inside `defineSchema({ ... })`. */
function schemaModule(tables: string, preamble = ''): string {
  return `import { sql } from 'kysely'
import { defineSchema, enumType, table, t, type InferDatabase } from 'tsdb-migrate'
${preamble}
export const schema = defineSchema({
${tables}
})
export default schema
export type Database = InferDatabase<typeof schema>

void sql
void enumType
`
}

export async function writeSchema(project: string, tables: string, preamble = ''): Promise<void> {
  await mkdir(join(project, 'src'), { recursive: true })
  await writeFile(join(project, 'src', 'schema.ts'), schemaModule(tables, preamble))
}

export async function revisionFiles(project: string): Promise<readonly string[]> {
  const names = await readdir(join(project, 'migrations', 'versions'))
  return names.filter((name) => name.endsWith('.ts')).toSorted()
}

/**
 * The config of API calls on the suite's database from `project`, with `raw` as its config file.
 * On PGlite the calls run on the suite's one open PGlite, given as `db` as an application gives
 * its own, instead of opening the folder for each command at a fraction of a second of CPU;
 * opening it by URL is what the CLI suites do.
 */
/** A project for a suite that calls the API: the folders `migrate` writes to, without `tsdb db init`. */
export async function createApiProject(): Promise<string> {
  const project = await createProject()
  await mkdir(join(project, 'src'))
  await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
  return project
}

export function apiConfig(ctx: DatabaseContext, project: string, raw: object = {}): ResolvedConfig {
  const config = resolveConfig(raw, { cwd: project, env: { DATABASE_URL: ctx.url }, configPath: null })
  return ctx.backend === 'pglite' ? { ...config, db: ctx.pglite() } : config
}

/** Runs `fn` on the suite's database, then closes it so the next CLI run can open it. */
export async function query<T>(ctx: DatabaseContext, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  try {
    return await fn(ctx.kysely())
  } finally {
    await ctx.closeAll()
  }
}

export interface CatalogColumn {
  readonly table: string
  readonly column: string
  readonly type: string
  readonly notNull: boolean
  readonly default: string | null
}

/** The public tables' columns as `format_type` prints them; tsdb's own tables (version table, revision log) left out. */
export function readColumns(db: Kysely<any>): Promise<readonly CatalogColumn[]> {
  return sql<CatalogColumn>`
    select c.relname as "table", a.attname as "column", format_type(a.atttypid, a.atttypmod) as "type",
           a.attnotnull as "notNull", pg_get_expr(d.adbin, d.adrelid) as "default"
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      and c.relname <> 'alembic_version' and c.relname not like 'tsdb\_%'
    order by c.relname, a.attnum`
    .execute(db)
    .then((result) => result.rows)
}

/** `indexname: indexdef` of the public schema's indexes. */
export function readIndexes(db: Kysely<any>): Promise<Readonly<Record<string, string>>> {
  return sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename <> 'alembic_version' and tablename not like 'tsdb\_%'
    order by indexname`
    .execute(db)
    .then((result) => Object.fromEntries(result.rows.map((row) => [row.indexname, row.indexdef])))
}

/** `table.name: definition` of the public schema's constraints (primary keys, uniques, foreign keys, checks). */
export function readConstraints(db: Kysely<any>): Promise<Readonly<Record<string, string>>> {
  return sql<{ name: string; definition: string }>`
    select c.relname || '.' || k.conname as name, pg_get_constraintdef(k.oid) as definition
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relname <> 'alembic_version' and c.relname not like 'tsdb\_%' and k.contype <> 'n'
    order by 1`
    .execute(db)
    .then((result) => Object.fromEntries(result.rows.map((row) => [row.name, row.definition])))
}

export function readVersion(db: Kysely<any>): Promise<readonly string[]> {
  return sql<{ version_num: string }>`select version_num from alembic_version order by 1`
    .execute(db)
    .then((result) => result.rows.map((row) => row.version_num))
}
