import { stat } from 'node:fs/promises'
import { dirname, isAbsolute, relative } from 'node:path'
import { FileWriteError } from '../errors.js'

/** Whether `error` is the operating system's answer to a file operation (it carries an errno code). */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const candidate = error as NodeJS.ErrnoException | null
  return error instanceof Error && typeof candidate?.code === 'string' && typeof candidate.syscall === 'string'
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EEXIST: 'it already exists',
}

/**
 * One line for a file or folder tsdb could not write: which one (relative to `cwd` when inside
 * it), why in plain words, and what to do. A user's permissions, a full disk or a file where a
 * folder must be are the user's to fix, not a fault in tsdb, so none of them may end in a stack
 * trace.
 */
export async function buildFileWriteError(
  error: NodeJS.ErrnoException,
  options: {
    readonly path: string
    readonly cwd: string
    readonly isFolder: boolean
    /** The folder whose permissions decide, named in the advice. */
    readonly folder: string
    /** Another way out, e.g. `choose another folder with -d/--directory`. */
    readonly alternative?: string
  },
): Promise<FileWriteError> {
  const code = error.code ?? 'UNKNOWN'
  const show = (path: string) => displayPath(path, options.cwd)
  const blocker = code === 'ENOTDIR' || (code === 'EEXIST' && options.isFolder) ? await findFileInTheWay(options.path) : null
  const reason = blocker !== null ? `${show(blocker)} is a file, not a folder` : (REASONS[code] ?? error.message)
  const fix =
    blocker !== null
      ? 'move that file away'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'free some space'
        : `check the permissions of ${show(await findNearestFolder(options.folder))}`
  const what = options.isFolder ? `create folder ${show(options.path)}` : `write ${show(options.path)}`
  const alternative = options.alternative === undefined ? '' : `, or ${options.alternative}`
  return new FileWriteError(`Can't ${what}: ${reason}; ${fix}${alternative}`, options.path, code, { cause: error })
}

/** `path` relative to `cwd` when it lies inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const inside = relative(cwd, path)
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside
}

/** The nearest of `path` and its parents that exists and is not a folder, if any. */
async function findFileInTheWay(path: string): Promise<string | null> {
  for (let current = path; ; current = dirname(current)) {
    const info = await stat(current).catch(() => null)
    if (info !== null) return info.isDirectory() ? null : current
    if (dirname(current) === current) return null
  }
}

/** `path` or its nearest parent that exists: the folder whose permissions stopped a recursive mkdir. */
async function findNearestFolder(path: string): Promise<string> {
  for (let current = path; ; current = dirname(current)) {
    if ((await stat(current).catch(() => null)) !== null || dirname(current) === current) return current
  }
}
