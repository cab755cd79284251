import { defineCommand } from '../define-command.js'
import { formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

interface Args extends GlobalArgs {
  readonly revision: string
}

export const showCommand = defineCommand<Args>({
  command: 'show [revision]',
  describe: 'Show the revision denoted by the given symbol',
  builder: (y) =>
    withDirectory(y).positional('revision', { type: 'string', default: 'head', describe: 'Revision, target symbol or current' }),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      const { show } = await import('../../index.js')
      const revisions = await show(await ctx.loadConfig(), args.revision)
      if (ctx.json) return ctx.out.json(revisions)
      for (const revision of revisions) ctx.out.result(formatRevisionBlock(revision))
    }),
})
