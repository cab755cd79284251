import { VersionTableError } from '../errors.js'
import { collectAncestors } from '../revision/graph-walk.js'
import type { MigrationStep, StampStep } from '../revision/migration-step.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import type { VersionChange } from './version-change.js'

/** What one step does to the version table, and the heads it leaves. */
export interface VersionPlan {
  readonly changes: readonly VersionChange[]
  readonly nextHeads: ReadonlySet<string>
}

/**
 * The rows to insert, delete or update when `step` runs on a database whose version table
 * holds `heads`: Alembic's `HeadMaintainer.update_to_step` with `RevisionStep`'s
 * `should_delete_branch` / `should_create_branch` / `should_merge_branches` /
 * `should_unmerge_branches` / `update_version_num`, tried in that order. Where Alembic would
 * fail an assertion or miss a row, this raises VersionTableError.
 */
export function planVersionChanges(heads: ReadonlySet<string>, step: MigrationStep, graph: RevisionGraph): VersionPlan {
  const rows = createVersionRows(heads)
  const id = step.revision.id
  const downs = graph.normalizedDownOf.get(id) ?? []
  const isUpgrade = step.direction === 'up'
  const current = rows.heads

  if (!isUpgrade && current.has(id) && (downs.length === 0 || unmergeTargets(graph, current, id, downs).length === 0)) {
    // Down to base, or to revisions another remaining head already implies: the row goes.
    rows.remove(id)
  } else if (isUpgrade && (downs.length === 0 || !downs.some((down) => current.has(down)))) {
    // A base, or none of the down revisions is a row: a new branch (or merge point) appears.
    rows.insert(id)
  } else if (isUpgrade && downs.length > 1 && downs.filter((down) => current.has(down)).length > 1) {
    const others = [...current].filter((head) => !downs.includes(head))
    const implied = others.length > 0 ? ancestorsOfHeads(graph, others) : new Set<string>()
    // Alembic also lists down revisions that have no row (one a dependency already replaced)
    // and then fails deleting them; only rows that exist are merged here.
    const from = downs.filter((down) => !implied.has(down) && current.has(down))
    const last = from[from.length - 1]
    if (last === undefined) throw ambiguous(id, current)
    for (const down of from.slice(0, -1)) rows.remove(down)
    rows.update(last, id)
  } else if (!isUpgrade && current.has(id) && downs.length > 1) {
    const to = unmergeTargets(graph, current, id, downs)
    const last = to[to.length - 1]
    if (last === undefined) throw ambiguous(id, current)
    for (const down of to.slice(0, -1)) rows.insert(down)
    rows.update(id, last)
  } else {
    let down: string | undefined = downs[0]
    if (downs.length !== 1) {
      const present = downs.filter((candidate) => current.has(candidate))
      if (present.length !== 1) throw ambiguous(id, current)
      down = present[0]
    }
    if (down === undefined) throw ambiguous(id, current)
    if (isUpgrade) rows.update(down, id)
    else rows.update(id, down)
  }
  return rows.result()
}

/**
 * The rows that take the version table from `before` to `after`: an UPDATE for each row that
 * goes while another comes, then the DELETEs or INSERTs left over. A run writes this once per
 * transaction, so a linear upgrade of any length costs one UPDATE.
 */
export function diffVersionRows(before: ReadonlySet<string>, after: ReadonlySet<string>): readonly VersionChange[] {
  const gone = [...before].filter((id) => !after.has(id)).sort()
  const added = [...after].filter((id) => !before.has(id)).sort()
  const changes: VersionChange[] = []
  for (let i = 0; i < Math.max(gone.length, added.length); i++) {
    const from = gone[i]
    const to = added[i]
    if (from !== undefined && to !== undefined) changes.push({ kind: 'update', from, to })
    else if (from !== undefined) changes.push({ kind: 'delete', id: from })
    else if (to !== undefined) changes.push({ kind: 'insert', id: to })
  }
  return changes
}

/**
 * What one `stamp` step does to the version table: Alembic's `HeadMaintainer.update_to_step`
 * with `StampStep`'s predicates.
 */
export function planStampStepChanges(heads: ReadonlySet<string>, step: StampStep): VersionPlan {
  const rows = createVersionRows(heads)
  const current = rows.heads
  const isUpgrade = step.direction === 'up'
  const [firstFrom] = step.from
  const [firstTo] = step.to
  const lastFrom = step.from[step.from.length - 1]
  const lastTo = step.to[step.to.length - 1]

  if (!isUpgrade && step.isBranchMove) {
    if (step.from.length !== 1 || firstFrom === undefined) throw stampShape(step)
    rows.remove(firstFrom)
  } else if (
    isUpgrade &&
    (step.isBranchMove || step.from.some((id) => !current.has(id))) &&
    step.to.some((id) => !current.has(id))
  ) {
    if (step.to.length !== 1 || firstTo === undefined) throw stampShape(step)
    rows.insert(firstTo)
  } else if (step.from.length > 1) {
    if (lastFrom === undefined || firstTo === undefined) throw stampShape(step)
    for (const id of step.from.slice(0, -1)) rows.remove(id)
    rows.update(lastFrom, firstTo)
  } else if (step.to.length > 1) {
    if (firstFrom === undefined || lastTo === undefined) throw stampShape(step)
    for (const id of step.to.slice(0, -1)) rows.insert(id)
    rows.update(firstFrom, lastTo)
  } else {
    if (step.from.length !== 1 || step.to.length !== 1 || firstFrom === undefined || firstTo === undefined) {
      throw stampShape(step)
    }
    rows.update(firstFrom, firstTo)
  }
  return rows.result()
}

/**
 * Alembic's `_unmerge_to_revisions`: the down revisions that need a row once `id` is reverted,
 * leaving out those another remaining head (or another of them) already implies.
 */
function unmergeTargets(
  graph: RevisionGraph,
  heads: ReadonlySet<string>,
  id: string,
  downs: readonly string[],
): readonly string[] {
  const others = [...heads].filter((head) => head !== id)
  if (others.length > 0) {
    const implied = ancestorsOfHeads(graph, others)
    return downs.filter((down) => !implied.has(down))
  }
  // One down revision implies none of the others: walking its ancestors would make every step
  // of a linear downgrade cost the length of the history, and the whole downgrade its square.
  if (downs.length <= 1) return downs
  const implied = new Set<string>()
  for (const down of downs) {
    for (const ancestor of collectAncestors(graph, [down])) if (ancestor !== down) implied.add(ancestor)
  }
  return downs.filter((down) => !implied.has(down))
}

/** The last `ancestorsOfHeads` answer for each graph. */
const lastAncestors = new WeakMap<RevisionGraph, { readonly key: string; readonly ancestors: ReadonlySet<string> }>()

/**
 * The heads and all their ancestors. A downgrade of one branch asks with the same other heads at
 * every step, so the last answer is kept: the history is walked once, not once per step.
 */
function ancestorsOfHeads(graph: RevisionGraph, heads: readonly string[]): ReadonlySet<string> {
  const key = [...heads].sort().join('\0')
  const last = lastAncestors.get(graph)
  if (last?.key === key) return last.ancestors
  const ancestors = collectAncestors(graph, heads)
  lastAncestors.set(graph, { key, ancestors })
  return ancestors
}

interface VersionRows {
  readonly heads: ReadonlySet<string>
  insert(id: string): void
  remove(id: string): void
  update(from: string, to: string): void
  result(): VersionPlan
}

/** The rows as they change, checked as Alembic's HeadMaintainer checks them. */
function createVersionRows(initial: ReadonlySet<string>): VersionRows {
  const heads = new Set(initial)
  const changes: VersionChange[] = []
  const describe = (): string => (heads.size === 0 ? 'none' : [...heads].sort().join(', '))
  return {
    heads,
    insert(id) {
      if (heads.has(id)) {
        throw new VersionTableError(
          `Cannot insert version '${id}': the version table already holds it (rows: ${describe()})`,
          { code: 'VERSION_ROW_CONFLICT' },
        )
      }
      heads.add(id)
      changes.push({ kind: 'insert', id })
    },
    remove(id) {
      if (!heads.has(id)) {
        throw new VersionTableError(
          `Cannot delete version '${id}': the version table does not hold it (rows: ${describe()})`,
          { code: 'VERSION_ROW_MISSING' },
        )
      }
      heads.delete(id)
      changes.push({ kind: 'delete', id })
    },
    update(from, to) {
      if (!heads.has(from)) {
        throw new VersionTableError(
          `Cannot update version '${from}' to '${to}': the version table does not hold '${from}' (rows: ${describe()})`,
          { code: 'VERSION_ROW_MISSING' },
        )
      }
      if (heads.has(to)) {
        throw new VersionTableError(
          `Cannot update version '${from}' to '${to}': the version table already holds '${to}' (rows: ${describe()})`,
          { code: 'VERSION_ROW_CONFLICT' },
        )
      }
      heads.delete(from)
      heads.add(to)
      changes.push({ kind: 'update', from, to })
    },
    result() {
      return { changes, nextHeads: new Set(heads) }
    },
  }
}

function ambiguous(id: string, heads: ReadonlySet<string>): VersionTableError {
  return new VersionTableError(
    `Can't do an UPDATE for revision ${id} because its down revision is ambiguous with the version table at ` +
      `${heads.size === 0 ? 'base' : [...heads].sort().join(', ')}`,
    { code: 'VERSION_ROW_AMBIGUOUS' },
  )
}

function stampShape(step: StampStep): VersionTableError {
  return new VersionTableError(
    `Cannot stamp from (${step.from.join(', ')}) to (${step.to.join(', ')}) in one step`,
    { code: 'VERSION_ROW_AMBIGUOUS' },
  )
}
