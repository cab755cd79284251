import {
  AmbiguousRevisionError,
  assertNever,
  MultipleHeadsError,
  RelativeRevisionError,
  RevisionError,
  UnknownRevisionError,
} from '../errors.js'
import { collectAncestors, collectDescendants } from './graph-walk.js'
import { parseTarget, renderTarget, symbolTarget, type Target } from './parse-target.js'
import type { RevisionGraph } from './revision-graph.js'

/**
 * Resolution of targets against a graph, mirroring Alembic's `RevisionMap.get_revision(s)`,
 * `_revision_for_ident`, `filter_for_lineage` and `_walk`. The plan functions build on these
 * with Alembic's exact semantics; `resolveRevisions` is the entry point for commands that name
 * revisions.
 */

/**
 * The revision ids a target names, for commands that name revisions (`show`, `edit`,
 * `revision --head`, `merge`, `stamp`, the start of an offline range). `base` names none; `heads`
 * names every head that nothing depends on; `current` names `currentHeads`.
 *
 * Beyond Alembic (whose `show` knows only `-N` from the heads): `<rev>+N`, `<rev>-N`, `head-1`
 * and `+N` (from the single current revision) are resolved by walking the graph.
 */
export function resolveRevisions(
  graph: RevisionGraph,
  input: string | Target,
  currentHeads: readonly string[],
): readonly string[] {
  const target = asTarget(input)
  if (target.kind === 'current') {
    for (const id of currentHeads) resolveRevisionForIdent(graph, id, null)
    return [...new Set(currentHeads)]
  }
  if (target.kind === 'relative') {
    if (target.from === null && target.steps < 0) return getRevisions(graph, target, { overwalk: 'error' })
    const start =
      target.from === null ? singleCurrent(graph, currentHeads, target) : getRevision(graph, symbolTarget(target.from, target.branch))
    const position = walk(graph, start, target.steps, target.branch, true)
    if (position === undefined) throw new RelativeRevisionError(target.steps, walkedTooFar(input))
    return typeof position === 'string' ? [position] : []
  }
  return [...new Set(getRevisions(graph, target, { overwalk: 'error' }))]
}

/** A target as given: text is parsed here, once; a parsed one is used as it is. */
function asTarget(input: string | Target): Target {
  return typeof input === 'string' ? parseTarget(input) : input
}

function singleCurrent(graph: RevisionGraph, currentHeads: readonly string[], target: Target): string | null {
  const unique = [...new Set(currentHeads)]
  if (unique.length > 1) {
    throw new RevisionError(
      `Ambiguous upgrade from multiple current revisions (${unique.join(', ')}); ` +
        `name a revision instead of '${renderTarget(target)}'`,
    )
  }
  return unique[0] === undefined ? null : getRevision(graph, symbolTarget(unique[0], null))
}

export function walkedTooFar(target: string | Target): string {
  return `Walked too far: '${typeof target === 'string' ? target : renderTarget(target)}' goes past the end of the revision graph`
}

// ---- Alembic's RevisionMap lookups -----------------------------------------------------------

/**
 * Alembic's `_resolve_revision_number`: the ids a non-relative target stands for, and its branch.
 * `head` with several heads (in the branch) raises MultipleHeadsError.
 */
function resolveRevisionNumber(
  graph: RevisionGraph,
  target: Target,
): { readonly ids: readonly string[]; readonly branch: string | null } {
  switch (target.kind) {
    case 'heads':
      return target.branch === null
        ? { ids: byPosition(graph, graph.realHeads), branch: null }
        : { ids: filterForLineage(graph, byPosition(graph, graph.heads), target.branch), branch: target.branch }
    case 'head': {
      const head = getCurrentHead(graph, target.branch)
      return { ids: head === null ? [] : [head], branch: target.branch }
    }
    case 'base':
      return { ids: [], branch: target.branch }
    case 'current':
      return { ids: ['current'], branch: null }
    case 'revision':
      return { ids: [target.id], branch: target.branch }
    case 'relative':
      // Alembic passes these through as identifiers, which then fail to resolve.
      return { ids: [renderTarget({ ...target, branch: null })], branch: target.branch }
    default:
      return assertNever(target)
  }
}

/** Alembic's `get_current_head`: the single head (of a branch), null when there is none. */
function getCurrentHead(graph: RevisionGraph, branch: string | null): string | null {
  const all = byPosition(graph, graph.heads)
  const heads = branch === null ? all : filterForLineage(graph, all, branch)
  if (heads.length > 1) throw new MultipleHeadsError(heads, branch === null ? 'head' : `${branch}@head`)
  return heads[0] ?? null
}

export interface GetRevisionsOptions {
  /**
   * When `-N` walks past base: `error` raises RelativeRevisionError, `clamp` stops at base (what
   * history ranges want; Alembic's `assert_relative_length=False`).
   */
  readonly overwalk: 'error' | 'clamp'
}

/**
 * Alembic's `get_revisions` for one target text: the ids it names, `base` naming none. `-N` and
 * `<label>@-N` walk down N steps from each head (of the branch). A relative target with a symbol
 * (`head-1`, `<rev>+2`) is resolved by walking, where Alembic fails to find such an id.
 */
export function getRevisions(graph: RevisionGraph, input: string | Target, options: GetRevisionsOptions): readonly string[] {
  const target = asTarget(input)
  if (target.kind === 'relative') {
    if (target.from === null && target.steps < 0) {
      const heads = byPosition(graph, graph.realHeads).filter(
        (head) => target.branch === null || (graph.branchLabelsOf.get(head) ?? []).includes(target.branch),
      )
      return heads.flatMap((head) => {
        const position = walk(graph, head, target.steps, null, true)
        if (position === undefined) {
          if (options.overwalk === 'clamp') return []
          throw new RelativeRevisionError(target.steps)
        }
        return typeof position === 'string' ? [position] : []
      })
    }
    if (target.from !== null) {
      const start = getRevision(graph, symbolTarget(target.from, target.branch))
      const position = walk(graph, start, target.steps, target.branch, options.overwalk === 'error')
      if (position === undefined) throw new RelativeRevisionError(target.steps, walkedTooFar(input))
      return typeof position === 'string' ? [position] : []
    }
  }
  const { ids, branch } = resolveRevisionNumber(graph, target)
  return ids.flatMap((id) => {
    const revision = resolveRevisionForIdent(graph, id, branch)
    return revision === null ? [] : [revision]
  })
}

/** Alembic's `get_revision`: one revision or null for base; several raise MultipleHeadsError. */
export function getRevision(graph: RevisionGraph, input: string | Target): string | null {
  const target = asTarget(input)
  const { ids, branch } = resolveRevisionNumber(graph, target)
  if (ids.length > 1) throw new MultipleHeadsError(ids, typeof input === 'string' ? input : renderTarget(input))
  return resolveRevisionForIdent(graph, ids[0] ?? null, branch)
}

/**
 * Alembic's `_revision_for_ident`: an exact id, a branch label, or a prefix matching exactly one
 * id or label longer than 3 characters; with `branch`, the revision must share its lineage.
 */
function resolveRevisionForIdent(
  graph: RevisionGraph,
  ident: string | null,
  branch: string | null,
): string | null {
  const branchRevision = branch === null ? null : resolveBranch(graph, branch)
  let revision: string | null
  if (ident === null) {
    revision = null
  } else if (graph.byId.has(ident)) {
    revision = ident
  } else if (graph.labels.has(ident)) {
    revision = graph.labels.get(ident) ?? null
  } else {
    let candidates = [...graph.byId.keys(), ...graph.labels.keys()].filter(
      (key) => key.length > 3 && key.startsWith(ident),
    )
    if (branch !== null && candidates.length > 0) candidates = [...filterForLineage(graph, candidates, branch)]
    if (candidates.length === 0) {
      if (graph.missingVersionsDir !== null) throw buildMissingVersionsDirError(ident, graph.missingVersionsDir)
      throw new UnknownRevisionError(
        ident,
        `Can't locate revision identified by '${ident}'` +
          (ident.length < 4
            ? '; please ensure at least four characters are present for partial revision identifier matches'
            : ''),
      )
    }
    if (candidates.length > 1) throw new AmbiguousRevisionError(ident, [...candidates].sort())
    const match = candidates[0] ?? ''
    revision = graph.byId.has(match) ? match : (graph.labels.get(match) ?? null)
  }
  if (branch !== null && branchRevision !== null && revision !== null && ident !== null) {
    if (!lineageOf(graph, [branchRevision], false).has(revision)) {
      throw new UnknownRevisionError(
        ident,
        `Can't locate revision identified by '${ident}': Revision ${revision} is not a member of branch '${branch}'`,
      )
    }
  }
  return revision
}

/** Alembic's `_resolve_branch`: a branch label, or a revision (id or prefix) standing for its branch. */
export function resolveBranch(graph: RevisionGraph, branch: string): string {
  const labelled = graph.labels.get(branch)
  if (labelled !== undefined) return labelled
  if (graph.byId.has(branch)) return branch
  try {
    const revision = resolveRevisionForIdent(graph, branch, null)
    if (revision !== null) return revision
  } catch (error) {
    if (!(error instanceof UnknownRevisionError)) throw error
  }
  throw new UnknownRevisionError(branch, `Can't locate revision identified by '${branch}': no such branch: '${branch}'`)
}

/**
 * Alembic's `filter_for_lineage`: the `ids` that are an ancestor or a descendant of (or equal to)
 * a revision `checkAgainst` names, or of its branch. `base` and an empty target keep everything.
 */
export function filterForLineage(
  graph: RevisionGraph,
  ids: readonly string[],
  checkAgainst: string | Target,
  includeDependencies = false,
): readonly string[] {
  const { ids: named, branch } = resolveRevisionNumber(graph, asTarget(checkAgainst))
  const shares = [...(branch === null ? [] : [branch]), ...named]
  if (shares.length === 0) return ids
  const against = shares.flatMap((share) => {
    const revision = resolveLineageName(graph, share)
    return revision === null ? [] : [revision]
  })
  const lineage = lineageOf(graph, against, includeDependencies)
  return ids.filter((id) => {
    const revision = resolveRevisionForIdent(graph, id, null)
    return revision !== null && lineage.has(revision)
  })
}

/**
 * A branch label, or a revision standing for its branch (the `x` of `x@head`). A name that is
 * neither is reported as such: the four-character rule is about revision prefixes, and asking
 * for more characters of a branch name would send the user the wrong way.
 */
function resolveLineageName(graph: RevisionGraph, name: string): string | null {
  try {
    return resolveRevisionForIdent(graph, name, null)
  } catch (error) {
    if (!(error instanceof UnknownRevisionError) || error.revision !== name) throw error
    throw new UnknownRevisionError(name, `Can't locate revision identified by '${name}': no branch label or revision is named '${name}'`)
  }
}

/** Every revision that is one of `ids`, an ancestor or a descendant of one. */
export function lineageOf(graph: RevisionGraph, ids: readonly string[], includeDependencies: boolean): Set<string> {
  const lineage = collectDescendants(graph, ids, { includeDependencies })
  for (const id of collectAncestors(graph, ids, { includeDependencies })) lineage.add(id)
  return lineage
}

/** Where a walk stands: a revision id, null ("nothing yet", Alembic's None) or below the roots. */
export type WalkPosition = string | null | typeof BELOW_BASE
const BELOW_BASE: unique symbol = Symbol('base')

/**
 * Alembic's `_walk`: `steps` up (positive) or down (negative) from `start`. Up from null starts
 * at the bases; down from null starts at the heads (as Alembic does). With `branch`, walking up
 * only follows revisions in that branch's lineage. A fork raises "Ambiguous walk". Past the end
 * it returns undefined when `noOverwalk`, else where it stopped.
 */
export function walk(
  graph: RevisionGraph,
  start: WalkPosition,
  steps: number,
  branch: string | null,
  noOverwalk: boolean,
): WalkPosition | undefined {
  let position: WalkPosition = start
  for (let step = 0; step < Math.abs(steps); step += 1) {
    let next: readonly WalkPosition[]
    if (steps > 0) {
      const from = position === BELOW_BASE ? null : position
      const up = from === null ? byPosition(graph, graph.bases) : (graph.childrenOf.get(from) ?? [])
      next = branch === null ? up : filterForLineage(graph, up, branch)
    } else if (position === BELOW_BASE) {
      next = []
    } else {
      const down = position === null ? byPosition(graph, graph.heads) : (graph.byId.get(position)?.downRevisions ?? [])
      next = down.length === 0 ? [BELOW_BASE] : down
    }
    if (next.length === 0) return noOverwalk ? undefined : position
    if (next.length > 1) {
      throw new RevisionError(
        `Ambiguous walk: from ${describePosition(position)} the graph forks into ` +
          `${next.map(describePosition).join(', ')}; ` +
          'name a branch (<label>@...) or a revision',
      )
    }
    position = next[0] ?? null
  }
  return position
}

function describePosition(position: WalkPosition): string {
  if (position === null) return 'nothing'
  return position === BELOW_BASE ? 'base' : position
}

/** Sorted as the revisions were given (Alembic's map order), which its algorithms depend on. */
export function byPosition(graph: RevisionGraph, ids: Iterable<string>): readonly string[] {
  return [...ids].sort((a, b) => (graph.position.get(a) ?? 0) - (graph.position.get(b) ?? 0))
}

/**
 * No revision can be found when the versions folder itself is missing; saying so sends the user to
 * the folder instead of to the id. Git keeps no empty folder, so a clone may lack it.
 */
export function buildMissingVersionsDirError(ident: string, versionsDir: string): UnknownRevisionError {
  return new UnknownRevisionError(
    ident,
    `Can't locate revision identified by '${ident}': the versions folder ${versionsDir} does not exist, so there are no ` +
      'revision files; restore it with its files, point -d/--directory at the migrations folder that has them, or ' +
      'create it (`tsdb db init` makes a new migrations folder with it; `tsdb db revision` creates it with the first revision)',
  )
}
