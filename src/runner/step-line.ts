import type { MigrationStep, StampStep } from '../revision/migration-step.js'
import { planStampStepChanges } from '../version/plan-version-changes.js'
import type { VersionChange } from '../version/version-change.js'

/**
 * Alembic's step texts. The short log (`upgrade a -> b`) heads each step of an offline script;
 * the line with the message is what a run logs, and what users already grep for.
 */
export function renderStepShortLog(step: MigrationStep): string {
  const { id, downRevisions } = step.revision
  const parents = downRevisions.join(', ')
  return step.direction === 'up' ? `upgrade ${parents} -> ${id}` : `downgrade ${id} -> ${parents}`
}

/** `Running upgrade  -> 6960ad74d5c5, users table` (from base the from-part is empty). */
export function renderStepLine(step: MigrationStep): string {
  return `Running ${renderStepShortLog(step)}, ${step.revision.message}`
}

/** Alembic's StampStep short log: `stamp_revision a, b -> m`. */
function renderStampStepShortLog(step: StampStep): string {
  return `stamp_revision ${step.from.join(', ')} -> ${step.to.join(', ')}`
}

/** One logged move of a stamp and the rows it changes. */
export interface StampSection {
  readonly shortLog: string
  readonly changes: readonly VersionChange[]
}

/** A stamp as Alembic logs it, one `stamp_revision` line per step, with the rows each changes from `heads`. */
export function planStampSections(steps: readonly StampStep[], heads: readonly string[]): readonly StampSection[] {
  let rows: ReadonlySet<string> = new Set(heads)
  return steps.map((step) => {
    const { changes, nextHeads } = planStampStepChanges(rows, step)
    rows = nextHeads
    return { shortLog: renderStampStepShortLog(step), changes }
  })
}
