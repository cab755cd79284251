import { mkdtempSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll } from 'vitest'
import { createTestDatabase, newTestDatabaseName, openPostgres, urlForDatabase, type TestDatabase } from '../../helpers/databases.js'
import { createProject, runTsdb, type CliResult } from '../../helpers/run-cli.js'

/** What every safety suite on real PostgreSQL starts from: its database, a project, a way to run tsdb. */
export interface SafetyProject {
  /** The URL of the suite's database, created in `beforeAll`. */
  readonly url: string
  /** The test's own connection to it (a pool that connects on first use). */
  readonly db: Kysely<any>
  readonly project: string
  /** `<project>/migrations/versions`, created empty. */
  readonly versions: string
  /** `tsdb db <args>` in the project, against the database. */
  run(...args: string[]): Promise<CliResult>
  /** The version table's rows, sorted. */
  versionRows(): Promise<string[]>
  tableExists(name: string): Promise<boolean>
}

/** Registers the hooks that create the database and the project before the suite, and drop them after. */
export function useSafetyProject(): SafetyProject {
  const name = newTestDatabaseName()
  const url = urlForDatabase(name)
  const db = openPostgres(url, 2)
  const project = mkdtempSync(join(tmpdir(), 'tsdb-project-'))
  const versions = join(project, 'migrations', 'versions')
  let database: TestDatabase | undefined

  beforeAll(async () => {
    database = await createTestDatabase(name)
    await createProject(project)
    await mkdir(versions, { recursive: true })
  })
  afterAll(async () => {
    await db.destroy()
    await database?.drop()
  })

  return {
    url,
    db,
    project,
    versions,
    run: (...args) => runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: url } }),
    versionRows: async () =>
      (await db.selectFrom('alembic_version').select('version_num').orderBy('version_num').execute()).map((row) => String(row.version_num)),
    tableExists: async (table) =>
      (await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(db)).rows[0]?.found !== null,
  }
}
