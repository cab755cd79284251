import type { CompiledQuery, QueryResult } from 'kysely'

/**
 * A database the caller already holds, given to the API as `db` (`upgrade({ ...config, db })`):
 * tsdb then runs on it instead of opening the config's URL, and never closes it. One of:
 * - a Kysely instance (any `Kysely<DB>` on PostgreSQL or PGlite),
 * - a `pg` Pool, or a connected `pg` Client (or a client checked out of a pool),
 * - a PGlite instance (`new PGlite()`, in memory or on a folder).
 *
 * These are the parts tsdb uses, so that an app's own copy of Kysely, `pg` or PGlite fits
 * whatever its version.
 */
export type CallerDatabase = KyselyInstance | PgPool | PgClient | PgliteInstance

/** A Kysely instance: tsdb runs its statements on one of its connections, past its plugins. */
export interface KyselyInstance {
  readonly isTransaction: boolean
  withoutPlugins(): KyselyInstance
  connection(): { execute<T>(callback: (db: KyselyInstance) => Promise<T>): Promise<T> }
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>
}

/** What a `pg` query resolves to. */
export interface PgQueryResult<R> {
  readonly rows: R[]
  readonly rowCount: number | null
  readonly command: string
}

/** A connected `pg` Client (`new pg.Client(...)` after `await client.connect()`, or `await pool.connect()`). */
export interface PgClient {
  query<R>(text: string, values: unknown[]): Promise<PgQueryResult<R>>
}

/** A `pg` Pool (`new pg.Pool(...)`): tsdb checks clients out and releases them, and never ends it. */
export interface PgPool {
  readonly totalCount: number
  connect(): Promise<PgClient & { release(error?: Error | boolean): void }>
}

/** A PGlite instance (`new PGlite()` from `@electric-sql/pglite`). */
export interface PgliteInstance {
  readonly closed: boolean
  readonly ready: boolean
  readonly waitReady: Promise<void>
  query<R>(query: string, params?: unknown[], options?: { readonly rowMode?: 'array' | 'object' }): Promise<PgliteResults<R>>
  transaction<T>(callback: (tx: PgliteTransaction) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface PgliteResults<R> {
  readonly rows: R[]
  readonly affectedRows?: number
  readonly fields: { name: string; dataTypeID: number }[]
}

export interface PgliteTransaction {
  query<R>(query: string, params?: unknown[], options?: { readonly rowMode?: 'array' | 'object' }): Promise<PgliteResults<R>>
  rollback(): Promise<void>
}
