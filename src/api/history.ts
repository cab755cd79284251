import type { ResolvedConfig } from '../config/config.js'
import { UsageError } from '../errors.js'
import { listBranchPoints, listHistory, resolveDependencyHeads } from '../revision/history.js'
import { resolveRevisions } from '../revision/resolve-target.js'
import { loadRevisionGraph } from './load-revisions.js'
import { createRevisionDescriber, describeIds, type RevisionInfo } from './revision-info.js'

export interface HistoryOptions {
  /** `start:end`, `start:` or `:end` (Alembic's `-r`); the bounds take every target form and `current`. */
  readonly range?: string
  /** Mark the database's current revisions (needs the database). Default is `false`. */
  readonly indicateCurrent?: boolean
}

/**
 * The revision graph, newest first (`flask db history`). Reads only the files' headers.
 *
 * @example
 * for (const revision of await history(config)) console.log(revision.id, revision.message)
 */
export async function history(config: ResolvedConfig, options: HistoryOptions = {}): Promise<readonly RevisionInfo[]> {
  if (options.range !== undefined && !options.range.includes(':')) {
    throw new UsageError('History range requires [start]:[end], [start]:, or :[end]')
  }
  const graph = await loadRevisionGraph(config)
  const needsDatabase = options.indicateCurrent === true || (options.range?.includes('current') ?? false)
  const currentHeads = needsDatabase ? await readCurrentHeadsOf(config) : []
  const describe = createRevisionDescriber(graph, options.indicateCurrent === true ? currentHeads : [])
  return listHistory(graph, { range: options.range, currentHeads }).map(describe)
}

export interface HeadsOptions {
  /** Treat `dependsOn` as down revisions (Alembic's `--resolve-dependencies`). Default is `false`. */
  readonly resolveDependencies?: boolean
}

/**
 * The head revisions of the graph (`flask db heads`).
 *
 * @example
 * const ids = (await heads(config)).map((h) => h.id)
 */
export async function heads(config: ResolvedConfig, options: HeadsOptions = {}): Promise<readonly RevisionInfo[]> {
  const graph = await loadRevisionGraph(config)
  const ids = options.resolveDependencies === true ? resolveDependencyHeads(graph) : graph.heads
  return describeIds(graph, ids)
}

export interface BranchPointInfo {
  readonly point: RevisionInfo
  readonly children: readonly RevisionInfo[]
}

/**
 * The branch points, each with its children (`flask db branches`).
 *
 * @example
 * for (const { point, children } of await branches(config)) console.log(point.id, children.length)
 */
export async function branches(config: ResolvedConfig): Promise<readonly BranchPointInfo[]> {
  const graph = await loadRevisionGraph(config)
  const describe = createRevisionDescriber(graph)
  return listBranchPoints(graph).map((revision) => ({
    point: describe(revision),
    children: describeIds(graph, graph.childrenOf.get(revision.id) ?? []),
  }))
}

/**
 * The revision(s) a target names, in full (`flask db show`); `current` asks the database.
 *
 * @example
 * const [revision] = await show(config, 'head')
 */
export async function show(config: ResolvedConfig, target = 'head'): Promise<readonly RevisionInfo[]> {
  const graph = await loadRevisionGraph(config)
  const currentHeads = target === 'current' ? await readCurrentHeadsOf(config) : []
  const ids = target === 'current' ? currentHeads : resolveRevisions(graph, target, currentHeads)
  return describeIds(graph, ids)
}

/** Loaded only when asked for: reading the files' headers needs neither Kysely nor a driver. */
async function readCurrentHeadsOf(config: ResolvedConfig): Promise<readonly string[]> {
  const [{ withDatabase }, { readCurrentHeads }] = await Promise.all([
    import('../connection/with-database.js'),
    import('./read-current-heads.js'),
  ])
  return withDatabase(config, (db) => readCurrentHeads(db, config))
}
