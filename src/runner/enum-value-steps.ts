import type { MigrationStep } from '../revision/migration-step.js'
import { NO_X_ARGS, type MigrationContext, type RevisionModule } from './load-step-modules.js'
import { recordStepQueries } from './record-step-queries.js'
import { planTransactionSegments, type TransactionSegment } from './transaction-segments.js'

/**
 * Where a run (or its `--sql` script) commits: planTransactionSegments, plus a commit after each
 * step that adds an enum value. Only a step with another after it in its transaction can need it.
 */
export async function planRunSegments(
  steps: readonly MigrationStep[],
  modules: ReadonlyMap<string, RevisionModule>,
  options: { readonly transactionPerMigration: boolean; readonly context?: MigrationContext },
): Promise<readonly TransactionSegment[]> {
  const commitAfter =
    steps.length > 1 && !options.transactionPerMigration
      ? await findStepsAddingEnumValues(steps.slice(0, -1), modules, options.context ?? NO_X_ARGS)
      : new Set<MigrationStep>()
  return planTransactionSegments(steps, { transactionPerMigration: options.transactionPerMigration, commitAfter })
}

// `ALTER TYPE <name> ADD VALUE [IF NOT EXISTS] <value>`: the statement's own first words, so a
// value or a name that reads like them cannot be mistaken for them.
const ADD_ENUM_VALUE = /^\s*alter\s+type\s+(?:"(?:[^"]|"")*"|[^\s"]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[^\s"]+))?\s+add\s+value\b/i

/** Any spelling of the two words in a file's text: raw SQL, a template, a comment. */
const MAY_ADD_ENUM_VALUE = /add\s+value/i

/**
 * The steps that add an enum value, from the queries each would send (record-step-queries.ts).
 * PostgreSQL lets no later statement of the same transaction use the value, so the run commits
 * after each of them (transaction-segments.ts). A step whose offline run fails keeps the plain plan.
 */
async function findStepsAddingEnumValues(
  steps: readonly MigrationStep[],
  modules: ReadonlyMap<string, RevisionModule>,
  context: MigrationContext,
): Promise<ReadonlySet<MigrationStep>> {
  // Running a revision's code offline costs its time and repeats its side effects, so only a file
  // whose text can send the statement is run; the statement itself decides (below).
  const candidates = steps.filter((step) => step.revision.source === undefined || MAY_ADD_ENUM_VALUE.test(step.revision.source))
  if (candidates.length === 0) return new Set()
  const recorded = await recordStepQueries(candidates, modules, context)
  return new Set(recorded.filter(({ queries }) => queries.some((query) => ADD_ENUM_VALUE.test(query.sql))).map(({ step }) => step))
}
