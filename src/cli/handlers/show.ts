import type { ShowArgs } from '../commands/show.js'
import { formatRevisionBlock } from '../format.js'
import { runCommand } from '../run-command.js'

export async function runShow(args: ShowArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { show } = await import('../../index.js')
    const revisions = await show(await ctx.loadConfig(), args.revision)
    if (ctx.json) return ctx.out.json(revisions)
    for (const revision of revisions) ctx.out.result(formatRevisionBlock(revision))
  })
}
