import type { RevisionInfo } from '../index.js'

// The text formats are Alembic's (Script._head_only / log_entry), so a Flask-Migrate user
// reads the same lines and scripts that parse them keep working.

const comma = (items: readonly string[]) => items.join(', ')
const parents = (info: RevisionInfo) => (info.downRevisions.length === 0 ? '<base>' : comma(info.downRevisions))

interface LineOptions {
  readonly includeBranches?: boolean
  readonly includeDoc?: boolean
  readonly includeParents?: boolean
  readonly treeIndicators?: boolean
}

/** One revision on one line: `history`, `heads`, `current` and `branches` all use this. */
function formatRevisionLine(info: RevisionInfo, options: LineOptions): string {
  let text = info.id
  if (options.includeParents === true) {
    text =
      info.dependsOn.length > 0
        ? `${parents(info)} (${comma(info.dependsOn)}) -> ${text}`
        : `${parents(info)} -> ${text}`
  }
  if (options.includeBranches === true && info.branchLabels.length > 0) text += ` (${comma(info.branchLabels)})`
  if (info.isHead) text += ' (head)'
  if (info.isEffectiveHead) text += ' (effective head)'
  if (info.isCurrent) text += ' (current)'
  if (options.treeIndicators !== false) {
    if (info.isBranchPoint) text += ' (branchpoint)'
    if (info.isMergePoint) text += ' (mergepoint)'
  }
  if (options.includeDoc === true) text += `, ${info.message}`
  return text
}

/** The `-v` block (and `show`): Rev, Parent/Merges, dependencies, branches, path, the header comment. */
export function formatRevisionBlock(info: RevisionInfo): string {
  const hasNoChildren = info.isHead || info.isEffectiveHead
  const lines = [
    `Rev: ${info.id}${hasNoChildren ? ' (head)' : ''}${info.isBranchPoint ? ' (branchpoint)' : ''}` +
      `${info.isMergePoint ? ' (mergepoint)' : ''}${info.isCurrent ? ' (current)' : ''}`,
    info.isMergePoint ? `Merges: ${parents(info)}` : `Parent: ${parents(info)}`,
  ]
  if (info.dependsOn.length > 0) lines.push(`Also depends on: ${comma(info.dependsOn)}`)
  if (info.isBranchPoint) lines.push(`Branches into: ${comma(info.children)}`)
  if (info.branchLabels.length > 0) lines.push(`Branch names: ${comma(info.branchLabels)}`)
  lines.push(`Path: ${info.path}`, '')
  for (const line of info.doc.trim().split('\n')) lines.push(`    ${line}`)
  lines.push('')
  return lines.join('\n')
}

export const formatHistoryLine = (info: RevisionInfo) =>
  formatRevisionLine(info, { includeBranches: true, includeDoc: true, includeParents: true })

export const formatHeadLine = (info: RevisionInfo) =>
  formatRevisionLine(info, { includeBranches: true, treeIndicators: false })

export const formatCurrentLine = (info: RevisionInfo) => formatRevisionLine(info, {})

/** `branches`: the branch point, one indented line per child, then a blank line. */
export function formatBranchPoint(
  point: RevisionInfo,
  children: readonly RevisionInfo[],
  options: { verbose: boolean },
): string {
  const head = options.verbose ? formatRevisionBlock(point) : formatRevisionLine(point, { includeBranches: true })
  const indent = ' '.repeat(point.id.length)
  const lines = children.map(
    (child) => `${indent} -> ${formatRevisionLine(child, { includeBranches: true, includeDoc: options.verbose })}`,
  )
  return `${head}\n${lines.join('\n')}\n`
}
