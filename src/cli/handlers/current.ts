import { formatCurrentLine, formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

export async function runCurrent(args: GlobalArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { current } = await import('../../index.js')
    const result = await current(await ctx.loadConfig(), { reporter: ctx.reporter })
    if (ctx.json) return ctx.out.json(result)
    if (ctx.verbose) ctx.out.result(`Current revision(s) for ${result.database}:`)
    for (const head of result.heads) ctx.out.result(ctx.verbose ? formatRevisionBlock(head) : formatCurrentLine(head))
  })
}
