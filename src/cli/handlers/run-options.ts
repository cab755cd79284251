import { listenForInterrupt } from '../interrupt.js'
import type { CliReporter } from '../reporter.js'

/** The arguments `upgrade`, `downgrade` and `stamp` share. */
export interface RunArgs {
  readonly revision: string
  readonly sql: boolean
  readonly tag?: string
  readonly 'lock-timeout'?: number
}

const toMs = (seconds: number | undefined): number | undefined =>
  seconds === undefined ? undefined : Math.round(seconds * 1000)

/**
 * The options `upgrade`, `downgrade` and `stamp` share (target, `--sql`, `--tag`,
 * `--lock-timeout`), as the API takes them (absent when not given), and the signal that
 * Ctrl-C aborts.
 */
export function runOptions(args: RunArgs, reporter: CliReporter) {
  const lockTimeout = toMs(args['lock-timeout'])
  return {
    target: args.revision,
    sql: args.sql,
    ...(args.tag !== undefined && { tag: args.tag }),
    ...(lockTimeout !== undefined && { lockTimeout }),
    reporter,
    // Offline (--sql) nothing is sent; Ctrl-C may end the process at once.
    ...(args.sql !== true && { signal: listenForInterrupt() }),
  }
}
