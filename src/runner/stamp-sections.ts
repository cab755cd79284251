import type { StampStep } from '../revision/migration-step.js'
import { planStampStepChanges } from '../version/plan-version-changes.js'
import type { VersionChange } from '../version/version-change.js'
import { renderStampShortLog, renderStampStepShortLog } from './step-line.js'

export interface StampPlan {
  /** Alembic's stamp steps; when given, each is logged as one `stamp_revision` line. */
  readonly steps?: readonly StampStep[]
  /** Every row change in order (used as is when there are no steps). */
  readonly changes: readonly VersionChange[]
}

/** One logged move of a stamp and the rows it changes. */
export interface StampSection {
  readonly shortLog: string
  readonly changes: readonly VersionChange[]
}

/**
 * Splits a stamp into what is logged: per stamp step as Alembic logs it, or per change when the
 * plan has no steps. `heads` are the rows the steps start from.
 */
export function planStampSections(plan: StampPlan, heads: readonly string[]): readonly StampSection[] {
  if (!plan.steps) return plan.changes.map((change) => ({ shortLog: renderStampShortLog(change), changes: [change] }))
  let rows: ReadonlySet<string> = new Set(heads)
  return plan.steps.map((step) => {
    const { changes, nextHeads } = planStampStepChanges(rows, step)
    rows = nextHeads
    return { shortLog: renderStampStepShortLog(step), changes }
  })
}
