import type { Kysely, KyselyPlugin, LogEvent } from 'kysely'
import type { Reporter } from './reporter.js'
import type { QueryLog } from '../connection/query-log.js'
import { CommandError, RunInterruptedError, TsdbError } from '../errors.js'
import type { MigrationStep, StampStep } from '../revision/migration-step.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import type { RevisionModule } from '../revision/revision.js'
import { createPgVersionStore, versionTableName } from '../version/pg-version-store.js'
import { diffVersionRows, planVersionChanges } from '../version/plan-version-changes.js'
import type { VersionChange } from '../version/version-change.js'
import type { VersionStore } from '../version/version-store.js'
import { runWithAdvisoryLock } from './advisory-lock.js'
import { computeSourceChecksum, computeSqlChecksumOnce, hashStatements, renderSentStatements } from './revision-checksum.js'
import { checkRevisionLogTable, ensureRevisionLogTable, writeRevisionLogEntries, type RevisionLogEntry } from './revision-log.js'
import { buildInterruptedRevisionError } from './interrupted-revision.js'
import {
  clearRevisionProgress,
  createProgressRecordingKysely,
  ensureRevisionProgressTable,
  readRevisionProgress,
  type ProgressStatement,
} from './revision-progress.js'
import { createInterruptPlugin, interruptedError, watchForInterrupt, type RunInterrupt } from './run-interrupt.js'
import { queryInvalidIndexes, queryRunWarnings, renderInvalidIndexWarning } from './run-warnings.js'
import { queryDataLoss, type ConfirmDataLoss, type DataLossWarning } from './data-loss.js'
import { createStatementTracker, type StatementTracker } from './statement-tracker.js'
import { loadStepModules, NO_X_ARGS, selectStepFunction, type LoadRevisionModule, type MigrationContext } from './load-step-modules.js'
import { buildMigrationFailedError, COMMIT } from './migration-failure.js'
import { planStampSections, renderStepLine } from './step-line.js'
import { planRunSegments, type TransactionSegment } from './transaction-segments.js'
import { applyStepLockTimeout, retryOnLockTimeout, type StepLockTimeout } from './step-lock-timeout.js'

export interface RunMigrationsOptions {
  /** Called once, under the lock, with the heads read from the version table. */
  readonly plan: (currentHeads: readonly string[]) => readonly MigrationStep[]
  readonly graph: RevisionGraph
  readonly versionTable: string
  readonly versionTableSchema: string | null
  readonly transactionPerMigration: boolean
  /** null waits for the lock forever. */
  readonly lockTimeoutMs: number | null
  readonly loadModule: LoadRevisionModule
  readonly reporter: Reporter
  /** What each step's up()/down() gets after the database (the `-x` arguments). Default is none. */
  readonly context?: MigrationContext
  /** Paths in warnings are shown relative to this folder. Default is absolute paths. */
  readonly cwd?: string
  /**
   * What `db` sends; without it each step is rendered offline again for its SQL checksum. Nothing
   * else may send queries through `db` while the run lasts: they would count as the step's.
   */
  readonly queryLog?: QueryLog
  /** Ends the run as a failure when its signal aborts. Default is none. */
  readonly interrupt?: RunInterrupt
  /** Before the first step, warn of each table and column holding rows that the steps drop. Default is false. */
  readonly shouldWarnOfDataLoss?: boolean
  /** Asked after those warnings, when there are any; false cancels the run. Default is none. */
  readonly confirmDataLoss?: ConfirmDataLoss
  /** lock_timeout for each transaction, and how often one that hit it is retried. Default is none. */
  readonly stepLockTimeout?: StepLockTimeout
  /**
   * Awaited in each transaction just before its COMMIT; a rejection rolls it back. A multidb
   * command holds every database's transaction open with it until all have run. Default is none.
   */
  readonly beforeCommit?: () => Promise<void>
}

export interface RunMigrationsResult {
  readonly steps: readonly MigrationStep[]
  readonly startHeads: readonly string[]
  readonly endHeads: readonly string[]
}

/**
 * Plan, then apply: take the lock, read the heads under it, plan, load every module, run the
 * steps. Everything uses the one connection that holds the session-level lock. A transaction's
 * version rows and log rows are written just before it commits, so a run killed at any point
 * leaves the version table matching the schema; a `transactional = false` step commits statement
 * by statement, so its progress is recorded (revision-progress.ts) and the next run stops on it.
 */
export async function runMigrations(db: Kysely<any>, options: RunMigrationsOptions): Promise<RunMigrationsResult> {
  const tracker = createStatementTracker()
  const store = (trx: Kysely<any>) => createPgVersionStore(trx, versionTableName(options))
  const plugins = [tracker.plugin, ...(options.interrupt ? [createInterruptPlugin(options.interrupt.signal)] : [])]
  const result = await plugins
    .reduce((scoped, plugin) => scoped.withPlugin(plugin), db)
    .connection()
    .execute((conn) =>
      runWithAdvisoryLock(conn, lockOptions(options), async (lockKey) => {
        // Until the lock is held no statement runs long (the wait polls): the plugin's refusal suffices.
        const stopWatching = options.interrupt ? watchForInterrupt(db, lockKey, options.interrupt) : () => undefined
        try {
          // Planned from the table's own order: Alembic's relative downgrade starts at the first row.
          const startHeads = await store(conn).readHeads({ order: 'table' })
          await checkRevisionLogTable(conn, options.versionTableSchema)
          const interrupted = await readRevisionProgress(conn, options)
          if (interrupted.length > 0) throw buildInterruptedRevisionError(interrupted, options.graph, options.cwd)
          await reportRunWarnings(conn, startHeads, options)
          const steps = options.plan(startHeads)
          const modules = await loadStepModules(steps, options.loadModule)
          if (options.shouldWarnOfDataLoss === true) await warnOfDataLoss(conn, steps, modules, options)
          // tsdb's tables appear only once the plan stands and every module loaded: a run that
          // fails before its first step leaves the database exactly as it was. The version table
          // is created in the first transaction, so a run that fails there leaves none behind.
          const segments = await planRunSegments(steps, modules, options)
          if (steps.length > 0) await ensureRevisionLogTable(conn, options.versionTableSchema)
          if (segments[0]?.isTransactional === false) await store(conn).ensureTable()
          if (steps.some((step) => !step.revision.transactional)) {
            await ensureRevisionProgressTable(conn, options.versionTableSchema)
          }
          const run: RunContext = { options, modules, tracker, plugins, store, committed: [] }
          let heads: ReadonlySet<string> = new Set(startHeads)
          for (const [index, segment] of segments.entries()) {
            const start = heads
            heads = await retryOnLockTimeout(() => runSegment(conn, run, segment, start, index === 0), {
              timeout: options.stepLockTimeout,
              isTransactional: segment.isTransactional,
              reporter: options.reporter,
              ...(options.interrupt && { signal: options.interrupt.signal }),
            })
            run.committed.push(...segment.steps)
          }
          return { steps, startHeads: startHeads.toSorted(), endHeads: [...heads].sort() }
        } finally {
          stopWatching()
        }
      }),
    )
  // Once the lock and the connection are released: a first run's caching is no one else's wait.
  await options.loadModule.settle?.()
  return result
}

export interface RunStampOptions {
  /** Called under the lock with the current heads (none after a purge). */
  readonly plan: (currentHeads: readonly string[]) => readonly StampStep[]
  readonly versionTable: string
  readonly versionTableSchema: string | null
  readonly lockTimeoutMs: number | null
  /** Delete every row first, also rows naming revisions that no longer exist. Default is false. */
  readonly purge?: boolean
  readonly reporter: Reporter
  /** Ends the stamp, rolled back, when its signal aborts. Default is none. */
  readonly interrupt?: RunInterrupt
  /** As RunMigrationsOptions.beforeCommit. */
  readonly beforeCommit?: () => Promise<void>
}

export interface RunStampResult {
  readonly changes: readonly VersionChange[]
  readonly startHeads: readonly string[]
  readonly endHeads: readonly string[]
}

/**
 * Sets the version table without running any revision: under the lock, in one transaction. It
 * also forgets an interrupted `transactional = false` revision: a stamp is the user saying what
 * the database holds.
 */
export async function runStamp(db: Kysely<any>, options: RunStampOptions): Promise<RunStampResult> {
  const guarded = options.interrupt ? db.withPlugin(createInterruptPlugin(options.interrupt.signal)) : db
  return guarded.connection().execute((conn) =>
    runWithAdvisoryLock(conn, lockOptions(options), () =>
      conn.transaction().execute(async (trx) => {
        const store = createPgVersionStore(trx, versionTableName(options))
        await store.ensureTable()
        await clearRevisionProgress(trx, options)
        const startHeads = await store.readHeads()
        const purged: readonly VersionChange[] =
          options.purge === true ? startHeads.map((id) => ({ kind: 'delete', id })) : []
        await store.apply(purged)
        const heads = options.purge === true ? [] : startHeads
        const sections = planStampSections(options.plan(heads), heads)
        for (const section of sections) {
          options.reporter.info(`Running ${section.shortLog}`)
          await store.apply(section.changes)
        }
        const changes = [...purged, ...sections.flatMap((section) => section.changes)]
        const endHeads = await store.readHeads()
        await options.beforeCommit?.()
        return { changes, startHeads, endHeads }
      }),
    ),
  )
}

/** A step applied, with its version-table changes; its log row is the caller's to write. */
interface StepOutcome {
  readonly nextHeads: ReadonlySet<string>
  /** Settles once the step's checksums are computed (see nextTurn); never rejects. */
  readonly logEntry: Promise<RevisionLogEntry>
}

/** What the steps of a run share. */
interface RunContext {
  readonly options: RunMigrationsOptions
  readonly modules: ReadonlyMap<string, RevisionModule>
  readonly tracker: StatementTracker
  readonly plugins: readonly KyselyPlugin[]
  readonly store: (db: Kysely<any>) => VersionStore
  /** The steps of the segments committed so far. */
  readonly committed: MigrationStep[]
}

/**
 * What a step sent, for its SQL checksum, when that is what its offline render would record; null
 * when the step saw rows or a row count (offline its code may take another path) or sent its own
 * BEGIN/COMMIT (the render leaves those out). Then the step is rendered instead.
 */
function sentStatements(sent: readonly LogEvent[] | undefined, sawData: boolean): string[] | null {
  if (sent === undefined || sawData || !sent.every((event) => event.level === 'query' && event.isStream !== true)) {
    return null
  }
  return renderSentStatements(sent.map((event) => event.query))
}

/** The next turn of the event loop: hashing a step then overlaps the next step's first statement. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Warnings only: a failure to look must not stop a deploy. */
async function reportRunWarnings(conn: Kysely<any>, heads: readonly string[], options: RunMigrationsOptions): Promise<void> {
  let warnings: readonly string[]
  try {
    warnings = await queryRunWarnings(conn, {
      graph: options.graph,
      heads,
      versionTableSchema: options.versionTableSchema,
      loadModule: options.loadModule,
      ...(options.cwd !== undefined && { cwd: options.cwd }),
    })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    warnings = [`could not check for INVALID indexes and edited revisions: ${reason}`]
  }
  for (const warning of warnings) options.reporter.warn(warning)
}

/** Under the lock and before anything is written: the rows counted are those the steps would drop. */
async function warnOfDataLoss(
  conn: Kysely<any>,
  steps: readonly MigrationStep[],
  modules: ReadonlyMap<string, RevisionModule>,
  options: RunMigrationsOptions,
): Promise<void> {
  let warnings: readonly DataLossWarning[]
  try {
    warnings = await queryDataLoss(conn, steps, modules, options.context ?? NO_X_ARGS)
  } catch (error) {
    // Only a warning: a failure to count must not stop a deploy.
    const reason = error instanceof Error ? error.message : String(error)
    options.reporter.warn(`could not count the rows this downgrade drops: ${reason}`)
    return
  }
  for (const warning of warnings) options.reporter.warn(warning.message)
  if (warnings.length === 0 || options.confirmDataLoss === undefined) return
  if (!(await options.confirmDataLoss(warnings))) {
    throw new CommandError('Downgrade cancelled; nothing was changed.', { code: 'DOWNGRADE_CANCELLED' })
  }
}

/** Thrown inside a segment; turned into MigrationFailedError once the segment has rolled back. */
class StepFailure extends Error {
  constructor(
    readonly step: MigrationStep,
    readonly statement: string | undefined,
    override readonly cause: unknown,
    /** A `transactional = false` step's statements that may have stayed applied. */
    readonly progress: readonly ProgressStatement[] = [],
  ) {
    super('step failed', { cause })
  }
}

async function runStep(
  { options, modules, tracker, plugins, store }: RunContext,
  db: Kysely<any>,
  step: MigrationStep,
  heads: ReadonlySet<string>,
  isTransactional: boolean,
): Promise<StepOutcome> {
  const context = options.context ?? NO_X_ARGS
  const fn = selectStepFunction(modules, step, context)
  if (options.interrupt?.signal.aborted) throw new StepFailure(step, undefined, interruptedError(options.interrupt.signal))
  options.reporter.stepStarted(step, renderStepLine(step))
  const started = performance.now()
  tracker.reset()
  const sent: LogEvent[] = []
  // Outside a transaction each statement is recorded before it is sent; those records are
  // not the step's statements, so the step's SQL checksum comes from rendering it instead.
  const recording = isTransactional
    ? null
    : createProgressRecordingKysely(db, { ...options, revision: step.revision.id, direction: step.direction, plugins })
  const stopListening = recording === null ? options.queryLog?.listen((event) => sent.push(event)) : undefined
  try {
    await fn(recording?.db ?? db)
  } catch (error) {
    throw new StepFailure(step, tracker.pendingStatement(), error, recording?.recorder.statements())
  } finally {
    stopListening?.()
  }
  // With `-x` arguments the step may have sent what a later render (without them) would not:
  // its checksum is the render without them, which is what the edited-revision check compares.
  const hasXArgs = Object.keys(context.xArgs).length > 0
  const statements = hasXArgs ? null : sentStatements(stopListening === undefined ? undefined : sent, tracker.sawData())
  // A step that must be rendered is rendered now, before the next step runs any code.
  const rendered = statements === null ? await computeSqlChecksumOnce(hasXArgs ? selectStepFunction(modules, step, NO_X_ARGS) : fn) : null
  const { changes, nextHeads } = planVersionChanges(heads, step, options.graph)
  const finishedAt = performance.now()
  const logEntry = nextTurn().then(
    (): RevisionLogEntry => ({
      revision: step.revision.id,
      direction: step.direction,
      sqlChecksum: statements === null ? rendered : hashStatements(statements),
      sourceChecksum: computeSourceChecksum(step.revision),
      durationMs: finishedAt - started,
      finishedAt,
    }),
  )
  if (!isTransactional) {
    // Outside a transaction the step has committed; its rows follow at once, and together
    // (a merge or a branch point changes several). Inside one, runSegment writes them.
    // Not refused on interrupt: the step's work is done and must be recorded.
    tracker.reset()
    try {
      await db
        .withoutPlugins()
        .withPlugin(tracker.plugin)
        .transaction()
        .execute(async (trx) => {
          await store(trx).apply(changes)
          await writeRevisionLogEntries(trx, [await logEntry])
          await clearRevisionProgress(trx, options)
        })
    } catch (error) {
      if (error instanceof TsdbError) throw error
      throw new StepFailure(step, tracker.pendingStatement(), error, recording?.recorder.statements())
    }
  }
  options.reporter.stepFinished(step, performance.now() - started)
  return { nextHeads, logEntry }
}

/** `isFirst`: the run's first segment creates the version table, in its transaction when it has one. */
async function runSegment(
  conn: Kysely<any>,
  run: RunContext,
  segment: TransactionSegment,
  heads: ReadonlySet<string>,
  isFirst: boolean,
): Promise<ReadonlySet<string>> {
  const { options, store } = run
  // Kysely's ROLLBACK on a lost connection fails too, and its error replaces the step's.
  let stepFailure: StepFailure | undefined
  let hasRunSteps = false
  const runSteps = async (db: Kysely<any>) => {
    if (segment.isTransactional) await applyStepLockTimeout(db, options.stepLockTimeout)
    if (isFirst && segment.isTransactional) await store(db).ensureTable()
    let current = heads
    const entries: Promise<RevisionLogEntry>[] = []
    for (const step of segment.steps) {
      const outcome = await runStep(run, db, step, current, segment.isTransactional).catch((error: unknown) => {
        if (error instanceof StepFailure) stepFailure = error
        throw error
      })
      current = outcome.nextHeads
      entries.push(outcome.logEntry)
    }
    if (segment.isTransactional) {
      // No one sees rows before the commit, so the table changes once, from the first heads to the last.
      try {
        await store(db).apply(diffVersionRows(heads, current))
        await writeRevisionLogEntries(db, await Promise.all(entries))
      } catch (error) {
        if (error instanceof TsdbError && !(error instanceof RunInterruptedError)) throw error
        throw new StepFailure(stepAt(segment, -1), undefined, error)
      }
      await options.beforeCommit?.()
    }
    hasRunSteps = true
    return current
  }
  try {
    if (segment.isTransactional) return await conn.transaction().execute(runSteps)
    for (const step of segment.steps) {
      options.reporter.info(
        `Revision ${step.revision.id} is not transactional: what ran before it is committed, and it runs outside a transaction`,
      )
    }
    return await runSteps(conn)
  } catch (error) {
    if (!segment.isTransactional) await reportInvalidIndexes(conn, options.reporter)
    if (error instanceof TsdbError) throw error
    // Otherwise BEGIN failed, or the COMMIT itself (e.g. a deferred constraint).
    const failure =
      error instanceof StepFailure
        ? error
        : (stepFailure ?? new StepFailure(stepAt(segment, hasRunSteps ? -1 : 0), hasRunSteps ? COMMIT : undefined, error))
    // A cancelled statement's error says less than why it was cancelled.
    const cause = options.interrupt?.signal.aborted === true ? interruptedError(options.interrupt.signal) : failure.cause
    throw buildMigrationFailedError({
      step: failure.step,
      cause,
      statement: failure.statement,
      committed: run.committed,
      progress: failure.progress,
    })
  }
}

/** After a failed step outside a transaction: a CONCURRENTLY build leaves its INVALID index. */
async function reportInvalidIndexes(conn: Kysely<any>, reporter: Reporter): Promise<void> {
  // Best effort: the connection may be what failed, and the step's error is what matters.
  const indexes = await queryInvalidIndexes(conn).catch(() => [])
  for (const index of indexes) reporter.warn(renderInvalidIndexWarning(index))
}

function stepAt(segment: TransactionSegment, index: 0 | -1): MigrationStep {
  const step = segment.steps.at(index)
  if (!step) throw new Error('empty transaction segment')
  return step
}

function lockOptions(options: Pick<RunStampOptions, 'versionTable' | 'versionTableSchema' | 'lockTimeoutMs' | 'reporter'>) {
  return { ...options, onWait: (line: string) => options.reporter.info(line) }
}
