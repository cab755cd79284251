import { defineCommand } from '../define-command.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { printRun } from '../print-run.js'
import { toMs, withDirectory, withLockTimeout, withSql } from './shared-options.js'

interface Args extends GlobalArgs {
  readonly revision: string
  readonly sql: boolean
  readonly tag?: string
  readonly purge: boolean
  readonly 'lock-timeout'?: number
}

export const stampCommand = defineCommand<Args>({
  command: 'stamp [revision]',
  describe: "'stamp' the revision table with the given revision; don't run any migrations",
  builder: (y) =>
    withLockTimeout(withSql(withDirectory(y)))
      .positional('revision', { type: 'string', default: 'head', describe: 'Target revision (with --sql also start:end)' })
      .option('purge', {
        type: 'boolean',
        default: false,
        describe: 'Delete all entries in the version table before stamping',
      }),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      const { stamp } = await import('../../index.js')
      const config = await ctx.loadConfig()
      const lockTimeout = toMs(args['lock-timeout'])
      const result = await stamp(config, {
        target: args.revision,
        sql: args.sql,
        purge: args.purge,
        ...(args.tag !== undefined && { tag: args.tag }),
        ...(lockTimeout !== undefined && { lockTimeout }),
        reporter: ctx.reporter,
      })
      printRun(ctx, result)
    }),
})
