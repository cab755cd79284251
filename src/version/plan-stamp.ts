import { MultipleHeadsError, RevisionError } from '../errors.js'
import { collectAncestors, collectDescendants } from '../revision/graph-walk.js'
import type { StampStep } from '../revision/migration-step.js'
import { parseTarget } from '../revision/parse-target.js'
import { filterForLineage, getRevisions, lineageOf, resolveRevisions } from '../revision/resolve-target.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import { planStampStepChanges } from './plan-version-changes.js'
import type { VersionChange } from './version-change.js'

export interface StampOptions {
  /** Delete every row of the version table first; rows naming unknown revisions are then tolerated. */
  readonly purge: boolean
}

export interface StampPlan {
  readonly steps: readonly StampStep[]
  /** Every row change, in order: the purge's deletes first, then each step's. */
  readonly changes: readonly VersionChange[]
}

/**
 * What `stamp <target>` does to a version table holding `currentHeads` (Alembic's `_stamp_revs`
 * and `MigrationContext.stamp`): each branch the target belongs to moves up or down to it, a
 * target in no current branch becomes a new row, `base` removes the branch(es), and several
 * targets (or `heads`) stamp each. With `purge`, all rows go first and the stamp starts from an
 * empty table, so a row naming an unknown revision is only tolerated then.
 *
 * Deliberate difference: with several targets, each moves only the current heads in its own
 * lineage (Alembic merges all of them into each target).
 */
export function planStamp(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: string | readonly string[],
  options: StampOptions,
): StampPlan {
  const heads = options.purge ? [] : currentHeads
  let steps: readonly StampStep[]
  try {
    steps = buildStampSteps(graph, typeof target === 'string' ? [target] : target, heads)
  } catch (error) {
    if (error instanceof MultipleHeadsError) {
      throw new MultipleHeadsError(
        error.heads,
        error.argument,
        'Multiple heads are present; please specify a single target revision ' +
          `(one of ${error.heads.join(', ')}), '<branchname>@head', or 'heads' for all heads`,
      )
    }
    throw error
  }
  const changes: VersionChange[] = options.purge ? [...new Set(currentHeads)].map((id) => ({ kind: 'delete', id })) : []
  let rows: ReadonlySet<string> = new Set(heads)
  for (const step of steps) {
    const plan = planStampStepChanges(rows, step)
    changes.push(...plan.changes)
    rows = plan.nextHeads
  }
  return { steps, changes }
}

function buildStampSteps(
  graph: RevisionGraph,
  targets: readonly string[],
  heads: readonly string[],
): readonly StampStep[] {
  const headRevisions = heads.flatMap((head) => getRevisions(graph, head, { overwalk: 'error' }))
  const texts = targets.filter((text) => text !== '')
  const revisions = texts.length === 0 ? ['base'] : texts

  const filtered = [...new Set(revisions.flatMap((text) => headsInLineage(graph, headRevisions, text, heads)))]
  const resolved = revisions.flatMap((text) => resolveRevisions(graph, text, heads))
  const destinations: readonly (string | null)[] = resolved.length === 0 ? [null] : resolved

  const steps: StampStep[] = []
  for (const destination of destinations) {
    if (destination === null) {
      for (const head of filtered) steps.push({ direction: 'down', from: [head], to: [], isBranchMove: true })
      continue
    }
    if (filtered.includes(destination)) continue
    const lineage = lineageOf(graph, [destination], true)
    const from = destinations.length > 1 ? filtered.filter((head) => lineage.has(head)) : filtered
    const descendants = collectDescendants(graph, [destination])
    const ancestors = collectAncestors(graph, [destination])
    if (from.some((head) => descendants.has(head))) {
      if (from.some((head) => ancestors.has(head))) {
        throw new RevisionError(
          `Cannot stamp ${destination}: the current heads ${from.join(', ')} lie both above and below it; ` +
            'stamp each branch separately',
        )
      }
      steps.push({ direction: 'down', from, to: [destination], isBranchMove: false })
    } else if (from.some((head) => ancestors.has(head))) {
      steps.push({ direction: 'up', from, to: [destination], isBranchMove: false })
    } else {
      steps.push({ direction: 'up', from: [], to: [destination], isBranchMove: true })
    }
  }
  return steps
}

/**
 * Alembic's `filter_for_lineage(heads, target, include_dependencies=True)`. A relative target
 * (which Alembic cannot look up here) is first resolved to its revision(s).
 */
function headsInLineage(
  graph: RevisionGraph,
  headRevisions: readonly string[],
  text: string,
  currentHeads: readonly string[],
): readonly string[] {
  if (headRevisions.length === 0) return []
  const target = parseTarget(text)
  if (target.kind === 'relative' || target.kind === 'current') {
    const lineage = lineageOf(graph, resolveRevisions(graph, target, currentHeads), true)
    return headRevisions.filter((head) => lineage.has(head))
  }
  return filterForLineage(graph, headRevisions, target, true)
}
