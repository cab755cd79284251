/**
 * PostgreSQL's table lock modes, weakest first (the order of the "Conflicting Lock Modes" table
 * of the PostgreSQL manual, section Explicit Locking).
 */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const

export type LockMode = (typeof LOCK_MODES)[number]

/** The lock a statement takes on one table. */
export interface TableLock {
  readonly table: string
  readonly mode: LockMode
}

export function lockRank(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode)
}

export function strongerLock(a: LockMode, b: LockMode): LockMode {
  return lockRank(a) >= lockRank(b) ? a : b
}

/** SHARE and above conflict with ROW EXCLUSIVE, the lock of INSERT, UPDATE and DELETE. */
export function blocksWrites(mode: LockMode): boolean {
  return lockRank(mode) >= lockRank('SHARE')
}

/** Only ACCESS EXCLUSIVE conflicts with ACCESS SHARE, the lock of SELECT. */
export function blocksReads(mode: LockMode): boolean {
  return mode === 'ACCESS EXCLUSIVE'
}

/** What the lock stops, in the words of a finding. */
export function describeLockEffect(mode: LockMode): string {
  if (blocksReads(mode)) return 'blocks reads and writes'
  if (blocksWrites(mode)) return 'blocks writes'
  return 'blocks neither reads nor writes'
}
