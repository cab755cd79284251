import type { PGlite } from '@electric-sql/pglite'
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryResult,
  TransactionSettings,
} from 'kysely'

type KyselyModule = typeof import('kysely')

/**
 * The Kysely dialect for PGlite. Kysely 0.29 ships one; Kysely 0.28, which tsdb also supports as
 * the app's Kysely, does not, so there tsdb uses the small one below, built only from Kysely's
 * public Postgres pieces.
 */
export function createPgliteDialect(kysely: KyselyModule, pglite: PGlite): Dialect {
  const shipped = (kysely as Partial<{ PGliteDialect: new (config: { pglite: PGlite }) => Dialect }>).PGliteDialect
  if (typeof shipped === 'function') return new shipped({ pglite })
  return {
    createAdapter: () => createAdapter(kysely),
    createDriver: () => new SingleConnectionDriver(kysely, pglite),
    createIntrospector: (db: Kysely<any>) => new kysely.PostgresIntrospector(db),
    createQueryCompiler: () => new kysely.PostgresQueryCompiler(),
  }
}

function createAdapter(kysely: KyselyModule): DialectAdapter {
  class PgliteAdapter extends kysely.PostgresAdapter {
    override get supportsMultipleConnections(): boolean {
      return false
    }
    // One connection, held by whoever runs the migration: there is nobody to lock out.
    override async acquireMigrationLock(): Promise<void> {}
    override async releaseMigrationLock(): Promise<void> {}
  }
  return new PgliteAdapter()
}

/**
 * PGlite is one session: every query runs on it, and between `start transaction` and its end
 * every query is part of the transaction, as with the dialect Kysely 0.29 ships.
 */
class SingleConnectionDriver implements Driver {
  readonly #kysely: KyselyModule
  readonly #pglite: PGlite
  readonly #connection: DatabaseConnection

  constructor(kysely: KyselyModule, pglite: PGlite) {
    this.#kysely = kysely
    this.#pglite = pglite
    this.#connection = {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const result = await pglite.query<R>(query.sql, [...query.parameters], { rowMode: 'object' })
        return {
          rows: result.rows ?? [],
          ...(result.affectedRows !== undefined && result.affectedRows !== null && { numAffectedRows: BigInt(result.affectedRows) }),
        }
      },
      // eslint-disable-next-line require-yield -- PGlite has no cursors to stream from.
      streamQuery: async function* <R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('Streaming is not supported by PGlite.')
      },
    }
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const parts = ['start transaction']
    if (settings.isolationLevel !== undefined) parts.push(`isolation level ${settings.isolationLevel}`)
    if (settings.accessMode !== undefined) parts.push(settings.accessMode)
    await connection.executeQuery(this.#kysely.CompiledQuery.raw(parts.join(' ')))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(this.#kysely.CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(this.#kysely.CompiledQuery.raw('rollback'))
  }

  async destroy(): Promise<void> {
    if (!this.#pglite.closed) await this.#pglite.close()
  }
}
