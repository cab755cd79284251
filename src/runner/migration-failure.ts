import { MigrationFailedError, type FailedStepInfo } from '../errors.js'
import type { MigrationStep } from '../revision/migration-step.js'
import { renderStepShortLog } from './step-line.js'

export function describeFailedStep(step: MigrationStep): FailedStepInfo {
  return { direction: step.direction, revision: step.revision.id, path: step.revision.path }
}

/**
 * One line a user can act on: which step, which file, what the database said, and the
 * statement it said it about (`statement` keeps the whole text).
 */
export function buildMigrationFailedError(options: {
  readonly step: MigrationStep
  readonly cause: unknown
  readonly statement: string | undefined
  readonly committed: readonly MigrationStep[]
}): MigrationFailedError {
  const { step, cause, statement, committed } = options
  const where = step.revision.path === '' ? `revision ${step.revision.id}` : step.revision.path
  const reason = collapseWhitespace(cause instanceof Error ? cause.message : String(cause))
  const shown = statement === undefined ? '' : ` (statement: ${truncate(collapseWhitespace(statement), 300)})`
  return new MigrationFailedError(
    `Running ${renderStepShortLog(step)} failed in ${where}: ${reason}${shown}`,
    describeFailedStep(step),
    committed.map(describeFailedStep),
    statement,
    { cause },
  )
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
