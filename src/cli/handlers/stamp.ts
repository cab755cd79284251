import type { StampArgs } from '../commands/stamp.js'
import { printRun } from '../print-run.js'
import { runCommand } from '../run-command.js'
import { runOptions } from './run-options.js'

export async function runStamp(args: StampArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { stamp } = await import('../../index.js')
    const result = await stamp(await ctx.loadConfig(), { ...runOptions(args, ctx.reporter), purge: args.purge })
    printRun(ctx, result)
  })
}
