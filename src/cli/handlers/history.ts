import { drawGraph } from '../draw-graph.js'
import { formatHistoryLine, formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'

export interface HistoryArgs extends GlobalArgs {
  readonly 'rev-range'?: string
  readonly 'indicate-current': boolean
  readonly graph: boolean
}

export async function runHistory(args: HistoryArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    // Not the index: history and heads need neither Kysely nor a database driver loaded.
    const { history } = await import('../../api/history.js')
    const revisions = await history(await ctx.loadConfig(), {
      ...(args['rev-range'] !== undefined && { range: args['rev-range'] }),
      indicateCurrent: args['indicate-current'],
    })
    if (ctx.json) return ctx.out.json(revisions)
    if (args.graph) return ctx.out.results(drawGraph(revisions, formatHistoryLine))
    ctx.out.results(revisions.map((revision) => (ctx.verbose ? formatRevisionBlock(revision) : formatHistoryLine(revision))))
  })
}
