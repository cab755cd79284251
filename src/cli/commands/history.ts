import { defineCommand } from '../define-command.js'
import { drawGraph } from '../draw-graph.js'
import { formatHistoryLine, formatRevisionBlock } from '../format.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

interface Args extends GlobalArgs {
  readonly 'rev-range'?: string
  readonly 'indicate-current': boolean
  readonly graph: boolean
}

export const historyCommand = defineCommand<Args>({
  command: 'history',
  describe: 'List changeset scripts in chronological order (newest first)',
  builder: (y) =>
    withDirectory(y)
      .option('rev-range', { alias: 'r', type: 'string', describe: 'Specify a revision range; format is [start]:[end]' })
      .option('indicate-current', { alias: 'i', type: 'boolean', default: false, describe: 'Indicate current version (needs the database)' })
      .option('graph', { type: 'boolean', default: false, describe: 'Draw the branches and merges as an ASCII graph' }),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      // Not the index: history and heads need neither Kysely nor a database driver loaded.
      const { history } = await import('../../api/history.js')
      const revisions = await history(await ctx.loadConfig(), {
        ...(args['rev-range'] !== undefined && { range: args['rev-range'] }),
        indicateCurrent: args['indicate-current'],
      })
      if (ctx.json) return ctx.out.json(revisions)
      if (args.graph) {
        for (const line of drawGraph(revisions, formatHistoryLine)) ctx.out.result(line)
        return
      }
      for (const revision of revisions) {
        ctx.out.result(ctx.verbose ? formatRevisionBlock(revision) : formatHistoryLine(revision))
      }
    }),
})
