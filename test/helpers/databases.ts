/**
 * Databases for integration tests: one fresh database per test file on the server that
 * global-setup.ts started, and `describeEachDatabase` to run one suite on both backends
 * (real PostgreSQL through `pg`, and PGlite).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, sql, type Logger } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, inject } from 'vitest'
// The built package's own writer of a new embedded database (`npm test` builds first).
import { restorePreparedCluster } from '../../dist/connection/prepared-cluster.js'

export type TestBackend = 'postgres' | 'pglite'

/** The superuser URL of the test server (database `postgres`). */
export function testPgUrl(): string {
  // The env var reaches forked workers and spawned CLIs; inject() is the fallback vitest guarantees.
  const url = process.env.TSDB_TEST_PG_URL ?? inject('tsdbPgUrl')
  if (!url) throw new Error('TSDB_TEST_PG_URL is not set: run integration tests through vitest (globalSetup).')
  return url
}

/** The same server URL pointing at another database. */
export function urlForDatabase(name: string, baseUrl: string = testPgUrl()): string {
  const url = new URL(baseUrl)
  url.pathname = `/${encodeURIComponent(name)}`
  return url.toString()
}

export interface TestDatabase {
  readonly url: string
  readonly name: string
  drop(): Promise<void>
}

/** A new `tsdb_test_<random>` name: its URL is known before the database is created. */
export function newTestDatabaseName(): string {
  return `tsdb_test_${randomBytes(6).toString('hex')}`
}

/** Creates `tsdb_test_<random>` (or `name`) on the test server. */
export async function createTestDatabase(name: string = newTestDatabaseName()): Promise<TestDatabase> {
  await withAdmin((db) => sql`create database ${sql.id(name)}`.execute(db))
  return {
    name,
    url: urlForDatabase(name),
    drop: () => withAdmin((db) => sql`drop database if exists ${sql.id(name)} with (force)`.execute(db)).then(() => undefined),
  }
}

async function withAdmin<T>(fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const db = openPostgres(testPgUrl(), 1)
  try {
    return await fn(db)
  } finally {
    await db.destroy()
  }
}

/**
 * A PGlite data folder holding a new, never opened database: the cluster the build prepared
 * (dist/pglite/), written as tsdb writes a new project's database, in a few hundredths of a second
 * instead of PGlite's initdb. Open it from one process at a time. In `folder` (new or empty) when
 * given, else in a new temporary folder.
 */
export async function createPgliteTestDatabase(folder?: string): Promise<TestDatabase> {
  const dir = folder ?? (await mkdtemp(join(tmpdir(), 'tsdb-pglite-')))
  await mkdir(dir, { recursive: true, mode: 0o700 })
  if (!(await restorePreparedCluster(dir))) {
    throw new Error('dist/pglite/cluster.tar.br is missing or damaged (or TSDB_PGLITE_PREPARED=off is set): run `npm run build` first')
  }
  return { name: dir, url: `pglite:${dir}`, drop: () => rm(dir, { recursive: true, force: true }) }
}

export function openPostgres(url: string, max = 10, log?: Logger): Kysely<any> {
  const pool = new pg.Pool({ connectionString: url, max })
  // pool.end() (Kysely's destroy) resolves once its clients have been asked to end, not once
  // they have: the `drop database ... with (force)` that follows can terminate a backend still
  // closing, and its client then emits 'error' on the pool, an uncaught exception without this
  // listener (it failed a CI run whose tests all passed). Queries still report their own errors.
  pool.on('error', () => undefined)
  return new Kysely<any>({ dialect: new PostgresDialect({ pool }), ...(log !== undefined && { log }) })
}

export interface DatabaseContext {
  readonly backend: TestBackend
  /** `postgres://…` for postgres, `pglite:<dir>` for pglite. Valid from beforeAll on. */
  readonly url: string
  /**
   * A Kysely instance on this suite's database, destroyed after the suite.
   * On PGlite every instance shares one PGlite (two PGlites on one folder lose data); it opens on
   * the first call, so a suite that only hands `url` to other code never opens it.
   * `log` is Kysely's option, which tsdb's own databases set (src/connection/query-log.ts).
   */
  kysely(config?: { readonly log?: Logger }): Kysely<any>
  /**
   * On PGlite, the suite's one open PGlite (the instance kysely() uses), e.g. to hand to tsdb's API
   * as `db` so that its commands reuse it instead of opening the folder each; closed by closeAll().
   */
  pglite(): PGlite
  /** Closes what kysely() and pglite() opened, e.g. before a child process opens `url` itself. */
  closeAll(): Promise<void>
}

/** Runs `body` twice: once against a fresh PostgreSQL database, once against a fresh PGlite folder. */
export function describeEachDatabase(
  name: string,
  body: (ctx: DatabaseContext) => void,
  backends: readonly TestBackend[] = ['postgres', 'pglite'],
): void {
  for (const backend of backends) {
    describe(`${name} [${backend}]`, () => {
      const ctx = createContext(backend)
      beforeAll(() => ctx.open())
      afterAll(() => ctx.dispose())
      body(ctx)
    })
  }
}

interface ManagedContext extends DatabaseContext {
  open(): Promise<void>
  dispose(): Promise<void>
}

function createContext(backend: TestBackend): ManagedContext {
  let url: string | undefined
  let cleanup: (() => Promise<void>) | undefined
  let opened: Kysely<any>[] = []
  let pglite: PGlite | undefined

  const closeAll = async (): Promise<void> => {
    const all = opened
    opened = []
    await Promise.all(all.map((db) => db.destroy()))
    const shared = pglite
    pglite = undefined
    if (shared && !shared.closed) await shared.close()
  }

  return {
    backend,
    get url() {
      if (!url) throw new Error('the database URL is only available from beforeAll on')
      return url
    },
    kysely(config: { readonly log?: Logger } = {}) {
      if (!url) throw new Error('kysely() is only available from beforeAll on')
      const { log } = config
      const db =
        backend === 'postgres'
          ? openPostgres(url, 10, log)
          : new Kysely<any>({ dialect: new PGliteDialect({ pglite: sharedPglite(url) }), ...(log !== undefined && { log }) })
      opened.push(db)
      return db
    },
    pglite() {
      if (backend !== 'pglite' || !url) throw new Error('pglite() is only available on PGlite, from beforeAll on')
      return openShared(url)
    },
    closeAll,
    async open() {
      if (backend === 'postgres') {
        const database = await createTestDatabase()
        url = database.url
        cleanup = database.drop
      } else {
        const database = await createPgliteTestDatabase()
        url = database.url
        cleanup = database.drop
      }
    },
    async dispose() {
      await closeAll()
      await cleanup?.()
    },
  }

  function openShared(pgliteUrl: string): PGlite {
    return (pglite ??= new PGlite(pgliteUrl.slice('pglite:'.length)))
  }

  function sharedPglite(pgliteUrl: string) {
    const instance = openShared(pgliteUrl)
    // Kysely closes its PGlite on destroy(); the suite owns the instance, so close() is a no-op here.
    return {
      get closed() {
        return instance.closed
      },
      get ready() {
        return instance.ready
      },
      get waitReady() {
        return instance.waitReady
      },
      query: instance.query.bind(instance),
      transaction: instance.transaction.bind(instance),
      close: async () => {},
    }
  }
}
