import { MultipleHeadsError, RangeNotAncestorError, RevisionError } from '../errors.js'
import { parseRange } from './parse-target.js'
import { iterateRevisions, type RevisionSpec } from './plan.js'
import { isBranchPoint, type RevisionGraph } from './revision-graph.js'
import type { Revision } from './revision.js'

export interface HistoryRangeOptions {
  /** `start:end`, `start:` or `:end`; each side takes any target and `current`. Default is everything. */
  readonly range?: string
  /** The database's current revisions, for `current` in the range. */
  readonly currentHeads?: readonly string[]
}

/**
 * The revisions of `history -r <range>`, newest first: Alembic's `walk_revisions(base, head)`
 * (an inclusive `iterate_revisions` whose relative bounds stop at the ends of the graph). A
 * lower bound that is not an ancestor of the upper raises RangeNotAncestorError with Alembic's
 * "Requested range ... does not refer to ancestor/descendant revisions along the same branch".
 *
 * Deliberate difference: `:current` on a database at base lists nothing (Alembic lists all).
 */
export function listHistory(graph: RevisionGraph, options: HistoryRangeOptions = {}): readonly Revision[] {
  const range = options.range === undefined ? { start: null, end: null } : parseRange(options.range)
  const start = range.start ?? 'base'
  const end = range.end ?? 'heads'
  const lower = start === 'current' ? currentOf(options) : start
  const upper: RevisionSpec = end === 'current' ? currentOf(options) : end
  if (Array.isArray(upper) && upper.length === 0) return []
  try {
    return iterateRevisions(graph, upper, lower, { inclusive: true, assertRelativeLength: false })
  } catch (error) {
    if (error instanceof RangeNotAncestorError) {
      throw new RangeNotAncestorError(
        error.lower,
        error.upper,
        `Requested range ${start}:${end} does not refer to ancestor/descendant revisions along the same branch`,
      )
    }
    if (error instanceof MultipleHeadsError) throw new MultipleHeadsError(error.heads, end)
    throw error
  }
}

/** The branch points (`branches`), in history order (newest first). */
export function listBranchPoints(graph: RevisionGraph): readonly Revision[] {
  return listHistory(graph).filter((revision) => isBranchPoint(graph, revision.id))
}

/**
 * The heads when dependencies count as down revisions (`heads --resolve-dependencies`,
 * Alembic's `_real_heads`): a head that another revision depends on is not listed.
 */
export function resolveDependencyHeads(graph: RevisionGraph): readonly string[] {
  return graph.realHeads
}

function currentOf(options: HistoryRangeOptions): readonly string[] {
  if (options.currentHeads === undefined) {
    throw new RevisionError("The range names 'current', which needs the database's current revisions")
  }
  return options.currentHeads
}
