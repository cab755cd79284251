import { sql, type Kysely } from 'kysely'
import { formatMs } from '../connection/format-ms.js'
import { MigrationFailedError } from '../errors.js'
import type { Reporter } from './reporter.js'

/** PostgreSQL's SQLSTATE for `lock_timeout` (and NOWAIT): lock_not_available. */
const LOCK_NOT_AVAILABLE = '55P03'

export interface StepLockTimeout {
  /** PostgreSQL's lock_timeout for each transaction of the run, in milliseconds; 0 sets none. */
  readonly timeoutMs: number
  /** How many times a transaction that hit it is run again. */
  readonly retries: number
}

/** SET LOCAL lock_timeout: it ends with the transaction, so nothing else on the connection keeps it. */
export async function applyStepLockTimeout(trx: Kysely<any>, timeout: StepLockTimeout | undefined): Promise<void> {
  if (timeout === undefined || timeout.timeoutMs <= 0) return
  await sql`select pg_catalog.set_config('lock_timeout', ${`${Math.round(timeout.timeoutMs)}ms`}, true)`.execute(trx)
}

/**
 * Runs a transaction, and runs it again when a statement in it gave up waiting for a lock. Only
 * a whole transaction that rolled back is retried: nothing of it stayed, so running it again is
 * running it for the first time. The pause between attempts is the timeout itself, so that the
 * session holding the lock gets at least that long to finish.
 */
export async function retryOnLockTimeout<T>(
  run: () => Promise<T>,
  options: { readonly timeout: StepLockTimeout | undefined; readonly isTransactional: boolean; readonly reporter: Reporter; readonly signal?: AbortSignal },
): Promise<T> {
  const timeout = options.timeout
  const retries = options.isTransactional && timeout !== undefined && timeout.timeoutMs > 0 ? timeout.retries : 0
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      if (!isLockTimeout(error) || timeout === undefined || options.signal?.aborted === true) throw error
      const waited = formatMs(timeout.timeoutMs)
      if (attempt > retries) {
        throw new MigrationFailedError(
          `${error.message}\nGave up after ${attempt} attempt${attempt === 1 ? '' : 's'}, each waiting ${waited} for a table lock that another session holds ` +
            `(stepLockTimeout ${timeout.timeoutMs} ms, stepLockRetries ${timeout.retries}); the transaction was rolled back each time. ` +
            `Find the holder in pg_stat_activity and pg_locks, then run upgrade again, or raise stepLockTimeout in the config`,
          error.step,
          error.appliedSteps,
          error.statement,
          { cause: error.cause },
        )
      }
      options.reporter.warn(
        `revision ${error.step.revision} waited ${waited} for a table lock (lock_timeout) and its transaction rolled back; ` +
          `retrying in ${waited} (attempt ${attempt + 1} of ${retries + 1})`,
      )
      await new Promise((resolve) => setTimeout(resolve, timeout.timeoutMs))
    }
  }
}

function isLockTimeout(error: unknown): error is MigrationFailedError {
  if (!(error instanceof MigrationFailedError)) return false
  const cause: unknown = error.cause
  return typeof cause === 'object' && cause !== null && (cause as { code?: unknown }).code === LOCK_NOT_AVAILABLE
}
