import { createInterface } from 'node:readline/promises'
import type { RunResult } from '../../index.js'
import { runCommand, type CommandContext, type GlobalArgs } from '../run-command.js'

/** The arguments `upgrade`, `downgrade` and `stamp` share. */
export interface RunArgs extends GlobalArgs {
  readonly revision: string
  readonly sql: boolean
  readonly tag?: string
  readonly 'lock-timeout'?: number
  /** `downgrade --yes`: drop tables and columns holding rows without asking. */
  readonly yes?: boolean
  /** `stamp --purge`. */
  readonly purge?: boolean
}

/** `upgrade` and `downgrade`. */
export async function runMove(direction: 'upgrade' | 'downgrade', args: RunArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const api = await import('../../index.js')
    const config = await ctx.loadConfig()
    const options = runOptions(args, ctx)
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
              process.env.CI === undefined && { confirmDataLoss: () => confirmDataLoss(options.signal) }),
          })
    printRun(ctx, result)
  })
}

export async function runStamp(args: RunArgs): Promise<void> {
  await runCommand(args, async (ctx) => {
    const { stamp } = await import('../../index.js')
    printRun(ctx, await stamp(await ctx.loadConfig(), { ...runOptions(args, ctx), purge: args.purge === true }))
  })
}

/** The options as the API takes them, and the signal that Ctrl-C aborts. */
function runOptions(args: RunArgs, ctx: CommandContext) {
  return {
    target: args.revision,
    sql: args.sql,
    tag: args.tag,
    lockTimeout: args['lock-timeout'] === undefined ? undefined : Math.round(args['lock-timeout'] * 1000),
    reporter: ctx.reporter,
    // Offline (--sql) nothing is sent; Ctrl-C may end the process at once.
    signal: args.sql ? undefined : listenForInterrupt(),
  }
}

/** The script with `--sql`, else a JSON summary or nothing. */
function printRun(ctx: CommandContext, result: RunResult): void {
  if (ctx.json) {
    const { steps, startHeads, endHeads, sql, binds } = result
    ctx.out.json({ steps, startHeads, endHeads, sql, ...(binds !== undefined && { binds }) })
  } else if (result.sql !== null) {
    ctx.out.result(result.sql.trimEnd())
  } else if (result.steps.length === 0 && ctx.verbose) {
    ctx.out.info('Nothing to do: the database is already at the target.')
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/**
 * Ctrl-C or SIGTERM ends the run as a failure ends it (statement cancelled, transaction rolled
 * back, lock released, one line, exit code 1) instead of killing the process mid-way. A second
 * signal kills it at once, for a run that does not stop.
 */
function listenForInterrupt(): AbortSignal {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      controller.abort(signal)
      return
    }
    for (const name of SIGNALS) process.off(name, onSignal)
    process.kill(process.pid, signal)
  }
  for (const name of SIGNALS) process.on(name, onSignal)
  return controller.signal
}

/**
 * On a terminal, `downgrade` asks before it drops tables or columns holding rows (the warnings
 * are already printed). Ctrl-C, like any answer but yes, cancels: nothing has been changed yet.
 */
async function confirmDataLoss(signal: AbortSignal | undefined): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answer = await readline.question('Drop these? [y/N] ', signal === undefined ? {} : { signal })
    return /^y(es)?$/i.test(answer.trim())
  } catch (error) {
    if (signal?.aborted === true) return false
    throw error
  } finally {
    readline.close()
  }
}
