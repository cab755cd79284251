import stockYargs, { type Argv, type CommandModule } from 'yargs'
import { describe, expect, it } from 'vitest'
import { branchesCommand } from '../../../src/cli/commands/branches.js'
import { checkCommand } from '../../../src/cli/commands/check.js'
import { currentCommand } from '../../../src/cli/commands/current.js'
import { editCommand } from '../../../src/cli/commands/edit.js'
import { headsCommand } from '../../../src/cli/commands/heads.js'
import { historyCommand } from '../../../src/cli/commands/history.js'
import { initCommand } from '../../../src/cli/commands/init.js'
import { listTemplatesCommand } from '../../../src/cli/commands/list-templates.js'
import { mergeCommand } from '../../../src/cli/commands/merge.js'
import { migrateCommand } from '../../../src/cli/commands/migrate.js'
import { downgradeCommand, upgradeCommand } from '../../../src/cli/commands/move.js'
import { revisionCommand } from '../../../src/cli/commands/revision.js'
import { showCommand } from '../../../src/cli/commands/show.js'
import { stampCommand } from '../../../src/cli/commands/stamp.js'
import { loadYargs, type YargsFactory } from '../../../src/cli/load-yargs.js'

/** The real definitions, with handlers that do nothing: only parsing and output are compared. */
const COMMANDS = [
  initCommand,
  listTemplatesCommand,
  revisionCommand,
  migrateCommand,
  mergeCommand,
  editCommand,
  upgradeCommand,
  downgradeCommand,
  stampCommand,
  currentCommand,
  historyCommand,
  headsCommand,
  branchesCommand,
  showCommand,
  checkCommand,
].map((command) => ({ ...command, handler: () => undefined }))

/** A CLI shaped like tsdb's (global options, the db commands), plus text string-width must measure. */
function buildCli(yargs: YargsFactory, args: string[], wrap: number | null): Argv {
  return yargs(args)
    .scriptName('tsdb')
    .usage('Usage: $0 db <command> [options]\n\nDatabase migrations — for TypeScript on PostgreSQL.')
    .option('url', { type: 'string', global: true, describe: 'Database URL: postgres://…, pglite:<folder> (default: $DATABASE_URL)' })
    .option('unicode', { type: 'string', global: true, describe: 'Café crème: 表の説明 with 👍 and \u001b[31mcolour\u001b[39m, e\u0301 too' })
    .option('verbose', { alias: 'v', type: 'boolean', global: true, default: false, describe: 'Use more verbose output' })
    .command('db', 'Perform database migrations', (db) =>
      db
        .usage('Usage: $0 db <command> [options]')
        // Each module's argument types are its command's own; yargs takes the list untyped.
        .command(COMMANDS as unknown as CommandModule[])
        .demandCommand(1, 'Specify a db command')
        .strict(),
    )
    .epilogue('Ünïcödé epilogue: a long line that has to wrap somewhere in the middle of it, with a-very-long-word-that-cannot-fit-on-one-line-at-all')
    .demandCommand(1, 'Specify a command')
    .strict()
    .recommendCommands()
    .help()
    .version('1.2.3')
    .wrap(wrap)
    .exitProcess(false)
}

/** What yargs prints (help, version, errors) for `args`; the handlers never run with --help. */
async function outputOf(yargs: YargsFactory, args: string[], wrap: number | null): Promise<string> {
  return (await parseWith(yargs, args, wrap)).output
}

async function parseWith(yargs: YargsFactory, args: string[], wrap: number | null): Promise<{ argv: unknown; output: string }> {
  return new Promise((done) => {
    void buildCli(yargs, args, wrap).parse(args, {}, (_error: unknown, argv: unknown, output: string) => done({ argv, output }))
  })
}

describe('loadYargs', () => {
  it('renders help byte for byte as yargs does with its own platform', { timeout: 120_000 }, async () => {
    const yargs = await loadYargs()
    const stock = stockYargs as unknown as YargsFactory
    const helps = [['--help'], ['db', '--help'], ...COMMANDS.map((command) => ['db', String(command.command).split(' ')[0] ?? '', '--help'])]
    for (const wrap of [40, 110]) {
      for (const args of helps) {
        const expected = await outputOf(stock, args, wrap)
        expect(expected).toContain('Options:')
        expect(await outputOf(yargs, args, wrap)).toBe(expected)
      }
    }
  })

  it('parses, validates and suggests as yargs does', { timeout: 60_000 }, async () => {
    const yargs = await loadYargs()
    const stock = stockYargs as unknown as YargsFactory
    for (const args of [['--version'], ['db', 'upgrad'], ['db', 'upgrade', '--lock-timeout', 'x'], ['db', 'merge'], ['nope']]) {
      expect(await outputOf(yargs, args, 110)).toBe(await outputOf(stock, args, 110))
    }
    const args = ['--url', 'pglite:memory', '-v', 'db', 'history', '-r', 'a:b', '--help']
    const parsed = await parseWith(yargs, args, 110)
    expect(parsed.argv).toMatchObject({ url: 'pglite:memory', verbose: true, v: true, 'rev-range': 'a:b' })
    expect(parsed).toEqual(await parseWith(stock, args, 110))
  })
})
