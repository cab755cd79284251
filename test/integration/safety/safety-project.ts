import { mkdtempSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, sql } from 'kysely'
import { afterAll, beforeAll } from 'vitest'
import {
  createPgliteTestDatabase,
  createTestDatabase,
  newTestDatabaseName,
  openPostgres,
  urlForDatabase,
  type TestBackend,
  type TestDatabase,
} from '../../helpers/databases.js'
import { createProject, runTsdb, type CliResult } from '../../helpers/run-cli.js'

/** What every safety suite starts from: its database, a project, a way to run tsdb. */
export interface SafetyProject {
  readonly backend: TestBackend
  /** The URL of the suite's database (`pglite:<folder>` on PGlite), created in `beforeAll`. */
  readonly url: string
  readonly project: string
  /** `<project>/migrations/versions`, created empty. */
  readonly versions: string
  /**
   * Runs `fn` on the test's own connection to the database. On PGlite it opens the folder for
   * the call only (about a second of CPU): one process at a time may have it open, so never
   * while a tsdb process runs.
   */
  withDb<T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T>
  /** `tsdb db <args>` in the project, against the database. */
  run(...args: string[]): Promise<CliResult>
  /** The version table's rows, sorted. */
  versionRows(): Promise<string[]>
  tableExists(name: string): Promise<boolean>
}

export interface PostgresSafetyProject extends SafetyProject {
  /** The test's own connection to the database (a pool that connects on first use). */
  readonly db: Kysely<any>
}

/** Registers the hooks that create the database and the project before the suite, and drop them after. */
export function useSafetyProject(): PostgresSafetyProject
export function useSafetyProject(backend: TestBackend): SafetyProject
export function useSafetyProject(backend: TestBackend = 'postgres'): SafetyProject {
  const project = mkdtempSync(join(tmpdir(), 'tsdb-project-'))
  const versions = join(project, 'migrations', 'versions')
  const target = backend === 'postgres' ? postgresTarget() : pgliteTarget()

  beforeAll(async () => {
    await target.create()
    await createProject(project)
    await mkdir(versions, { recursive: true })
  })
  afterAll(() => target.drop())

  const { url, withDb } = target
  return {
    backend,
    url,
    project,
    versions,
    withDb,
    ...(target.db !== undefined && { db: target.db }),
    run: (...args) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: url } }),
    versionRows: () =>
      withDb(async (db) =>
        (await db.selectFrom('alembic_version').select('version_num').orderBy('version_num').execute()).map((row) => String(row.version_num)),
      ),
    tableExists: (table) =>
      withDb(async (db) => (await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(db)).rows[0]?.found !== null),
  }
}

interface Target {
  readonly url: string
  readonly db?: Kysely<any>
  create(): Promise<void>
  drop(): Promise<void>
  withDb<T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T>
}

function postgresTarget(): Target {
  const name = newTestDatabaseName()
  const db = openPostgres(urlForDatabase(name), 2)
  let database: TestDatabase | undefined
  return {
    url: urlForDatabase(name),
    db,
    create: async () => {
      database = await createTestDatabase(name)
    },
    drop: async () => {
      await db.destroy()
      await database?.drop()
    },
    withDb: (fn) => fn(db),
  }
}

/** A data folder inside a private temporary folder, so its URL is known before it exists. */
function pgliteTarget(): Target {
  const parent = mkdtempSync(join(tmpdir(), 'tsdb-pglite-'))
  const dataDir = join(parent, 'data')
  return {
    url: `pglite:${dataDir}`,
    create: async () => {
      await createPgliteTestDatabase(dataDir)
    },
    drop: () => rm(parent, { recursive: true, force: true }),
    withDb: async (fn) => {
      const pglite = new PGlite(dataDir)
      const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) })
      try {
        return await fn(db)
      } finally {
        await db.destroy()
        if (!pglite.closed) await pglite.close()
      }
    },
  }
}
