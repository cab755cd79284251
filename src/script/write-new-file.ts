import { open, rmdir, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, relative } from 'node:path'

/**
 * Writes a file that must not exist yet (EEXIST otherwise). A write that fails part-way (a full
 * disk) removes the file again: a half-written revision would be loaded as a broken one.
 */
export async function writeNewFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx')
  try {
    await handle.writeFile(text)
    await handle.close()
  } catch (error) {
    await handle.close().catch(() => undefined)
    await unlink(path).catch(() => undefined)
    throw error
  }
}

/**
 * Removes `folder` and its parents up to and including `top`, as far as they are empty: the
 * folders a failed write created, never one that holds anything.
 */
export async function removeEmptyFolders(folder: string, top: string): Promise<void> {
  const below = relative(top, folder)
  if (below.startsWith('..') || isAbsolute(below)) return
  for (let current = folder; ; current = dirname(current)) {
    if (!(await rmdir(current).then(() => true, () => false))) return
    if (current === top || dirname(current) === current) return
  }
}
