import { RevisionGraphError } from '../errors.js'
import type { Revision } from './revision.js'

/**
 * The revisions of a migrations folder and how they connect: Alembic's `RevisionMap`, built
 * once and then only read. Every list of ids is in the order the revisions were given (the
 * loader gives them sorted by file name, as Alembic reads them), except `heads`, `bases`,
 * `realHeads`, `realBases` and `branchLabelsOf`, which are sorted for output.
 */
export interface RevisionGraph {
  /** In the order given: Alembic breaks ties in its topological order by this order. */
  readonly revisions: readonly Revision[]
  readonly byId: ReadonlyMap<string, Revision>
  /** Index of each id in `revisions`. */
  readonly position: ReadonlyMap<string, number>
  /** Revisions whose `downRevisions` name this one (Alembic's `nextrev`; dependencies excluded). */
  readonly childrenOf: ReadonlyMap<string, readonly string[]>
  /** Children and revisions that depend on this one (Alembic's `_all_nextrev`). */
  readonly dependentsOf: ReadonlyMap<string, readonly string[]>
  /** `dependsOn` with branch labels resolved to revision ids (Alembic's `_resolved_dependencies`). */
  readonly dependenciesOf: ReadonlyMap<string, readonly string[]>
  /**
   * The dependencies that no down-revision ancestor already depends on (Alembic's
   * `_normalized_resolved_dependencies`).
   */
  readonly normalizedDependenciesOf: ReadonlyMap<string, readonly string[]>
  /** `downRevisions` followed by the normalized dependencies (Alembic's `_normalized_down_revisions`). */
  readonly normalizedDownOf: ReadonlyMap<string, readonly string[]>
  /** Revisions no other revision names as a down revision (Alembic's `heads`). */
  readonly heads: readonly string[]
  /** Revisions without down revisions (Alembic's `bases`). */
  readonly bases: readonly string[]
  /** Heads that nothing depends on either (Alembic's `_real_heads`, `heads --resolve-dependencies`). */
  readonly realHeads: readonly string[]
  /** Bases without dependencies (Alembic's `_real_bases`). */
  readonly realBases: readonly string[]
  /** Branch label -> the revision that declares it. */
  readonly labels: ReadonlyMap<string, string>
  /**
   * The branch labels each revision carries once labels are propagated as Alembic does: to all
   * descendants of the labelled revision and down its ancestors to the nearest branch point or
   * merge point. `label@head` and history's `(label)` read these.
   */
  readonly branchLabelsOf: ReadonlyMap<string, readonly string[]>
  /**
   * The versions folder, as the user would name it, when it does not exist: there are no
   * revisions, and a revision asked for is missing for that reason. null when it exists.
   */
  readonly missingVersionsDir: string | null
}

/** Alembic refuses these characters in revision ids because the target syntax uses them. */
const ILLEGAL_ID_CHARACTERS = ['@', '-', '+', ':'] as const

/**
 * Builds the graph of `revisions`, checking it as Alembic does and stricter where Alembic only
 * warns: duplicate ids, missing down revisions or dependencies, cycles and duplicate branch
 * labels are errors naming the file. Linear in the number of revisions (plus, per revision with
 * `dependsOn`, one walk of its ancestors).
 */
export interface BuildRevisionGraphOptions {
  /** See RevisionGraph.missingVersionsDir. Default is null. */
  readonly missingVersionsDir?: string | null
}

export function buildRevisionGraph(revisions: Iterable<Revision>, options: BuildRevisionGraphOptions = {}): RevisionGraph {
  const list: Revision[] = []
  const byId = new Map<string, Revision>()
  for (const revision of revisions) {
    checkRevisionId(revision)
    const existing = byId.get(revision.id)
    if (existing !== undefined) {
      throw new RevisionGraphError(
        `Revision ${revision.id} is present more than once: in ${describePath(existing)} and in ` +
          `${describePath(revision)}; give one of them another revision id (and fix the revisions that name it)`,
        [revision.id],
        revision.path || undefined,
        'DUPLICATE_REVISION',
      )
    }
    byId.set(revision.id, revision)
    list.push(revision)
  }

  const labels = buildLabels(list, byId)
  const dependenciesOf = resolveDependencies(list, byId, labels)

  const position = new Map<string, number>()
  const childrenOf = new Map<string, string[]>()
  const dependentsOf = new Map<string, string[]>()
  for (let index = 0; index < list.length; index++) {
    const id = (list[index] as Revision).id
    position.set(id, index)
    childrenOf.set(id, [])
    dependentsOf.set(id, [])
  }
  for (const revision of list) {
    for (const down of revision.downRevisions) {
      if (!byId.has(down)) {
        throw new RevisionGraphError(
          `Revision ${down} referenced from ${revision.id} is not present (${describePath(revision)}); ` +
            'fix its downRevision or restore the missing revision file',
          [revision.id],
          revision.path || undefined,
          'MISSING_REVISION',
        )
      }
      childrenOf.get(down)?.push(revision.id)
    }
    for (const down of withUnique(revision.downRevisions, dependenciesOf.get(revision.id) ?? NONE)) {
      dependentsOf.get(down)?.push(revision.id)
    }
  }

  checkCycles(list, byId, (revision) => revision.downRevisions, 'Cycle', 'REVISION_CYCLE')
  // Without any dependency the second graph is the first one, just checked.
  if (list.some((revision) => (dependenciesOf.get(revision.id)?.length ?? 0) > 0)) {
    checkCycles(
      list,
      byId,
      (revision) => withUnique(revision.downRevisions, dependenciesOf.get(revision.id) ?? NONE),
      'Dependency cycle',
      'DEPENDENCY_CYCLE',
    )
  }

  const normalizedDependenciesOf = normalizeDependencies(list, byId, dependenciesOf)
  const normalizedDownOf = new Map<string, readonly string[]>()
  for (const revision of list) {
    normalizedDownOf.set(revision.id, withUnique(revision.downRevisions, normalizedDependenciesOf.get(revision.id) ?? NONE))
  }

  const base = {
    revisions: list,
    byId,
    position,
    childrenOf,
    dependentsOf,
    dependenciesOf,
    normalizedDependenciesOf,
    normalizedDownOf,
    heads: sorted(list.filter((r) => childrenOf.get(r.id)?.length === 0).map((r) => r.id)),
    bases: sorted(list.filter((r) => r.downRevisions.length === 0).map((r) => r.id)),
    realHeads: sorted(list.filter((r) => dependentsOf.get(r.id)?.length === 0).map((r) => r.id)),
    realBases: sorted(
      list.filter((r) => r.downRevisions.length === 0 && r.dependsOn.length === 0).map((r) => r.id),
    ),
    labels,
    missingVersionsDir: options.missingVersionsDir ?? null,
  }
  return { ...base, branchLabelsOf: propagateBranchLabels(list, byId, childrenOf, dependentsOf) }
}

/** A head: no revision names it as a down revision (dependents do not count, as in Alembic). */
export function isHead(graph: RevisionGraph, id: string): boolean {
  return (graph.childrenOf.get(id)?.length ?? 0) === 0
}

/** More than one revision names it as a down revision. */
export function isBranchPoint(graph: RevisionGraph, id: string): boolean {
  return (graph.childrenOf.get(id)?.length ?? 0) > 1
}

/** It has more than one down revision. */
export function isMergePoint(graph: RevisionGraph, id: string): boolean {
  return (graph.byId.get(id)?.downRevisions.length ?? 0) > 1
}

/** White space or one of ILLEGAL_ID_CHARACTERS. */
const ILLEGAL_ID_PATTERN = /[\s@\-+:]/

function checkRevisionId(revision: Revision): void {
  if (revision.id === '' || ILLEGAL_ID_PATTERN.test(revision.id)) {
    const illegal = ILLEGAL_ID_CHARACTERS.filter((character) => revision.id.includes(character))
    throw new RevisionGraphError(
      `Character(s) '${illegal.join(', ') || 'whitespace'}' not allowed in revision identifier '${revision.id}' ` +
        `(${describePath(revision)}); revision ids may not be empty nor contain whitespace, '@', '-', '+' or ':'`,
      [revision.id],
      revision.path || undefined,
      'INVALID_REVISION_ID',
    )
  }
  if (revision.downRevisions.includes(revision.id)) {
    throw new RevisionGraphError(
      `Self-loop is detected in revisions (${revision.id}); ` +
        `${describePath(revision)} names itself as its down revision; fix its downRevision`,
      [revision.id],
      revision.path || undefined,
      'REVISION_CYCLE',
    )
  }
  if (revision.dependsOn.includes(revision.id)) {
    throw new RevisionGraphError(
      `Dependency self-loop is detected in revisions (${revision.id}); ${describePath(revision)} depends on itself; fix its dependsOn`,
      [revision.id],
      revision.path || undefined,
      'DEPENDENCY_CYCLE',
    )
  }
  const duplicate =
    revision.downRevisions.length < 2
      ? undefined
      : revision.downRevisions.find((down, index) => revision.downRevisions.indexOf(down) !== index)
  if (duplicate !== undefined) {
    throw new RevisionGraphError(
      `Revision ${revision.id} names ${duplicate} twice as a down revision (${describePath(revision)}); list it once`,
      [revision.id],
      revision.path || undefined,
      'DUPLICATE_DOWN_REVISION',
    )
  }
}

/** A label may name one revision only, and may not be another revision's id (Alembic shares one map). */
function buildLabels(list: readonly Revision[], byId: ReadonlyMap<string, Revision>): Map<string, string> {
  const labels = new Map<string, string>()
  for (const revision of list) {
    for (const label of revision.branchLabels) {
      const owner = labels.get(label) ?? (byId.has(label) ? label : undefined)
      if (owner !== undefined) {
        throw new RevisionGraphError(
          `Branch name '${label}' in revision ${revision.id} already used by revision ${owner} ` +
            `(${describePath(revision)}); choose another branch label`,
          [revision.id, owner],
          revision.path || undefined,
          'DUPLICATE_BRANCH_LABEL',
        )
      }
      labels.set(label, revision.id)
    }
  }
  return labels
}

function resolveDependencies(
  list: readonly Revision[],
  byId: ReadonlyMap<string, Revision>,
  labels: ReadonlyMap<string, string>,
): Map<string, readonly string[]> {
  const dependenciesOf = new Map<string, readonly string[]>()
  for (const revision of list) {
    if (revision.dependsOn.length === 0) {
      dependenciesOf.set(revision.id, NONE)
      continue
    }
    const resolved = revision.dependsOn.map((dependency) => {
      const id = byId.has(dependency) ? dependency : labels.get(dependency)
      if (id === undefined) {
        throw new RevisionGraphError(
          `Revision ${revision.id} depends on '${dependency}', which is neither a revision nor a branch label ` +
            `(${describePath(revision)}); fix its dependsOn or restore the missing revision file`,
          [revision.id],
          revision.path || undefined,
          'MISSING_REVISION',
        )
      }
      return id
    })
    dependenciesOf.set(revision.id, unique(resolved))
  }
  return dependenciesOf
}

/**
 * Kahn's algorithm over `parentsOf`. Alembic compares the ancestors of the heads with the
 * descendants of the bases, which misses a cycle that is reachable from both; peeling the graph
 * finds every cycle. The revisions reported are those on a cycle or between cycles.
 */
function checkCycles(
  list: readonly Revision[],
  byId: ReadonlyMap<string, Revision>,
  parentsOf: (revision: Revision) => readonly string[],
  kind: 'Cycle' | 'Dependency cycle',
  code: string,
): void {
  const pending = new Map<string, number>()
  const childrenOf = new Map<string, string[]>()
  for (const revision of list) {
    const parents = parentsOf(revision)
    pending.set(revision.id, parents.length)
    for (const parent of parents) {
      const children = childrenOf.get(parent)
      if (children === undefined) childrenOf.set(parent, [revision.id])
      else children.push(revision.id)
    }
  }
  const ready = list.filter((revision) => pending.get(revision.id) === 0).map((revision) => revision.id)
  let done = 0
  while (ready.length > 0) {
    const id = ready.pop() as string // the loop condition guarantees an element
    done += 1
    for (const child of childrenOf.get(id) ?? []) {
      const left = (pending.get(child) ?? 0) - 1
      pending.set(child, left)
      if (left === 0) ready.push(child)
    }
  }
  if (done === list.length) return

  // Peel the revisions that only lead into cycles (their descendants), keeping the cycles.
  const stuck = new Set(list.filter((revision) => (pending.get(revision.id) ?? 0) > 0).map((r) => r.id))
  const stuckChildren = new Map<string, number>()
  for (const id of stuck) stuckChildren.set(id, (childrenOf.get(id) ?? []).filter((c) => stuck.has(c)).length)
  const leaves = [...stuck].filter((id) => stuckChildren.get(id) === 0)
  while (leaves.length > 0) {
    const id = leaves.pop() as string // the loop condition guarantees an element
    stuck.delete(id)
    const revision = byId.get(id)
    for (const parent of revision === undefined ? [] : parentsOf(revision)) {
      if (!stuck.has(parent)) continue
      const left = (stuckChildren.get(parent) ?? 0) - 1
      stuckChildren.set(parent, left)
      if (left === 0) leaves.push(parent)
    }
  }
  const ids = sorted([...stuck])
  const first = byId.get(ids[0] ?? '')
  throw new RevisionGraphError(
    `${kind} is detected in revisions (${ids.join(', ')}); ` +
      `fix the ${kind === 'Cycle' ? 'downRevision' : 'downRevision or dependsOn'} of one of ` +
      ids.map((id) => describePath(byId.get(id))).join(', '),
    ids,
    first?.path || undefined,
    code,
  )
}

/**
 * Alembic's `_normalize_depends_on`: a dependency is dropped when a down-revision ancestor
 * already depends on it, so that the version table does not keep a row for it.
 */
function normalizeDependencies(
  list: readonly Revision[],
  byId: ReadonlyMap<string, Revision>,
  dependenciesOf: ReadonlyMap<string, readonly string[]>,
): Map<string, readonly string[]> {
  const declarers = new Map<string, number>()
  for (const revision of list) {
    for (const dependency of dependenciesOf.get(revision.id) ?? []) {
      declarers.set(dependency, (declarers.get(dependency) ?? 0) + 1)
    }
  }
  const normalized = new Map<string, readonly string[]>()
  for (const revision of list) {
    const dependencies = dependenciesOf.get(revision.id) ?? NONE
    // Only a dependency that some other revision also declares can be implied by an ancestor.
    if (dependencies.length === 0 || !dependencies.some((dependency) => (declarers.get(dependency) ?? 0) > 1)) {
      normalized.set(revision.id, dependencies)
      continue
    }
    const implied = new Set<string>()
    const seen = new Set<string>()
    const todo = [...revision.downRevisions]
    while (todo.length > 0) {
      const id = todo.pop() as string // the loop condition guarantees an element
      if (seen.has(id)) continue
      seen.add(id)
      for (const dependency of dependenciesOf.get(id) ?? []) implied.add(dependency)
      todo.push(...(byId.get(id)?.downRevisions ?? []))
    }
    normalized.set(
      revision.id,
      dependencies.filter((dependency) => !implied.has(dependency)),
    )
  }
  return normalized
}

/**
 * Alembic's `_add_branches`: each labelled revision gives its labels to all its descendants, and
 * from the last of them down the line of single down revisions until a branch point (counting
 * dependents) or a merge point. Alembic walks a set, so "the last descendant" is arbitrary there;
 * the walk below only reaches past the labelled revision when its descendants form one line, and
 * then every order gives the same result.
 */
function propagateBranchLabels(
  list: readonly Revision[],
  byId: ReadonlyMap<string, Revision>,
  childrenOf: ReadonlyMap<string, readonly string[]>,
  dependentsOf: ReadonlyMap<string, readonly string[]>,
): ReadonlyMap<string, readonly string[]> {
  // Only labelled revisions and their lines get a set: most revisions carry no label.
  const labelsOf = new Map<string, Set<string>>()
  const labelsFor = (id: string): Set<string> => {
    let labels = labelsOf.get(id)
    if (labels === undefined) {
      labels = new Set(byId.get(id)?.branchLabels)
      labelsOf.set(id, labels)
    }
    return labels
  }
  for (const revision of list) {
    if (revision.branchLabels.length === 0) continue
    const labels = [...labelsFor(revision.id)]
    const give = (id: string): void => {
      if (!byId.has(id)) return
      const target = labelsFor(id)
      for (const label of labels) target.add(label)
    }
    let last = revision.id
    const seen = new Set<string>()
    const todo = [revision.id]
    while (todo.length > 0) {
      const id = todo.pop() as string // the loop condition guarantees an element
      if (seen.has(id)) continue
      seen.add(id)
      todo.push(...(childrenOf.get(id) ?? []))
      give(id)
      last = id
    }
    let parent: Revision | undefined = byId.get(last)
    while (
      parent !== undefined &&
      (dependentsOf.get(parent.id)?.length ?? 0) <= 1 &&
      parent.downRevisions.length <= 1
    ) {
      give(parent.id)
      const down: string | undefined = parent.downRevisions[0]
      parent = down === undefined ? undefined : byId.get(down)
    }
  }
  const result = new Map<string, readonly string[]>()
  for (const revision of list) {
    const labels = labelsOf.get(revision.id)
    result.set(revision.id, labels === undefined || labels.size === 0 ? NONE : sorted([...labels]))
  }
  return result
}

function describePath(revision: Revision | undefined): string {
  if (revision === undefined) return 'an unknown file'
  return revision.path === '' ? `revision ${revision.id}` : revision.path
}

function unique(ids: readonly string[]): readonly string[] {
  return [...new Set(ids)]
}

/** No ids: shared, as every list here is read-only once built. */
const NONE: readonly string[] = Object.freeze([])

/**
 * `unique([...ids, ...more])` for `ids` without duplicates (checkRevisionId refuses a down
 * revision named twice); `ids` itself when there is nothing more, as for most revisions.
 */
function withUnique(ids: readonly string[], more: readonly string[]): readonly string[] {
  return more.length === 0 ? ids : unique([...ids, ...more])
}

function sorted(ids: readonly string[]): readonly string[] {
  return [...ids].sort()
}
