import {
  PostgresQueryCompiler,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'
import { inlineSqlParameters } from './sql-literal.js'

/**
 * Remembers the query that is in flight, so a failure can name the statement the database
 * rejected: a query whose result never came back is the one that failed.
 */
export interface StatementTracker {
  readonly plugin: KyselyPlugin
  /** The SQL (parameters inlined) of the query that was sent and has not returned, if any. */
  pendingStatement(): string | undefined
  /**
   * Whether a query since the last reset returned rows or changed some: what the code that sent
   * it saw then differs from what it sees run offline, where every query returns nothing.
   */
  sawData(): boolean
  reset(): void
}

export function createStatementTracker(): StatementTracker {
  let pending: { readonly node: RootOperationNode; readonly queryId: string } | undefined
  let sawData = false
  const compiler = new PostgresQueryCompiler()
  return {
    plugin: {
      transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
        pending = { node: args.node, queryId: args.queryId.queryId }
        return args.node
      },
      async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        if (pending?.queryId === args.queryId.queryId) pending = undefined
        const { rows, numAffectedRows } = args.result
        if (rows.length > 0 || (numAffectedRows !== undefined && numAffectedRows !== 0n)) sawData = true
        return args.result
      },
    },
    pendingStatement() {
      if (!pending) return undefined
      const compiled = compiler.compileQuery(pending.node, { queryId: pending.queryId })
      try {
        return inlineSqlParameters(compiled.sql, compiled.parameters)
      } catch {
        return compiled.sql
      }
    },
    sawData: () => sawData,
    reset() {
      pending = undefined
      sawData = false
    },
  }
}
