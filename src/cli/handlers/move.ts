import type { MoveArgs } from '../commands/move.js'
import { printRun } from '../print-run.js'
import { runCommand } from '../run-command.js'
import { runOptions } from './run-options.js'

/** `upgrade` and `downgrade`. */
export async function runMove(direction: 'upgrade' | 'downgrade', args: MoveArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const api = await import('../../index.js')
    const result = await api[direction](await ctx.loadConfig(), runOptions(args, ctx.reporter))
    printRun(ctx, result)
  })
}
