import type { Revision } from '../revision/revision.js'
import type { RevisionGraph } from '../revision/revision-graph.js'

/**
 * A revision with the facts the reporting commands show: what `history`, `heads`, `show`
 * and `--json` print. Plain data, so scripts get the same facts as the text output.
 */
export interface RevisionInfo {
  readonly id: string
  readonly message: string
  readonly doc: string
  readonly path: string
  readonly downRevisions: readonly string[]
  readonly branchLabels: readonly string[]
  readonly dependsOn: readonly string[]
  /** Revisions whose down revisions include this one (Alembic's `nextrev`). */
  readonly children: readonly string[]
  /** No child and no dependent: Alembic's "real" head, shown as `(head)`. */
  readonly isHead: boolean
  /** No child, but another revision depends on it: Alembic's `(effective head)`. */
  readonly isEffectiveHead: boolean
  readonly isBase: boolean
  readonly isBranchPoint: boolean
  readonly isMergePoint: boolean
  /** Only known when the database was asked (`history -i`, `current`). */
  readonly isCurrent: boolean
}

/** Returns a function describing revisions of `graph`, with `currentHeads` marked current. */
export function createRevisionDescriber(
  graph: RevisionGraph,
  currentHeads: readonly string[] = [],
): (revision: Revision) => RevisionInfo {
  const current = new Set(currentHeads)
  return (revision) => {
    const children = graph.childrenOf.get(revision.id) ?? []
    // dependentsOf holds children and the revisions that depend on this one (Alembic's _all_nextrev).
    const dependents = graph.dependentsOf.get(revision.id) ?? []
    return {
      id: revision.id,
      message: revision.message,
      doc: revision.doc,
      path: revision.path,
      downRevisions: revision.downRevisions,
      branchLabels: graph.branchLabelsOf.get(revision.id) ?? revision.branchLabels,
      dependsOn: revision.dependsOn,
      children,
      isHead: dependents.length === 0,
      isEffectiveHead: children.length === 0 && dependents.length > 0,
      isBase: revision.downRevisions.length === 0,
      isBranchPoint: children.length > 1,
      isMergePoint: revision.downRevisions.length > 1,
      isCurrent: current.has(revision.id),
    }
  }
}

/** The given revisions of `graph`, described; ids no file defines are left out. */
export function describeIds(graph: RevisionGraph, ids: readonly string[]): readonly RevisionInfo[] {
  const describe = createRevisionDescriber(graph)
  return ids.flatMap((id) => {
    const revision = graph.byId.get(id)
    return revision === undefined ? [] : [describe(revision)]
  })
}
