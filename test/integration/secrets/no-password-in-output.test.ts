import { randomBytes } from 'node:crypto'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { join, relative } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres, testPgUrl, urlForDatabase } from '../../helpers/databases.js'
import { createProject, runTsdb, type CliResult } from '../../helpers/run-cli.js'

/**
 * DESIGN §3: a password never appears in output, logs, errors or `--json` documents. A role with
 * a password full of URL-special characters runs every command — successes and failures,
 * `--json`, `--verbose`, `--sql`, connection failures, migrations whose errors quote the URL —
 * with the URL given by --url, DATABASE_URL and the config's `url`. Everything printed, and every
 * file tsdb wrote, is searched for the password, raw and URL-encoded.
 */
const suffix = randomBytes(6).toString('hex')
const secretPart = randomBytes(6).toString('hex')
const PASSWORD = `S3cr3t:p@ss/w%rd#${secretPart}`
const ROLE = `tsdb_secret_${suffix}`
const DATABASE = `tsdb_secret_db_${suffix}`
const FORMS = [PASSWORD, encodeURIComponent(PASSWORD), 'S3cr3t', secretPart]

function urlWith(password: string, options: { host?: string; port?: number; database?: string } = {}): string {
  const url = new URL(urlForDatabase(options.database ?? DATABASE))
  url.username = ROLE
  url.password = encodeURIComponent(password)
  if (options.host !== undefined) url.hostname = options.host
  if (options.port !== undefined) url.port = String(options.port)
  return url.toString()
}

function expectNoSecret(label: string, text: string): void {
  for (const form of FORMS) {
    expect(text.includes(form), `${label} printed the password (${form}):\n${text}`).toBe(false)
  }
}

const REVISION = (id: string, down: string | null, body: string, downBody = '') => `/**
 * ${id}
 */
import { sql, type Kysely } from 'kysely'

export const revision = '${id}'
export const downRevision = ${down === null ? 'null' : `'${down}'`}

export async function up(db: Kysely<any>): Promise<void> {
  ${body}
}

export async function down(db: Kysely<any>): Promise<void> {
  ${downBody}
}

void sql
`

describe('no password in any output', () => {
  let project: string
  let blackhole: Server
  let blackholePort = 0
  const sockets: Socket[] = []
  const outputs: { label: string; result: CliResult }[] = []

  const tsdb = async (label: string, args: readonly string[], env: Record<string, string | undefined> = {}) => {
    const result = await runTsdb(['db', ...args], { cwd: project, env: { TSDB_CONNECT_TIMEOUT: '1000', ...env } })
    outputs.push({ label, result })
    expectNoSecret(`${label}: stdout`, result.stdout)
    expectNoSecret(`${label}: stderr`, result.stderr)
    return result
  }

  beforeAll(async () => {
    const admin = openPostgres(testPgUrl(), 1)
    try {
      await sql`create role ${sql.id(ROLE)} login password ${sql.lit(PASSWORD)}`.execute(admin)
      await sql`create database ${sql.id(DATABASE)} owner ${sql.id(ROLE)}`.execute(admin)
    } finally {
      await admin.destroy()
    }
    project = await createProject()
    await new Promise<void>((resolve) => {
      blackhole = createServer((socket) => {
        sockets.push(socket)
        socket.on('error', () => undefined)
      }).listen(0, '127.0.0.1', () => {
        const address = blackhole.address()
        blackholePort = typeof address === 'object' && address !== null ? address.port : 0
        resolve()
      })
    })
  })

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => blackhole.close(() => resolve()))
    const admin = openPostgres(testPgUrl(), 1)
    try {
      await sql`drop database if exists ${sql.id(DATABASE)} with (force)`.execute(admin)
      await sql`drop role if exists ${sql.id(ROLE)}`.execute(admin)
    } finally {
      await admin.destroy()
    }
  })

  it('runs every command, in every way of giving the URL, and never prints the password', async () => {
    const url = urlWith(PASSWORD)
    const byOption = (args: readonly string[]) => [...args, '--url', url]
    const byEnv = { DATABASE_URL: url }

    expect((await tsdb('init', ['init'], byEnv)).code).toBe(0)
    const versions = join(project, 'migrations', 'versions')
    await writeFile(
      join(versions, 'aaaa1111_users.ts'),
      REVISION('aaaa1111', null, "await db.schema.createTable('users').addColumn('id', 'serial', (c) => c.primaryKey()).execute()", "await db.schema.dropTable('users').execute()"),
    )
    await writeFile(
      join(project, 'src-schema.ts'),
      "import { defineSchema, table, t } from 'tsdb-migrate'\nexport const schema = defineSchema({ users: table({ id: t.serial().primaryKey() }), posts: table({ id: t.serial().primaryKey() }) })\n",
    )
    // The config names the URL too (the third way of giving it), and the schema module.
    await writeFile(join(project, 'tsdb.config.ts'), `export default { url: ${JSON.stringify(url)}, schema: 'src-schema.ts' }\n`)
    const byConfig = { DATABASE_URL: undefined }

    const successes: [string, readonly string[], Record<string, string | undefined>][] = [
      ['upgrade --url', byOption(['upgrade']), {}],
      ['current (config url)', ['current'], byConfig],
      ['current -v --json (env)', ['current', '-v', '--json'], byEnv],
      ['history -i --verbose', byOption(['history', '-i', '--verbose']), {}],
      ['heads --json', ['heads', '--json'], byEnv],
      ['branches -v', ['branches', '-v'], byConfig],
      ['show', byOption(['show', 'aaaa1111']), {}],
      ['upgrade --sql', ['upgrade', '--sql', 'base:head'], byEnv],
      ['downgrade --sql', ['downgrade', '--sql', 'aaaa1111:base'], byConfig],
      ['stamp --sql', ['stamp', '--sql', 'aaaa1111'], byEnv],
      ['migrate --verbose', byOption(['migrate', '-m', 'posts', '--rev-id', 'bbbb2222', '--verbose']), {}],
      ['upgrade --verbose --json', ['upgrade', '--verbose', '--json'], byConfig],
      ['check', ['check', '--json'], byEnv],
      ['downgrade', byOption(['downgrade', '--verbose']), {}],
      ['stamp', ['stamp', 'aaaa1111'], byEnv],
      ['revision', ['revision', '-m', 'empty', '--rev-id', 'cccc3333'], byConfig],
      ['heads -v', ['heads', '-v'], byEnv],
      ['downgrade base', ['downgrade', 'base', '--verbose'], byConfig],
    ]
    for (const [label, args, env] of successes) {
      const result = await tsdb(label, args, env)
      expect(result.code, `${label}: ${result.stderr}`).toBe(0)
    }

    // A migration whose errors quote the connection details: the URL from the environment, the
    // password itself, and the database's own error (with --verbose, its cause too).
    await writeFile(
      join(versions, 'dddd4444_leaky.ts'),
      REVISION('dddd4444', 'cccc3333', 'throw new Error(`cannot reach ${process.env.DATABASE_URL} with ' + PASSWORD.replace(/[`$\\]/g, '\\$&') + '`)'),
    )
    const failures: [string, readonly string[], Record<string, string | undefined>][] = [
      ['a migration that throws the URL (env)', ['upgrade', '--verbose'], byEnv],
      ['a migration that throws the URL (--json)', byOption(['upgrade', '--json', '--verbose']), { DATABASE_URL: url }],
      ['a migration that throws the URL (config)', ['upgrade', '-v'], byConfig],
      ['wrong password', byOption(['current', '--verbose']).map((a) => (a === url ? urlWith(`${PASSWORD}x`) : a)), {}],
      ['wrong password (--json)', ['upgrade', '--json', '--verbose'], { DATABASE_URL: urlWith(`x${PASSWORD}`) }],
      ['unreachable host', ['upgrade', '--verbose'], { DATABASE_URL: urlWith(PASSWORD, { host: '127.0.0.1', port: 1 }) }],
      ['blackhole host', ['current', '--json', '--verbose'], { DATABASE_URL: urlWith(PASSWORD, { host: '127.0.0.1', port: blackholePort }) }],
      ['unknown host', ['stamp', 'head', '-v'], { DATABASE_URL: urlWith(PASSWORD, { host: 'no-such-host.invalid' }) }],
      ['database that does not exist', ['check', '--verbose'], { DATABASE_URL: urlWith(PASSWORD, { database: 'tsdb_no_such_db' }) }],
      ['a URL that does not parse', ['current', '--url', `postgres://${ROLE}:${encodeURIComponent(PASSWORD)}@[::1/db`], {}],
      ['a URL with a raw password', ['current', '-v', '--url', `postgres://${ROLE}:S3cr3t:p@${secretPart}@127.0.0.1:1/db`], {}],
      ['a URL given without --url (usage error)', ['current', url], byConfig],
      ['an unknown target', ['upgrade', 'zzzz', '--json'], byEnv],
      ['a usage error with --url=', ['upgrade', `--url=${url}`, '--bogus'], {}],
    ]
    for (const [label, args, env] of failures) {
      const result = await tsdb(label, args, env)
      expect(result.code, `${label}: ${result.stdout}${result.stderr}`).not.toBe(0)
      expect(result.stderr, label).not.toMatch(/\n\s+at /)
    }
    // The leaky migration really did print its message (redacted), so the check above means something.
    expect(outputs.find((o) => o.label === 'a migration that throws the URL (env)')?.result.stderr).toMatch(/cannot reach postgres:\/\/[^ ]*:\*\*\*@/)

    // Every file tsdb wrote (the config is ours and holds the URL on purpose).
    const written = await listFiles(project)
    expect(written.some((path) => path.startsWith('migrations/versions/bbbb2222_'))).toBe(true)
    // Ours too: the config, and the migration that quotes the password on purpose.
    for (const path of written.filter((p) => p !== 'tsdb.config.ts' && !p.endsWith('dddd4444_leaky.ts'))) {
      expectNoSecret(`file ${path}`, await readFile(join(project, path), 'utf8'))
    }
  }, 900_000)
})

async function listFiles(root: string): Promise<readonly string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((path) => !path.startsWith('node_modules'))
}
