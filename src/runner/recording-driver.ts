import {
  createQueryId,
  IdentifierNode,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  RawNode,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type KyselyPlugin,
  type QueryCompiler,
  type QueryResult,
} from 'kysely'
import { inlineSqlParameters } from './sql-literal.js'

export interface RecordingDriverOptions {
  /** Receives each statement as script text: parameters inlined, ending with `;`. */
  readonly record: (statement: string) => void
  /**
   * Whether `db.transaction()` writes BEGIN/COMMIT/ROLLBACK. Off where the script itself has
   * already opened the transaction the revision runs in.
   */
  readonly shouldRecordTransactions: boolean
  /** Also receives each query as Kysely compiled it, operation node included. Default is none. */
  readonly observe?: (query: CompiledQuery) => void
}

/** Renders one compiled query as a line of an offline script. */
export function renderRecordedStatement(query: Pick<CompiledQuery, 'sql' | 'parameters'>): string {
  const text = inlineSqlParameters(query.sql, query.parameters).trim()
  return text.endsWith(';') ? text : `${text};`
}

/**
 * A Kysely driver that executes nothing: every query is recorded as script text and returns no
 * rows, so a revision's `up`/`down` can run without a database (offline `--sql`).
 */
class RecordingDriver implements Driver {
  readonly #options: RecordingDriverOptions
  readonly #connection: DatabaseConnection

  constructor(options: RecordingDriverOptions) {
    this.#options = options
    this.#connection = {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        options.observe?.(query)
        options.record(renderRecordedStatement(query))
        return { rows: [], numAffectedRows: 0n }
      },
      streamQuery: async function* <R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
        options.observe?.(query)
        options.record(renderRecordedStatement(query))
      },
    }
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}

  async beginTransaction(): Promise<void> {
    this.#recordControl('BEGIN;')
  }
  async commitTransaction(): Promise<void> {
    this.#recordControl('COMMIT;')
  }
  async rollbackTransaction(): Promise<void> {
    this.#recordControl('ROLLBACK;')
  }

  readonly savepoint = savepointCommand('savepoint')
  readonly rollbackToSavepoint = savepointCommand('rollback to')
  readonly releaseSavepoint = savepointCommand('release')

  #recordControl(statement: string): void {
    if (this.#options.shouldRecordTransactions) this.#options.record(statement)
  }
}

/** The name goes through an IdentifierNode, so it is quoted the way Kysely quotes names. */
function savepointCommand(command: 'savepoint' | 'rollback to' | 'release') {
  return async (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> => {
    const node = RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)])
    await connection.executeQuery(compile(node, createQueryId()))
  }
}

/** A PostgreSQL-flavoured Kysely whose queries go to `options.record` instead of a server. */
export function createRecordingKysely(options: RecordingDriverOptions): Kysely<any> {
  return createDriverKysely(new RecordingDriver(options))
}

/** A PostgreSQL-flavoured Kysely on `driver`. */
export function createDriverKysely(driver: Driver, plugins: readonly KyselyPlugin[] = []): Kysely<any> {
  return new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    plugins: [...plugins],
  })
}
