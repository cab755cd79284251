import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely'
import { isLintRuleId, type LintRuleId } from './lint-rules.js'

/** A statement's permission to break some rules, and the reason a reviewer reads. */
export interface LintAllowance {
  readonly rules: readonly string[]
  readonly reason: string
}

/**
 * The property by which `lintAllow` finds the linter among a Kysely's plugins. A property name,
 * not a class, so that a revision file importing another copy of tsdb still reaches it.
 */
const HOOK = 'tsdbLintAllow'

type AllowHook = (queryId: QueryId, allowance: LintAllowance) => void

/**
 * Silences lint rules for the statements sent through the returned Kysely, with the reason a
 * reviewer reads in `tsdb db lint --json` and the summary. Outside `tsdb db lint` it returns `db`
 * itself, so `upgrade` sends exactly what it sends without it.
 *
 * @example
 * await lintAllow(db, 'create-index-blocks-writes', 'country has 250 rows and never grows')
 *   .schema.createIndex('ix_country_code').on('country').column('code').execute()
 */
export function lintAllow<DB>(db: Kysely<DB>, rules: LintRuleId | readonly LintRuleId[], reason: string): Kysely<DB> {
  const hook = findHook(db)
  if (hook === undefined) return db
  const allowance: LintAllowance = { rules: typeof rules === 'string' ? [rules] : [...rules], reason: reason.trim() }
  return db.withPlugin({
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      hook(args.queryId, allowance)
      return args.node
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  })
}

function findHook(db: Kysely<any>): AllowHook | undefined {
  for (const plugin of db.getExecutor().plugins) {
    const hook: unknown = (plugin as unknown as Record<string, unknown>)[HOOK]
    if (typeof hook === 'function') return hook as AllowHook
  }
  return undefined
}

/** The linter's side: a plugin `lintAllow` finds, and what it was told for each query. */
export function createAllowRecorder(): { readonly plugin: KyselyPlugin; allowanceFor(queryId: QueryId): LintAllowance | undefined } {
  const allowances = new WeakMap<QueryId, LintAllowance>()
  const hook: AllowHook = (queryId, allowance) => {
    const known = allowances.get(queryId)
    allowances.set(queryId, known === undefined ? allowance : { rules: [...known.rules, ...allowance.rules], reason: `${known.reason}; ${allowance.reason}` })
  }
  const plugin = {
    [HOOK]: hook,
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  }
  return { plugin, allowanceFor: (queryId) => allowances.get(queryId) }
}

const COMMENT_PREFIX = 'tsdb-lint allow'

/**
 * Reads `tsdb-lint allow <rule>[, <rule>…]: <reason>` out of one SQL comment's text (`/* … *\/`
 * or `-- …`, delimiters included). null when the comment is not a tsdb-lint comment; an
 * allowance with unknown rules or an empty reason is returned as it is, for the linter to report.
 */
export function parseAllowComment(comment: string): LintAllowance | null {
  const body = (comment.startsWith('/*') ? comment.slice(2, comment.endsWith('*/') ? -2 : undefined) : comment.replace(/^--/, '')).trim()
  if (!body.toLowerCase().startsWith(COMMENT_PREFIX)) return null
  const rest = body.slice(COMMENT_PREFIX.length)
  const colon = rest.indexOf(':')
  const ruleText = colon === -1 ? rest : rest.slice(0, colon)
  const reason = colon === -1 ? '' : rest.slice(colon + 1).trim()
  const rules = ruleText.split(/[\s,]+/).filter((word) => word !== '')
  return { rules, reason }
}

/** Why an allowance cannot be used, or null when it can. */
export function checkAllowance(allowance: LintAllowance): string | null {
  const unknown = allowance.rules.filter((rule) => !isLintRuleId(rule))
  if (allowance.rules.length === 0) return 'names no rule'
  if (unknown.length > 0) return `names no known rule: ${unknown.join(', ')}`
  if (allowance.reason === '') return `gives no reason for allowing ${allowance.rules.join(', ')}`
  return null
}
