import { formatBranchPoint } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

export async function runBranches(args: GlobalArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { branches } = await import('../../index.js')
    const points = await branches(await ctx.loadConfig())
    if (ctx.json) return ctx.out.json(points)
    for (const { point, children } of points) {
      ctx.out.result(formatBranchPoint(point, children, { verbose: ctx.verbose }))
    }
  })
}
