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
 * `--lock-timeout`), as the API takes them (absent when not given).
 */
export function runOptions(args: RunArgs, reporter: CliReporter) {
  const lockTimeout = toMs(args['lock-timeout'])
  return {
    target: args.revision,
    sql: args.sql,
    ...(args.tag !== undefined && { tag: args.tag }),
    ...(lockTimeout !== undefined && { lockTimeout }),
    reporter,
  }
}
