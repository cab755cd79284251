import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase, testPgUrl } from '../../helpers/databases.js'
import { createInitializedProject, expectCleanError, runAgainst, tableRevision, writeFiles } from './catalogue.js'

/**
 * Databases that cannot be reached or refuse us: each fails within a bounded time, names the
 * host (and the redacted URL), says what to check, and leaves the real database untouched.
 */
const SECRET = 'Sup3r-Secret-pw'

function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer(onConnection)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 })
    })
  })
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()))

describeEachDatabase(
  'bad input: connections',
  (ctx) => {
    let project: string
    let closedPort: number
    let blackhole: { server: Server; port: number }
    const sockets: Socket[] = []
    const real = () => new URL(testPgUrl())

    beforeAll(async () => {
      project = await createInitializedProject()
      await writeFiles(project, { 'migrations/versions/aaaa1111_a.ts': tableRevision('aaaa1111', null, 'a') })
      const probe = await listen(() => undefined)
      closedPort = probe.port
      await close(probe.server)
      // Accepts the connection and never says a word: a firewall that drops, a hung server.
      blackhole = await listen((socket) => {
        sockets.push(socket)
        socket.on('error', () => undefined)
      })
    })
    afterAll(async () => {
      for (const socket of sockets) socket.destroy()
      await close(blackhole.server)
    })

    const run = async (url: string, args: readonly string[] = ['upgrade']) => {
      const started = Date.now()
      const result = await runAgainst(ctx, project, ['db', ...args, '--url', url], { TSDB_CONNECT_TIMEOUT: '1000' })
      const seconds = (Date.now() - started) / 1000
      expect(result.stderr + result.stdout).not.toContain(SECRET)
      return { result, seconds }
    }

    for (const command of [['upgrade'], ['current'], ['downgrade', 'base'], ['stamp', 'head'], ['history', '-i']]) {
      it(`a closed port on localhost: ${command.join(' ')}`, async () => {
        const { result } = await run(`postgres://app:${SECRET}@127.0.0.1:${closedPort}/app`, command)
        expectCleanError(result, {
          exit: 1,
          what: new RegExp(`Can't connect to postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${closedPort}/app: connection refused \\(ECONNREFUSED\\)`),
          todo: new RegExp(`Is PostgreSQL running and accepting TCP connections on 127\\.0\\.0\\.1:${closedPort}\\? Check the database URL \\(from --url\\)`),
        })
      })
    }

    it('a host that accepts and never answers: gives up after TSDB_CONNECT_TIMEOUT, naming the host', async () => {
      const { result, seconds } = await run(`postgres://app:${SECRET}@127.0.0.1:${blackhole.port}/app`)
      expectCleanError(result, {
        exit: 1,
        what: new RegExp(`Can't connect to postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${blackhole.port}/app: no answer within 1 s`),
        todo: new RegExp(`Is PostgreSQL running on 127\\.0\\.0\\.1:${blackhole.port}\\? Set TSDB_CONNECT_TIMEOUT \\(milliseconds\\) to wait longer`),
      })
      // Node's start-up takes a few seconds on a loaded machine; the wait itself is bounded by 1 s.
      expect(seconds).toBeLessThan(20)
      expect(sockets.length).toBeGreaterThan(0)
    })

    it('a host name that does not resolve', async () => {
      const { result } = await run(`postgres://app:${SECRET}@no-such-host.invalid:5432/app`)
      expectCleanError(result, {
        exit: 1,
        what: /Can't connect to postgres:\/\/app:\*\*\*@no-such-host\.invalid:5432\/app: (host not found \(ENOTFOUND\)|host name lookup failed \(EAI_AGAIN\)|no answer)/,
        todo: /no-such-host\.invalid:5432/,
      })
    })

    it('a wrong password', async () => {
      const url = real()
      url.password = SECRET
      const { result } = await run(url.toString())
      expectCleanError(result, {
        exit: 1,
        what: /Can't connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres: password authentication failed for user "postgres"/,
        todo: /Check the user name and password\. Check the database URL \(from --url\)/,
      })
    })

    it('a user that does not exist', async () => {
      const url = real()
      url.username = 'nobody_here'
      url.password = SECRET
      const { result } = await run(url.toString())
      expectCleanError(result, { exit: 1, what: /password authentication failed for user "nobody_here"/, todo: /Check the user name and password/ })
    })

    it('no password where the server wants one: at once, not after the server gives up on us', async () => {
      const url = real()
      url.password = ''
      const { result, seconds } = await run(url.toString())
      expectCleanError(result, {
        exit: 1,
        what: /Can't connect to postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres: the server asks for a password and the URL has none/,
        todo: /Check the database URL/,
      })
      // The server's authentication_timeout is 60 s; Node's start-up takes a few on a loaded machine.
      expect(seconds).toBeLessThan(30)
    })

    it('a refusal that speaks of a timeout is the server\'s reason, not a timeout', async () => {
      const url = real()
      url.searchParams.set('options', '-c statement_timeout=abc')
      const { result, seconds } = await run(url.toString(), ['current'])
      expectCleanError(result, {
        exit: 1,
        what: /Can't connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres\?options=\S+: invalid value for parameter "statement_timeout": "abc" \(22023\)\./,
        todo: /Check the database URL \(from --url\)/,
      })
      expect(result.stderr).not.toContain('no answer within')
      expect(seconds).toBeLessThan(20)
    })

    it('sslmode=require still requires SSL, without pg\'s warning about the word', async () => {
      const url = real()
      url.searchParams.set('sslmode', 'require')
      const { result } = await run(url.toString(), ['current'])
      // expectCleanError allows no line but the error: the warning spans eight.
      expectCleanError(result, {
        exit: 1,
        what: /Can't connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres\?sslmode=require: The server does not support SSL connections/,
        todo: /Check the database URL \(from --url\)/,
      })
    })

    it('a database that does not exist', async () => {
      const url = real()
      url.pathname = '/tsdb_no_such_database'
      const { result } = await run(url.toString(), ['current'])
      const line = expectCleanError(result, {
        exit: 1,
        what: /database "tsdb_no_such_database" does not exist/,
        todo: /Create it \(createdb tsdb_no_such_database\) or fix the database name/,
      })
      expect(line).not.toContain(real().password)
    })
  },
  ['postgres'],
)
