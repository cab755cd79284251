import { MultipleHeadsError, RangeNotAncestorError, RelativeRevisionError, RevisionError } from '../errors.js'
import {
  collectAncestors,
  collectAncestorsChecked,
  collectDescendants,
  collectDescendantsChecked,
  isAncestorOrSelf,
} from './graph-walk.js'
import type { MigrationStep } from './migration-step.js'
import { parseTarget, symbolTarget } from './parse-target.js'
import {
  byPosition,
  filterForLineage,
  getRevision,
  getRevisions,
  resolveBranch,
  walk,
  walkedTooFar,
  type WalkPosition,
} from './resolve-target.js'
import type { Revision } from './revision.js'
import type { RevisionGraph } from './revision-graph.js'


/**
 * Which revisions `upgrade` / `downgrade` run, in which order: Alembic's `_upgrade_revs`,
 * `_downgrade_revs` and `RevisionMap.iterate_revisions` with `_collect_upgrade_revisions`,
 * `_collect_downgrade_revisions` and `_topological_sort`, step for step.
 */

/**
 * Revisions as Alembic's `iterate_revisions` takes them: a target text (`heads`, `ae1@head`,
 * `-2`, ...), a list of them (each resolved, e.g. the current heads), or null for base.
 */
export type RevisionSpec = string | readonly string[] | null

export interface IterateOptions {
  /** Include the lower revision(s) themselves. Default is `false`. */
  readonly inclusive?: boolean
  /**
   * Also take revisions not descended from the lower revision(s) (for upgrade: the other
   * branches' dependencies; for downgrade: wind other branches back to base). Default is `false`.
   */
  readonly implicitBase?: boolean
  /** A relative target that walks past the end of the graph is an error. Default is `true`. */
  readonly assertRelativeLength?: boolean
  /** Select what a downgrade from `upper` to `lower` reverts. Default is `false`. */
  readonly selectForDowngrade?: boolean
}

/**
 * Alembic's `iterate_revisions`: the revisions between `upper` and `lower`, newest first (each
 * before its down revisions and dependencies). Upgrades run them in reverse.
 */
export function iterateRevisions(
  graph: RevisionGraph,
  upper: RevisionSpec,
  lower: RevisionSpec,
  options: IterateOptions = {},
): readonly Revision[] {
  const collectOptions = {
    inclusive: options.inclusive ?? false,
    implicitBase: options.implicitBase ?? false,
    assertRelativeLength: options.assertRelativeLength ?? true,
  }
  const { revisions, heads } =
    options.selectForDowngrade === true
      ? collectDowngrade(graph, upper, downgradeTargetText(lower), collectOptions)
      : collectUpgrade(graph, upper, lower, collectOptions)
  return topologicalSort(graph, revisions, heads).map((id) => revisionOf(graph, id))
}

/**
 * The steps of `upgrade <target>` from a database at `currentHeads`, in the order to run them
 * (Alembic's `_upgrade_revs`). `head` with several heads raises MultipleHeadsError; `heads`
 * upgrades all; `<label>@head` one branch; `+N` walks from the single current revision.
 */
export function planUpgrade(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: string | readonly string[],
): readonly MigrationStep[] {
  try {
    const { revisions, heads } = collectUpgrade(graph, target, currentHeads, {
      inclusive: false,
      implicitBase: true,
      assertRelativeLength: true,
    })
    return [...topologicalSort(graph, revisions, heads)]
      .reverse()
      .map((id) => ({ direction: 'up', revision: revisionOf(graph, id) }))
  } catch (error) {
    throw rewrapCommandError(error, specText(target) ?? 'base', 'upgrade')
  }
}

/**
 * The steps of `downgrade <target>` from a database at `currentHeads`, in the order to run them
 * (Alembic's `_downgrade_revs`). `base` reverts everything; `<label>@base` one branch; `-N`
 * walks down from the (first) current revision.
 */
export function planDowngrade(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: string,
): readonly MigrationStep[] {
  try {
    const { revisions, heads } = collectDowngrade(graph, currentHeads, target, {
      inclusive: false,
      implicitBase: false,
      assertRelativeLength: true,
    })
    return topologicalSort(graph, revisions, heads).map((id) => ({
      direction: 'down',
      revision: revisionOf(graph, id),
    }))
  } catch (error) {
    throw rewrapCommandError(error, target, 'downgrade')
  }
}

/** Alembic's message for a relative downgrade target quotes its step count as typed (`-0`, `+1`). */
function relativeDowngradeError(target: string, steps: number): RelativeRevisionError {
  const typed = /[+-]\d+$/.exec(target)?.[0] ?? String(steps)
  return new RelativeRevisionError(steps, `Relative revision ${typed} didn't produce ${Math.abs(steps)} migrations`)
}

/** Alembic's warning, word for word, so that users searching for it find the explanation. */
export const AMBIGUOUS_RELATIVE_DOWNGRADE =
  'downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.'

/**
 * The warning `downgrade <target>` deserves from a database at `currentHeads` (in the version
 * table's order), or null. A relative target with neither a revision nor a branch (`-1`, `-2`)
 * walks down only the branch of the first head, which Alembic warns about whatever N is.
 */
export function planDowngradeWarning(currentHeads: readonly string[], target: string): string | null {
  const parsed = parseTarget(target)
  if (parsed.kind !== 'relative' || parsed.steps >= 0 || parsed.from !== null || parsed.branch !== null) return null
  const [first] = currentHeads
  if (first === undefined || new Set(currentHeads).size < 2) return null
  return `${AMBIGUOUS_RELATIVE_DOWNGRADE} Reverting from ${first}, the version table's first row; name the branch to choose, e.g. \`tsdb db downgrade ${first}@-1\`.`
}

/** Alembic's `_catch_revision_errors` for upgrade/downgrade: the message names the destination. */
function rewrapCommandError(error: unknown, destination: string, direction: 'upgrade' | 'downgrade'): unknown {
  if (error instanceof RangeNotAncestorError) {
    return new RangeNotAncestorError(
      error.lower,
      error.upper,
      `Destination ${destination} is not a valid ${direction} target from current head(s)`,
    )
  }
  if (error instanceof MultipleHeadsError) return new MultipleHeadsError(error.heads, destination)
  return error
}

interface CollectOptions {
  readonly inclusive: boolean
  readonly implicitBase: boolean
  readonly assertRelativeLength: boolean
}

interface Collected {
  readonly revisions: ReadonlySet<string>
  readonly heads: readonly string[]
}

/** Alembic's `_collect_upgrade_revisions`: what `lower` lacks of `upper` and its ancestors. */
function collectUpgrade(
  graph: RevisionGraph,
  upper: RevisionSpec,
  lower: RevisionSpec,
  options: CollectOptions,
): Collected {
  let targets = parseUpgradeTarget(graph, lower, upper, options.assertRelativeLength)

  // A named base (`<label>@base`, `<label>@<rev>`) keeps only the targets in that branch.
  if (typeof lower === 'string' && lower.includes('@')) {
    let branch = lower.slice(0, lower.indexOf('@'))
    const branchRevision = getRevision(graph, branch)
    if (branchRevision !== null && branchRevision === branch) {
      const labels = graph.branchLabelsOf.get(branchRevision) ?? []
      const [label] = labels
      if (labels.length !== 1 || label === undefined) {
        throw new RevisionError(
          `Revision ${branch} in '${lower}' must carry exactly one branch label to name a branch; it carries ` +
            `${labels.length === 0 ? 'none' : labels.join(', ')}`,
        )
      }
      branch = label
    }
    targets = [...new Set(targets.filter((id) => (graph.branchLabelsOf.get(id) ?? []).includes(branch)))]
  }

  const required = collectAncestorsChecked(graph, targets)
  for (const id of targets) required.add(id)

  const currentRevisions = getRevisionsOf(graph, lower, 'clamp')
  if (!options.implicitBase && currentRevisions.some((id) => !required.has(id))) {
    throw new RangeNotAncestorError(specText(lower), specText(upper))
  }
  const current = collectAncestorsChecked(graph, currentRevisions)
  for (const id of currentRevisions) current.add(id)

  const needs = new Set([...required].filter((id) => !current.has(id)))
  if (options.inclusive) for (const id of currentRevisions) needs.add(id)
  if (currentRevisions.length > 0 && !options.implicitBase) {
    const descendants = collectDescendantsChecked(graph, currentRevisions, { includeDependencies: false })
    for (const id of needs) if (!descendants.has(id)) needs.delete(id)
  }
  return { revisions: needs, heads: targets }
}

/** Alembic's `_collect_downgrade_revisions`: what must go so that `upper` ends at `lower`. */
function collectDowngrade(
  graph: RevisionGraph,
  upper: RevisionSpec,
  lower: string | null,
  options: CollectOptions,
): Collected {
  const { branch, target } = parseDowngradeTarget(graph, upper, lower, options.assertRelativeLength)

  let roots: readonly string[]
  if (target === null) {
    roots = graph.revisions.filter((revision) => revision.downRevisions.length === 0).map((revision) => revision.id)
  } else if (options.inclusive) {
    roots = [target]
  } else {
    roots = graph.childrenOf.get(target) ?? []
  }

  if (branch !== null && roots.length > 1) {
    const ancestors = collectAncestors(graph, [resolveBranch(graph, branch)], { includeDependencies: false })
    roots = roots.filter((id) => ancestors.has(id))
    if (roots.length === 0) throw new RevisionError('Not a valid downgrade target from current heads')
  }

  const heads = getRevisionsOf(graph, upper, 'error')
  const active = collectAncestors(graph, heads)
  const revisions = new Set([...collectDescendants(graph, roots)].filter((id) => active.has(id)))
  if (options.implicitBase) {
    const rootAncestors = collectAncestors(graph, roots)
    for (const id of active) if (!rootAncestors.has(id)) revisions.add(id)
  }
  if (target !== null && revisions.size === 0 && !heads.includes(target)) {
    throw new RangeNotAncestorError('Nothing to drop', specText(upper))
  }
  return { revisions, heads }
}

/** Alembic's `_parse_upgrade_target`: the revision(s) an upgrade goes to, from `current`. */
function parseUpgradeTarget(
  graph: RevisionGraph,
  current: RevisionSpec,
  target: RevisionSpec,
  assertRelativeLength: boolean,
): readonly string[] {
  const parsed = typeof target === 'string' ? parseTarget(target) : null
  if (parsed === null) return getRevisionsOf(graph, target, 'error')
  if (parsed.kind !== 'relative') return getRevisions(graph, parsed, { overwalk: 'error' })
  const targetText = typeof target === 'string' ? target : ''

  const { steps, from, branch } = parsed
  if (steps > 0) {
    if (from === null) {
      const currentList = specList(current)
      let starts: readonly (string | null)[] = currentList.length === 0 ? [null] : currentList
      let isResolved = false
      if (branch !== null) {
        const currentRevisions = getRevisionsOf(graph, currentList, 'clamp')
        starts = filterForLineage(graph, currentRevisions, branch)
        isResolved = true
        if (starts.length === 0) {
          // The branch is not at a current head: start from its newest applied revision(s).
          const active = filterForLineage(graph, [...collectAncestors(graph, currentRevisions)], branch)
          const below = new Set(active.flatMap((id) => graph.normalizedDownOf.get(id) ?? []))
          const tips = active.filter((id) => !below.has(id))
          starts = tips.length === 0 ? [null] : tips
        }
      }
      if (starts.length > 1) {
        throw new RevisionError(
          `Ambiguous upgrade from multiple current revisions (${starts.join(', ')}); name a revision or a branch ` +
            `(<label>@${targetText})`,
        )
      }
      const first = starts[0] ?? null
      const start = first === null || isResolved ? first : getRevision(graph, first)
      const position = walk(graph, start, steps, branch, assertRelativeLength)
      if (position === undefined) throw new RelativeRevisionError(steps)
      return positionIds(position)
    }
    const position = walk(graph, getRevision(graph, symbolTarget(from, null)), steps, branch, assertRelativeLength)
    if (position === undefined) throw new RelativeRevisionError(steps, walkedTooFar(targetText))
    return positionIds(position)
  }
  if (from === null) throw new RelativeRevisionError(steps)
  const start = getRevision(graph, symbolTarget(from, branch))
  const position = walk(graph, start, steps, null, assertRelativeLength)
  if (position === undefined) throw new RelativeRevisionError(steps, walkedTooFar(targetText))
  return positionIds(position)
}

/**
 * Alembic's `_parse_downgrade_target`: the revision a downgrade goes to (null: base) and the
 * branch it is restricted to. `-N` walks down from the current revision (of the branch).
 */
function parseDowngradeTarget(
  graph: RevisionGraph,
  current: RevisionSpec,
  target: string | null,
  assertRelativeLength: boolean,
): { readonly branch: string | null; readonly target: string | null } {
  if (target === null) return { branch: null, target: null }
  const parsed = parseTarget(target)
  if (parsed.kind === 'current') return { branch: null, target: getRevision(graph, parsed) }
  if (parsed.kind !== 'relative') return { branch: parsed.branch, target: getRevision(graph, { ...parsed, branch: null }) }

  const { steps, from, branch } = parsed
  if (steps >= 0) {
    // Downgrading to current + N is not valid.
    if (from === null) throw relativeDowngradeError(target, steps)
    const position = walk(graph, getRevision(graph, symbolTarget(from, null)), steps, branch, assertRelativeLength)
    if (position === undefined) throw new RelativeRevisionError(steps, walkedTooFar(target))
    return { branch, target: positionId(position) }
  }

  let symbol = from
  let branchLabel = branch
  if (from === null) {
    const currentList = specList(current)
    if (branch !== null) {
      let candidates = filterForLineage(graph, currentList, branch)
      if (candidates.length === 0) {
        // Every current revision of the branch may be implied by a head of another branch.
        candidates = filterForLineage(graph, collectAllCurrent(graph, currentList), branch)
      }
      if (candidates.length !== 1) {
        throw new RevisionError(
          `Cannot tell where '${target}' starts: branch '${branch}' has ` +
            (candidates.length === 0 ? 'no current revision' : `several current revisions (${candidates.join(', ')})`),
        )
      }
      symbol = candidates[0] ?? null
    } else {
      const [first] = currentList
      if (first === undefined) throw relativeDowngradeError(target, steps)
      // Alembic walks from the first row only ("downgrade -1 from multiple heads is ambiguous").
      symbol = first
      branchLabel = first
    }
  }
  const start = getRevision(graph, symbolTarget(symbol ?? 'base', branchLabel))
  const position = walk(graph, start, steps, null, assertRelativeLength)
  if (position === undefined) {
    if (from === null) throw relativeDowngradeError(target, steps)
    throw new RelativeRevisionError(steps, walkedTooFar(target))
  }
  return { branch: branchLabel, target: positionId(position) }
}

/**
 * Alembic's `_get_all_current`: the current revisions with everything they imply, keeping only
 * those with no child among them (the heads of each branch, including branches that a
 * dependency keeps applied).
 */
function collectAllCurrent(graph: RevisionGraph, ids: readonly string[]): readonly string[] {
  const all = collectAncestors(graph, getRevisionsOf(graph, ids, 'error'))
  return byPosition(
    graph,
    [...all].filter((id) => !(graph.childrenOf.get(id) ?? []).some((child) => all.has(child))),
  )
}

/**
 * Alembic's `_topological_sort`: newest first, depth-first along each branch but finishing every
 * branch before the revision they branch from; ties go by the order the revisions were given.
 * Alembic keeps each pending head's ancestor set; `isAncestorOrSelf` answers the same question.
 */
function topologicalSort(
  graph: RevisionGraph,
  revisions: ReadonlySet<string>,
  heads: readonly string[],
): readonly string[] {
  const todo = new Set(revisions)
  const current = [...byPosition(graph, new Set(heads.filter((id) => todo.has(id))))]
  const output: string[] = []
  let index = 0
  while (current.length > 0) {
    const candidate = current[index] as string // index stays within current
    const later = current.findIndex((head, other) => other !== index && isAncestorOrSelf(graph, candidate, head))
    if (later !== -1) {
      // Another pending head depends on the candidate: that head goes first.
      index = later
      continue
    }
    output.push(candidate)
    todo.delete(candidate)
    const toAdd = (graph.normalizedDownOf.get(candidate) ?? []).filter((id) => todo.has(id) && !current.includes(id))
    const [firstToAdd] = toAdd
    if (firstToAdd === undefined) {
      current.splice(index, 1)
      index = Math.max(index - 1, 0)
    } else {
      current[index] = firstToAdd
      current.push(...toAdd.slice(1))
    }
  }
  if (todo.size > 0) {
    throw new Error(`internal error: topological sort left ${[...todo].join(', ')} unvisited`)
  }
  return output
}

function getRevisionsOf(graph: RevisionGraph, spec: RevisionSpec, overwalk: 'error' | 'clamp'): readonly string[] {
  return specList(spec).flatMap((text) => getRevisions(graph, text, { overwalk }))
}

function specList(spec: RevisionSpec): readonly string[] {
  if (spec === null) return []
  return typeof spec === 'string' ? [spec] : spec
}

/** How a spec reads in a message; null (base) for none. */
function specText(spec: RevisionSpec): string | null {
  const list = specList(spec)
  return list.length === 0 ? null : list.join(', ')
}

function downgradeTargetText(lower: RevisionSpec): string | null {
  if (lower === null) return null
  if (typeof lower === 'string') return lower
  if (lower.length === 0) return null
  const [only] = lower
  if (lower.length === 1 && only !== undefined) return only
  throw new RevisionError(`A downgrade goes to one target; got ${lower.join(', ')}`)
}

function positionId(position: WalkPosition): string | null {
  return typeof position === 'string' ? position : null
}

function positionIds(position: WalkPosition): readonly string[] {
  return typeof position === 'string' ? [position] : []
}

function revisionOf(graph: RevisionGraph, id: string): Revision {
  const revision = graph.byId.get(id)
  if (revision === undefined) throw new Error(`internal error: revision ${id} is not in the graph`)
  return revision
}
