import type { StampArgs } from '../commands/stamp.js'
import { toMs } from '../commands/shared-options.js'
import { printRun } from '../print-run.js'
import { runCommand } from '../run-command.js'

export async function runStamp(args: StampArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { stamp } = await import('../../index.js')
    const config = await ctx.loadConfig()
    const lockTimeout = toMs(args['lock-timeout'])
    const result = await stamp(config, {
      target: args.revision,
      sql: args.sql,
      purge: args.purge,
      ...(args.tag !== undefined && { tag: args.tag }),
      ...(lockTimeout !== undefined && { lockTimeout }),
      reporter: ctx.reporter,
    })
    printRun(ctx, result)
  })
}
