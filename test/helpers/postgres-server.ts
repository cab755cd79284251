/**
 * A throwaway PostgreSQL server for tests and benchmarks. Where a Docker engine answers,
 * testcontainers runs `postgres:16-alpine`; otherwise the machine's PostgreSQL binaries run a
 * cluster in a temp dir (as the `postgres` OS user when we are root, because initdb refuses
 * root). The cluster uses password auth on 127.0.0.1 so that wrong-password tests meet a real
 * rejection.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'

const run = promisify(execFile)

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  readonly url: string
  createDatabase(name: string): Promise<void>
  stop(): Promise<void>
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const server = (await startContainer()) ?? (await startLocalCluster())
  return {
    ...server,
    createDatabase: async (name) => {
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: server.url, max: 1 }) }) })
      try {
        await sql`create database ${sql.id(name)}`.execute(db)
      } finally {
        await db.destroy()
      }
    },
  }
}

/**
 * A throwaway server need not survive a crash of the machine: no flushes to disk, no full-page
 * images, commits that return before their WAL is written. Test files run side by side, each
 * with its own pools, hence the connection limit.
 */
const SERVER_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=300'] as const

interface RunningServer {
  readonly url: string
  stop(): Promise<void>
}

async function startContainer(): Promise<RunningServer | undefined> {
  if (process.env.TSDB_TEST_NO_DOCKER === '1') return undefined
  try {
    const { getContainerRuntimeClient } = await import('testcontainers')
    // Fails in milliseconds when no engine answers, so trying costs nothing.
    await getContainerRuntimeClient()
  } catch {
    return undefined
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql')
  const container = await new PostgreSqlContainer('postgres:16-alpine')
    .withCommand(['postgres', ...SERVER_SETTINGS.flatMap((setting) => ['-c', setting])])
    .start()
  return {
    url: container.getConnectionUri(),
    stop: async () => {
      await container.stop()
    },
  }
}

async function startLocalCluster(): Promise<RunningServer> {
  const bin = findPgBin()
  const isRoot = process.getuid?.() === 0
  const dir = await mkdtemp(join(tmpdir(), 'tsdb-pg-'))
  const dataDir = join(dir, 'data')
  const password = randomBytes(12).toString('hex')
  const pwfile = join(dir, 'pwfile')
  await writeFile(pwfile, `${password}\n`)
  if (isRoot) {
    const { uid, gid } = await readOsUser('postgres')
    await chown(dir, uid, gid)
    await chown(pwfile, uid, gid)
  }
  await chmod(dir, 0o700)
  const asPg = (cmd: string, args: readonly string[]) =>
    isRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), [...args])

  await asPg('initdb', [
    '-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256', '--auth-local=trust', '--no-sync', '-E', 'UTF8', '--locale=C',
  ])
  const port = await startOnFreePort(asPg, dir, dataDir)
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`
  return {
    url,
    stop: async () => {
      await asPg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A free port can be taken between our probe and the server's bind; try a few times. */
async function startOnFreePort(
  asPg: (cmd: string, args: readonly string[]) => Promise<unknown>,
  dir: string,
  dataDir: string,
): Promise<number> {
  let lastError: unknown
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await findFreePort()
    const options = [`-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`, ...SERVER_SETTINGS.map((setting) => `-c ${setting}`)].join(' ')
    try {
      await asPg('pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start'])
      return port
    } catch (error) {
      lastError = error
    }
  }
  throw new Error(`could not start the test PostgreSQL server (log in ${dir}/server.log)`, { cause: lastError })
}

/** psql from the same installation as initdb, else the one on the usual path; null when none. */
export function findPsql(): string | null {
  const dirs = [...pgBinCandidates(), '/usr/bin']
  const dir = dirs.find((d) => existsSync(join(d, 'psql')))
  return dir === undefined ? null : join(dir, 'psql')
}

function pgBinCandidates(): readonly string[] {
  const candidates: string[] = []
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN)
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((v) => join(root, v, 'bin')))
  }
  candidates.push('/usr/local/pgsql/bin', '/usr/local/bin', '/usr/bin')
  return candidates
}

function findPgBin(): string {
  const found = pgBinCandidates().find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
  if (!found) {
    throw new Error(
      'No Docker engine and no PostgreSQL binaries (initdb, pg_ctl) found: run `apt-get install postgresql` or set PG_BIN.',
    )
  }
  return found
}

/**
 * An OS user other than root, for tests where a file's permissions must bind: root may write
 * anywhere. Null when this process is not root (its own user is bound by them); throws when
 * root and no such user exists, so that no test passes without having been run.
 */
export async function findUnprivilegedOsUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null
  for (const name of ['postgres', 'nobody']) {
    const user = await readOsUser(name).catch(() => null)
    if (user !== null && user.uid !== 0) return user
  }
  throw new Error('running as root, and neither the postgres nor the nobody OS user exists to run the CLI as')
}

async function readOsUser(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])])
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Runs a script (e.g. `upgrade --sql`'s) through psql, stopping at the first error; returns what it printed. */
export function runPsqlScript(url: string, script: string): Promise<string> {
  const psql = findPsql()
  if (psql === null) return Promise.reject(new Error('psql is needed to run the script'))
  return new Promise((resolve, reject) => {
    const child = execFile(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'], (error, stdout, stderr) =>
      error ? reject(new Error(`psql failed: ${stderr}`, { cause: error })) : resolve(stdout),
    )
    child.stdin?.end(script)
  })
}
