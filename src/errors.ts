/**
 * Every expected failure in tsdb is a `TsdbError`: it carries data (never only a message),
 * a stable `code` for scripts and `--json`, and a `category` from which the CLI derives the
 * exit code (2 for `usage`, 1 for everything else).
 */
export type ErrorCategory = 'command' | 'usage' | 'config' | 'connection' | 'migration' | 'lock' | 'drift'

export abstract class TsdbError extends Error {
  abstract readonly code: string
  abstract readonly category: ErrorCategory
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** The base of the errors whose `code` is their category's unless the thrower names a more specific one. */
function codedError(category: ErrorCategory, defaultCode: string) {
  return class extends TsdbError {
    readonly code: string
    readonly category = category
    constructor(message: string, options?: { cause?: unknown; code?: string }) {
      super(message, options)
      this.code = options?.code ?? defaultCode
    }
  }
}

/** A general command failure whose message already says what to do (Alembic's `CommandError`). */
export class CommandError extends codedError('command', 'COMMAND_FAILED') {}

/** Wrong arguments on the command line (exit code 2). */
export class UsageError extends TsdbError {
  readonly code = 'USAGE'
  readonly category = 'usage'
}

/**
 * Writing a user's file or folder failed: no permission, a read-only file system, a file where
 * a folder must be, a full disk. Nothing half-written is left behind; the message says what to do.
 */
export class FileWriteError extends TsdbError {
  readonly code = 'FILE_WRITE_FAILED'
  readonly category = 'command'
  constructor(
    message: string,
    /** The file or folder that could not be written, absolute. */
    readonly path: string,
    /** The operating system's error code (`EACCES`, `ENOTDIR`, ...). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

// ---- revision graph -------------------------------------------------------------------------

/** Base of the graph's errors; `api/` rewrites some of them with advice for the user. */
export class RevisionError extends TsdbError {
  readonly code: string = 'REVISION_ERROR'
  readonly category = 'command'
}

export class UnknownRevisionError extends RevisionError {
  override readonly code = 'UNKNOWN_REVISION'
  constructor(readonly revision: string, message?: string) {
    super(message ?? `Can't locate revision identified by '${revision}'`)
  }
}

export class AmbiguousRevisionError extends RevisionError {
  override readonly code = 'AMBIGUOUS_REVISION'
  constructor(readonly prefix: string, readonly candidates: readonly string[]) {
    super(
      `Revision prefix '${prefix}' is ambiguous; it matches ${candidates.join(', ')}. ` +
        'Give more characters of the revision id.',
    )
  }
}

export class MultipleHeadsError extends RevisionError {
  override readonly code = 'MULTIPLE_HEADS'
  constructor(readonly heads: readonly string[], readonly argument: string, message?: string) {
    super(
      message ??
        `Multiple head revisions are present for given argument '${argument}'; please specify a specific ` +
          `target revision, '<branchname>@${argument}' to narrow to a specific head, or 'heads' for all heads`,
    )
  }
}

export class RelativeRevisionError extends RevisionError {
  override readonly code = 'RELATIVE_REVISION'
  constructor(readonly steps: number, message?: string) {
    super(message ?? `Relative revision ${steps > 0 ? '+' : ''}${steps} didn't produce ${Math.abs(steps)} migrations`)
  }
}

export class InvalidTargetError extends RevisionError {
  override readonly code = 'INVALID_TARGET'
  constructor(readonly target: string, reason: string) {
    super(`Invalid revision target '${target}': ${reason}`)
  }
}

export class RangeNotAncestorError extends RevisionError {
  override readonly code = 'RANGE_NOT_ANCESTOR'
  constructor(readonly lower: string | null, readonly upper: string | null, message?: string) {
    super(message ?? `Revision ${lower ?? 'base'} is not an ancestor of revision ${upper ?? 'base'}`)
  }
}

/** A problem in the revision files themselves: duplicate id, missing parent, cycle, bad file. */
export class ScriptError extends codedError('command', 'SCRIPT_ERROR') {
  constructor(message: string, readonly path?: string, options?: { cause?: unknown; code?: string }) {
    super(message, options)
  }
}

/**
 * The revision files do not form a valid graph: a duplicate id, a missing down revision or
 * dependency, a cycle, a duplicate branch label. `revisions` are the ids involved; `path` is the
 * file of the first of them.
 */
export class RevisionGraphError extends ScriptError {
  constructor(message: string, readonly revisions: readonly string[], path: string | undefined, code: string) {
    super(message, path, { code })
  }
}

// ---- config and connection ------------------------------------------------------------------

export class ConfigError extends codedError('config', 'CONFIG_ERROR') {
  constructor(message: string, readonly path?: string, options?: { cause?: unknown; code?: string }) {
    super(message, options)
  }
}

/** Connecting failed. `url` is always the redacted URL: a password never reaches a message. */
export class ConnectionError extends codedError('connection', 'CONNECTION_FAILED') {
  constructor(message: string, readonly url: string, options?: { cause?: unknown; code?: string }) {
    super(message, options)
  }
}

export class LockError extends codedError('lock', 'LOCK_FAILED') {}

/** The session that held the migration lock when tsdb gave up waiting (null: it went away meanwhile). */
export interface LockHolderInfo {
  readonly pid: number
  readonly applicationName: string | null
  /** When the holder's session connected, ISO 8601. */
  readonly since: string | null
}

export class LockTimeoutError extends LockError {
  constructor(
    message: string,
    readonly lockName: string,
    readonly timeoutMs: number,
    readonly holder: LockHolderInfo | null,
  ) {
    super(message, { code: 'LOCK_TIMEOUT' })
  }
}

// ---- execution ------------------------------------------------------------------------------

export interface FailedStepInfo {
  readonly direction: 'up' | 'down'
  readonly revision: string
  readonly path: string
}

/** A revision's `up`/`down` failed; everything in its transaction was rolled back. */
export class MigrationFailedError extends TsdbError {
  readonly code = 'MIGRATION_FAILED'
  readonly category = 'migration'
  constructor(
    message: string,
    readonly step: FailedStepInfo,
    /** Steps that were committed before the failure (only in per-migration or non-transactional mode). */
    readonly appliedSteps: readonly FailedStepInfo[],
    /** The SQL statement that failed, when the failure came from the database. */
    readonly statement: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * A `transactional = false` revision was interrupted part-way on an earlier run: some of its
 * statements may be applied while the version table does not record it. Nothing runs until a
 * stamp settles it.
 */
export class InterruptedRevisionError extends TsdbError {
  readonly code = 'REVISION_INTERRUPTED'
  readonly category = 'migration'
  constructor(
    message: string,
    readonly step: FailedStepInfo,
    /** The statements that returned, in order. */
    readonly statementsRun: readonly string[],
    /** The statement that was sent and never answered: it may or may not have run. */
    readonly statementInDoubt: string | null,
  ) {
    super(message)
  }
}

/** SIGINT, SIGTERM or the caller's AbortSignal ended the run before any revision ran. */
export class RunInterruptedError extends TsdbError {
  readonly code = 'INTERRUPTED'
  readonly category = 'migration'
  constructor(readonly reason: string) {
    super(`Interrupted by ${reason} before any revision ran; the database is unchanged`)
  }
}

/** The version table holds something tsdb cannot work from. */
export class VersionTableError extends codedError('command', 'VERSION_TABLE') {}

/** `check` found differences between the schema declaration and the database. */
export class DriftError extends TsdbError {
  readonly code = 'DRIFT'
  readonly category = 'drift'
  /** `detected`: Alembic-style `Detected ...` lines, one per pending operation. */
  constructor(readonly detected: readonly string[]) {
    super(`New upgrade operations detected:\n${detected.map((line) => `  ${line}`).join('\n')}`)
  }
}

/** `lint` found error-level findings that nothing allows. `report` is the whole result, for `--json`. */
export class LintFailedError extends TsdbError {
  readonly code = 'LINT_ERRORS'
  readonly category = 'command'
  constructor(
    readonly errorCount: number,
    readonly report: unknown,
  ) {
    super(
      `tsdb db lint: ${errorCount} error-level finding${errorCount === 1 ? '' : 's'}. Use the safe form shown, ` +
        `or allow the statement with a reason (a /* tsdb-lint allow <rule>: <reason> */ comment, or lintAllow(db, '<rule>', '<reason>'))`,
    )
  }
}

/** Where in a schema declaration a problem lies; absent parts are unknown or not applicable. */
export interface DeclarationLocation {
  readonly table?: string
  readonly column?: string
}

/** The schema declaration (`defineSchema`) is invalid: an unknown reference, a duplicate name, ... */
export class SchemaDeclarationError extends TsdbError {
  readonly code = 'SCHEMA_DECLARATION'
  readonly category = 'config'
  readonly table: string | undefined
  readonly column: string | undefined
  constructor(readonly reason: string, location: DeclarationLocation = {}) {
    const where = [
      location.table === undefined ? '' : `table "${location.table}"`,
      location.column === undefined ? '' : `column "${location.column}"`,
    ].filter((part) => part !== '')
    super(where.length === 0 ? `Invalid schema declaration: ${reason}` : `Invalid schema declaration, ${where.join(', ')}: ${reason}`)
    this.table = location.table
    this.column = location.column
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
