import type { Kysely } from 'kysely'

/**
 * A revision as the graph sees it: the header of a revision file, no code.
 * Read-only commands (`history`, `heads`, ...) build these without executing any file.
 */
export interface Revision {
  readonly id: string
  /** Empty for a base revision; two or more for a merge point. */
  readonly downRevisions: readonly string[]
  readonly branchLabels: readonly string[]
  /** Extra dependencies (Alembic's `depends_on`): must be applied first, but are not parents. */
  readonly dependsOn: readonly string[]
  /** The first line of the header comment (the `-m` message). */
  readonly message: string
  /** The whole header comment as written (message, Revision ID, Revises, Create Date, any notes). */
  readonly doc: string
  /** Absolute path of the file; empty for revisions built in memory (tests). */
  readonly path: string
  /** `export const transactional = false` marks a revision that must run outside a transaction. */
  readonly transactional: boolean
  /**
   * The file's text as its header was read from. Loading the module and the file's checksum use
   * it too, so a run reads each file once, and runs the very code whose header it planned with.
   */
  readonly source?: string
}

/**
 * What tsdb passes a revision's `up`/`down` after the database: the command's `-x` arguments
 * (Alembic's `context.get_x_argument(as_dictionary=True)`).
 */
export interface MigrationContext {
  readonly xArgs: Readonly<Record<string, string>>
}

/** A revision file's code: Kysely's `Migration` interface, with the context as a second argument it may ignore. */
export interface RevisionModule {
  up(db: Kysely<any>, context?: MigrationContext): Promise<void>
  down?(db: Kysely<any>, context?: MigrationContext): Promise<void>
  /** The steps of each further database of a multidb project, by the config's bind name. */
  readonly binds?: Readonly<Record<string, RevisionModule>>
}

/** Builds a Revision with defaults for the optional parts (tests and the writer use it). */
export function createRevision(fields: Pick<Revision, 'id'> & Partial<Revision>): Revision {
  return {
    downRevisions: [],
    branchLabels: [],
    dependsOn: [],
    message: '',
    doc: '',
    path: '',
    transactional: true,
    ...fields,
  }
}

/** Alembic's revision ids: 12 lowercase hex characters; `--rev-id` may choose any word characters. */
export const REVISION_ID_PATTERN = /^[A-Za-z0-9_]+$/

/** The length of `alembic_version.version_num`, as Alembic creates it: no longer id fits. */
export const MAX_REVISION_ID_LENGTH = 32

/** The type of every column that holds a revision id: the version table's, and tsdb's own tables'. */
export const REVISION_ID_COLUMN_TYPE = `varchar(${MAX_REVISION_ID_LENGTH})` as const

/** A branch label must be usable in a target (`<label>@head`): no `@`, `:` or white space. */
export const BRANCH_LABEL_PATTERN = /^[^@:\s]+$/

/** Words that already name targets; a branch label spelled like one could not be told apart. */
export const RESERVED_BRANCH_LABELS: ReadonlySet<string> = new Set(['base', 'head', 'heads'])
