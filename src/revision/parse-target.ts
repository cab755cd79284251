import { assertNever, InvalidTargetError, UsageError } from '../errors.js'

/**
 * A revision target as the user writes it, parsed without looking at the graph. `branch` is the
 * part before `@`: a branch label, or (as Alembic allows) a revision id naming a branch.
 */
export type Target =
  | { readonly kind: 'head'; readonly branch: string | null }
  | { readonly kind: 'heads'; readonly branch: string | null }
  | { readonly kind: 'base'; readonly branch: string | null }
  /** The database's current revision(s); only some commands accept it. */
  | { readonly kind: 'current' }
  /** A full revision id, a unique prefix of one (of more than 3 characters) or a branch label. */
  | { readonly kind: 'revision'; readonly id: string; readonly branch: string | null }
  /**
   * `+N` / `-N` (relative to the current revisions), `<from>+N` / `<from>-N` (relative to a
   * revision or to `head`/`base`), each optionally behind `<branch>@`.
   */
  | { readonly kind: 'relative'; readonly steps: number; readonly from: string | null; readonly branch: string | null }

/** `start:end` of `history -r` and of offline (`--sql`) runs; a missing side is null. */
export interface RevisionRange {
  readonly start: string | null
  readonly end: string | null
}

const VALID_FORMS =
  'valid forms are head, heads, base, a revision id or a unique prefix of one, a branch label, ' +
  '+N, -N, <rev>+N, <rev>-N, <label>@head, <label>@base, <label>@+N, <label>@<rev>'

// Alembic's `_relative_destination`, anchored at both ends (Alembic ignores trailing text).
const RELATIVE = /^(?:([^@:\s]+)@)?(\w+)?([+-]\d+)$/
// Revision ids may not contain @ - + : (Alembic's rule); branch labels may contain - but not @ or :.
const NAME = /^[^@:\s]+$/

/** Parses a target such as `head`, `ae10+2`, `mybranch@head` or `-1`. Raises InvalidTargetError. */
export function parseTarget(text: string): Target {
  if (text === '') throw new InvalidTargetError(text, `it is empty; ${VALID_FORMS}`)
  if (text.includes(':')) {
    throw new InvalidTargetError(text, `a range (start:end) is not accepted here; ${VALID_FORMS}`)
  }
  const relative = RELATIVE.exec(text)
  if (relative !== null) {
    const [, branch, from, stepsText] = relative
    const steps = Number(stepsText)
    if (!Number.isSafeInteger(steps)) {
      throw new InvalidTargetError(text, `the step count ${stepsText} is too large`)
    }
    return { kind: 'relative', steps, from: from ?? null, branch: branch ?? null }
  }
  const parts = text.split('@')
  if (parts.length > 2) throw new InvalidTargetError(text, `it has more than one '@'; ${VALID_FORMS}`)
  const symbol = parts[parts.length - 1] ?? ''
  const branch = parts.length === 2 ? (parts[0] ?? '') : null
  if (branch !== null && !NAME.test(branch)) {
    throw new InvalidTargetError(text, `the branch before '@' is empty or malformed; ${VALID_FORMS}`)
  }
  if (!NAME.test(symbol)) {
    throw new InvalidTargetError(text, `'${symbol}' is not a revision, label or symbol; ${VALID_FORMS}`)
  }
  return symbolTarget(symbol, branch)
}

/**
 * The target `<branch>@<symbol>` names, from parts already parsed: the `from` of a relative
 * target, or a revision id.
 */
export function symbolTarget(symbol: string, branch: string | null): Target {
  switch (symbol) {
    case 'head':
    case 'heads':
    case 'base':
      return { kind: symbol, branch }
    case 'current':
      if (branch === null) return { kind: 'current' }
      throw new InvalidTargetError(`${branch}@${symbol}`, `'current' takes no branch; ${VALID_FORMS}`)
    default:
      return { kind: 'revision', id: symbol, branch }
  }
}

/**
 * Splits `start:end` (either side may be empty). Without a colon it is a usage error, with
 * Alembic's words.
 */
export function parseRange(text: string): RevisionRange {
  const parts = text.trim().split(':')
  if (parts.length !== 2) {
    throw new UsageError(
      parts.length < 2
        ? 'History range requires [start]:[end], [start]:, or :[end]'
        : `Revision range '${text}' has more than one ':'; write [start]:[end], [start]:, or :[end]`,
    )
  }
  const [start = '', end = ''] = parts
  return { start: start === '' ? null : start, end: end === '' ? null : end }
}

/** Renders a target back to text (for messages and for Alembic's re-parsing of `branch@symbol`). */
export function renderTarget(target: Target): string {
  const prefix = target.kind !== 'current' && target.branch !== null ? `${target.branch}@` : ''
  switch (target.kind) {
    case 'head':
    case 'heads':
    case 'base':
      return `${prefix}${target.kind}`
    case 'current':
      return 'current'
    case 'revision':
      return `${prefix}${target.id}`
    case 'relative':
      return `${prefix}${target.from ?? ''}${target.steps >= 0 ? '+' : ''}${target.steps}`
    default:
      return assertNever(target)
  }
}
