import type { RunResult } from '../index.js'
import type { CommandContext } from './run-command.js'

/** What `upgrade`, `downgrade` and `stamp` print: the script with `--sql`, else a JSON summary or nothing. */
export function printRun(ctx: CommandContext, result: RunResult): void {
  if (ctx.json) {
    const { steps, startHeads, endHeads, sql, binds } = result
    ctx.out.json({ steps, startHeads, endHeads, sql, ...(binds !== undefined && { binds }) })
    return
  }
  if (result.sql !== null) {
    ctx.out.result(result.sql.trimEnd())
    return
  }
  if (result.steps.length === 0 && ctx.verbose) ctx.out.info('Nothing to do: the database is already at the target.')
}
