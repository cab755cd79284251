import { formatCurrentLine, formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

export async function runCurrent(args: GlobalArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { current } = await import('../../index.js')
    const result = await current(await ctx.loadConfig(), { reporter: ctx.reporter })
    if (ctx.json) return ctx.out.json(result)
    // A multidb project's binds follow the main database, each as Flask-Migrate prints them.
    for (const database of [result, ...Object.values(result.binds ?? {})]) {
      if (ctx.verbose) ctx.out.result(`Current revision(s) for ${database.database}:`)
      for (const head of database.heads) ctx.out.result(ctx.verbose ? formatRevisionBlock(head) : formatCurrentLine(head))
    }
  })
}
