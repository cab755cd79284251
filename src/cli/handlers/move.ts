import { printRun } from '../print-run.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { runOptions, type RunArgs } from './run-options.js'

export interface MoveArgs extends GlobalArgs, RunArgs {}

/** `upgrade` and `downgrade`. */
export async function runMove(direction: 'upgrade' | 'downgrade', args: MoveArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const api = await import('../../index.js')
    const result = await api[direction](await ctx.loadConfig(), runOptions(args, ctx.reporter))
    printRun(ctx, result)
  })
}
