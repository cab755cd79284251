import { defineCommand } from '../define-command.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { withDirectory } from './shared-options.js'

type Args = GlobalArgs

export const checkCommand = defineCommand<Args>({
  command: 'check',
  describe: 'Check if the schema declaration and the database at head differ (exit 1 when they do)',
  builder: (y) => withDirectory(y),
  handler: (args) =>
    runCommand(args, async (ctx) => {
      const { check } = await import('../../index.js')
      await check(await ctx.loadConfig(), { reporter: ctx.reporter })
      if (ctx.json) return ctx.out.json({ detected: [] })
      ctx.out.result('No new upgrade operations detected.')
    }),
})
