import type { MigrationStep } from '../revision/migration-step.js'

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
