import type { CompiledQuery } from 'kysely'
import type { MigrationStep } from '../revision/migration-step.js'
import { selectStepFunction, type MigrationContext, type RevisionModule } from './load-step-modules.js'
import { createRecordingKysely } from './recording-driver.js'

/**
 * The queries each step would send, learned by running it against a recording Kysely (as `--sql`
 * does), so nothing reaches the database. A step whose offline run fails (it needs rows it reads)
 * is left out: nothing is known about it, and its real run is the one that reports why it fails.
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
