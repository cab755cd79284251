import { randomBytes } from 'node:crypto'
import { readFileSync, unlinkSync } from 'node:fs'
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { LockError } from '../errors.js'
import { formatMs } from './format-ms.js'

export interface FileLockOptions {
  /** What the lock guards, for the error message (e.g. "the embedded database /app/.tsdb/pglite"). */
  readonly resource: string
  /** How long to wait for a live holder; 0 fails at once. */
  readonly timeoutMs: number
  /** Default is 100 ms. */
  readonly pollMs?: number
  /** Shown in the timeout error, e.g. "set TSDB_PGLITE_LOCK_TIMEOUT to wait longer". */
  readonly hint?: string
}

export interface FileLock {
  readonly path: string
  release(): Promise<void>
}

interface LockHolder {
  readonly pid: number
  readonly host: string
  readonly token: string
}

/** A lock file whose holder could not be read yet (being written) counts as live for this long. */
const UNREADABLE_GRACE_MS = 5_000

const heldLocks = new Map<string, string>()

/**
 * An exclusive lock between processes: a file created with O_EXCL that holds the owner's pid.
 * A lock left by a dead process (same host) is taken over; a live holder is waited for up to
 * `timeoutMs`, then a LockError names it. A second acquisition inside one process fails at once,
 * since waiting for ourselves could never end.
 */
export async function acquireFileLock(path: string, options: FileLockOptions): Promise<FileLock> {
  if (heldLocks.has(path)) {
    throw new LockError(`${options.resource} is already open in this process (lock file ${path})`, { code: 'LOCK_HELD' })
  }
  const token = randomBytes(8).toString('hex')
  const content = JSON.stringify({ pid: process.pid, host: hostname(), token } satisfies LockHolder)
  const deadline = Date.now() + options.timeoutMs
  let lastHolder: number | null = null

  for (;;) {
    if (await tryCreate(path, content)) break
    const holder = await readHolder(path)
    if (holder === 'missing') continue
    if (await isStale(path, holder)) {
      await removeStale(path, holder)
      continue
    }
    lastHolder = holder === 'unreadable' ? null : holder.pid
    if (Date.now() >= deadline) {
      const who = lastHolder === null ? 'another process' : `process ${lastHolder}`
      const waited = options.timeoutMs > 0 ? ` (waited ${formatMs(options.timeoutMs)}${options.hint ? `; ${options.hint}` : ''})` : ''
      throw new LockError(`${options.resource} is in use by ${who}; wait for it to finish or stop it${waited}. Lock file: ${path}`, {
        code: 'LOCK_TIMEOUT',
      })
    }
    await sleep(Math.min(options.pollMs ?? 100, Math.max(1, deadline - Date.now())))
  }

  heldLocks.set(path, token)
  installExitHandlers()
  let released = false
  return {
    path,
    async release() {
      if (released) return
      released = true
      heldLocks.delete(path)
      uninstallExitHandlersWhenIdle()
      const holder = await readHolder(path)
      if (typeof holder === 'object' && holder.token === token) await unlink(path).catch(() => undefined)
    },
  }
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let handle
  try {
    // Owner-only, like the database folder it guards.
    handle = await open(path, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    await handle.writeFile(content)
  } finally {
    await handle.close()
  }
  return true
}

async function readHolder(path: string): Promise<LockHolder | 'missing' | 'unreadable'> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw error
  }
  return parseHolder(text) ?? 'unreadable'
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return null
    const { pid, host, token } = value as Record<string, unknown>
    return typeof pid === 'number' && typeof host === 'string' && typeof token === 'string' ? { pid, host, token } : null
  } catch {
    return null
  }
}

async function isStale(path: string, holder: LockHolder | 'unreadable'): Promise<boolean> {
  if (holder === 'unreadable') {
    // A holder between creating and writing the file looks like this for a moment; a file
    // that stays unreadable was left by a crash.
    const info = await stat(path).catch(() => null)
    return info !== null && Date.now() - info.mtimeMs > UNREADABLE_GRACE_MS
  }
  // On another host (a shared folder) the pid means nothing here: never steal that lock.
  if (holder.host !== hostname()) return false
  // Our own pid but not our lock: a previous run in a container that reused the pid.
  if (holder.pid === process.pid) return true
  return !isProcessAlive(holder.pid)
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Moves the stale file aside (rename is atomic) and checks that what moved is what was judged
 * stale: a competitor may have taken the lock over in between, and its live lock goes back.
 */
async function removeStale(path: string, stale: LockHolder | 'unreadable'): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await rename(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  const moved = parseHolder(await readFile(aside, 'utf8').catch(() => ''))
  const sameAsStale = stale === 'unreadable' ? moved === null : moved !== null && moved.token === stale.token
  if (!sameAsStale) await link(aside, path).catch(() => undefined)
  await unlink(aside).catch(() => undefined)
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms))
}

// ---- release on exit and on Ctrl-C ---------------------------------------------------------

const SIGNALS = ['SIGINT', 'SIGTERM'] as const
let handlersInstalled = false

function releaseAllSync(): void {
  for (const [path, token] of heldLocks) {
    try {
      if (parseHolder(readFileSync(path, 'utf8'))?.token === token) unlinkSync(path)
    } catch {
      // Best effort while exiting: a lock left behind is taken over as stale next time.
    }
  }
  heldLocks.clear()
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else (the CLI) ends the run and closes the database, which releases the lock: the
  // database is still open and working until then.
  if (process.listenerCount(signal) > 1) return
  releaseAllSync()
  uninstallExitHandlers()
  // Listening for a signal disables Node's default exit; restore it unless someone else
  // (the CLI) handles the signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

function installExitHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  process.on('exit', releaseAllSync)
  for (const signal of SIGNALS) process.on(signal, onSignal)
}

function uninstallExitHandlers(): void {
  if (!handlersInstalled) return
  handlersInstalled = false
  process.off('exit', releaseAllSync)
  for (const signal of SIGNALS) process.off(signal, onSignal)
}

function uninstallExitHandlersWhenIdle(): void {
  if (heldLocks.size === 0) uninstallExitHandlers()
}
