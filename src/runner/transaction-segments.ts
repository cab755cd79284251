import type { MigrationStep } from '../revision/migration-step.js'
import { NO_X_ARGS, recordStepQueries, type MigrationContext, type RevisionModule } from './load-step-modules.js'

/** A run of steps that commit together, or one step that must run outside any transaction. */
export interface TransactionSegment {
  readonly isTransactional: boolean
  readonly steps: readonly MigrationStep[]
}

/**
 * Where the run commits. By default the whole command is one transaction (Flask-Migrate's
 * env.py); `transactionPerMigration` commits after each step; a `transactional: false` revision
 * (e.g. CREATE INDEX CONCURRENTLY) splits the run: what is open commits first, then it runs alone.
 * A step that adds an enum value (`commitAfter`) commits with what is open, since PostgreSQL
 * lets no later statement of its transaction use the value.
 */
export function planTransactionSegments(
  steps: readonly MigrationStep[],
  options: { readonly transactionPerMigration: boolean; readonly commitAfter?: ReadonlySet<MigrationStep> },
): readonly TransactionSegment[] {
  const segments: TransactionSegment[] = []
  let open: MigrationStep[] = []
  const close = () => {
    if (open.length > 0) segments.push({ isTransactional: true, steps: open })
    open = []
  }
  for (const step of steps) {
    if (!step.revision.transactional) {
      close()
      segments.push({ isTransactional: false, steps: [step] })
    } else {
      open.push(step)
      if (options.transactionPerMigration || options.commitAfter?.has(step)) close()
    }
  }
  close()
  return segments
}

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

/** The steps that add an enum value; a step whose offline run fails keeps the plain plan. */
async function findStepsAddingEnumValues(
  steps: readonly MigrationStep[],
  modules: ReadonlyMap<string, RevisionModule>,
  context: MigrationContext,
): Promise<ReadonlySet<MigrationStep>> {
  // Running a revision's code offline costs its time and repeats its side effects, so only a file
  // whose text can send the statement is run; the statement itself decides.
  const candidates = steps.filter((step) => step.revision.source === undefined || MAY_ADD_ENUM_VALUE.test(step.revision.source))
  if (candidates.length === 0) return new Set()
  const recorded = await recordStepQueries(candidates, modules, context)
  return new Set(recorded.filter(({ queries }) => queries.some((query) => ADD_ENUM_VALUE.test(query.sql))).map(({ step }) => step))
}
