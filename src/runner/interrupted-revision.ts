import { relative } from 'node:path'
import { InterruptedRevisionError } from '../errors.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import type { ProgressStatement } from './revision-progress.js'

/**
 * The error for a `transactional = false` revision that an earlier run left part-way: which
 * statements ran, and the two ways out, both through `stamp` (which also forgets the record).
 */
export function buildInterruptedRevisionError(
  statements: readonly ProgressStatement[],
  graph: RevisionGraph,
  /** The path is shown relative to this folder. Default is the absolute path. */
  cwd?: string,
): InterruptedRevisionError {
  const first = statements[0]
  if (!first) throw new Error('no interrupted revision to report')
  const revision = graph.byId.get(first.revision)
  const path = revision?.path ?? ''
  const where = path === '' ? '' : ` (${cwd === undefined ? path : relative(cwd, path)})`
  const command = first.direction === 'up' ? 'upgrade' : 'downgrade'
  const text =
    `Revision ${first.revision}${where} was interrupted during its ${command}, which runs outside a transaction: ` +
    `${renderProgress(statements)}, and the version table does not record it. Nothing was run now. ` +
    renderResolveAdvice(first, revision?.downRevisions ?? [])
  const done = statements.filter((statement) => statement.isDone).map((statement) => statement.statement)
  const inDoubt = statements.find((statement) => !statement.isDone)?.statement ?? null
  return new InterruptedRevisionError(text, { direction: first.direction, revision: first.revision, path }, done, inDoubt)
}

/** "it ran `a`; `b`, and may have run `c`" */
export function renderProgress(statements: readonly ProgressStatement[]): string {
  const done = statements.filter((statement) => statement.isDone).map((statement) => quote(statement.statement))
  const inDoubt = statements.filter((statement) => !statement.isDone).map((statement) => quote(statement.statement))
  const ran = done.length === 0 ? 'none of its statements is known to have run' : `it ran ${done.join('; ')}`
  return inDoubt.length === 0 ? ran : `${ran}, and may have run ${inDoubt.join('; ')}`
}

/**
 * Stamping the revision's far side records it as applied; stamping its near side (where the
 * version table already is) lets the next upgrade or downgrade run it again.
 */
export function renderResolveAdvice(step: Pick<ProgressStatement, 'revision' | 'direction'>, downRevisions: readonly string[]): string {
  const parent = downRevisions[0] ?? 'base'
  const [after, before] = step.direction === 'up' ? [step.revision, parent] : [parent, step.revision]
  const rerun = step.direction === 'up' ? 'tsdb db upgrade' : 'tsdb db downgrade'
  return (
    `Check the database, then either complete what is missing by hand and run \`tsdb db stamp ${after}\` to record the ` +
    `revision as done, or undo what it ran and run \`tsdb db stamp ${before}\` then \`${rerun}\` to run it again.`
  )
}

function quote(statement: string): string {
  const text = statement.replace(/\s+/g, ' ').trim()
  return `\`${text.length <= 200 ? text : `${text.slice(0, 199)}…`}\``
}
