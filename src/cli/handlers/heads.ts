import { formatHeadLine, formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

export interface HeadsArgs extends GlobalArgs {
  readonly 'resolve-dependencies': boolean
}

export async function runHeads(args: HeadsArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    // Not the index: history and heads need neither Kysely nor a database driver loaded.
    const { heads } = await import('../../api/history.js')
    const result = await heads(await ctx.loadConfig(), { resolveDependencies: args['resolve-dependencies'] })
    if (ctx.json) return ctx.out.json(result)
    ctx.out.results(result.map((head) => (ctx.verbose ? formatRevisionBlock(head) : formatHeadLine(head))))
  })
}
