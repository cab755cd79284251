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
