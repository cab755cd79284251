import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres, testPgUrl, urlForDatabase } from '../../helpers/databases.js'
import { createProject, revisionFileText, runTsdb, type CliResult } from '../../helpers/run-cli.js'

/**
 * Issue 19 item 1: a password, or any part of one, never reaches output, whatever the shape of
 * the connection string it came in, and whichever way it was given. Every password here is
 * made of random tokens joined by the characters URLs treat specially, so that a leak of any
 * piece of it is found.
 */
const tokens: string[] = []
const token = () => {
  const value = `zq${randomBytes(3).toString('hex')}`
  tokens.push(value)
  return value
}

function expectNoSecret(label: string, result: CliResult): void {
  for (const value of tokens) {
    expect(result.stdout.includes(value), `${label}: stdout printed part of a password (${value}):\n${result.stdout}`).toBe(false)
    expect(result.stderr.includes(value), `${label}: stderr printed part of a password (${value}):\n${result.stderr}`).toBe(false)
  }
}

const PERCENT_ENCODE =
  'percent-encode special characters in the user name and password: # as %23, / as %2F, ? as %3F, @ as %40, % as %25'
const URL_FORMS = 'postgres://user:password@host:5432/database, postgresql://…, pglite:<folder> or pglite:memory'

type Source = 'option' | 'env' | 'config'
const SOURCE_LABEL: Readonly<Record<Source, string>> = { option: '--url', env: 'DATABASE_URL', config: "tsdb.config.ts: 'url'" }

describe('a connection string that tsdb cannot read is never echoed', () => {
  let project: string
  beforeAll(async () => {
    project = await createProject()
    // With a migrations folder, a URL read the wrong way would go on to connect and be quoted.
    await runTsdb(['db', 'init'], { cwd: project, env: { DATABASE_URL: undefined } })
  })

  const invalid = (shown: string) => `invalid database URL '${shown}': it does not parse; ${PERCENT_ENCODE}`
  const forms: readonly { name: string; text: string; message: string }[] = [
    { name: 'an unencoded # in the password', text: `postgres://app:${token()}#${token()}@127.0.0.1:5432/app`, message: invalid('postgres://…@127.0.0.1:5432') },
    { name: 'an unencoded ? in the password', text: `postgres://app:${token()}?${token()}@db.example.com/app`, message: invalid('postgres://…@db.example.com') },
    { name: 'an unencoded / in the password', text: `postgresql://app:${token()}/${token()}@127.0.0.1/app`, message: invalid('postgresql://…@127.0.0.1') },
    { name: 'an unencoded @ and / in the password', text: `postgres://app:${token()}@${token()}/${token()}@127.0.0.1/app`, message: invalid('postgres://…') },
    { name: 'an unencoded # with an IPv6 host', text: `postgres://app:${token()}#${token()}@[::1]:5432/app`, message: invalid('postgres://…@[::1]:5432') },
    { name: 'unencoded [ ] % and # in the password', text: `postgres://app:${token()}[${token()}]%${token()}#${token()}@[::1]/app`, message: invalid('postgres://…@[::1]') },
    { name: 'an unencoded # in a password= parameter', text: `postgres://127.0.0.1/app?password=${token()}#${token()}`, message: invalid('postgres://…') },
    { name: 'an unencoded @ in an sslpassword= parameter', text: `postgres://app@127.0.0.1/app?sslpassword=${token()}@${token()}.example`, message: invalid('postgres://…') },
    { name: 'a key=value connection string', text: `host=127.0.0.1 password=${token()} dbname=app`, message: `unsupported database URL: a key=value connection string; write it as a URL (${URL_FORMS})` },
    { name: 'a quoted key=value password', text: `host=127.0.0.1 password='${token()} ${token()}' sslpassword=${token()}`, message: `unsupported database URL: a key=value connection string; write it as a URL (${URL_FORMS})` },
    { name: 'a URL without its scheme', text: `app:${token()}@127.0.0.1:5432/app`, message: `unsupported database URL: it is not a URL (expected ${URL_FORMS})` },
    { name: 'a password given where the URL goes', text: `${token()}!${token()}`, message: `unsupported database URL: it is not a URL (expected ${URL_FORMS})` },
    { name: 'another scheme with an unencoded #', text: `mysql://root:${token()}#${token()}@localhost/app`, message: `unsupported database URL 'mysql://…@localhost' (expected ${URL_FORMS})` },
  ]
  // Each form through each way of giving it, and each way of printing an error.
  const runs: readonly { source: Source; args: readonly string[] }[] = [
    { source: 'option', args: ['current'] },
    { source: 'option', args: ['history', '-v'] },
    { source: 'env', args: ['current', '--json', '-v'] },
    { source: 'env', args: ['upgrade', '--sql'] },
    { source: 'config', args: ['heads', '-v'] },
    { source: 'config', args: ['upgrade', '--sql', '--json'] },
  ]

  it.each(forms)('$name', async ({ name, text, message }) => {
    for (const { source, args } of runs) {
      await writeFile(join(project, 'tsdb.config.ts'), source === 'config' ? `export default { url: ${JSON.stringify(text)} }\n` : 'export default {}\n')
      const result = await runTsdb(['db', ...args, ...(source === 'option' ? ['--url', text] : [])], {
        cwd: project,
        env: { DATABASE_URL: source === 'env' ? text : undefined },
      })
      const label = `${name} (${source}, ${args.join(' ')})`
      expectNoSecret(label, result)
      const expected = `${SOURCE_LABEL[source]}: ${message}`
      expect(result.code, label).toBe(1)
      // -v adds the error's cause: the same message without where the URL came from.
      expect(result.stderr, label).toBe(`Error: ${expected}\n${args.includes('-v') ? `Caused by: ${message}\n` : ''}`)
      if (args.includes('--json')) {
        expect(JSON.parse(result.stdout), label).toEqual({ error: { code: 'INVALID_URL', category: 'config', message: expected } })
      } else {
        expect(result.stdout, label).toBe('')
      }
    }
  })
})

describe('a password with every special character reaches the server and never the output', () => {
  const suffix = randomBytes(4).toString('hex')
  const database = `tsdb_pwforms_${suffix}`
  // Every character the issue names: @ : / ? # % [ ] and a space, so the URL must encode it.
  const encodedRole = `tsdb_pw_enc_${suffix}`
  const encodedPassword = `${token()}@${token()}:${token()}/${token()}?${token()}#${token()}%${token()}[${token()}]${token()} ${token()}`
  // The characters a URL reads unambiguously even unencoded: @ : [ ] % and a space.
  const rawRole = `tsdb_pw_raw_${suffix}`
  const rawPassword = `${token()}@${token()}:${token()}[${token()}]${token()} ${token()}%${token()}`
  const sslPassword = token()
  const server = new URL(testPgUrl())
  const hostPort = `127.0.0.1:${server.port}`
  const encoded = `postgres://${encodedRole}:${encodeURIComponent(encodedPassword)}@${hostPort}/${database}`
  let project: string

  const tsdb = async (label: string, args: readonly string[], env: Record<string, string | undefined> = {}) => {
    const result = await runTsdb(['db', ...args], { cwd: project, env: { DATABASE_URL: undefined, TSDB_CONNECT_TIMEOUT: '2000', ...env } })
    expectNoSecret(label, result)
    expect(result.stderr, label).not.toMatch(/\n\s+at /)
    return result
  }
  const useConfigUrl = (url: string) => writeFile(join(project, 'tsdb.config.ts'), `export default { url: ${JSON.stringify(url)} }\n`)

  beforeAll(async () => {
    const admin = openPostgres(testPgUrl(), 1)
    try {
      await sql`create role ${sql.id(encodedRole)} login password ${sql.lit(encodedPassword)}`.execute(admin)
      await sql`create role ${sql.id(rawRole)} login password ${sql.lit(rawPassword)}`.execute(admin)
      await sql`create database ${sql.id(database)} owner ${sql.id(encodedRole)}`.execute(admin)
      await sql`grant ${sql.id(encodedRole)} to ${sql.id(rawRole)}`.execute(admin)
    } finally {
      await admin.destroy()
    }
    project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await runTsdb(['db', 'init'], { cwd: project, env: { DATABASE_URL: undefined } })
    await writeFile(
      join(versions, 'aaaa0001_users.ts'),
      revisionFileText({
        id: 'aaaa0001',
        message: 'users',
        up: "await db.schema.createTable('users').addColumn('id', 'serial', (c) => c.primaryKey()).execute()",
      }),
    )
  })

  afterAll(async () => {
    const admin = openPostgres(testPgUrl(), 1)
    try {
      await sql`drop database if exists ${sql.id(database)} with (force)`.execute(admin)
      await sql`drop role if exists ${sql.id(encodedRole)}`.execute(admin)
      await sql`drop role if exists ${sql.id(rawRole)}`.execute(admin)
    } finally {
      await admin.destroy()
    }
  })

  it('connects with the password percent-encoded, through --url, DATABASE_URL and the config', async () => {
    await useConfigUrl('pglite:memory')
    const upgraded = await tsdb('upgrade --url', ['upgrade', '--url', encoded])
    expect(upgraded.code, upgraded.stderr).toBe(0)

    const current = await tsdb('current --json -v (env)', ['current', '--json', '-v'], { DATABASE_URL: encoded })
    expect(current.code, current.stderr).toBe(0)
    expect(JSON.parse(current.stdout)).toMatchObject({ database: `postgres://${encodedRole}:***@${hostPort}/${database}`, heads: [expect.objectContaining({ id: 'aaaa0001' })] })

    await useConfigUrl(encoded)
    const history = await tsdb('history -v (config)', ['history', '-v'])
    expect(history.code, history.stderr).toBe(0)
    expect(history.stdout).toContain('Rev: aaaa0001 (head)')
    const offline = await tsdb('upgrade --sql (config)', ['upgrade', '--sql', 'base:head'])
    expect(offline.code, offline.stderr).toBe(0)
    expect(offline.stdout).toContain('CREATE TABLE')
  })

  it('connects with the password in password= and sslpassword= parameters', async () => {
    await useConfigUrl('pglite:memory')
    const url = `postgres://${encodedRole}@${hostPort}/${database}?sslpassword=${sslPassword}&password=${encodeURIComponent(encodedPassword)}`
    const current = await tsdb('current --json (password= parameter)', ['current', '--json', '--url', url])
    expect(current.code, current.stderr).toBe(0)
    expect(JSON.parse(current.stdout)).toMatchObject({
      database: `postgres://${encodedRole}@${hostPort}/${database}?sslpassword=***&password=***`,
      heads: [expect.objectContaining({ id: 'aaaa0001' })],
    })
  })

  it('connects with @ : [ ] % and spaces left unencoded, as pg reads them', async () => {
    const url = `postgres://${rawRole}:${rawPassword}@${hostPort}/${database}`
    const current = await tsdb('current -v (raw password)', ['current', '-v'], { DATABASE_URL: url })
    expect(current.code, current.stderr).toBe(0)
    expect(current.stdout).toContain('aaaa0001 (head)')
  })

  it("hides the password in a failing statement's error, and leaves the database as it was", async () => {
    await useConfigUrl('pglite:memory')
    const versions = join(project, 'migrations', 'versions')
    // The statement quotes the password, and PostgreSQL's error quotes it back.
    await writeFile(
      join(versions, 'bbbb0002_leaky.ts'),
      revisionFileText({
        id: 'bbbb0002',
        message: 'leaky',
        down: 'aaaa0001',
        up: `await db.schema.createTable('posts').addColumn('id', 'integer').execute()\n  await sql\`select \${${JSON.stringify(encodedPassword)}}::int\`.execute(db)`,
      }),
    )
    for (const [label, args, env] of [
      ['upgrade -v (env)', ['upgrade', '-v'], { DATABASE_URL: encoded }],
      ['upgrade --json (--url)', ['upgrade', '--json', '--url', encoded], {}],
    ] as const) {
      const result = await tsdb(label, args, env)
      expect(result.code, label).toBe(1)
      expect(result.stderr, label).toMatch(/^Error: .*bbbb0002.*invalid input syntax for type integer: "\*\*\*"/m)
    }
    const current = await tsdb('current after the failure', ['current', '--url', encoded])
    expect(current.stdout).toBe('aaaa0001\n')
    const admin = openPostgres(urlForDatabase(database), 1)
    try {
      const { rows } = await sql<{ name: string | null }>`select to_regclass('public.posts')::text as name`.execute(admin)
      expect(rows).toEqual([{ name: null }])
    } finally {
      await admin.destroy()
    }
  })

  it('fails on a wrong password, no password, an empty one and an IPv6 host without printing any', async () => {
    await useConfigUrl('pglite:memory')
    const wrong = `postgres://${encodedRole}:${encodeURIComponent(`${encodedPassword}${token()}`)}@${hostPort}/${database}`
    const wrongResult = await tsdb('wrong password', ['current', '-v', '--url', wrong])
    expect(wrongResult.code).toBe(1)
    expect(wrongResult.stderr).toMatch(
      new RegExp(`^Error: Can't connect to postgres://${encodedRole}:\\*\\*\\*@${hostPort}/${database}: password authentication failed`),
    )
    // Port 1 refuses at once; the message shows each form's user info as it is.
    for (const [label, url, shown] of [
      ['user only', `postgres://${encodedRole}@127.0.0.1:1/${database}`, `postgres://${encodedRole}@127.0.0.1:1/${database}`],
      ['empty password', `postgres://${encodedRole}:@127.0.0.1:1/${database}`, `postgres://${encodedRole}:***@127.0.0.1:1/${database}`],
    ] as const) {
      const result = await tsdb(label, ['current', '--url', url])
      expect(result.code, label).toBe(1)
      expect(result.stderr, label).toBe(
        `Error: Can't connect to ${shown}: connection refused (ECONNREFUSED). Is PostgreSQL running and accepting TCP connections on 127.0.0.1:1? Check the database URL (from --url).\n`,
      )
    }
    // The test server listens on 127.0.0.1 only: [::1] is refused (or unreachable), and said so.
    const ipv6 = `postgres://${encodedRole}:${encodeURIComponent(encodedPassword)}@[::1]:${server.port}/${database}`
    const ipv6Result = await tsdb('IPv6 host', ['current', '--json', '-v', '--url', ipv6])
    expect(ipv6Result.code).toBe(1)
    expect(ipv6Result.stderr).toMatch(new RegExp(`^Error: Can't connect to postgres://${encodedRole}:\\*\\*\\*@\\[::1\\]:${server.port}/${database}: `))
  })
})
