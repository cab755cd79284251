import { mkdir } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { DatabaseUrl } from '../config/config.js'
import { ConnectionError } from '../errors.js'
import { acquireFileLock, type FileLock } from './file-lock.js'
import { createPgliteDialect } from './pglite-dialect.js'
import { createQueryLog } from './query-log.js'
import type { DatabaseHandle } from './database-handle.js'

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
  if (database.dataDir !== null) {
    await createDataDir(database.dataDir, database.redacted)
    lock = await acquireFileLock(pgliteLockPath(database.dataDir), {
      resource: `the embedded database ${database.dataDir}`,
      timeoutMs: options.lockTimeoutMs,
      hint: 'set TSDB_PGLITE_LOCK_TIMEOUT (milliseconds) to wait longer',
    })
  }
  try {
    const [{ PGlite }, kysely] = await Promise.all([import('@electric-sql/pglite'), import('kysely')])
    const { Kysely, sql } = kysely
    const pglite = database.dataDir === null ? new PGlite() : new PGlite(database.dataDir)
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

async function createDataDir(dataDir: string, redacted: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true })
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
