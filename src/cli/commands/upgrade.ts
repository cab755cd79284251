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

export const upgradeCommand = defineCommand<Args>({
  command: 'upgrade [revision]',
  describe: 'Upgrade to a later version',
  builder: (y) =>
    withLockTimeout(withSql(withDirectory(y)))
      .positional('revision', {
        type: 'string',
        default: 'head',
        describe: 'Target: head, heads, <rev>, +N, <label>@head ... (with --sql also start:end)',
      }),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      const { upgrade } = await import('../../index.js')
      const config = await ctx.loadConfig()
      const lockTimeout = toMs(args['lock-timeout'])
      const result = await upgrade(config, {
        target: args.revision,
        sql: args.sql,
        ...(args.tag !== undefined && { tag: args.tag }),
        ...(lockTimeout !== undefined && { lockTimeout }),
        reporter: ctx.reporter,
      })
      printRun(ctx, result)
    }),
})
