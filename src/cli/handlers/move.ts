import type { MoveArgs } from '../commands/move.js'
import { printRun } from '../print-run.js'
import { runCommand } from '../run-command.js'
import { toMs } from '../commands/shared-options.js'

/** `upgrade` and `downgrade`. */
export async function runMove(direction: 'upgrade' | 'downgrade', args: MoveArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const api = await import('../../index.js')
    const config = await ctx.loadConfig()
    const lockTimeout = toMs(args['lock-timeout'])
    const result = await api[direction](config, {
      target: args.revision,
      sql: args.sql,
      ...(args.tag !== undefined && { tag: args.tag }),
      ...(lockTimeout !== undefined && { lockTimeout }),
      reporter: ctx.reporter,
    })
    printRun(ctx, result)
  })
}
