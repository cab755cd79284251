import type { Kysely } from 'kysely'
import type { QueryLog } from './query-log.js'

/** An open database: a Kysely instance and how to let go of everything behind it. */
export interface DatabaseHandle {
  // Migrations, introspection and the version table work on any schema, so there is no
  // Database type to give.
  readonly db: Kysely<any>
  /** What `db` and every instance derived from it send. */
  readonly queryLog: QueryLog
  close(): Promise<void>
}
