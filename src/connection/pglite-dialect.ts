import type { PgliteInstance } from '../config/caller-database.js'
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
 * The Kysely dialect for PGlite: Kysely 0.29's, or on Kysely 0.28 (which tsdb also supports as
 * the app's Kysely) the small one below, built only from Kysely's public Postgres pieces.
 */
export function createPgliteDialect(kysely: KyselyModule, pglite: PgliteInstance): Dialect {
  const shipped = (kysely as Partial<{ PGliteDialect: new (config: { pglite: PgliteInstance }) => Dialect }>).PGliteDialect
  if (typeof shipped === 'function') return new shipped({ pglite })
  return createPostgresDialect(kysely, () => new SingleConnectionDriver(kysely, pglite), { isSingleConnection: true })
}

/**
 * Kysely's Postgres adapter, compiler and introspector around `driver`. On one connection (PGlite,
 * a `pg` Client, a borrowed Kysely connection) Kysely hands it to one user at a time.
 */
export function createPostgresDialect(
  kysely: KyselyModule,
  createDriver: () => Driver,
  options: { readonly isSingleConnection: boolean },
): Dialect {
  return {
    createAdapter: () => (options.isSingleConnection ? createSingleConnectionAdapter(kysely) : new kysely.PostgresAdapter()),
    createDriver,
    createIntrospector: (db: Kysely<any>) => new kysely.PostgresIntrospector(db),
    createQueryCompiler: () => new kysely.PostgresQueryCompiler(),
  }
}

function createSingleConnectionAdapter(kysely: KyselyModule): DialectAdapter {
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

/** For a DatabaseConnection: tsdb reads no result as a stream. */
// eslint-disable-next-line require-yield -- it throws before yielding anything.
export async function* noStreaming<R>(): AsyncIterableIterator<QueryResult<R>> {
  throw new Error('tsdb does not stream query results.')
}

/**
 * A driver whose connection is one session, where a transaction is the statements between
 * `start transaction` and its end.
 */
export abstract class StatementTransactionDriver implements Driver {
  readonly #kysely: KyselyModule

  constructor(kysely: KyselyModule) {
    this.#kysely = kysely
  }

  async init(): Promise<void> {}
  abstract acquireConnection(): Promise<DatabaseConnection>
  abstract releaseConnection(connection: DatabaseConnection): Promise<void>
  async destroy(): Promise<void> {}

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
}

/**
 * PGlite is one session: every query runs on it, and between `start transaction` and its end
 * every query is part of the transaction, as with the dialect Kysely 0.29 ships.
 */
class SingleConnectionDriver extends StatementTransactionDriver {
  readonly #pglite: PgliteInstance
  readonly #connection: DatabaseConnection

  constructor(kysely: KyselyModule, pglite: PgliteInstance) {
    super(kysely)
    this.#pglite = pglite
    this.#connection = {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        const result = await pglite.query<R>(query.sql, [...query.parameters], { rowMode: 'object' })
        return {
          rows: result.rows ?? [],
          ...(result.affectedRows !== undefined && result.affectedRows !== null && { numAffectedRows: BigInt(result.affectedRows) }),
        }
      },
      streamQuery: noStreaming,
    }
  }

  override async init(): Promise<void> {
    await this.#pglite.waitReady
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection
  }

  async releaseConnection(): Promise<void> {}

  override async destroy(): Promise<void> {
    if (!this.#pglite.closed) await this.#pglite.close()
  }
}
