import type { LogEvent } from 'kysely'
import { isConnectionLost } from './connection-lost.js'

/**
 * The queries a Kysely instance sends, as its driver gets them: after every plugin, the
 * revision's own included, parameters apart. tsdb opens its databases with `logger` as Kysely's
 * `log`, so every instance derived from them (a connection, a transaction, `withPlugin`) reports
 * here; the runner listens while a revision runs, and a step's SQL checksum comes from what the
 * step sent instead of from running the revision a second time, offline.
 */
export interface QueryLog {
  /** Kysely's `log` option. Kysely awaits it before the query's caller sees the result. */
  readonly logger: (event: LogEvent) => void
  /** `listener` gets each query that returns or fails until the returned function is called. */
  listen(listener: (event: LogEvent) => void): () => void
  /**
   * Whether the connection was lost during a COMMIT: the server may have committed before it
   * went, or not, and only the database can tell.
   */
  hasLostCommit(): boolean
}

export function createQueryLog(): QueryLog {
  let current: ((event: LogEvent) => void) | undefined
  let hasLostCommit = false
  return {
    logger: (event) => {
      if (event.level === 'error' && /^\s*commit\b/i.test(event.query.sql) && isConnectionLost(event.error)) hasLostCommit = true
      current?.(event)
    },
    listen(listener) {
      current = listener
      return () => {
        if (current === listener) current = undefined
      }
    },
    hasLostCommit: () => hasLostCommit,
  }
}
