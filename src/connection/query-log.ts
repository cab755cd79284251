import type { LogEvent } from 'kysely'
import { isConnectionLost } from './connection-lost.js'

/**
 * The queries a Kysely instance and every instance derived from it send, after every plugin:
 * tsdb passes `logger` as Kysely's `log`. A step's SQL checksum comes from what it sent.
 */
export interface QueryLog {
  /** Kysely's `log` option. Kysely awaits it before the query's caller sees the result. */
  readonly logger: (event: LogEvent) => void
  /** `listener` gets each query that returns or fails until the returned function is called. */
  listen(listener: (event: LogEvent) => void): () => void
  /** Whether the connection was lost during a COMMIT, which may or may not have committed. */
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
