import { defineCommand } from '../define-command.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { printRun } from '../print-run.js'
import { toMs, withDirectory, withLockTimeout, withSql } from './shared-options.js'

interface Args extends GlobalArgs {
  readonly revision: string
  readonly sql: boolean
  readonly tag?: string
  readonly 'lock-timeout'?: number
}

export const downgradeCommand = defineCommand<Args>({
  command: 'downgrade [revision]',
  describe: 'Revert to a previous version',
  builder: (y) =>
    withLockTimeout(withSql(withDirectory(y)))
      .positional('revision', {
        type: 'string',
        default: '-1',
        describe: 'Target: -N, <rev>, base, <label>@base ... (with --sql: start:end)',
      }),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      const { downgrade } = await import('../../index.js')
      const config = await ctx.loadConfig()
      const lockTimeout = toMs(args['lock-timeout'])
      const result = await downgrade(config, {
        target: args.revision,
        sql: args.sql,
        ...(args.tag !== undefined && { tag: args.tag }),
        ...(lockTimeout !== undefined && { lockTimeout }),
        reporter: ctx.reporter,
      })
      printRun(ctx, result)
    }),
})
