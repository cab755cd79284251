import { RevisionError } from '../errors.js'
import type { RevisionGraph } from './revision-graph.js'

/**
 * Walks over a RevisionGraph (Alembic's `_get_ancestor_nodes` / `_get_descendant_nodes`). Each
 * walk is linear in what it visits; `isAncestorOrSelf` answers in constant time from a bit matrix
 * built once per graph, so the topological sort stays fast on thousands of revisions.
 */

export interface WalkOptions {
  /**
   * Follow dependencies too (Alembic's `include_dependencies`, its default). Ancestors then follow
   * `normalizedDownOf`, descendants `dependentsOf`; otherwise `downRevisions` and `childrenOf`.
   */
  readonly includeDependencies?: boolean
}

/** The edges an ancestor walk follows: down revisions, plus dependencies unless told otherwise. */
function parentEdges(graph: RevisionGraph, options: WalkOptions): (id: string) => readonly string[] {
  return options.includeDependencies === false
    ? (id) => graph.byId.get(id)?.downRevisions ?? []
    : (id) => graph.normalizedDownOf.get(id) ?? []
}

/** The edges a descendant walk follows: children, plus dependents unless told otherwise. */
function childEdges(graph: RevisionGraph, options: WalkOptions): (id: string) => readonly string[] {
  return options.includeDependencies === false
    ? (id) => graph.childrenOf.get(id) ?? []
    : (id) => graph.dependentsOf.get(id) ?? []
}

/** The ids and all their ancestors. */
export function collectAncestors(graph: RevisionGraph, ids: Iterable<string>, options: WalkOptions = {}): Set<string> {
  return collect(ids, parentEdges(graph, options))
}

/** The ids and all their descendants. */
export function collectDescendants(graph: RevisionGraph, ids: Iterable<string>, options: WalkOptions = {}): Set<string> {
  return collect(ids, childEdges(graph, options))
}

/**
 * Like `collectAncestors`, and raises as Alembic's `check=True` does when one requested revision
 * reaches another that was requested before it: "Requested revision X overlaps with other
 * requested revisions Y".
 */
export function collectAncestorsChecked(graph: RevisionGraph, ids: readonly string[], options: WalkOptions = {}): Set<string> {
  return collectChecked(ids, parentEdges(graph, options))
}

/** Like `collectDescendants`, with the overlap check of `collectAncestorsChecked`. */
export function collectDescendantsChecked(graph: RevisionGraph, ids: readonly string[], options: WalkOptions = {}): Set<string> {
  return collectChecked(ids, childEdges(graph, options))
}

function collect(ids: Iterable<string>, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>()
  const todo = [...ids]
  while (todo.length > 0) {
    const id = todo.pop() as string // the loop condition guarantees an element
    if (seen.has(id)) continue
    seen.add(id)
    for (const other of next(id)) if (!seen.has(other)) todo.push(other)
  }
  return seen
}

function collectChecked(ids: readonly string[], next: (id: string) => readonly string[]): Set<string> {
  const requested = new Set(ids)
  const seen = new Set<string>()
  for (const target of ids) {
    // As Alembic, a revision reached again still counts for this target's overlap check.
    const reached = new Set<string>()
    const todo = [target]
    while (todo.length > 0) {
      const id = todo.pop() as string // the loop condition guarantees an element
      reached.add(id)
      if (seen.has(id)) continue
      seen.add(id)
      todo.push(...next(id))
    }
    const overlaps = [...reached].filter((id) => id !== target && requested.has(id))
    if (overlaps.length > 0) {
      throw new RevisionError(
        `Requested revision ${target} overlaps with other requested revisions ${overlaps.join(', ')}`,
      )
    }
  }
  return seen
}

interface Ancestry {
  readonly index: ReadonlyMap<string, number>
  readonly words: number
  /** Row i has bit j set when revision j is revision i or one of its ancestors. */
  readonly bits: Uint32Array
}

// Memoized per graph; the graph is immutable, so this cache is invisible to callers.
const ancestryCache = new WeakMap<RevisionGraph, Ancestry>()

/** Whether `ancestor` is `id` or one of its ancestors (dependencies included). */
export function isAncestorOrSelf(graph: RevisionGraph, ancestor: string, id: string): boolean {
  const ancestry = buildAncestry(graph)
  const row = ancestry.index.get(id)
  const column = ancestry.index.get(ancestor)
  if (row === undefined || column === undefined) return false
  const word = ancestry.bits[row * ancestry.words + (column >>> 5)] ?? 0
  return (word & (1 << (column & 31))) !== 0
}

function buildAncestry(graph: RevisionGraph): Ancestry {
  const cached = ancestryCache.get(graph)
  if (cached !== undefined) return cached
  const count = graph.revisions.length
  const words = Math.max(1, Math.ceil(count / 32))
  const bits = new Uint32Array(count * words)
  const index = new Map<string, number>()
  for (const [i, revision] of graph.revisions.entries()) index.set(revision.id, i)

  // Parents before children (the graph is acyclic: buildRevisionGraph checked it).
  const pending = graph.revisions.map((revision) => graph.normalizedDownOf.get(revision.id)?.length ?? 0)
  const ready: number[] = []
  for (const [i, left] of pending.entries()) if (left === 0) ready.push(i)
  while (ready.length > 0) {
    const i = ready.pop() as number // the loop condition guarantees an element
    const revision = graph.revisions[i]
    if (revision === undefined) continue
    const rowStart = i * words
    bits[rowStart + (i >>> 5)] = (bits[rowStart + (i >>> 5)] ?? 0) | (1 << (i & 31))
    for (const parent of graph.normalizedDownOf.get(revision.id) ?? []) {
      const p = index.get(parent)
      if (p === undefined) continue
      const parentStart = p * words
      for (let w = 0; w < words; w += 1) {
        bits[rowStart + w] = (bits[rowStart + w] ?? 0) | (bits[parentStart + w] ?? 0)
      }
    }
    for (const child of graph.dependentsOf.get(revision.id) ?? []) {
      const c = index.get(child)
      if (c === undefined) continue
      // Only edges that are normalized down revisions of the child were counted.
      if (!(graph.normalizedDownOf.get(child) ?? []).includes(revision.id)) continue
      const left = (pending[c] ?? 0) - 1
      pending[c] = left
      if (left === 0) ready.push(c)
    }
  }
  const ancestry = { index, words, bits }
  ancestryCache.set(graph, ancestry)
  return ancestry
}
