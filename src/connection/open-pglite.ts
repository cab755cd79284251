import { chmod, lstat, mkdir, readdir, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { DatabaseUrl } from '../config/config.js'
import { ConnectionError } from '../errors.js'
import { acquireFileLock, type FileLock } from './file-lock.js'
import { createQueryLog } from './query-log.js'
import type { DatabaseHandle } from './with-database.js'

export interface OpenPgliteOptions {
  readonly lockTimeoutMs: number
}

/** The lock file sits next to the data folder: PGlite owns everything inside it. */
export function pgliteLockPath(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}.lock`)
}

/**
 * Opens the embedded database. PGlite itself does not stop a second process from opening the
 * same folder, and when that happens one of them silently loses its writes, so the folder is
 * guarded by a lock file for as long as it is open.
 */
export async function openPglite(
  database: Extract<DatabaseUrl, { kind: 'pglite' }>,
  options: OpenPgliteOptions,
): Promise<DatabaseHandle> {
  let lock: FileLock | undefined
  let shouldRestrictModes = false
  if (database.dataDir !== null) {
    shouldRestrictModes = await createDataDir(database.dataDir, database.redacted)
    lock = await acquireFileLock(pgliteLockPath(database.dataDir), {
      resource: `the embedded database ${database.dataDir}`,
      timeoutMs: options.lockTimeoutMs,
      hint: 'set TSDB_PGLITE_LOCK_TIMEOUT (milliseconds) to wait longer',
    })
  }
  try {
    const [{ PGlite }, { Kysely, PGliteDialect, sql }] = await Promise.all([import('@electric-sql/pglite'), import('kysely')])
    const pglite = database.dataDir === null ? new PGlite() : new PGlite(database.dataDir)
    const queryLog = createQueryLog()
    const db: Kysely<any> = new Kysely({ dialect: new PGliteDialect({ pglite }), log: queryLog.logger })
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
      const message = error instanceof Error ? error.message : String(error)
      throw new ConnectionError(`Can't open the embedded database ${database.redacted}: ${message}`, database.redacted, {
        cause: error,
        code: 'PGLITE_OPEN_FAILED',
      })
    }
    return {
      db,
      queryLog,
      async close() {
        try {
          await close()
          if (shouldRestrictModes && database.dataDir !== null) await restrictToOwner(database.dataDir)
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

/**
 * Creates the data folder owner-only, as initdb does: its files hold every row. Returns whether
 * the files inside must be made owner-only when the database closes: PGlite writes a new
 * database's files from its bundled cluster with modes that ignore the umask (world-writable),
 * and a folder left open by an older tsdb may hold such files too. The folder itself is
 * restricted at once, which already keeps other users out of everything inside it.
 */
async function createDataDir(dataDir: string, redacted: string): Promise<boolean> {
  try {
    const created = await mkdir(dataDir, { recursive: true, mode: OWNER_ONLY_FOLDER })
    const { mode } = await stat(dataDir)
    if (created === undefined && (mode & NOT_OWNER) === 0) return false
    await chmod(dataDir, OWNER_ONLY_FOLDER)
    return true
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    const reason =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `${dataDir} (or a folder above it) is a file, not a folder`
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `no permission to create or write ${dataDir}`
          : error instanceof Error
            ? error.message
            : String(error)
    throw new ConnectionError(
      `Can't open the embedded database ${redacted}: ${reason}. Point the URL at a folder tsdb may write (pglite:<folder>), or use pglite:memory`,
      redacted,
      { cause: error, code: 'PGLITE_OPEN_FAILED' },
    )
  }
}

const OWNER_ONLY_FOLDER = 0o700
const NOT_OWNER = 0o077

/**
 * Takes every group and other permission off the folder and everything in it. The folder is
 * already owner-only, so a file that vanished or resists is no exposure, and the command that
 * ran does not fail over it.
 */
async function restrictToOwner(dataDir: string): Promise<void> {
  const entries = await readdir(dataDir, { recursive: true, withFileTypes: true })
  const paths = [dataDir, ...entries.filter((entry) => !entry.isSymbolicLink()).map((entry) => join(entry.parentPath, entry.name))]
  await Promise.all(paths.map((path) => restrictPathToOwner(path).catch(() => undefined)))
}

async function restrictPathToOwner(path: string): Promise<void> {
  const { mode } = await lstat(path)
  if ((mode & NOT_OWNER) !== 0) await chmod(path, mode & 0o7700)
}
