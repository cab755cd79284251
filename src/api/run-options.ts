import type { ResolvedConfig } from '../config/config.js'
import { describeDatabase } from '../connection/open-caller-database.js'
import { CommandError } from '../errors.js'
import type { Reporter } from '../runner/reporter.js'

export interface RunOptions {
  /** Print the SQL instead of running it (offline mode). Default is `false`. */
  readonly sql?: boolean
  /** An arbitrary tag, accepted for Flask-Migrate compatibility (Alembic passes it to env.py). */
  readonly tag?: string
  /** Milliseconds to wait for another run's lock; overrides the config's `lockTimeout`. */
  readonly lockTimeout?: number | null
  readonly reporter?: Reporter
  /**
   * Aborting it ends the run the way a failure does: the statement in flight is cancelled, the
   * open transaction rolls back, the lock is released, and the call rejects. Default is none.
   */
  readonly signal?: AbortSignal
}

/** The runner's view of `signal`: only a pool of a server can cancel a statement from another connection. */
export function runInterrupt(config: ResolvedConfig, options: RunOptions) {
  return options.signal === undefined
    ? {}
    : { interrupt: { signal: options.signal, canCancelRunningQuery: describeDatabase(config).canCancelRunningQuery } }
}

/**
 * Splits Alembic's `start:end` form. Online, a range is an error (Alembic's words);
 * offline it names the revision the script starts from.
 */
export function splitRange(target: string, options: { isOffline: boolean }): { start: string | null; end: string } {
  const colon = target.indexOf(':')
  if (colon === -1) return { start: null, end: target }
  if (!options.isOffline) {
    throw new CommandError(`Range revision not allowed: '${target}' (a start:end range only works with --sql)`, {
      code: 'RANGE_NOT_ALLOWED',
    })
  }
  return { start: target.slice(0, colon), end: target.slice(colon + 1) }
}
