import { formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

export interface ShowArgs extends GlobalArgs {
  readonly revision: string
}

export async function runShow(args: ShowArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { show } = await import('../../index.js')
    const revisions = await show(await ctx.loadConfig(), args.revision)
    if (ctx.json) return ctx.out.json(revisions)
    for (const revision of revisions) ctx.out.result(formatRevisionBlock(revision))
  })
}
