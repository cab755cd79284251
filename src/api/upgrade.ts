import type { ResolvedConfig } from '../config/config.js'
import { withDatabase } from '../connection/with-database.js'
import { planDowngrade, planDowngradeWarning, planUpgrade } from '../revision/plan.js'
import { parseTarget } from '../revision/parse-target.js'
import { resolveRevisions } from '../revision/resolve-target.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import type { MigrationStep } from '../revision/migration-step.js'
import { renderOfflineScript } from '../runner/offline-sql.js'
import { runMigrations } from '../runner/run-migrations.js'
import type { ConfirmDataLoss } from '../runner/data-loss.js'
import { combineRunResults, hasBinds, moduleLoaderFor, runOnEveryDatabase } from './binds.js'
import { CommandError } from '../errors.js'
import { loadRevisionGraph } from './load-revisions.js'
import { assertHeadsKnown } from './read-current-heads.js'
import { silentReporter } from '../runner/reporter.js'
import { runInterrupt, splitRange, type RunOptions } from './run-options.js'
import { describeStep, type RunResult } from './step-info.js'

export interface UpgradeOptions extends RunOptions {
  /** Default is `head`. Offline (`sql: true`) also takes `start:end`. */
  readonly target?: string
}

export interface DowngradeOptions extends RunOptions {
  /** Default is `-1`. `base` reverts everything. Offline requires `start:end`, or `-1` for `head:-1`. */
  readonly target?: string
  /**
   * Asked once before the first step when the steps drop tables or columns holding rows (each
   * is also reported through `reporter.warn`). Resolving false cancels the downgrade with a
   * `CommandError` (code `DOWNGRADE_CANCELLED`) and the database unchanged. Never asked with
   * `sql: true`. Default is none: the downgrade proceeds after the warnings.
   */
  readonly confirmDataLoss?: ConfirmDataLoss
}

/**
 * Applies revisions up to the target (Flask-Migrate's `flask db upgrade`).
 *
 * @example
 * const result = await upgrade(config, { target: 'head' })
 * console.log(result.endHeads)
 */
export async function upgrade(config: ResolvedConfig, options: UpgradeOptions = {}): Promise<RunResult> {
  return moveEveryDatabase(config, options.target ?? 'head', 'up', options)
}

/**
 * Reverts revisions down to the target (Flask-Migrate's `flask db downgrade`).
 *
 * @example
 * await downgrade(config, { target: 'base' })
 */
export async function downgrade(config: ResolvedConfig, options: DowngradeOptions = {}): Promise<RunResult> {
  // Flask-Migrate turns offline `-1` (its default) into `head:-1`; Alembic alone would refuse it.
  const target = options.sql === true && (options.target ?? '-1') === '-1' ? 'head:-1' : (options.target ?? '-1')
  if (options.sql === true && !target.includes(':')) {
    throw new CommandError('downgrade with --sql requires <fromrev>:<torev>', { code: 'RANGE_REQUIRED' })
  }
  return moveEveryDatabase(config, target, 'down', options)
}

type MoveOptions = RunOptions & Pick<DowngradeOptions, 'confirmDataLoss'> & { readonly beforeCommit?: () => Promise<void> }

/** A multidb project moves the main database and every bind, all committing together. */
async function moveEveryDatabase(config: ResolvedConfig, target: string, direction: 'up' | 'down', options: MoveOptions): Promise<RunResult> {
  if (!hasBinds(config)) return move(config, target, direction, options)
  const results = await runOnEveryDatabase(config, options.reporter ?? silentReporter, (bindConfig, beforeCommit) =>
    move(bindConfig, target, direction, { ...options, beforeCommit }),
  )
  return combineRunResults(results)
}

async function move(config: ResolvedConfig, target: string, direction: 'up' | 'down', options: MoveOptions): Promise<RunResult> {
  const reporter = options.reporter ?? silentReporter
  const graph = await loadRevisionGraph(config)
  const isOffline = options.sql === true
  const { start, end } = splitRange(target, { isOffline })
  if (!isOffline) checkTarget(graph, end)
  const plan = (heads: readonly string[]): readonly MigrationStep[] => {
    assertHeadsKnown(graph, heads, config)
    if (direction === 'up') return planUpgrade(graph, heads, end)
    const warning = planDowngradeWarning(heads, end)
    if (warning !== null) reporter.warn(warning)
    return planDowngrade(graph, heads, end)
  }

  if (isOffline) {
    const startHeads = start === null || start === '' ? [] : resolveStart(graph, start)
    const steps = plan(startHeads)
    const sql = await renderOfflineScript({
      steps,
      startHeads,
      graph,
      versionTable: config.versionTable,
      versionTableSchema: config.versionTableSchema,
      loadModule: moduleLoaderFor(config),
      createVersionTable: startHeads.length === 0,
      transactionPerMigration: config.transactionPerMigration,
      context: { xArgs: config.xArgs },
    })
    return { steps: steps.map(describeStep), startHeads, endHeads: [], sql }
  }

  const lockTimeoutMs = options.lockTimeout !== undefined ? options.lockTimeout : config.lockTimeout
  return withDatabase(
    config,
    async (db, queryLog) => {
      const result = await runMigrations(db, {
        plan,
        graph,
        versionTable: config.versionTable,
        versionTableSchema: config.versionTableSchema,
        transactionPerMigration: config.transactionPerMigration,
        lockTimeoutMs,
        stepLockTimeout: { timeoutMs: config.stepLockTimeout, retries: config.stepLockRetries },
        loadModule: moduleLoaderFor(config),
        reporter,
        ...(options.beforeCommit !== undefined && { beforeCommit: options.beforeCommit }),
        context: { xArgs: config.xArgs },
        cwd: config.cwd,
        queryLog,
        ...runInterrupt(config, options),
        ...(direction === 'down' && {
          shouldWarnOfDataLoss: true,
          ...(options.confirmDataLoss !== undefined && { confirmDataLoss: options.confirmDataLoss }),
        }),
      })
      return { steps: result.steps.map(describeStep), startHeads: result.startHeads, endHeads: result.endHeads, sql: null }
    },
    // --lock-timeout also bounds the wait for another process holding an embedded database's folder.
    {
      notice: (line) => reporter.info(line),
      ...(options.lockTimeout !== undefined && options.lockTimeout !== null && { pgliteLockTimeoutMs: options.lockTimeout }),
    },
  )
}

/**
 * Fails on a target that names no revision whatever the database holds, before connecting:
 * a run creates the version table before it plans, so a typo would otherwise change the database.
 */
function checkTarget(graph: RevisionGraph, target: string): void {
  const parsed = parseTarget(target)
  if (parsed.kind === 'relative' || parsed.kind === 'current') return
  resolveRevisions(graph, parsed, [])
}

/** The start of an offline range: `base` means an empty version table. */
function resolveStart(graph: RevisionGraph, start: string): readonly string[] {
  return start === 'base' ? [] : resolveRevisions(graph, start, [])
}
