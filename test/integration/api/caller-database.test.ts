/**
 * The API on a database the caller holds (`upgrade({ ...config, db })`): a pg Pool, a pg Client
 * and a Kysely instance on a real PostgreSQL server; a PGlite instance and a Kysely instance over
 * PGlite, on a folder of their own. tsdb must run on that database (not the config's URL), keep its lock and
 * transaction semantics, and leave it open.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { CamelCasePlugin, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ConfigError,
  ConnectionError,
  current,
  downgrade,
  LockTimeoutError,
  MigrationFailedError,
  resolveConfig,
  upgrade,
  type CallerDatabase,
  type ResolvedConfig,
} from '../../../src/index.js'
import { buildLockKey } from '../../../src/runner/advisory-lock.js'
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '../../helpers/databases.js'
import { revisionFileText } from '../../helpers/run-cli.js'

const USERS = 'a1b2c3d4e5f6'
const NOTES = 'b2c3d4e5f6a7'
const BROKEN = 'c3d4e5f6a7b8'

let dir: string
let config: ResolvedConfig

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsdb-caller-db-'))
  await writeFile(join(dir, 'package.json'), '{"type":"module"}')
  const versions = join(dir, 'migrations', 'versions')
  await mkdir(versions, { recursive: true })
  const files = [
    { id: USERS, message: 'users', up: 'await sql`create table member (id serial primary key, name text not null)`.execute(db)', down_: 'await sql`drop table member`.execute(db)' },
    { id: NOTES, down: USERS, message: 'notes', up: 'await sql`create table note (id serial primary key, body text)`.execute(db)', down_: 'await sql`drop table note`.execute(db)' },
    { id: BROKEN, down: NOTES, message: 'broken', up: 'await sql`select 1 / 0`.execute(db)' },
  ]
  for (const file of files) await writeFile(join(versions, `${file.id}_${file.message}.ts`), revisionFileText(file))
  // No URL anywhere: without `db`, tsdb would open the embedded database in <dir>/.tsdb/pglite.
  config = resolveConfig({}, { cwd: dir, env: {}, configPath: null })
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

afterEach(() => {
  expect(existsSync(join(dir, '.tsdb')), 'tsdb opened the config database instead of db').toBe(false)
})

interface Held {
  readonly db: CallerDatabase
  /** Reads through the caller's own handle, not tsdb's. */
  tables(): Promise<string[]>
  versionRows(): Promise<string[]>
  close(): Promise<void>
}

async function readNames(run: (text: string) => Promise<{ name: string }[]>): Promise<{ tables(): Promise<string[]>; versionRows(): Promise<string[]> }> {
  return {
    tables: async () =>
      (await run("select table_name as name from information_schema.tables where table_schema = 'public' order by 1"))
        .map((r) => r.name)
        .filter((name) => !name.startsWith('tsdb_')),
    versionRows: async () => {
      const exists = await run("select to_regclass('public.alembic_version')::text as name")
      if (exists[0]?.name === null || exists[0]?.name === undefined) return []
      return (await run('select version_num as name from alembic_version order by 1')).map((r) => r.name)
    },
  }
}

/** A PGlite the caller opened on a new database; `close` closes it and removes its folder. */
async function openCallerPglite(): Promise<{ pglite: PGlite; close(): Promise<void> }> {
  const database = await createPgliteTestDatabase()
  const pglite = new PGlite(database.name)
  await pglite.waitReady
  return {
    pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close()
      await database.drop()
    },
  }
}

const backends: readonly { readonly name: string; open(database: TestDatabase | null): Promise<Held> }[] = [
  {
    name: 'pg Pool',
    async open(database) {
      const pool = new pg.Pool({ connectionString: database?.url, max: 3 })
      const names = await readNames(async (text) => (await pool.query<{ name: string }>(text)).rows)
      return { db: pool, ...names, close: () => pool.end() }
    },
  },
  {
    name: 'pg Client',
    async open(database) {
      const client = new pg.Client({ connectionString: database?.url })
      await client.connect()
      const names = await readNames(async (text) => (await client.query<{ name: string }>(text)).rows)
      return { db: client, ...names, close: () => client.end() }
    },
  },
  {
    name: 'Kysely over pg (with CamelCasePlugin)',
    async open(database) {
      const kysely = new Kysely<{ member: { id: number; name: string } }>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database?.url, max: 3 }) }),
        // The caller's plugins must not reach tsdb's own queries (version_num would read as versionNum).
        plugins: [new CamelCasePlugin()],
      })
      const names = await readNames(async (text) => (await sql<{ name: string }>`${sql.raw(text)}`.execute(kysely)).rows)
      return { db: kysely, ...names, close: () => kysely.destroy() }
    },
  },
  {
    name: 'PGlite instance',
    async open() {
      const { pglite, close } = await openCallerPglite()
      const names = await readNames(async (text) => (await pglite.query<{ name: string }>(text)).rows)
      return { db: pglite, ...names, close }
    },
  },
  {
    name: 'Kysely over PGlite',
    async open() {
      const { pglite, close } = await openCallerPglite()
      const kysely = new Kysely<Record<string, never>>({ dialect: new PGliteDialect({ pglite }) })
      const names = await readNames(async (text) => (await sql<{ name: string }>`${sql.raw(text)}`.execute(kysely)).rows)
      return {
        db: kysely,
        ...names,
        close: async () => {
          await kysely.destroy()
          await close()
        },
      }
    },
  },
]

for (const backend of backends) {
  const isServer = !backend.name.includes('PGlite')
  describe(`API on the caller's ${backend.name}`, () => {
    let database: TestDatabase | null = null
    let held: Held
    beforeAll(async () => {
      database = isServer ? await createTestDatabase() : null
      held = await backend.open(database)
    })
    afterAll(async () => {
      await held?.close()
      await database?.drop()
    })

    it('upgrades it, reads it back with current(), downgrades it, and leaves it open', async () => {
      const up = await upgrade({ ...config, db: held.db }, { target: NOTES })
      expect(up.steps.map((step) => step.revision)).toEqual([USERS, NOTES])
      expect(await held.tables()).toEqual(['alembic_version', 'member', 'note'])
      expect(await held.versionRows()).toEqual([NOTES])

      const now = await current({ ...config, db: held.db })
      expect(now.heads.map((head) => head.id)).toEqual([NOTES])
      expect(now.database).toMatch(/passed as db$/)

      await downgrade({ ...config, db: held.db }, { target: USERS })
      expect(await held.versionRows()).toEqual([USERS])
      expect(await held.tables()).not.toContain('note')
    })

    it('rolls a failed upgrade back and leaves the connection usable', async () => {
      const failed = upgrade({ ...config, db: held.db }, { target: 'head' })
      await expect(failed).rejects.toBeInstanceOf(MigrationFailedError)
      // One transaction per command: the notes step that ran before the broken one is gone too.
      expect(await held.versionRows()).toEqual([USERS])
      expect(await held.tables()).not.toContain('note')
    })
  })
}

describe("the lock on the caller's pg Pool", () => {
  let database: TestDatabase
  let pool: pg.Pool
  beforeAll(async () => {
    database = await createTestDatabase()
    pool = new pg.Pool({ connectionString: database.url, max: 3 })
  })
  afterAll(async () => {
    await pool.end()
    await database.drop()
  })

  it('waits for another session holding the migration lock, as with a URL', async () => {
    const other = new pg.Client({ connectionString: database.url })
    await other.connect()
    try {
      await other.query('select pg_advisory_lock($1::bigint)', [buildLockKey('alembic_version', 'public').toString()])
      const error = await upgrade({ ...config, db: pool }, { target: USERS, lockTimeout: 300 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LockTimeoutError)
      expect((await pool.query("select to_regclass('public.member')::text as t")).rows[0]?.t).toBeNull()
    } finally {
      await other.end()
    }
    await upgrade({ ...config, db: pool }, { target: USERS })
    expect((await pool.query('select version_num from alembic_version')).rows).toEqual([{ version_num: USERS }])
  })
})

describe('a db tsdb cannot use', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database.drop()
  })

  it('refuses a Kysely transaction: tsdb commits its own', async () => {
    const kysely = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) })
    try {
      const error = await kysely.transaction().execute((trx) => current({ ...config, db: trx }).catch((e: unknown) => e))
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).message).toBe(
        'db is a Kysely transaction: tsdb begins and commits its own transactions; pass the Kysely instance instead',
      )
    } finally {
      await kysely.destroy()
    }
  })

  it('refuses something that is no database, naming what it takes', async () => {
    // @ts-expect-error -- the type admits only the databases tsdb can run on
    const notADatabase: CallerDatabase = { url: database.url }
    const error = await current({ ...config, db: notADatabase }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).code).toBe('INVALID_DB')
  })

  it('fails in bounded time on a pg Client that was never connected', async () => {
    const client = new pg.Client({ connectionString: database.url })
    const saved = process.env.TSDB_CONNECT_TIMEOUT
    process.env.TSDB_CONNECT_TIMEOUT = '300'
    try {
      const error = await current({ ...config, db: client }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConnectionError)
      expect((error as ConnectionError).message).toBe(
        "Can't run a query on the pg Client passed as db: no answer within 0.3 s (is it connected? a pg Client needs `await client.connect()` first)",
      )
    } finally {
      if (saved === undefined) delete process.env.TSDB_CONNECT_TIMEOUT
      else process.env.TSDB_CONNECT_TIMEOUT = saved
    }
  })
})
