import { defineCommand } from '../define-command.js'
import { formatBranchPoint } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

type Args = GlobalArgs

export const branchesCommand = defineCommand<Args>({
  command: 'branches',
  describe: 'Show current branch points',
  builder: (y) => withDirectory(y),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      const { branches } = await import('../../index.js')
      const points = await branches(await ctx.loadConfig())
      if (ctx.json) return ctx.out.json(points)
      for (const { point, children } of points) {
        ctx.out.result(formatBranchPoint(point, children, { verbose: ctx.verbose }))
      }
    }),
})
