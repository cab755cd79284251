import { defineCommand } from '../define-command.js'
import { formatHeadLine, formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

interface Args extends GlobalArgs {
  readonly 'resolve-dependencies': boolean
}

export const headsCommand = defineCommand<Args>({
  command: 'heads',
  describe: 'Show current available heads in the script directory',
  builder: (y) =>
    withDirectory(y)
      .option('resolve-dependencies', { type: 'boolean', default: false, describe: 'Treat dependency versions as down revisions' }),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      // Not the index: history and heads need neither Kysely nor a database driver loaded.
      const { heads } = await import('../../api/history.js')
      const result = await heads(await ctx.loadConfig(), { resolveDependencies: args['resolve-dependencies'] })
      if (ctx.json) return ctx.out.json(result)
      for (const head of result) ctx.out.result(ctx.verbose ? formatRevisionBlock(head) : formatHeadLine(head))
    }),
})
