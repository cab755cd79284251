import { printRun } from '../print-run.js'
import { runCommand, type GlobalArgs } from '../run-command.js'
import { runOptions, type RunArgs } from './run-options.js'

export interface MoveArgs extends GlobalArgs, RunArgs {
  /** `downgrade --yes`: drop tables and columns holding rows without asking. */
  readonly yes?: boolean
}

/** `upgrade` and `downgrade`. */
export async function runMove(direction: 'upgrade' | 'downgrade', args: MoveArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const api = await import('../../index.js')
    const config = await ctx.loadConfig()
    const options = runOptions(args, ctx.reporter)
    const result =
      direction === 'upgrade'
        ? await api.upgrade(config, options)
        : await api.downgrade(config, {
            ...options,
            // Asked only where someone can answer: in CI, or piped, the warnings are printed and
            // the downgrade proceeds, as `migrate`'s warnings do.
            ...(args.yes !== true &&
              process.stdin.isTTY === true &&
              process.stderr.isTTY === true &&
              process.env.CI === undefined && {
                confirmDataLoss: (await import('../data-loss-prompt.js')).createDataLossPrompt(options.signal),
              }),
          })
    printRun(ctx, result)
  })
}
