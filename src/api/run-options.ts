import type { ResolvedConfig } from '../config/config.js'
import { describeDatabase } from '../connection/open-caller-database.js'
import { CommandError } from '../errors.js'
import type { MigrationStep } from '../revision/migration-step.js'
import { silentReporter, type Reporter } from '../runner/reporter.js'

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

/** A step as reported to users and in `--json`. */
export interface StepInfo {
  readonly direction: 'up' | 'down'
  readonly revision: string
  readonly downRevisions: readonly string[]
  readonly message: string
  readonly path: string
}

export function describeStep({ direction, revision }: MigrationStep): StepInfo {
  const { id, downRevisions, message, path } = revision
  return { direction, revision: id, downRevisions, message, path }
}

/** The result of `upgrade`, `downgrade` and `stamp`. */
export interface RunResult {
  readonly steps: readonly StepInfo[]
  /** The database's heads before and after (for `--sql`: the assumed start and the end). */
  readonly startHeads: readonly string[]
  readonly endHeads: readonly string[]
  /** The script, with `sql: true`; null when the command ran online. A multidb project's holds every database's script. */
  readonly sql: string | null
  /** A multidb project's binds, by name (the fields above are the main database's, but `sql`). */
  readonly binds?: Readonly<Record<string, RunResult>>
}

/** What one database of a run is told: a multidb run holds each commit until every database is ready. */
export type OneRunOptions<T extends RunOptions> = T & { readonly beforeCommit?: () => Promise<void> }

/**
 * What `upgrade`, `downgrade` and `stamp` hand the runner and `withDatabase` online. Only a pool
 * of a server can cancel a statement from another connection when `signal` aborts.
 */
export function onlineRun(config: ResolvedConfig, options: OneRunOptions<RunOptions>) {
  const reporter = options.reporter ?? silentReporter
  return {
    runner: {
      versionTable: config.versionTable,
      versionTableSchema: config.versionTableSchema,
      lockTimeoutMs: options.lockTimeout === undefined ? config.lockTimeout : options.lockTimeout,
      reporter,
      ...(options.signal !== undefined && {
        interrupt: { signal: options.signal, canCancelRunningQuery: describeDatabase(config).canCancelRunningQuery },
      }),
      ...(options.beforeCommit !== undefined && { beforeCommit: options.beforeCommit }),
    },
    // --lock-timeout also bounds the wait for another process holding an embedded database's folder.
    database: {
      notice: (line: string) => reporter.info(line),
      ...(options.lockTimeout !== undefined && options.lockTimeout !== null && { pgliteLockTimeoutMs: options.lockTimeout }),
    },
  }
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
