import { isConnectionLost } from '../connection/connection-lost.js'
import { MigrationFailedError, RunInterruptedError, type FailedStepInfo } from '../errors.js'
import type { MigrationStep } from '../revision/migration-step.js'
import { renderProgress, renderResolveAdvice } from './interrupted-revision.js'
import type { ProgressStatement } from './revision-progress.js'
import { renderStepShortLog } from './step-line.js'

export function describeFailedStep(step: MigrationStep): FailedStepInfo {
  return { direction: step.direction, revision: step.revision.id, path: step.revision.path }
}

/**
 * One line a user can act on: which step, which file, what the database said, and the
 * statement it said it about (`statement` keeps the whole text); then what stayed committed.
 */
export function buildMigrationFailedError(options: {
  readonly step: MigrationStep
  readonly cause: unknown
  readonly statement: string | undefined
  readonly committed: readonly MigrationStep[]
  /** What a `transactional = false` step left applied (see revision-progress.ts). */
  readonly progress?: readonly ProgressStatement[]
}): MigrationFailedError {
  const { step, cause, statement, committed } = options
  const where = step.revision.path === '' ? `revision ${step.revision.id}` : step.revision.path
  const shown = statement === undefined ? '' : ` (statement: ${truncate(collapseWhitespace(statement), 300)})`
  const reason = collapseWhitespace(cause instanceof Error ? cause.message : String(cause))
  const ending: Ending =
    cause instanceof RunInterruptedError
      ? 'interrupted'
      : isConnectionLost(cause)
        ? statement === COMMIT
          ? 'commitUnknown'
          : 'connectionLost'
        : 'failed'
  const heads: Record<Ending, string> = {
    interrupted: `Interrupted by ${cause instanceof RunInterruptedError ? cause.reason : ''} while running ${renderStepShortLog(step)} in ${where}${shown}`,
    connectionLost: `Lost the connection to the database while running ${renderStepShortLog(step)} in ${where}: ${reason}${shown}`,
    commitUnknown: `Lost the connection to the database while committing the transaction that ran ${renderStepShortLog(step)} (${where}): ${reason}`,
    failed: `Running ${renderStepShortLog(step)} failed in ${where}: ${reason}${shown}`,
  }
  return new MigrationFailedError(
    `${heads[ending]}${renderAftermath(step, committed, options.progress ?? [], ending)}`,
    describeFailedStep(step),
    committed.map(describeFailedStep),
    statement,
    { cause },
  )
}

type Ending = 'failed' | 'interrupted' | 'connectionLost' | 'commitUnknown'

/** The statement a failure names when the transaction's COMMIT is what failed. */
export const COMMIT = 'COMMIT'

/** What the failure left in place: committed revisions, and a non-transactional step's statements. */
function renderAftermath(
  step: MigrationStep,
  committed: readonly MigrationStep[],
  progress: readonly ProgressStatement[],
  ending: Ending,
): string {
  const first = progress[0]
  const sentences: string[] = []
  if (!step.revision.transactional) {
    sentences.push(
      first === undefined
        ? 'It runs outside a transaction, and none of its statements stayed applied.'
        : `It runs outside a transaction: ${renderProgress(progress)}; the next run stops until this is settled. ` +
            renderResolveAdvice(first, step.revision.downRevisions),
    )
  } else if (ending === 'commitUnknown') {
    // The server may have committed before the connection went: only the database can tell.
    sentences.push(
      'Whether it committed is unknown: its revisions and their version rows commit together, so `tsdb db current` shows ' +
        'whether they were applied; run the command again once the database answers, and it applies what is missing.',
    )
  } else if (ending !== 'failed') {
    sentences.push('Its transaction was rolled back.')
  }
  if (committed.length > 0) sentences.push(`These revisions stayed committed: ${committed.map((done) => done.revision.id).join(', ')}.`)
  if (ending !== 'failed' && ending !== 'commitUnknown' && first === undefined) {
    const when = ending === 'connectionLost' ? 'once the database answers' : 'to continue'
    sentences.push(`Run the command again ${when}; \`tsdb db current\` shows where the database is.`)
  }
  return sentences.length === 0 ? '' : `. ${sentences.join(' ')}`
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
