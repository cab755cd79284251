/**
 * The bad-input catalogue's shared parts: how a clean error looks on the real CLI, a snapshot of
 * everything a command could change in a database, and small revision-file builders.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { expect } from 'vitest'
import type { DatabaseContext } from '../../helpers/databases.js'
import { createProject, runTsdb, type CliResult } from '../../helpers/run-cli.js'

export const USAGE_HINT = 'Run `tsdb db --help` (or `tsdb db <command> --help`) for usage.'

export interface ExpectedError {
  /** 1 for a failed command, 2 for a usage error. */
  readonly exit: 1 | 2
  /** What went wrong. */
  readonly what: RegExp
  /** What to do about it. */
  readonly todo: RegExp
}

/**
 * The contract of every catalogue case: the exit code, nothing on stderr but one `Error:` line
 * (and, for a usage error, yargs' usage hint), no stack trace, and a line that names the problem
 * and the way out.
 */
export function expectCleanError(result: CliResult, expected: ExpectedError): string {
  const context = `exit ${result.code}\nstderr:\n${result.stderr}\nstdout:\n${result.stdout}`
  expect(result.code, context).toBe(expected.exit)
  expect(result.stderr, context).not.toMatch(/\n\s+at /)
  expect(result.stderr, context).not.toMatch(/unexpectedly|please report/)
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '')
  const errors = lines.filter((line) => line.startsWith('Error: '))
  expect(errors, context).toHaveLength(1)
  const others = lines.filter((line) => !line.startsWith('Error: '))
  expect(others.every((line) => line === USAGE_HINT), context).toBe(true)
  const line = errors[0] ?? ''
  expect(line, context).toMatch(expected.what)
  // A usage error's way out may be yargs' usage hint on the next line.
  expect([line, ...others].join('\n'), context).toMatch(expected.todo)
  return line
}

/** A project with `tsdb db init` done by hand: migrations/versions and nothing else. */
export async function createInitializedProject(): Promise<string> {
  const project = await createProject()
  await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
  return project
}

export async function writeFiles(project: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(project, path)), { recursive: true })
    await writeFile(join(project, path), text)
  }
}

/** A revision file whose header and body are given as raw text, for malformed files. */
export function rawRevision(header: string, body = 'export async function up() {}\nexport async function down() {}\n'): string {
  return `/**\n * a revision\n */\n${header}\n${body}`
}

export function tableRevision(id: string, down: string | null, table: string, extra: { up?: string; down?: string | null } = {}): string {
  const downFn =
    extra.down === null
      ? ''
      : `export async function down(db: Kysely<any>): Promise<void> {\n  ${extra.down ?? `await db.schema.dropTable('${table}').execute()`}\n}\n`
  return `/**
 * create ${table}
 *
 * Revision ID: ${id}
 * Revises: ${down ?? ''}
 */
import type { Kysely } from 'kysely'

export const revision = '${id}'
export const downRevision = ${down === null ? 'null' : `'${down}'`}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('${table}').addColumn('id', 'integer', (c) => c.primaryKey()).execute()
  ${extra.up ?? ''}
}

${downFn}`
}

/**
 * Everything a command could change: every relation outside the system schemas with its columns,
 * every constraint and index, every type, and the rows of every table (version table and
 * revision log included).
 */
export async function snapshotDatabase(db: Kysely<any>): Promise<unknown> {
  const userSchemas = sql`n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'`
  const relations = await sql<{ schema: string; name: string; kind: string; columns: string | null }>`
    select n.nspname as schema, c.relname as name, c.relkind::text as kind,
      (select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end, ', ' order by a.attnum)
         from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${userSchemas}
    order by 1, 2`.execute(db)
  const constraints = await sql<{ name: string; definition: string }>`
    select n.nspname || '.' || c.conname as name, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where ${userSchemas} order by 1, 2`.execute(db)
  const types = await sql<{ name: string }>`
    select n.nspname || '.' || t.typname as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where ${userSchemas} and t.typtype in ('e', 'd', 'c') and not exists (select 1 from pg_class c where c.reltype = t.oid)
    order by 1`.execute(db)
  const rows: Record<string, unknown> = {}
  for (const relation of relations.rows.filter((r) => r.kind === 'r' || r.kind === 'p')) {
    const result = await sql<{ row: string }>`select t::text as row from ${sql.table(`${relation.schema}.${relation.name}`)} t order by 1`.execute(db)
    rows[`${relation.schema}.${relation.name}`] = result.rows.map((r) => r.row)
  }
  return { relations: relations.rows, constraints: constraints.rows, types: types.rows.map((t) => t.name), rows }
}

/** Reads the snapshot and lets go of the database again (PGlite allows one process per folder). */
async function snapshotOf(ctx: DatabaseContext): Promise<unknown> {
  try {
    return await snapshotDatabase(ctx.kysely())
  } finally {
    await ctx.closeAll()
  }
}

/** Runs SQL on the suite's database, then closes it again. */
export async function execute(ctx: DatabaseContext, statements: string): Promise<void> {
  try {
    const db = ctx.kysely()
    for (const statement of statements.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
      await sql.raw(statement).execute(db)
    }
  } finally {
    await ctx.closeAll()
  }
}

/** Runs the CLI against the suite's database and checks that the database did not change. */
export async function runAgainst(
  ctx: DatabaseContext,
  project: string,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const before = await snapshotOf(ctx)
  const result = await runTsdb(args, { cwd: project, env: { DATABASE_URL: ctx.url, ...env } })
  const after = await snapshotOf(ctx)
  expect(after, `the database changed; stderr:\n${result.stderr}`).toEqual(before)
  return result
}

/** Back to an empty database between cases. */
export async function resetDatabase(ctx: DatabaseContext): Promise<void> {
  await execute(ctx, 'drop schema public cascade; create schema public')
}
