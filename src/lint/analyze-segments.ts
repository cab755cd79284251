import { describeStatement, type StatementEffect, type StatementIssue } from './describe-statement.js'
import { checkAllowance, parseAllowComment, type LintAllowance } from './lint-allow.js'
import { LINT_RULES, type LintLevel, type LintRuleId } from './lint-rules.js'
import { blocksReads, blocksWrites, describeLockEffect, lockRank, type TableLock } from './lock-modes.js'
import type { SqlParser } from './parse-sql.js'
import { SchemaFacts } from './schema-facts.js'

/** One text a revision sent, as the recording executor received it. */
export interface RecordedStatement {
  readonly revision: string
  /** The revision file, as shown to the user. */
  readonly path: string
  readonly sql: string
  /** From `lintAllow(db, …)`. */
  readonly allowance?: LintAllowance
}

/** Statements that commit together, as `upgrade` would run them; or one `transactional = false` revision. */
export interface RecordedSegment {
  readonly isTransactional: boolean
  /** False for revisions before the range: read for what they build, not reported on. */
  readonly isLinted: boolean
  readonly statements: readonly RecordedStatement[]
}

export interface LintFinding {
  readonly rule: LintRuleId
  readonly level: LintLevel
  readonly revision: string
  readonly path: string
  readonly statement: string
  /** The locks the statement takes, strongest first. */
  readonly locks: readonly TableLock[]
  /** Why this statement is risky. */
  readonly message: string
  /** The safe way to the same change. */
  readonly safe: string
  /** Set when a `tsdb-lint allow` comment, `lintAllow` or the config's `lint.allow` silences it. */
  readonly allowed?: { readonly reason: string; readonly by: 'statement' | 'config' }
}

/** Each statement of the range with the locks it takes: the facts behind the findings. */
export interface LintedStatement {
  readonly revision: string
  readonly statement: string
  readonly locks: readonly TableLock[]
}

export interface AnalyzeOptions {
  readonly parse: SqlParser
  /** The lock_timeout `upgrade` sets in each transaction; 0 sets none. */
  readonly stepLockTimeoutMs: number
  /** The config's `lint.allow`: rule -> reason. */
  readonly allow: Readonly<Record<string, string>>
}

export interface SegmentAnalysis {
  readonly findings: readonly LintFinding[]
  readonly statements: readonly LintedStatement[]
}

interface HeldLock extends TableLock {
  readonly statement: string
}

/**
 * Walks the statements in the order `upgrade` sends them, keeping what the earlier ones built
 * (so a type change knows the column's type) and what the open transaction holds (so slow work
 * under a strong lock, or a VALIDATE next to its ADD, is seen).
 */
export function analyzeSegments(segments: readonly RecordedSegment[], options: AnalyzeOptions): SegmentAnalysis {
  const facts = new SchemaFacts()
  const findings: LintFinding[] = []
  const statements: LintedStatement[] = []
  for (const segment of segments) {
    // Tables created in this transaction: no other session sees them before it commits.
    let created = new Set<string>()
    let held: HeldLock[] = []
    let addedNotValid = new Set<string>()
    let hasLockTimeout = segment.isTransactional && options.stepLockTimeoutMs > 0
    let isInTransaction = segment.isTransactional
    let hasReportedTimeout = false
    let revision = ''
    for (const recorded of segment.statements) {
      if (!segment.isTransactional && recorded.revision !== revision) {
        // Each `transactional = false` revision starts a session state of its own.
        hasLockTimeout = false
        hasReportedTimeout = false
      }
      revision = recorded.revision
      const parsed = options.parse(recorded.sql)
      const report = (statement: string, locks: readonly TableLock[], issue: StatementIssue, allowance: LintAllowance | undefined) => {
        if (segment.isLinted) findings.push(buildFinding(recorded, statement, locks, issue, allowance, options.allow))
      }
      if (parsed.kind === 'error') {
        report(recorded.sql, [], { rule: 'syntax-error', message: `PostgreSQL's parser rejects it: ${parsed.message}` }, recorded.allowance)
        continue
      }
      for (const statement of parsed.statements) {
        const fromComments = statement.comments.map(parseAllowComment).filter((a): a is LintAllowance => a !== null)
        const allowances = [...(recorded.allowance ? [recorded.allowance] : []), ...fromComments]
        const allowance = mergeAllowances(allowances)
        const effect = describeStatement(statement.node, { facts, isNew: (table) => created.has(table) })
        const locks = [...effect.locks].sort((a, b) => lockRank(b.mode) - lockRank(a.mode) || a.table.localeCompare(b.table))
        const issues: StatementIssue[] = [...effect.issues]
        for (const given of allowances) {
          const problem = checkAllowance(given)
          if (problem !== null) issues.push({ rule: 'lint-allow-invalid', message: `the tsdb-lint allow ${problem}, so it silences nothing` })
        }
        if (effect.isConcurrent && isInTransaction) {
          issues.push({
            rule: 'concurrently-in-transaction',
            message: 'PostgreSQL refuses CONCURRENTLY inside a transaction block, and this revision runs inside one: upgrade fails here',
          })
        }
        issues.push(...transactionIssues(effect, { held, addedNotValid, created, isInTransaction }))
        const strongOnExisting = locks.filter((lock) => blocksWrites(lock.mode) && !created.has(lock.table))
        if (strongOnExisting.length > 0 && !hasLockTimeout && !hasReportedTimeout) {
          hasReportedTimeout = true
          issues.push({
            rule: 'missing-lock-timeout',
            message: `takes ${renderLocks(strongOnExisting)} with no lock_timeout: while it waits for a running query, every new query on ${strongOnExisting.map((l) => l.table).join(', ')} queues behind it`,
          })
        }
        if (issues.length === 0 && strongOnExisting.length > 0) {
          issues.push({ rule: 'strong-lock', message: `takes ${renderLocks(strongOnExisting)} briefly (no scan, no rewrite)` })
        }
        for (const issue of issues) report(statement.text, locks, issue, allowance)
        if (segment.isLinted) statements.push({ revision: recorded.revision, statement: statement.text, locks })

        for (const table of effect.creates) created.add(table)
        for (const name of effect.addsNotValid) addedNotValid.add(name)
        if (effect.setsLockTimeout) hasLockTimeout = true
        if (effect.transactionControl === 'begin') isInTransaction = true
        if (effect.transactionControl === 'end' && !segment.isTransactional) {
          isInTransaction = false
          held = []
          created = new Set()
          addedNotValid = new Set()
        }
        // Outside a transaction each statement commits on its own, and its locks go with it.
        if (isInTransaction) held = [...held, ...strongOnExisting.map((lock) => ({ ...lock, statement: statement.text }))]
      }
    }
  }
  return { findings, statements }
}

function transactionIssues(
  effect: StatementEffect,
  state: { held: readonly HeldLock[]; addedNotValid: ReadonlySet<string>; created: ReadonlySet<string>; isInTransaction: boolean },
): StatementIssue[] {
  if (!state.isInTransaction) return []
  const sameTransaction = effect.validates.filter((name) => state.addedNotValid.has(name))
  if (sameTransaction.length > 0) {
    return [
      {
        rule: 'validate-in-add-transaction',
        message: `validates ${sameTransaction.join(', ')} in the transaction that added it, which still holds the ADD's lock: the NOT VALID gains nothing, every row is checked under that lock`,
      },
    ]
  }
  if (effect.slowWork === null) return []
  // A held lock no stronger than the statement's own on that table adds nothing to its finding.
  const own = (table: string) => effect.locks.find((lock) => lock.table === table)
  const holding = state.held.filter((lock) => !state.created.has(lock.table) && lockRank(own(lock.table)?.mode ?? 'ACCESS SHARE') < lockRank(lock.mode))
  if (holding.length === 0) return []
  const first = holding[0]!
  return [
    {
      rule: 'lock-held-during-slow-work',
      message: `${effect.slowWork} while the transaction still holds ${renderLocks(holding)} (taken by: ${first.statement}): that lock ${describeLockEffect(first.mode)} on ${first.table} until the slow work ends and the transaction commits`,
    },
  ]
}

function renderLocks(locks: readonly TableLock[]): string {
  const byTable = new Map<string, TableLock>()
  for (const lock of locks) {
    const known = byTable.get(lock.table)
    if (known === undefined || blocksReads(lock.mode)) byTable.set(lock.table, lock)
  }
  return [...byTable.values()].map((lock) => `${lock.mode} on ${lock.table}`).join(', ')
}

function mergeAllowances(allowances: readonly LintAllowance[]): LintAllowance | undefined {
  const usable = allowances.filter((allowance) => checkAllowance(allowance) === null)
  if (usable.length === 0) return undefined
  return { rules: usable.flatMap((a) => a.rules), reason: usable.map((a) => a.reason).join('; ') }
}

function buildFinding(
  recorded: RecordedStatement,
  statement: string,
  locks: readonly TableLock[],
  issue: StatementIssue,
  allowance: LintAllowance | undefined,
  allowByConfig: Readonly<Record<string, string>>,
): LintFinding {
  const rule = LINT_RULES[issue.rule]
  const byStatement = allowance?.rules.includes(issue.rule) === true ? allowance.reason : undefined
  const byConfig = allowByConfig[issue.rule]
  return {
    rule: issue.rule,
    level: rule.level,
    revision: recorded.revision,
    path: recorded.path,
    statement,
    locks,
    message: issue.message,
    safe: rule.safe,
    ...(byStatement !== undefined
      ? { allowed: { reason: byStatement, by: 'statement' as const } }
      : byConfig !== undefined && { allowed: { reason: byConfig, by: 'config' as const } }),
  }
}
