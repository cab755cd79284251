import type { CompiledQuery } from 'kysely'
import type { MigrationStep } from '../revision/migration-step.js'
import type { RevisionModule } from './load-step-modules.js'
import { selectStepFunction } from './load-step-modules.js'
import { createRecordingKysely } from './recording-driver.js'

// `ALTER TYPE <name> ADD VALUE [IF NOT EXISTS] <value>`: the statement's own first words, so a
// value or a name that reads like them cannot be mistaken for them.
const ADD_ENUM_VALUE = /^\s*alter\s+type\s+(?:"(?:[^"]|"")*"|[^\s"]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[^\s"]+))?\s+add\s+value\b/i

/**
 * The steps that add an enum value, learned by running each against a recording Kysely (as
 * `--sql` does), so nothing reaches the database. PostgreSQL lets no later statement of the
 * same transaction use the value, so the run commits after each of them (transaction-segments.ts).
 * A step whose offline render fails (it reads rows) is left out: it keeps the plain plan.
 */
export async function findStepsAddingEnumValues(
  steps: readonly MigrationStep[],
  modules: ReadonlyMap<string, RevisionModule>,
): Promise<ReadonlySet<MigrationStep>> {
  const found = new Set<MigrationStep>()
  for (const step of steps) {
    let addsValue = false
    const observe = (query: CompiledQuery) => {
      if (ADD_ENUM_VALUE.test(query.sql)) addsValue = true
    }
    const db = createRecordingKysely({ record: () => undefined, shouldRecordTransactions: false, observe })
    try {
      await selectStepFunction(modules, step)(db)
      if (addsValue) found.add(step)
    } catch {
      // See above: nothing is known about this step.
    } finally {
      await db.destroy()
    }
  }
  return found
}
