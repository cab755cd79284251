import type { MoveArgs } from '../commands/move.js'
import { toMs } from '../commands/shared-options.js'
import { listenForInterrupt } from '../interrupt.js'
import type { CliReporter } from '../reporter.js'

/**
 * The options `upgrade`, `downgrade` and `stamp` share (target, `--sql`, `--tag`,
 * `--lock-timeout`), as the API takes them (absent when not given), and the signal that
 * Ctrl-C aborts.
 */
export function runOptions(args: Pick<MoveArgs, 'revision' | 'sql' | 'tag' | 'lock-timeout'>, reporter: CliReporter) {
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
