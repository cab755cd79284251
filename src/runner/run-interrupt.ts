import { sql, type Kysely, type KyselyPlugin } from 'kysely'
import { RunInterruptedError } from '../errors.js'

/**
 * Ending a run on request (SIGINT, SIGTERM, an API caller's AbortSignal) the way a failure ends
 * it: the next statement is refused, the one in flight is cancelled, and the usual failure path
 * rolls back, reports and releases the lock.
 */
export interface RunInterrupt {
  readonly signal: AbortSignal
  /**
   * Whether a statement in flight can be cancelled from another connection (PostgreSQL). An
   * embedded database runs one statement at a time, so there the run stops after it.
   */
  readonly canCancelRunningQuery: boolean
}

/** The error an interrupted run fails with; its reason is the signal's name when it is a string. */
export function interruptedError(signal: AbortSignal): RunInterruptedError {
  const reason: unknown = signal.reason
  if (reason instanceof RunInterruptedError) return reason
  return new RunInterruptedError(typeof reason === 'string' ? reason : 'a request to stop')
}

export function isInterruptedError(error: unknown): error is RunInterruptedError {
  return error instanceof RunInterruptedError
}

/** Refuses every statement once the run is interrupted. */
export function createInterruptPlugin(signal: AbortSignal): KyselyPlugin {
  return {
    transformQuery(args) {
      if (signal.aborted) throw interruptedError(signal)
      return args.node
    },
    transformResult: async (args) => args.result,
  }
}

/**
 * Cancels the statement `conn` is running when the run is interrupted, through `pool` (another
 * connection). Returns the function that stops watching.
 */
export async function watchForInterrupt(
  pool: Kysely<any>,
  conn: Kysely<any>,
  interrupt: RunInterrupt,
): Promise<() => void> {
  if (!interrupt.canCancelRunningQuery) return () => undefined
  const { rows } = await sql<{ pid: number }>`select pg_catalog.pg_backend_pid() as pid`.execute(conn)
  const pid = Number(rows[0]?.pid)
  const cancel = () => {
    // Best effort: the statement may have ended already; the next one is refused anyway.
    sql`select pg_catalog.pg_cancel_backend(${pid})`.execute(pool).catch(() => undefined)
  }
  if (interrupt.signal.aborted) cancel()
  interrupt.signal.addEventListener('abort', cancel, { once: true })
  return () => interrupt.signal.removeEventListener('abort', cancel)
}
