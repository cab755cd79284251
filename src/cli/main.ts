import { createRequire } from 'node:module'
import yargs from 'yargs'
import { branchesCommand } from './commands/branches.js'
import { checkCommand } from './commands/check.js'
import { currentCommand } from './commands/current.js'
import { downgradeCommand, upgradeCommand } from './commands/move.js'
import { editCommand } from './commands/edit.js'
import { headsCommand } from './commands/heads.js'
import { historyCommand } from './commands/history.js'
import { initCommand } from './commands/init.js'
import { lintCommand } from './commands/lint.js'
import { listTemplatesCommand } from './commands/list-templates.js'
import { mergeCommand } from './commands/merge.js'
import { migrateCommand } from './commands/migrate.js'
import { revisionCommand } from './commands/revision.js'
import { showCommand } from './commands/show.js'
import { stampCommand } from './commands/stamp.js'
import { rejectLeftoverArguments } from './define-command.js'
import type { CompletionArgs } from './handlers/completion.js'
import { chooseWorkingFolder } from '../loader/working-folder.js'
import { preferBaselineWasmCompiler } from '../connection/wasm-compiler.js'

class CliUsageFailure extends Error {}

/** How many times main() has been called in this thread. */
let runs = 0

/**
 * yargs' completion of commands and options, plus what a revision argument may be. The revision
 * part loads only when a shell asks, so it costs other commands nothing.
 */
function completeWords(
  current: string,
  args: CompletionArgs,
  completeDefault: (onCompleted: (error: Error | null, candidates: string[] | undefined) => void) => void,
  done: (candidates: string[]) => void,
): void {
  completeDefault((_error, candidates = []) => {
    void import('./handlers/completion.js')
      .then(({ completeRevisions }) => completeRevisions(current, args))
      // In a revision slot an empty word offers revisions; options stay one `-` away.
      .then((revisions) => done([...candidates.filter((c) => revisions.length === 0 || !c.startsWith('-')), ...revisions]))
  })
}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string }

/**
 * The `tsdb` command line. The only place that reads argv and decides the process's exit code
 * for usage errors; commands set `process.exitCode` through `runCommand`. `cwd` is the folder
 * the run works in (default: the process's), for a CLI run in a worker thread. Each call is a run
 * of its own: a thread may call it again for another command, in another folder.
 */
export async function main(argv: readonly string[], options: { readonly cwd?: string } = {}): Promise<void> {
  if (options.cwd !== undefined) chooseWorkingFolder(options.cwd)
  // A later run loads the user's files afresh, as a new process would (loaded only then: the
  // first run, a process's only one, has nothing to forget).
  if (runs++ > 0) (await import('../loader/import-module.js')).forgetModuleLoaders()
  preferBaselineWasmCompiler()
  // `tsdb db history | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
  const parser = yargs([...argv])
    .scriptName('tsdb')
    .usage('Usage: $0 db <command> [options]\n\nDatabase migrations for TypeScript on PostgreSQL (Flask-Migrate\'s commands).')
    .option('config', { type: 'string', global: true, describe: 'Config file (default: tsdb.config.ts or friends, discovered)' })
    .option('url', {
      type: 'string',
      global: true,
      requiresArg: true,
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
        .command(lintCommand)
        .demandCommand(1, 'Specify a db command, e.g. `tsdb db upgrade`')
        // Strict here too: without it yargs validates a nested command's options only after its
        // handler has run, so `upgrade --nope` would migrate and then complain.
        .strict(),
    )
    // yargs' own completion: `tsdb completion` prints the script for the shell in $SHELL, which
    // calls `tsdb --get-yargs-completions <words>`; revisions come from the project's files.
    .completion('completion', 'Print the bash or zsh completion script (for the shell in $SHELL)', completeWords)
    .demandCommand(1, 'Specify a command: tsdb db <command>')
    .strict()
    // Arguments after `--` stay apart from the rest, so each command can read them as
    // positionals (define-command.ts) instead of yargs appending them where no slot sees them.
    .parserConfiguration({ 'populate--': true })
    .check(rejectLeftoverArguments, true)
    // An empty --url (an unset shell variable) must not fall back to another database.
    .check((argv) => (argv.url === '' ? '--url is empty: give a database URL, e.g. --url postgres://localhost/app or --url pglite:memory' : true), true)
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(version)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    // A usage failure must stop yargs: a fail handler that returns lets it run the command anyway.
    .fail((message, error) => {
      // yargs words every failure of its own (validation, a check's complaint, an option missing
      // its value); only an exception from a handler comes without a message, and is our bug.
      if (typeof message === 'string' && message !== '') throw new CliUsageFailure(message)
      throw error instanceof Error ? error : new CliUsageFailure(String(error))
    })
  try {
    await parser.parseAsync()
  } catch (error) {
    if (!(error instanceof CliUsageFailure)) throw error
    // yargs words an unknown command only as a suggestion; say what was unknown first.
    const command = argv[0] === 'db' ? argv[1] : argv[0]
    const message = error.message.startsWith('Did you mean') ? `Unknown command: ${command}. ${error.message}` : error.message
    // yargs may quote any argument back, e.g. a URL given without --url.
    const [{ createOutput }, { createRedactor }] = await Promise.all([import('./output.js'), import('./redact.js')])
    const redactor = createRedactor()
    for (const arg of [...argv, process.env.DATABASE_URL]) redactor.addUrl(arg?.replace(/^--url=/, ''))
    createOutput({ redact: redactor.redact }).error(`${message}\nRun \`tsdb db --help\` (or \`tsdb db <command> --help\`) for usage.`)
    process.exitCode = 2
  }
}
