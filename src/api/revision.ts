import type { ResolvedConfig } from '../config/config.js'
import { CommandError, MultipleHeadsError, UsageError } from '../errors.js'
import type { Reporter } from '../runner/reporter.js'
import { resolveRevisions } from '../revision/resolve-target.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import { BRANCH_LABEL_PATTERN, MAX_REVISION_ID_LENGTH, RESERVED_BRANCH_LABELS, REVISION_ID_PATTERN } from '../revision/revision.js'
import { generateRevisionId, writeRevisionFile } from '../script/write-revision-file.js'
import { loadRevisionGraph } from './load-revisions.js'

export interface RevisionOptions {
  /** The message (`-m`): the first line of the header comment and the file name's slug. */
  readonly message?: string
  /** The revision to build on. Default is `head`; `base` starts a new root. */
  readonly head?: string
  /** Allow `head` to be a revision that is not a head, starting a new branch. Default is `false`. */
  readonly splice?: boolean
  readonly branchLabel?: string | readonly string[]
  /** A folder for the new file other than `<migrations>/versions`. */
  readonly versionPath?: string
  /** Use this id instead of 12 random hex characters. */
  readonly revId?: string
  readonly dependsOn?: string | readonly string[]
  /** The bodies of `up` and `down` (autogenerate fills them; empty revisions get placeholders). */
  readonly upBody?: string
  readonly downBody?: string
  /** Extra import lines for the file (the `kysely` import is derived from the bodies). */
  readonly imports?: readonly string[]
  /** False writes `export const transactional = false`. Default is true. */
  readonly transactional?: boolean
  /** The bodies of each bind's `up` and `down`, by name (a multidb project; autogenerate fills them). */
  readonly bindBodies?: Readonly<Record<string, { readonly upBody: string; readonly downBody: string }>>
}

export interface CreatedRevision {
  readonly id: string
  readonly path: string
  readonly downRevisions: readonly string[]
}

/**
 * Writes a new revision file (`flask db revision`), on the current head unless told otherwise.
 *
 * @example
 * const { path } = await revision(config, { message: 'add index' })
 */
export async function revision(config: ResolvedConfig, options: RevisionOptions = {}): Promise<CreatedRevision> {
  checkNewRevisionNames(options)
  const graph = await loadRevisionGraph(config)
  const downRevisions = resolveParents(
    graph,
    options.head ?? 'head',
    'Multiple heads are present; please specify the head revision on which the new revision should be based, ' +
      'or perform a merge.',
  )
  if (options.splice !== true) requireHeads(graph, downRevisions)
  return createRevisionFile(config, graph, { ...options, downRevisions })
}

export interface MergeOptions {
  readonly message?: string
  readonly branchLabel?: string | readonly string[]
  readonly revId?: string
  /** Receives the warning for a merge of no revision. Default prints nothing. */
  readonly reporter?: Reporter
}

/**
 * Writes a merge revision whose down revisions are the given ones (`flask db merge heads`).
 * As in Alembic, one revision gives an ordinary child of it, and none (or `base`) a new base.
 *
 * @example
 * await merge(config, ['heads'], { message: 'merge branches' })
 */
export async function merge(
  config: ResolvedConfig,
  revisions: readonly string[],
  options: MergeOptions = {},
): Promise<CreatedRevision> {
  checkNewRevisionNames(options)
  const graph = await loadRevisionGraph(config)
  const downRevisions = [...new Set(revisions.flatMap((target) => resolveParents(graph, target)))]
  requireHeads(graph, downRevisions)
  const created = await createRevisionFile(config, graph, { ...options, downRevisions })
  if (downRevisions.length === 0) {
    options.reporter?.warn(
      `Nothing to merge: ${revisions.length === 0 ? 'no revision was given' : `'${revisions.join(' ')}' names no revision`}, so ` +
        `${created.id} is a new base revision, not a merge point; ` +
        '`tsdb db merge heads` merges the current heads',
    )
  }
  return created
}

function resolveParents(graph: RevisionGraph, target: string, multipleHeads?: string): readonly string[] {
  if (target === 'base') return []
  try {
    return resolveRevisions(graph, target, [])
  } catch (error) {
    if (error instanceof MultipleHeadsError && multipleHeads !== undefined) {
      throw new MultipleHeadsError(error.heads, error.argument, multipleHeads)
    }
    throw error
  }
}

function requireHeads(graph: RevisionGraph, ids: readonly string[]): void {
  for (const id of ids) {
    if ((graph.childrenOf.get(id) ?? []).length > 0) {
      throw new CommandError(
        `Revision ${id} is not a head revision; please specify --splice to create a new branch from this revision`,
        { code: 'NOT_A_HEAD' },
      )
    }
  }
}

async function createRevisionFile(
  config: ResolvedConfig,
  graph: RevisionGraph,
  options: RevisionOptions & { readonly downRevisions: readonly string[] },
): Promise<CreatedRevision> {
  const id = options.revId ?? generateRevisionId()
  if (graph.byId.has(id)) {
    throw new CommandError(`Revision ${id} is already present in ${graph.byId.get(id)?.path}; choose another --rev-id`, {
      code: 'DUPLICATE_REVISION',
    })
  }
  const branchLabels = toList(options.branchLabel)
  for (const label of branchLabels) {
    if (graph.labels.has(label)) {
      throw new CommandError(
        `Branch name '${label}' is already used by revision ${graph.labels.get(label)}; choose another --branch-label`,
        { code: 'DUPLICATE_BRANCH_LABEL' },
      )
    }
  }
  // Alembic keeps a branch label as written in depends_on, and resolves partial ids to full ones.
  const dependsOn = toList(options.dependsOn).map((dependency) =>
    graph.labels.has(dependency) ? dependency : (resolveRevisions(graph, dependency, [])[0] ?? dependency),
  )
  const path = await writeRevisionFile(config, {
    id,
    message: options.message ?? '',
    downRevisions: options.downRevisions,
    branchLabels,
    dependsOn,
    createDate: new Date(),
    upBody: options.upBody,
    downBody: options.downBody,
    imports: options.imports,
    transactional: options.transactional,
    versionPath: options.versionPath,
    // Every bind gets its entry, empty ones too, as Flask-Migrate's multidb template writes `pass`.
    binds: Object.keys(config.binds).map((name) => ({ name, ...options.bindBodies?.[name] })),
  })
  return { id, path, downRevisions: options.downRevisions }
}

/**
 * Refuses a `--rev-id` or `--branch-label` that could not be used once written, before any
 * work is done: an id must fit the version table's column, and a label must be usable in a
 * target (`<label>@head`) without being mistaken for one.
 */
export function checkNewRevisionNames(options: { readonly revId?: string; readonly branchLabel?: string | readonly string[] }): void {
  const id = options.revId
  if (id !== undefined && !REVISION_ID_PATTERN.test(id)) {
    throw new UsageError(`Revision id '${id}' is not valid: use letters, digits and underscores only (e.g. --rev-id ae1027a6acf)`)
  }
  if (id !== undefined && id.length > MAX_REVISION_ID_LENGTH) {
    throw new CommandError(
      `Revision id '${id.slice(0, MAX_REVISION_ID_LENGTH)}…' is ${id.length} characters long, and the version table ` +
        `(alembic_version.version_num) holds at most ${MAX_REVISION_ID_LENGTH}; choose a shorter --rev-id`,
      { code: 'REVISION_ID_TOO_LONG' },
    )
  }
  for (const label of toList(options.branchLabel)) {
    if (!BRANCH_LABEL_PATTERN.test(label)) {
      throw new UsageError(
        `Branch label '${label}' is not valid: a label is used in targets such as '<label>@head', so it may not be empty ` +
          "or contain '@', ':' or spaces; choose another --branch-label",
      )
    }
    if (RESERVED_BRANCH_LABELS.has(label)) {
      throw new CommandError(
        `Branch label '${label}' is reserved: 'head', 'heads' and 'base' already name targets, so a branch of that name ` +
          'could not be told apart from them; choose another --branch-label',
        { code: 'RESERVED_BRANCH_LABEL' },
      )
    }
  }
}

const toList = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value
