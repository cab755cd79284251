import { createRevision, type Revision } from '../../src/revision/revision.js'
import { buildRevisionGraph, type RevisionGraph } from '../../src/revision/revision-graph.js'
import type { MigrationStep } from '../../src/revision/migration-step.js'
import { planVersionChanges } from '../../src/version/plan-version-changes.js'

/**
 * A tiny language for revision graphs in tests, one string per revision, in the order given
 * (which is the order Alembic's map keeps):
 *
 *   'a'                 a base
 *   'b<-a'              down revision a
 *   'e<-c,d'            a merge point of c and d
 *   'c1<-b @c1branch'   with branch label(s) (comma-separated)
 *   'c2<-b2 +c1'        depends on c1 (revision ids or branch labels, comma-separated)
 *   'b1 +a1'            a base with a dependency
 */
export function revs(...specs: readonly string[]): readonly Revision[] {
  return specs.map((spec) => {
    const [head = '', ...options] = spec.trim().split(/\s+/)
    const [id = '', downs] = head.split('<-')
    const list = (text: string | undefined): readonly string[] =>
      text === undefined || text === '' ? [] : text.split(',')
    const branchLabels = options.filter((o) => o.startsWith('@')).flatMap((o) => list(o.slice(1)))
    const dependsOn = options.filter((o) => o.startsWith('+')).flatMap((o) => list(o.slice(1)))
    return createRevision({
      id,
      downRevisions: list(downs),
      branchLabels,
      dependsOn,
      message: `message of ${id}`,
      path: `/project/migrations/versions/${id}_rev.ts`,
    })
  })
}

export function graph(...specs: readonly string[]): RevisionGraph {
  return buildRevisionGraph(revs(...specs))
}

/** The revision ids of steps or revisions, in order. */
export function ids(items: readonly (MigrationStep | Revision)[]): readonly string[] {
  return items.map((item) => ('direction' in item ? item.revision.id : item.id))
}

/** Applies planVersionChanges step by step, as the runner does, and returns the heads left. */
export function applySteps(g: RevisionGraph, heads: readonly string[], steps: readonly MigrationStep[]): readonly string[] {
  let current: ReadonlySet<string> = new Set(heads)
  for (const step of steps) current = planVersionChanges(current, step, g).nextHeads
  return [...current].sort()
}

/** A linear chain r0 <- r1 <- ... of `count` revisions. */
export function linearRevisions(count: number, prefix = 'r'): readonly Revision[] {
  return Array.from({ length: count }, (_, i) =>
    createRevision({ id: `${prefix}${i}`, downRevisions: i === 0 ? [] : [`${prefix}${i - 1}`] }),
  )
}
