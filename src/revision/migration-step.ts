import type { Revision } from './revision.js'

/**
 * One step of a plan. An upgrade step applies `revision`; a downgrade step reverts it.
 * The runner asks `planVersionChanges` what each step does to the version table.
 */
export interface MigrationStep {
  readonly direction: 'up' | 'down'
  readonly revision: Revision
}
