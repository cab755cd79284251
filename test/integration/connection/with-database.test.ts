import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load-config.js'
import type { ResolvedConfig } from '../../../src/config/config.js'
import { resolveConfig } from '../../../src/config/resolve-config.js'
import { pgliteLockPath } from '../../../src/connection/open-pglite.js'
import { withDatabase } from '../../../src/connection/with-database.js'
import { ConnectionError, LockError } from '../../../src/errors.js'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
let dir: string
const children: ChildProcess[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsdb-connection-'))
  await writeFile(join(dir, 'package.json'), '{}')
  await writeFile(
    join(dir, 'tsdb.config.ts'),
    `import type { TsdbConfig } from 'tsdb-migrate'
const url: string = 'pglite:data/pg'
export default { url, migrationsDir: 'db' } satisfies TsdbConfig
`,
  )
})
afterAll(async () => {
  for (const child of children) child.kill()
  await rm(dir, { recursive: true, force: true })
})

describe('withDatabase on PGlite, from a real tsdb.config.ts', () => {
  let config: ResolvedConfig

  it('loads the config and opens pglite:<folder> relative to it', async () => {
    config = await loadConfig({ cwd: dir, env: {} })
    expect(config.database).toEqual({ kind: 'pglite', dataDir: join(dir, 'data/pg'), redacted: `pglite:${join(dir, 'data/pg')}` })
    const rows = await withDatabase(config, async (db) => (await sql<{ answer: number }>`select 6 * 7 as answer`.execute(db)).rows)
    expect(rows).toEqual([{ answer: 42 }])
    // Released: nothing but the data folder is left next to it.
    expect(await readdir(join(dir, 'data'))).toEqual(['pg'])
  })

  it('keeps a row across two sequential opens', async () => {
    await withDatabase(config, async (db) => {
      await db.schema.createTable('note').addColumn('body', 'text').execute()
      await db.insertInto('note').values({ body: 'first run' }).execute()
    })
    const rows = await withDatabase(config, (db) => db.selectFrom('note').select('body').execute())
    expect(rows).toEqual([{ body: 'first run' }])
  })

  it('releases the folder when fn throws', async () => {
    await expect(withDatabase(config, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await readdir(join(dir, 'data'))).toEqual(['pg'])
  })

  it('a second process on the same folder waits, then fails clearly; after the holder ends, its writes are all there', async () => {
    const holder = await openInChild(config, 'second run', 4000)
    const start = Date.now()
    const error = await withDatabase(config, async () => 'opened', { pgliteLockTimeoutMs: 1000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LockError)
    expect((error as LockError).message).toBe(
      `the embedded database ${join(dir, 'data/pg')} is in use by process ${holder.pid}; wait for it to finish or stop it ` +
        `(waited 1 s; set TSDB_PGLITE_LOCK_TIMEOUT (milliseconds) to wait longer). Lock file: ${pgliteLockPath(join(dir, 'data/pg'))}`,
    )
    expect(Date.now() - start).toBeGreaterThanOrEqual(950)

    // Waiting long enough succeeds once the holder is done, and nothing it wrote is lost.
    const rows = await withDatabase(config, (db) => db.selectFrom('note').select('body').orderBy('body').execute(), {
      pgliteLockTimeoutMs: 60_000,
    })
    expect(rows).toEqual([{ body: 'first run' }, { body: 'second run' }])
  })

  it('pglite:memory needs no folder and no lock', async () => {
    const memory = resolveConfig({ url: 'pglite:memory' }, { cwd: dir, env: {}, configPath: null })
    expect(await withDatabase(memory, async (db) => (await sql<{ x: number }>`select 1 as x`.execute(db)).rows)).toEqual([{ x: 1 }])
  })
})

/**
 * Opens the database in another process through the same code, inserts a row, holds the
 * database for `holdMs`, then closes. Resolves once the child has the database open.
 */
async function openInChild(config: ResolvedConfig, body: string, holdMs: number): Promise<ChildProcess> {
  const script = `
    import { createJiti } from 'jiti'
    const jiti = createJiti(import.meta.url)
    const { withDatabase } = await jiti.import(${JSON.stringify(join(repoRoot, 'src/connection/with-database.ts'))})
    const config = JSON.parse(process.argv[1])
    await withDatabase(config, async (db) => {
      await db.insertInto('note').values({ body: ${JSON.stringify(body)} }).execute()
      console.log('open')
      await new Promise((done) => setTimeout(done, ${holdMs}))
    })
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(config)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  await new Promise<void>((done, fail) => {
    child.stdout?.once('data', () => done())
    child.once('exit', (code) => fail(new Error(`the holder exited early with code ${code}`)))
  })
  return child
}

describe('withDatabase on PostgreSQL: connection failures', () => {
  it('an unused localhost port fails fast as unreachable, with the URL redacted', async () => {
    const port = await freePort()
    const config = resolveConfig({}, { cwd: dir, env: {}, configPath: null, urlOption: `postgres://app:s3cret@127.0.0.1:${port}/app` })
    const start = Date.now()
    const error = await withDatabase(config, async () => 'connected').catch((e: unknown) => e)
    expect(Date.now() - start).toBeLessThan(5000)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).code).toBe('CONNECTION_UNREACHABLE')
    expect((error as ConnectionError).message).toBe(
      `Can't connect to postgres://app:***@127.0.0.1:${port}/app: connection refused (ECONNREFUSED). ` +
        `Is PostgreSQL running and accepting TCP connections on 127.0.0.1:${port}? Check the database URL (from --url).`,
    )
    expect((error as ConnectionError).url).toBe(`postgres://app:***@127.0.0.1:${port}/app`)
  })

  it('a server that never answers times out within the bound', async () => {
    const silent: Server = createServer(() => undefined)
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done))
    const port = (silent.address() as { port: number }).port
    try {
      const config = resolveConfig({}, { cwd: dir, env: { DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${port}/app` }, configPath: null })
      const start = Date.now()
      const error = await withDatabase(config, async () => 'connected', { connectTimeoutMs: 700 }).catch((e: unknown) => e)
      expect(Date.now() - start).toBeLessThan(3000)
      expect(error).toBeInstanceOf(ConnectionError)
      expect((error as ConnectionError).code).toBe('CONNECTION_TIMEOUT')
      expect((error as ConnectionError).message).toMatch(/^Can't connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/app: no answer within 700 ms\./)
      expect((error as ConnectionError).message).not.toContain('s3cret')
    } finally {
      silent.close()
    }
  })
})

// The server comes from the integration global setup; without it these are skipped.
const pgUrl = process.env['TSDB_TEST_PG_URL']

describe.skipIf(pgUrl === undefined)('withDatabase on PostgreSQL (TSDB_TEST_PG_URL)', () => {
  const url = new URL(pgUrl ?? 'postgres://localhost/postgres')
  const configFor = (text: string) => resolveConfig({}, { cwd: dir, env: {}, configPath: null, urlOption: text })

  it('connects, as application_name tsdb', async () => {
    const rows = await withDatabase(configFor(url.href), async (db) =>
      (await sql<{ name: string }>`select current_setting('application_name') as name`.execute(db)).rows,
    )
    expect(rows).toEqual([{ name: 'tsdb' }])
  })

  it('a missing database says so and suggests createdb', async () => {
    const missing = new URL(url.href)
    missing.pathname = '/tsdb_no_such_database'
    const error = await withDatabase(configFor(missing.href), async () => 'connected').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).code).toBe('CONNECTION_NO_DATABASE')
    expect((error as ConnectionError).message).toMatch(
      /: database "tsdb_no_such_database" does not exist\. Create it \(createdb tsdb_no_such_database\) or fix the database name\./,
    )
  })

  it('a wrong password fails as authentication (skipped when the server trusts every password)', async (ctx) => {
    const wrong = new URL(url.href)
    wrong.password = 'definitely-wrong'
    const error = await withDatabase(configFor(wrong.href), async () => 'connected').catch((e: unknown) => e)
    if (error === 'connected') ctx.skip()
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).code).toBe('CONNECTION_AUTH_FAILED')
    expect((error as ConnectionError).message).toMatch(/password authentication failed/)
    expect((error as ConnectionError).message).not.toContain('definitely-wrong')
  })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((done) => server.close(() => done()))
  return port
}
