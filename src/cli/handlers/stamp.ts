import { printRun } from '../print-run.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { runOptions, type RunArgs } from './run-options.js'

export interface StampArgs extends GlobalArgs, RunArgs {
  readonly purge: boolean
}

export async function runStamp(args: StampArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { stamp } = await import('../../index.js')
    const result = await stamp(await ctx.loadConfig(), { ...runOptions(args, ctx.reporter), purge: args.purge })
    printRun(ctx, result)
  })
}
