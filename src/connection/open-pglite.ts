import { chmod, lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { DatabaseUrl } from '../config/config.js'
import { ConnectionError } from '../errors.js'
import { displayPath } from '../script/file-write-error.js'
import { acquireFileLock, type FileLock } from './file-lock.js'
import { createPgliteDialect } from './pglite-dialect.js'
import { emptyFolder, restorePreparedCluster } from './prepared-cluster.js'
import { createQueryLog } from './query-log.js'
import type { DatabaseHandle } from './database-handle.js'
import { applyWasmCompilerChoice } from './wasm-compiler.js'

export interface OpenPgliteOptions {
  readonly lockTimeoutMs: number
  /** Paths in notices are shown relative to this folder. */
  readonly cwd: string
  /** Told, once, when a new database is about to be created (it takes seconds). Default is none. */
  readonly notice?: (line: string) => void
}

/** The lock file sits next to the data folder: PGlite owns everything inside it. */
export function pgliteLockPath(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}.lock`)
}

/**
 * Opens the embedded database, guarded by a lock file while open: PGlite lets a second process
 * open the same folder, and one of them then silently loses its writes.
 */
export async function openPglite(
  database: Extract<DatabaseUrl, { kind: 'pglite' }>,
  options: OpenPgliteOptions,
): Promise<DatabaseHandle> {
  let lock: FileLock | undefined
  let dataDir: string | null = null
  let shouldRestrictModes = false
  if (database.dataDir !== null) {
    const created = await createDataDir(database.dataDir, database.redacted)
    dataDir = created.dataDir
    lock = await acquireFileLock(pgliteLockPath(dataDir), {
      resource: `the embedded database ${database.dataDir}`,
      timeoutMs: options.lockTimeoutMs,
      hint: 'set TSDB_PGLITE_LOCK_TIMEOUT (milliseconds) to wait longer',
    })
  }
  try {
    let restored = false
    if (database.dataDir !== null && dataDir !== null) {
      // Under the lock: a folder another tsdb is filling is not mistaken for a foreign one, and
      // of two processes only the one that creates the database says so.
      const checked = await checkDataDir(database.dataDir, dataDir, database.redacted)
      shouldRestrictModes = checked.shouldRestrictModes
      if (checked.isNew) {
        options.notice?.(`Creating the embedded database in ${displayPath(database.dataDir, options.cwd)} ...`)
        restored = await restorePreparedCluster(dataDir)
      }
    }
    const kysely = await import('kysely')
    let started: StartedPglite
    try {
      started = await startPglite(kysely, dataDir)
    } catch (error) {
      // A prepared cluster this PGlite cannot open (one PostgreSQL refuses): PGlite's initdb instead.
      if (!restored || dataDir === null) throw openError(error, database.redacted)
      await emptyFolder(dataDir)
      started = await startPglite(kysely, dataDir).catch((retryError: unknown) => {
        throw openError(retryError, database.redacted)
      })
    }
    const { db, queryLog, close } = started
    return {
      db,
      queryLog,
      async close() {
        try {
          await close()
          if (shouldRestrictModes && dataDir !== null) await restrictToOwner(dataDir)
        } finally {
          await lock?.release()
        }
      },
    }
  } catch (error) {
    await lock?.release()
    throw error
  }
}

interface StartedPglite {
  readonly db: Kysely<any>
  readonly queryLog: ReturnType<typeof createQueryLog>
  close(): Promise<void>
}

/** Starts PGlite on the folder (in memory for null) and runs a first query; closes it again when that fails. */
async function startPglite(kysely: typeof import('kysely'), dataDir: string | null): Promise<StartedPglite> {
  applyWasmCompilerChoice()
  const { PGlite } = await import('@electric-sql/pglite')
  const { Kysely, sql } = kysely
  const pglite = dataDir === null ? new PGlite() : new PGlite(dataDir)
  const queryLog = createQueryLog()
  const db: Kysely<any> = new Kysely({ dialect: createPgliteDialect(kysely, pglite), log: queryLog.logger })
  const close = async () => {
    try {
      await db.destroy()
    } finally {
      // Kysely only closes an instance it has started using.
      if (!pglite.closed) await pglite.close()
    }
  }
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    await close().catch(() => undefined)
    throw error
  }
  return { db, queryLog, close }
}

function openError(error: unknown, redacted: string): ConnectionError {
  return new ConnectionError(`Can't open the embedded database ${redacted}: ${describeThrown(error)}`, redacted, {
    cause: error,
    code: 'PGLITE_OPEN_FAILED',
  })
}

/**
 * Creates the data folder owner-only, as initdb does: its files hold every row. Returns the
 * folder's real path: PGlite cannot open a folder through a symbolic link, and one folder must
 * have one lock file whichever way it is named.
 */
async function createDataDir(path: string, redacted: string): Promise<{ dataDir: string }> {
  try {
    await mkdir(path, { recursive: true, mode: OWNER_ONLY_FOLDER })
    return { dataDir: await realpath(path) }
  } catch (error) {
    throw buildDataDirError(error, path, redacted)
  }
}

/**
 * Refuses a folder with other files and no PG_VERSION (PGlite would create a cluster among them).
 * Otherwise makes the folder owner-only and says whether the files inside must be too, on close:
 * PGlite writes a new database's files world-writable, and an older tsdb may have left such files.
 */
async function checkDataDir(path: string, dataDir: string, redacted: string): Promise<{ isNew: boolean; shouldRestrictModes: boolean }> {
  let names: readonly string[]
  let mode: number
  try {
    names = await readdir(dataDir)
    mode = (await stat(dataDir)).mode
  } catch (error) {
    throw buildDataDirError(error, path, redacted)
  }
  if (names.length > 0 && !names.includes('PG_VERSION')) {
    throw new ConnectionError(
      `Can't open the embedded database ${redacted}: ${path} holds other files and is not a PostgreSQL data folder (it has no PG_VERSION); ` +
        'point the URL at the folder that holds the database, or at an empty or new folder for a new one (pglite:<folder>)',
      redacted,
      { code: 'PGLITE_NOT_A_DATABASE' },
    )
  }
  const isNew = names.length === 0
  if (!isNew && (mode & NOT_OWNER) === 0) return { isNew, shouldRestrictModes: false }
  try {
    await chmod(dataDir, OWNER_ONLY_FOLDER)
  } catch (error) {
    throw buildDataDirError(error, path, redacted)
  }
  return { isNew, shouldRestrictModes: true }
}

function buildDataDirError(error: unknown, path: string, redacted: string): ConnectionError {
  const code = (error as { code?: unknown } | null)?.code
  const reason =
    code === 'EEXIST' || code === 'ENOTDIR'
      ? `${path} (or a folder above it) is a file, not a folder`
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? `no permission to create or write ${path}`
        : error instanceof Error
          ? error.message
          : String(error)
  return new ConnectionError(
    `Can't open the embedded database ${redacted}: ${reason}. Point the URL at a folder tsdb may write (pglite:<folder>), or use pglite:memory`,
    redacted,
    { cause: error, code: 'PGLITE_OPEN_FAILED' },
  )
}

const OWNER_ONLY_FOLDER = 0o700
const NOT_OWNER = 0o077

/** Takes group and other permissions off everything in the folder; already owner-only, it fails over nothing. */
async function restrictToOwner(dataDir: string): Promise<void> {
  const entries = await readdir(dataDir, { recursive: true, withFileTypes: true })
  const paths = [dataDir, ...entries.filter((entry) => !entry.isSymbolicLink()).map((entry) => join(entry.parentPath, entry.name))]
  await Promise.all(paths.map((path) => restrictPathToOwner(path).catch(() => undefined)))
}

async function restrictPathToOwner(path: string): Promise<void> {
  const { mode } = await lstat(path)
  if ((mode & NOT_OWNER) !== 0) await chmod(path, mode & 0o7700)
}

/** PGlite's file system throws plain objects, which would print as "[object Object]". */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'object' && error !== null) {
    const { message, code, errno } = error as { message?: unknown; code?: unknown; errno?: unknown }
    if (typeof message === 'string' && message !== '') return message
    if (typeof code === 'string' || typeof code === 'number') return `file system error ${code}`
    if (typeof errno === 'number') return `file system error ${errno}`
  }
  return String(error)
}
