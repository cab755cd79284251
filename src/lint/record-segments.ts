import { relative } from 'node:path'
import type { CompiledQuery } from 'kysely'
import type { MigrationStep } from '../revision/migration-step.js'
import { loadStepModules, selectStepFunction, type LoadRevisionModule, type MigrationContext } from '../runner/load-step-modules.js'
import { CommandError } from '../errors.js'
import { createRecordingKysely } from '../runner/recording-driver.js'
import type { RecordedSegment, RecordedStatement } from './analyze-segments.js'
import { createAllowRecorder, type LintAllowance } from './lint-allow.js'

/** Steps that commit together, as `upgrade` would run them. */
export interface StepSegment {
  readonly isTransactional: boolean
  readonly isLinted: boolean
  readonly steps: readonly MigrationStep[]
}

/**
 * Runs each step's `up()` against the recording executor (as `upgrade --sql` does): nothing is
 * executed, every statement is kept with the revision that sent it and what `lintAllow` said
 * about it; revisions receive the command's `-x` arguments, as under `upgrade --sql`. Inside a transaction BEGIN/COMMIT are the runner's, not the revision's, and are left
 * out; a `transactional = false` revision's own transactions are kept.
 */
export async function recordSegments(
  segments: readonly StepSegment[],
  options: { readonly loadModule: LoadRevisionModule; readonly cwd: string; readonly context: MigrationContext },
): Promise<RecordedSegment[]> {
  const allow = createAllowRecorder()
  let sink: RecordedStatement[] = []
  let current: { revision: string; path: string } = { revision: '', path: '' }
  let pending: LintAllowance | undefined
  const record = (sql: string) => {
    sink.push({ ...current, sql, ...(pending !== undefined && { allowance: pending }) })
    pending = undefined
  }
  const observe = (query: CompiledQuery) => {
    pending = allow.allowanceFor(query.queryId)
  }
  const inTransaction = createRecordingKysely({ record, observe, shouldRecordTransactions: false }).withPlugin(allow.plugin)
  const outside = createRecordingKysely({ record, observe, shouldRecordTransactions: true }).withPlugin(allow.plugin)
  const modules = await loadStepModules(
    segments.flatMap((segment) => segment.steps),
    options.loadModule,
  )
  const recorded: RecordedSegment[] = []
  try {
    for (const segment of segments) {
      sink = []
      for (const step of segment.steps) {
        current = { revision: step.revision.id, path: step.revision.path === '' ? '' : relative(options.cwd, step.revision.path) }
        const fn = selectStepFunction(modules, step, options.context)
        try {
          await (segment.isTransactional ? inTransaction.transaction().execute((trx) => fn(trx)) : fn(outside))
        } catch (error) {
          const where = step.revision.path === '' ? `revision ${step.revision.id}` : relative(options.cwd, step.revision.path)
          const reason = error instanceof Error ? error.message : String(error)
          throw new CommandError(
            `Could not lint ${where}: its up() failed on the recording executor (${reason}). lint runs up() without a ` +
              'database, as upgrade --sql does, so a revision whose code needs the rows a query returns cannot be linted; fix the error, or lint a range without it',
            { cause: error, code: 'LINT_RECORD_FAILED' },
          )
        }
      }
      recorded.push({ isTransactional: segment.isTransactional, isLinted: segment.isLinted, statements: sink })
    }
  } finally {
    await Promise.all([inTransaction.destroy(), outside.destroy(), options.loadModule.settle?.()])
  }
  return recorded
}
