import type { CompiledQuery, Kysely } from 'kysely'
import { MigrationFailedError } from '../errors.js'
import type { MigrationStep } from '../revision/migration-step.js'
import type { MigrationContext, Revision, RevisionModule } from '../revision/revision.js'
import { describeFailedStep } from './migration-failure.js'
import { createRecordingKysely } from './recording-driver.js'

export type { MigrationContext, RevisionModule }

/** No `-x` arguments: what renders that must not depend on them get (checksums, see run-migrations.ts). */
export const NO_X_ARGS: MigrationContext = { xArgs: {} }

export type LoadRevisionModule = ((revision: Revision) => Promise<RevisionModule>) & {
  /** Readies many revisions' files at once before they load one by one (optional). */
  readonly prepare?: (revisions: readonly Revision[]) => Promise<void>
  /** Called once the loaded modules have run (optional): keeps what the next run can reuse. */
  readonly settle?: () => Promise<void>
}

/**
 * Loads every module a plan needs before any of it runs, so that a file that fails to load or a
 * revision without down() stops the command while the database is still untouched.
 */
export async function loadStepModules(
  steps: readonly MigrationStep[],
  loadModule: LoadRevisionModule,
): Promise<ReadonlyMap<string, RevisionModule>> {
  const modules = new Map<string, RevisionModule>()
  await loadModule.prepare?.(steps.map((step) => step.revision))
  for (const step of steps) {
    const module = modules.get(step.revision.id) ?? (await loadModule(step.revision))
    modules.set(step.revision.id, module)
    if (step.direction === 'down' && typeof module.down !== 'function') {
      const where = step.revision.path === '' ? '' : ` (${step.revision.path})`
      throw new MigrationFailedError(
        `revision ${step.revision.id}${where} has no down(); it cannot be downgraded`,
        describeFailedStep(step),
        [],
        undefined,
      )
    }
  }
  return modules
}

/** The function a step runs; loadStepModules has checked that down() exists for down steps. */
export function selectStepFunction(
  modules: ReadonlyMap<string, RevisionModule>,
  step: MigrationStep,
  context: MigrationContext,
): (db: Kysely<any>) => Promise<void> {
  const module = modules.get(step.revision.id)
  const fn = step.direction === 'up' ? module?.up : module?.down
  if (!module || !fn) throw new Error(`no ${step.direction}() loaded for revision ${step.revision.id}`)
  return (db) => fn.call(module, db, context)
}

/**
 * The queries each step would send, recorded offline as `--sql` does, so nothing reaches the
 * database. A step whose offline run fails (it needs rows it reads) is left out: its real run
 * is the one that reports why it fails.
 */
export async function recordStepQueries(
  steps: readonly MigrationStep[],
  modules: ReadonlyMap<string, RevisionModule>,
  context: MigrationContext,
): Promise<readonly { readonly step: MigrationStep; readonly queries: readonly CompiledQuery[] }[]> {
  const recorded = []
  for (const step of steps) {
    const queries: CompiledQuery[] = []
    const db = createRecordingKysely({ record: () => undefined, shouldRecordTransactions: false, observe: (query) => queries.push(query) })
    try {
      await selectStepFunction(modules, step, context)(db)
      recorded.push({ step, queries })
    } catch {
      // See above.
    } finally {
      await db.destroy()
    }
  }
  return recorded
}
