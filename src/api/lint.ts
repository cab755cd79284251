import type { ResolvedConfig } from '../config/config.js'
import { ConfigError } from '../errors.js'
import { analyzeSegments, type LintFinding, type LintedStatement } from '../lint/analyze-segments.js'
import { isLintRuleId, LINT_RULE_IDS } from '../lint/lint-rules.js'
import { loadSqlParser } from '../lint/parse-sql.js'
import { recordSegments, type StepSegment } from '../lint/record-segments.js'
import { queryTableSizes, type TableSize } from '../lint/table-sizes.js'
import type { MigrationStep } from '../revision/migration-step.js'
import { planUpgrade } from '../revision/plan.js'
import { resolveRevisions } from '../revision/resolve-target.js'
import type { Reporter } from '../runner/reporter.js'
import { silentReporter } from '../runner/reporter.js'
import { planTransactionSegments } from '../runner/transaction-segments.js'
import { loadRevisionModule } from '../script/script-directory.js'
import { loadRevisionGraph } from './load-revisions.js'

export type { LintFinding, LintedStatement } from '../lint/analyze-segments.js'
export type { TableSize } from '../lint/table-sizes.js'

export interface LintOptions {
  /**
   * Which revisions. Default is every revision, each checked as the upgrade that applies it
   * alone. `<rev>` checks that revision alone; `<start>:<end>` checks the steps of one
   * `upgrade` from `start` to `end`, in the transactions that upgrade would commit.
   */
  readonly range?: string
  /** Read the size of the tables with findings from the configured PostgreSQL server. Default is true. */
  readonly readTableSizes?: boolean
  readonly reporter?: Reporter
}

export interface LintResult {
  /** Sorted by revision order, then statement order. */
  readonly findings: readonly LintFinding[]
  readonly statements: readonly LintedStatement[]
  /** How many revisions were checked. */
  readonly revisions: number
  /** Live sizes of the tables with findings, when a PostgreSQL server was reachable. */
  readonly tables: readonly TableSize[]
}

/**
 * Analyses the SQL that revisions send (`tsdb db lint`), with PostgreSQL's own parser: the lock
 * each statement takes, table rewrites, scans under lock, non-concurrent index builds, slow work
 * under a strong lock, missing lock_timeout. Nothing is executed.
 *
 * @example
 * const { findings } = await lint(config, { range: 'ae1027a6acf:head' })
 * const errors = findings.filter((f) => f.level === 'error' && f.allowed === undefined)
 */
export async function lint(config: ResolvedConfig, options: LintOptions = {}): Promise<LintResult> {
  const reporter = options.reporter ?? silentReporter
  for (const rule of Object.keys(config.lint.allow)) {
    if (!isLintRuleId(rule)) {
      throw new ConfigError(`lint.allow: unknown rule '${rule}' (known rules: ${LINT_RULE_IDS.join(', ')})`, config.configPath ?? undefined, {
        code: 'CONFIG_INVALID',
      })
    }
  }
  const graph = await loadRevisionGraph(config)
  const segments = planLintSegments(graph, options.range, config)
  const [parse, recorded] = await Promise.all([
    loadSqlParser(),
    recordSegments(segments, { loadModule: loadRevisionModule, cwd: config.cwd, context: { xArgs: config.xArgs } }),
  ])
  const analysis = analyzeSegments(recorded, { parse, stepLockTimeoutMs: config.stepLockTimeout, allow: config.lint.allow })
  const revisions = new Set(segments.filter((s) => s.isLinted).flatMap((s) => s.steps.map((step) => step.revision.id))).size
  const tables =
    options.readTableSizes === false || analysis.findings.length === 0
      ? []
      : await queryTableSizes(config, [...new Set(analysis.findings.flatMap((f) => f.locks.map((l) => l.table)))], reporter)
  return { findings: analysis.findings, statements: analysis.statements, revisions, tables }
}

function planLintSegments(graph: Parameters<typeof planUpgrade>[0], range: string | undefined, config: ResolvedConfig): StepSegment[] {
  const alone = (steps: readonly MigrationStep[], isLinted: boolean): StepSegment[] =>
    steps.map((step) => ({ isTransactional: step.revision.transactional, isLinted, steps: [step] }))
  if (range === undefined || range === '') return alone(planUpgrade(graph, [], 'heads'), true)
  const colon = range.indexOf(':')
  if (colon === -1) {
    // One revision: what its ancestors built, then it alone.
    const steps = planUpgrade(graph, [], resolveRevisions(graph, range, []))
    return [...alone(steps.slice(0, -1), false), ...alone(steps.slice(-1), true)]
  }
  const start = range.slice(0, colon)
  const end = range.slice(colon + 1) || 'heads'
  const startHeads = start === '' || start === 'base' ? [] : resolveRevisions(graph, start, [])
  const before = planUpgrade(graph, [], startHeads)
  const steps = planUpgrade(graph, startHeads, end)
  return [
    ...alone(before, false),
    ...planTransactionSegments(steps, config).map((segment) => ({ ...segment, isLinted: true })),
  ]
}
