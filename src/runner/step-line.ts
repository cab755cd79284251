import type { MigrationStep, StampStep } from '../revision/migration-step.js'

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
export function renderStampStepShortLog(step: StampStep): string {
  return `stamp_revision ${step.from.join(', ')} -> ${step.to.join(', ')}`
}
