import type { MigrationStep, StampStep } from '../revision/migration-step.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import { planVersionChanges } from '../version/plan-version-changes.js'
import { loadStepModules, NO_X_ARGS, selectStepFunction, type LoadRevisionModule, type MigrationContext } from './load-step-modules.js'
import { buildMigrationFailedError } from './migration-failure.js'
import { createRecordingKysely } from './recording-driver.js'
import { planStampSections, renderStepShortLog } from './step-line.js'
import { planRunSegments } from './transaction-segments.js'
import { versionTableName } from '../version/pg-version-store.js'
import { renderCreateVersionTable, renderVersionChange } from './version-table-sql.js'

export interface OfflineScriptOptions {
  readonly steps: readonly MigrationStep[]
  /** The heads the script assumes the database is at (the start of `start:end`). */
  readonly startHeads: readonly string[]
  readonly graph: RevisionGraph
  readonly versionTable: string
  readonly versionTableSchema: string | null
  readonly loadModule: LoadRevisionModule
  /** What each step's up()/down() gets after the database (the `-x` arguments). Default is none. */
  readonly context?: MigrationContext
  /** Start with the version table's CREATE TABLE (the script starts from base). */
  readonly createVersionTable: boolean
  readonly transactionPerMigration: boolean
}

/**
 * The SQL a run would execute, as a script for psql (Alembic's offline mode): each revision's
 * up/down runs against a Kysely whose driver records statements instead of executing them, so
 * queries that read data get no rows.
 */
export async function renderOfflineScript(options: OfflineScriptOptions): Promise<string> {
  const chunks: string[] = []
  const record = (text: string) => chunks.push(text)
  // Inside the script's own BEGIN a revision's transaction adds nothing; outside one it must be written.
  const inScriptTransaction = createRecordingKysely({ record, shouldRecordTransactions: false })
  const outsideTransaction = createRecordingKysely({ record, shouldRecordTransactions: true })
  const name = versionTableName(options)
  const modules = await loadStepModules(options.steps, options.loadModule)
  // The script commits where the run would, after a step that adds an enum value too.
  const segments = await planRunSegments(options.steps, modules, options)
  // Alembic still writes an empty transaction when there is nothing to do.
  if (segments.length === 0 && !options.transactionPerMigration) return 'BEGIN;\n\nCOMMIT;\n'

  let heads: ReadonlySet<string> = new Set(options.startHeads)
  let shouldCreateTable = options.createVersionTable
  for (const segment of segments) {
    if (segment.isTransactional) record('BEGIN;')
    if (shouldCreateTable) {
      record(renderCreateVersionTable(name))
      shouldCreateTable = false
    }
    for (const step of segment.steps) {
      record(`-- Running ${renderStepShortLog(step)}`)
      const fn = selectStepFunction(modules, step, options.context ?? NO_X_ARGS)
      try {
        await (segment.isTransactional
          ? inScriptTransaction.transaction().execute((trx) => fn(trx))
          : fn(outsideTransaction))
      } catch (error) {
        throw buildMigrationFailedError({ step, cause: error, statement: undefined, committed: [] })
      }
      const { changes, nextHeads } = planVersionChanges(heads, step, options.graph)
      for (const change of changes) record(renderVersionChange(change, name))
      heads = nextHeads
    }
    if (segment.isTransactional) record('COMMIT;')
  }
  await Promise.all([inScriptTransaction.destroy(), outsideTransaction.destroy(), options.loadModule.settle?.()])
  return `${chunks.join('\n\n')}\n`
}

export interface OfflineStampOptions {
  readonly steps: readonly StampStep[]
  readonly startHeads: readonly string[]
  readonly versionTable: string
  readonly versionTableSchema: string | null
  readonly createVersionTable: boolean
}

/** `stamp --sql`: the version-table statements only, in one transaction. */
export function renderOfflineStamp(options: OfflineStampOptions): string {
  const name = versionTableName(options)
  const sections = planStampSections(options.steps, options.startHeads)
  const chunks = ['BEGIN;']
  if (options.createVersionTable && sections.length > 0) chunks.push(renderCreateVersionTable(name))
  for (const section of sections) {
    chunks.push(`-- Running ${section.shortLog}`, ...section.changes.map((change) => renderVersionChange(change, name)))
  }
  chunks.push('COMMIT;')
  return `${chunks.join('\n\n')}\n`
}
