import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../helpers/databases.js'
import { runTsdb } from '../../helpers/run-cli.js'
import { createInitializedProject, expectCleanError, runAgainst, tableRevision, writeFiles, type ExpectedError } from './catalogue.js'

/**
 * Broken config files and database URLs. `upgrade` runs with DATABASE_URL pointing at the
 * suite's database (unless the case replaces it) and must leave that database as it was.
 */
interface Case {
  readonly name: string
  readonly files?: Readonly<Record<string, string>>
  readonly args?: readonly string[]
  readonly env?: Record<string, string | undefined>
  readonly expected: ExpectedError
}

const config = (body: string) => ({ 'tsdb.config.ts': body })
const URL_FORMS = /expected postgres:\/\/user:password@host:5432\/database, postgresql:\/\/…, pglite:<folder> or pglite:memory/
const PERCENT_ENCODE = /percent-encode special characters in the user name and password: # as %23, \/ as %2F, \? as %3F, @ as %40, % as %25$/

const cases: readonly Case[] = [
  {
    name: 'an unknown key with a near miss',
    files: config("export default { migrationDir: 'migrations' }"),
    expected: { exit: 1, what: /tsdb\.config\.ts: unknown key 'migrationDir'/, todo: /did you mean 'migrationsDir'\?/ },
  },
  {
    name: 'an unknown key',
    files: config('export default { colour: true }'),
    expected: { exit: 1, what: /tsdb\.config\.ts: unknown key 'colour'/, todo: /known keys: url, migrationsDir, schema/ },
  },
  {
    name: 'versionTable of the wrong type',
    files: config('export default { versionTable: 5 }'),
    expected: { exit: 1, what: /'versionTable' must be/, todo: /must be a non-empty string, got number 5/ },
  },
  {
    name: 'a version table name longer than PostgreSQL allows',
    files: config(`export default { versionTable: '${'v'.repeat(64)}' }`),
    expected: { exit: 1, what: /'versionTable' must be a name of at most 63 bytes/, todo: /at most 63 bytes/ },
  },
  {
    name: 'include that is not an array',
    files: config("export default { include: 'users' }"),
    expected: { exit: 1, what: /'include' must be/, todo: /an array of non-empty strings, got 'users'/ },
  },
  {
    name: 'transactionPerMigration that is a string',
    files: config("export default { transactionPerMigration: 'yes' }"),
    expected: { exit: 1, what: /'transactionPerMigration' must be/, todo: /true or false, got 'yes'/ },
  },
  {
    name: 'a negative lockTimeout',
    files: config('export default { lockTimeout: -1 }'),
    expected: { exit: 1, what: /'lockTimeout' must be/, todo: /a number of milliseconds \(0 or more\), got number -1/ },
  },
  {
    name: 'a bind that is not an object',
    files: config('export default { binds: { users: 5 } }'),
    expected: { exit: 1, what: /'binds\.users' must be an object/, todo: /\(\{ url, schema \}\)/ },
  },
  {
    name: 'a default export that is not an object',
    files: config('export default 5'),
    expected: { exit: 1, what: /tsdb\.config\.ts: the config must be an object/, todo: /export default defineConfig\(\{/ },
  },
  {
    name: 'a config that throws',
    files: config("throw new Error('DATABASE_HOST is not set')\nexport default {}"),
    expected: { exit: 1, what: /tsdb\.config\.ts: failed to load: DATABASE_HOST is not set/, todo: /fix the config file/ },
  },
  {
    name: 'a config that throws a string',
    files: config("throw 'no config for you'\nexport default {}"),
    expected: { exit: 1, what: /tsdb\.config\.ts: failed to load: it threw no config for you/, todo: /fix the config file/ },
  },
  {
    name: 'a config whose promise rejects',
    files: config("export default Promise.reject(new Error('vault sealed'))"),
    expected: { exit: 1, what: /tsdb\.config\.ts: failed to load: vault sealed/, todo: /fix the config file/ },
  },
  {
    name: 'a config with a syntax error',
    files: config('export default {\n  url: \n'),
    expected: { exit: 1, what: /tsdb\.config\.ts: failed to load: .*\(line \d+, column \d+\)/, todo: /fix the config file/ },
  },
  {
    name: 'a JSON config with a syntax error',
    files: { 'tsdb.config.json': '{ "url": ' },
    expected: { exit: 1, what: /tsdb\.config\.json: failed to load: JSON Error in .*tsdb\.config\.json: \w+/, todo: /fix the config file/ },
  },
  {
    name: 'a config importing a package that is not installed',
    files: config("import x from 'no-such-config-helper'\nexport default x"),
    expected: { exit: 1, what: /failed to load: Cannot find module 'no-such-config-helper'/, todo: /fix the config file/ },
  },
  {
    name: 'a --config file that does not exist',
    args: ['upgrade', '--config', 'nope.config.ts'],
    expected: { exit: 1, what: /config file nope\.config\.ts not found/, todo: /check the --config path/ },
  },
  {
    name: 'an unsupported URL scheme in the config',
    files: config("export default { url: 'mysql://root:hunter22@localhost/app' }"),
    env: { DATABASE_URL: undefined },
    expected: { exit: 1, what: /tsdb\.config\.ts: 'url': unsupported database URL 'mysql:\/\/root:\*\*\*@localhost\/app'/, todo: URL_FORMS },
  },
  {
    name: 'a URL that does not parse (--url)',
    args: ['upgrade', '--url', 'postgres://u:hunter22@[::1/db'],
    expected: { exit: 1, what: /--url: invalid database URL 'postgres:\/\/…': it does not parse/, todo: PERCENT_ENCODE },
  },
  {
    name: 'a URL with a port that is not a number',
    args: ['upgrade', '--url', 'postgresql://u:hunter22@db.example:fivefour/app'],
    expected: { exit: 1, what: /--url: invalid database URL 'postgresql:\/\/…@db\.example': it does not parse/, todo: PERCENT_ENCODE },
  },
  {
    name: 'an unsupported URL in DATABASE_URL',
    env: { DATABASE_URL: 'http://example.com/db' },
    expected: { exit: 1, what: /DATABASE_URL: unsupported database URL 'http:\/\/example\.com\/db'/, todo: URL_FORMS },
  },
  {
    name: 'a URL without a scheme',
    args: ['upgrade', '--url', 'localhost:5432/app'],
    expected: { exit: 1, what: /--url: unsupported database URL: it is not a URL/, todo: URL_FORMS },
  },
  {
    name: 'pglite: without a folder',
    args: ['upgrade', '--url', 'pglite:'],
    expected: { exit: 1, what: /--url: invalid database URL 'pglite:'/, todo: /name a folder \(pglite:<folder>\) or use pglite:memory/ },
  },
  {
    name: 'pglite: naming a file',
    files: { 'not-a-folder': 'x' },
    args: ['upgrade', '--url', 'pglite:not-a-folder'],
    expected: { exit: 1, what: /Can't open the embedded database pglite:.*not-a-folder: .* is a file, not a folder/, todo: /Point the URL at a folder/ },
  },
  {
    name: 'an unknown template for init',
    args: ['init', '--template', 'nope', '-d', 'other'],
    expected: { exit: 1, what: /No such template 'nope'/, todo: /available templates: generic, multidb/ },
  },
  {
    name: '--lock-timeout that is not a number',
    args: ['upgrade', '--lock-timeout', 'soon'],
    expected: { exit: 2, what: /--lock-timeout must be a number of seconds/, todo: /e\.g\. --lock-timeout 30/ },
  },
  {
    name: 'an unknown command',
    args: ['upgrad'],
    expected: { exit: 2, what: /Unknown command: upgrad\. Did you mean upgrade\?/, todo: /Run `tsdb db --help`/ },
  },
  {
    name: 'an unknown option',
    args: ['upgrade', '--force'],
    expected: { exit: 2, what: /Unknown argument: force/, todo: /Run `tsdb db --help`/ },
  },
]

describeEachDatabase(
  'bad input: config and URLs',
  (ctx) => {
    beforeAll(async () => {
      await ctx.closeAll()
    })

    for (const testCase of cases) {
      it(testCase.name, async () => {
        const project = await createInitializedProject()
        await writeFiles(project, { 'migrations/versions/aaaa1111_a.ts': tableRevision('aaaa1111', null, 'a'), ...testCase.files })
        const result = await runAgainst(ctx, project, ['db', ...(testCase.args ?? ['upgrade'])], testCase.env)
        expectCleanError(result, testCase.expected)
      })
    }

    it('a config that is fine once fixed: the same project then upgrades (the cases are not failing for another reason)', async () => {
      const project = await createInitializedProject()
      await writeFiles(project, {
        'migrations/versions/aaaa1111_a.ts': tableRevision('aaaa1111', null, 'a'),
        'tsdb.config.ts': "export default { migrationsDir: 'migrations', lockTimeout: 1000 }",
      })
      await ctx.closeAll()
      const result = await runTsdb(['db', 'upgrade', '--lock-timeout', '30'], { cwd: project, env: { DATABASE_URL: ctx.url } })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain('Running upgrade  -> aaaa1111')
    })
  },
  ['postgres'],
)
