import type { Revision } from './revision.js'

/**
 * One step of a plan. An upgrade step applies `revision`; a downgrade step reverts it.
 * The runner asks `planVersionChanges` what each step does to the version table.
 */
export interface MigrationStep {
  readonly direction: 'up' | 'down'
  readonly revision: Revision
}

/**
 * One move of `stamp` (Alembic's `StampStep`): the version table goes from the `from` ids to the
 * `to` ids without running any revision. Logged as `Running stamp_revision <from> -> <to>`.
 */
export interface StampStep {
  readonly direction: 'up' | 'down'
  /** Current heads this step replaces; empty when a new branch appears. */
  readonly from: readonly string[]
  /** Empty when stamping down to base removes a branch. */
  readonly to: readonly string[]
  /** A branch appears (up) or disappears (down): Alembic's `branch_move`. */
  readonly isBranchMove: boolean
}
