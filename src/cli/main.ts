import { createRequire } from 'node:module'
import yargs from 'yargs'
import { branchesCommand } from './commands/branches.js'
import { checkCommand } from './commands/check.js'
import { currentCommand } from './commands/current.js'
import { downgradeCommand } from './commands/downgrade.js'
import { editCommand } from './commands/edit.js'
import { headsCommand } from './commands/heads.js'
import { historyCommand } from './commands/history.js'
import { initCommand } from './commands/init.js'
import { listTemplatesCommand } from './commands/list-templates.js'
import { mergeCommand } from './commands/merge.js'
import { migrateCommand } from './commands/migrate.js'
import { revisionCommand } from './commands/revision.js'
import { showCommand } from './commands/show.js'
import { stampCommand } from './commands/stamp.js'
import { upgradeCommand } from './commands/upgrade.js'
import { createOutput } from './output.js'

class CliUsageFailure extends Error {}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string }

/**
 * The `tsdb` command line. The only place that reads argv and decides the process's exit code
 * for usage errors; commands set `process.exitCode` through `runCommand`.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const parser = yargs([...argv])
    .scriptName('tsdb')
    .usage('Usage: $0 db <command> [options]\n\nDatabase migrations for TypeScript on PostgreSQL (Flask-Migrate\'s commands).')
    .option('config', { type: 'string', global: true, describe: 'Config file (default: tsdb.config.ts or friends, discovered)' })
    .option('url', {
      type: 'string',
      global: true,
      describe: 'Database URL: postgres://…, pglite:<folder>, pglite:memory (default: $DATABASE_URL, the config, else the embedded database)',
    })
    .option('json', { type: 'boolean', global: true, default: false, describe: 'Print results as one JSON document' })
    .option('verbose', { alias: 'v', type: 'boolean', global: true, default: false, describe: 'Use more verbose output' })
    .option('quiet', { alias: 'q', type: 'boolean', global: true, default: false, describe: 'Print only results and errors' })
    .option('color', { type: 'boolean', global: true, default: true, describe: 'Colour on a terminal (--no-color; NO_COLOR is honoured)' })
    .command('db', 'Perform database migrations', (db) =>
      db
        .usage('Usage: $0 db <command> [options]')
        .command(initCommand)
        .command(listTemplatesCommand)
        .command(revisionCommand)
        .command(migrateCommand)
        .command(mergeCommand)
        .command(editCommand)
        .command(upgradeCommand)
        .command(downgradeCommand)
        .command(stampCommand)
        .command(currentCommand)
        .command(historyCommand)
        .command(headsCommand)
        .command(branchesCommand)
        .command(showCommand)
        .command(checkCommand)
        .demandCommand(1, 'Specify a db command, e.g. `tsdb db upgrade`')
        // Strict here too: without it yargs validates a nested command's options only after its
        // handler has run, so `upgrade --nope` would migrate and then complain.
        .strict(),
    )
    .demandCommand(1, 'Specify a command: tsdb db <command>')
    .strict()
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(version)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    // A usage failure must stop yargs: a fail handler that returns lets it run the command anyway.
    .fail((message, error) => {
      throw error ?? new CliUsageFailure(message)
    })
  try {
    await parser.parseAsync()
  } catch (error) {
    if (!(error instanceof CliUsageFailure)) throw error
    // yargs words an unknown command only as a suggestion; say what was unknown first.
    const command = argv[0] === 'db' ? argv[1] : argv[0]
    const message = error.message.startsWith('Did you mean') ? `Unknown command: ${command}. ${error.message}` : error.message
    createOutput().error(`${message}\nRun \`tsdb db --help\` (or \`tsdb db <command> --help\`) for usage.`)
    process.exitCode = 2
  }
}
