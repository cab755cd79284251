import type { CompiledQuery, DatabaseConnection, Dialect, Kysely, QueryResult } from 'kysely'
import type { CallerDatabase, KyselyInstance, PgClient, PgPool } from '../config/caller-database.js'
import type { ResolvedConfig } from '../config/config.js'
import { ConfigError, ConnectionError } from '../errors.js'
import { createPgliteDialect, createPostgresDialect, noStreaming, StatementTransactionDriver } from './pglite-dialect.js'
import { createQueryLog } from './query-log.js'
import type { DatabaseHandle } from './database-handle.js'

type KyselyModule = typeof import('kysely')

type CallerDatabaseKind = 'kysely' | 'pgPool' | 'pgClient' | 'pglite'

/** What a command may rely on about the database it runs on, whether tsdb opens it or the caller gave it. */
export interface DatabaseFacts {
  /** How errors and results name it: the redacted URL, or what the caller passed. */
  readonly label: string
  /** A server connection can be lost; an embedded database cannot. */
  readonly isServer: boolean
  /** A statement in flight can be cancelled from a second connection (a pool of a server). */
  readonly canCancelRunningQuery: boolean
}

export function describeDatabase(config: ResolvedConfig): DatabaseFacts {
  if (config.db === undefined) {
    const isServer = config.database.kind === 'postgres'
    return { label: config.database.redacted, isServer, canCancelRunningQuery: isServer }
  }
  const kind = classifyCallerDatabase(config.db)
  return {
    label: LABELS[kind],
    isServer: kind !== 'pglite',
    canCancelRunningQuery: kind === 'pgPool',
  }
}

const LABELS: { readonly [K in CallerDatabaseKind]: string } = {
  kysely: 'the Kysely instance passed as db',
  pgPool: 'the pg Pool passed as db',
  pgClient: 'the pg Client passed as db',
  pglite: 'the PGlite instance passed as db',
}

/**
 * The kind of a caller's database, told by its shape rather than `instanceof`: the app's copy of
 * Kysely, `pg` or PGlite need not be the one tsdb loads.
 */
function classifyCallerDatabase(db: CallerDatabase): CallerDatabaseKind {
  // A runtime check of a value typed as the union: the caller may not be type-checked.
  const has = (name: string) => typeof (db as unknown as Record<string, unknown>)[name] === 'function'
  if (has('withoutPlugins') && has('connection') && has('executeQuery')) return 'kysely'
  if (has('transaction') && has('query') && 'waitReady' in db) return 'pglite'
  if (has('connect') && 'totalCount' in db) return 'pgPool'
  if (has('query')) return 'pgClient'
  throw new ConfigError(
    'db must be a Kysely instance, a pg Pool or connected pg Client, or a PGlite instance; leave it out to use the config\'s database URL',
    undefined,
    { code: 'INVALID_DB' },
  )
}

/**
 * Runs tsdb on the caller's database through a Kysely instance of tsdb's own (its query log sees
 * what tsdb sends; the caller's plugins do not rewrite it). `close()` leaves the caller's open.
 */
export async function openCallerDatabase(db: CallerDatabase, options: { readonly connectTimeoutMs: number }): Promise<DatabaseHandle> {
  const kind = classifyCallerDatabase(db)
  const kysely = await import('kysely')
  const queryLog = createQueryLog()
  const dialect = createCallerDialect(kysely, db, kind)
  const own: Kysely<any> = new kysely.Kysely({ dialect, log: queryLog.logger })
  await checkAnswers(kysely, own, LABELS[kind], options.connectTimeoutMs)
  // Destroying `own` would close a PGlite or end a pool; it holds nothing of its own.
  return { db: own, queryLog, close: async () => undefined }
}

function createCallerDialect(kysely: KyselyModule, db: CallerDatabase, kind: CallerDatabaseKind): Dialect {
  switch (kind) {
    case 'pglite':
      return createPgliteDialect(kysely, db as Parameters<typeof createPgliteDialect>[1])
    case 'pgPool': {
      const pool = db as PgPool
      return createPostgresDialect(kysely, () => new PgDriver(kysely, () => pool.connect()), { isSingleConnection: false })
    }
    case 'pgClient': {
      const client = db as PgClient
      const checkout = async () => ({ query: client.query.bind(client), release: () => undefined })
      return createPostgresDialect(kysely, () => new PgDriver(kysely, checkout), { isSingleConnection: true })
    }
    case 'kysely': {
      const source = db as KyselyInstance
      if (source.isTransaction) {
        throw new ConfigError(
          'db is a Kysely transaction: tsdb begins and commits its own transactions; pass the Kysely instance instead',
          undefined,
          { code: 'INVALID_DB' },
        )
      }
      const driver = () => new BorrowedConnectionDriver(kysely, source.withoutPlugins())
      return createPostgresDialect(kysely, driver, { isSingleConnection: true })
    }
  }
}

type PgCheckout = PgClient & { release(): void }

/** Runs Kysely's queries on clients of the caller's `pg` Pool, or on the caller's one Client. */
class PgDriver extends StatementTransactionDriver {
  readonly #checkout: () => Promise<PgCheckout>
  readonly #clients = new Map<DatabaseConnection, PgCheckout>()

  constructor(kysely: KyselyModule, checkout: () => Promise<PgCheckout>) {
    super(kysely)
    this.#checkout = checkout
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const client = await this.#checkout()
    const connection: DatabaseConnection = {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        const result = await client.query<R>(query.sql, [...query.parameters])
        return {
          rows: result.rows ?? [],
          ...(ROW_COUNT_COMMANDS.has(result.command) && result.rowCount !== null && { numAffectedRows: BigInt(result.rowCount) }),
        }
      },
      streamQuery: noStreaming,
    }
    this.#clients.set(connection, client)
    return connection
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#clients.get(connection)?.release()
    this.#clients.delete(connection)
  }

  // A commit in a transaction that has failed is answered with ROLLBACK, not an error.
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const result = await this.#clients.get(connection)?.query('commit', [])
    if (result?.command === 'ROLLBACK') throw new Error('The transaction was rolled back: a statement in it had failed.')
  }
}

const ROW_COUNT_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE'])

/** Borrows a connection of the caller's Kysely through its public `connection()`, keeping its pool and limits. */
class BorrowedConnectionDriver extends StatementTransactionDriver {
  readonly #source: KyselyInstance
  readonly #releases = new Map<DatabaseConnection, () => Promise<void>>()

  constructor(kysely: KyselyModule, source: KyselyInstance) {
    super(kysely)
    this.#source = source
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return new Promise((acquired, failed) => {
      let release = (): void => undefined
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      const finished: Promise<void> = this.#source
        .connection()
        .execute(async (borrowed) => {
          const connection: DatabaseConnection = {
            executeQuery: <R>(query: CompiledQuery) => borrowed.executeQuery<R>(query),
            streamQuery: noStreaming,
          }
          this.#releases.set(connection, async () => {
            release()
            await finished
          })
          acquired(connection)
          await released
        })
      finished.catch(failed)
    })
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.#releases.get(connection)
    this.#releases.delete(connection)
    await release?.()
  }
}

/**
 * A first statement, so that a database that cannot answer fails here, as a ConnectionError,
 * before any work; bounded, because a `pg` Client that was never connected queues it forever.
 */
async function checkAnswers(kysely: KyselyModule, db: Kysely<any>, label: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs / 1000} s (is it connected? a pg Client needs \`await client.connect()\` first)`)),
      timeoutMs,
    )
  })
  try {
    await Promise.race([kysely.sql`select 1`.execute(db), timeout])
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConnectionError(`Can't run a query on ${label}: ${reason}`, label, { cause: error, code: 'DB_UNUSABLE' })
  } finally {
    clearTimeout(timer)
  }
}
