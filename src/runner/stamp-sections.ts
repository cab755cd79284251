import type { StampStep } from '../revision/migration-step.js'
import { planStampStepChanges } from '../version/plan-version-changes.js'
import type { VersionChange } from '../version/version-change.js'
import { renderStampStepShortLog } from './step-line.js'

/** One logged move of a stamp and the rows it changes. */
export interface StampSection {
  readonly shortLog: string
  readonly changes: readonly VersionChange[]
}

/**
 * Splits a stamp into what is logged: one `stamp_revision` line per stamp step, as Alembic logs
 * it, with the rows it changes. `heads` are the rows the steps start from.
 */
export function planStampSections(steps: readonly StampStep[], heads: readonly string[]): readonly StampSection[] {
  let rows: ReadonlySet<string> = new Set(heads)
  return steps.map((step) => {
    const { changes, nextHeads } = planStampStepChanges(rows, step)
    rows = nextHeads
    return { shortLog: renderStampStepShortLog(step), changes }
  })
}
