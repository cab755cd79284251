import type { ResolvedConfig } from '../config/config.js'
import { withDatabase } from '../connection/with-database.js'
import { planDowngrade, planDowngradeWarning, planUpgrade } from '../revision/plan.js'
import { parseTarget } from '../revision/parse-target.js'
import { resolveRevisions } from '../revision/resolve-target.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import type { MigrationStep } from '../revision/migration-step.js'
import { renderOfflineScript, renderOfflineStamp } from '../runner/offline-sql.js'
import { runMigrations, runStamp } from '../runner/run-migrations.js'
import { planStamp } from '../version/plan-stamp.js'
import type { ConfirmDataLoss } from '../runner/data-loss.js'
import { moduleLoaderFor, runOnEachDatabase } from './binds.js'
import { CommandError } from '../errors.js'
import { loadRevisionGraph } from './load-revisions.js'
import { assertHeadsKnown } from './read-current-heads.js'
import { silentReporter } from '../runner/reporter.js'
import { describeStep, onlineRun, splitRange, type OneRunOptions, type RunOptions, type RunResult } from './run-options.js'

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

type MoveOptions = OneRunOptions<RunOptions & Pick<DowngradeOptions, 'confirmDataLoss'>>

/** A multidb project moves the main database and every bind, all committing together. */
function moveEveryDatabase(config: ResolvedConfig, target: string, direction: 'up' | 'down', options: MoveOptions): Promise<RunResult> {
  return runOnEachDatabase(config, options, (one, beforeCommit) => move(one, target, direction, { ...options, beforeCommit }))
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
    // `base` means an empty version table.
    const startHeads = start === null || start === '' || start === 'base' ? [] : resolveRevisions(graph, start, [])
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

  const online = onlineRun(config, options)
  return withDatabase(
    config,
    async (db, queryLog) => {
      const result = await runMigrations(db, {
        ...online.runner,
        plan,
        graph,
        transactionPerMigration: config.transactionPerMigration,
        stepLockTimeout: { timeoutMs: config.stepLockTimeout, retries: config.stepLockRetries },
        loadModule: moduleLoaderFor(config),
        context: { xArgs: config.xArgs },
        cwd: config.cwd,
        queryLog,
        ...(direction === 'down' && { shouldWarnOfDataLoss: true, confirmDataLoss: options.confirmDataLoss }),
      })
      return { steps: result.steps.map(describeStep), startHeads: result.startHeads, endHeads: result.endHeads, sql: null }
    },
    online.database,
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

export interface StampOptions extends RunOptions {
  /** Default is `head`. Offline (`sql: true`) also takes `start:end`. */
  readonly target?: string
  /** Delete every row of the version table first (also rows naming unknown revisions). Default is `false`. */
  readonly purge?: boolean
}

/**
 * Sets the version table to the target without running any revision (`flask db stamp`).
 *
 * @example
 * await stamp(config, { target: 'head' })   // adopt a database created by other means
 */
export async function stamp(config: ResolvedConfig, options: StampOptions = {}): Promise<RunResult> {
  return runOnEachDatabase(config, options, (one, beforeCommit) => stampOne(one, { ...options, beforeCommit }))
}

async function stampOne(config: ResolvedConfig, options: OneRunOptions<StampOptions>): Promise<RunResult> {
  const graph = await loadRevisionGraph(config)
  const isOffline = options.sql === true
  const { start, end } = splitRange(options.target ?? 'head', { isOffline })
  const purge = options.purge === true
  if (isOffline) {
    if (purge) throw new CommandError("Can't use --purge with --sql mode", { code: 'PURGE_OFFLINE' })
    const startHeads = start === null || start === '' || start === 'base' ? [] : resolveRevisions(graph, start, [])
    const sql = await renderOfflineStamp({
      steps: planStamp(graph, startHeads, end, { purge }).steps,
      startHeads,
      versionTable: config.versionTable,
      versionTableSchema: config.versionTableSchema,
      createVersionTable: startHeads.length === 0,
    })
    return { steps: [], startHeads, endHeads: [], sql }
  }
  const online = onlineRun(config, options)
  return withDatabase(
    config,
    async (db) => {
      const result = await runStamp(db, {
        ...online.runner,
        plan: (heads) => {
          // --purge is the way out of a version table naming unknown revisions; without it, say so.
          if (!purge) assertHeadsKnown(graph, heads, config)
          return planStamp(graph, heads, end, { purge }).steps
        },
        purge,
      })
      return { steps: [], startHeads: result.startHeads, endHeads: result.endHeads, sql: null }
    },
    online.database,
  )
}
