import type { Kysely, KyselyPlugin } from 'kysely'
import { RunInterruptedError } from '../errors.js'
import { cancelLockHolder } from './advisory-lock.js'

/**
 * Ending a run on request (SIGINT, SIGTERM, an API caller's AbortSignal) the way a failure ends
 * it: the next statement is refused, the one in flight is cancelled, and the usual failure path
 * rolls back, reports and releases the lock.
 */
export interface RunInterrupt {
  readonly signal: AbortSignal
  /** Whether a statement in flight can be cancelled from another connection; else the run stops after it. */
  readonly canCancelRunningQuery: boolean
}

/** The error an interrupted run fails with; its reason is the signal's name when it is a string. */
export function interruptedError(signal: AbortSignal): RunInterruptedError {
  const reason: unknown = signal.reason
  if (reason instanceof RunInterruptedError) return reason
  return new RunInterruptedError(typeof reason === 'string' ? reason : 'a request to stop')
}

/** Refuses every statement once the run is interrupted. */
export function createInterruptPlugin(signal: AbortSignal): KyselyPlugin {
  return {
    transformQuery(args) {
      if (signal.aborted) throw interruptedError(signal)
      return args.node
    },
    // PGlite answers without I/O, so the event loop would never take in SIGINT before the run's
    // end: one turn after each statement lets it in, and the next statement is refused.
    transformResult: async (args) => {
      await new Promise((resolve) => setImmediate(resolve))
      return args.result
    },
  }
}

/**
 * On interrupt, cancels the run's statement through `pool` (another connection), finding the run's
 * session by the lock it holds. Returns the function that stops watching.
 */
export function watchForInterrupt(pool: Kysely<any>, lockKey: bigint, interrupt: RunInterrupt): () => void {
  if (!interrupt.canCancelRunningQuery) return () => undefined
  // Best effort: the statement may have ended already; the next one is refused anyway.
  const cancel = () => void cancelLockHolder(pool, lockKey).catch(() => undefined)
  if (interrupt.signal.aborted) cancel()
  interrupt.signal.addEventListener('abort', cancel, { once: true })
  return () => interrupt.signal.removeEventListener('abort', cancel)
}
