import type { MigrationStep } from '../revision/migration-step.js'

/** A step as reported to users and in `--json`. */
export interface StepInfo {
  readonly direction: 'up' | 'down'
  readonly revision: string
  readonly downRevisions: readonly string[]
  readonly message: string
  readonly path: string
}

export function describeStep(step: MigrationStep): StepInfo {
  return {
    direction: step.direction,
    revision: step.revision.id,
    downRevisions: step.revision.downRevisions,
    message: step.revision.message,
    path: step.revision.path,
  }
}

/** The result of `upgrade`, `downgrade` and `stamp`. */
export interface RunResult {
  readonly steps: readonly StepInfo[]
  /** The database's heads before and after (for `--sql`: the assumed start and the end). */
  readonly startHeads: readonly string[]
  readonly endHeads: readonly string[]
  /** The script, with `sql: true`; null when the command ran online. A multidb project's holds every database's script. */
  readonly sql: string | null
  /** A multidb project's binds, by name (the fields above are the main database's, but `sql`). */
  readonly binds?: Readonly<Record<string, RunResult>>
}
