import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import { dirname, join, normalize, sep } from 'node:path'
import { brotliDecompressSync } from 'node:zlib'

/**
 * A new embedded database is written from a cluster prepared at build time (PGlite's initdb as a
 * brotli tar) instead of running initdb (docs/performance.md). `manifest` holds the dump's SHA-256.
 */
export interface PreparedClusterFiles {
  readonly dump: URL
  readonly manifest: URL
}

/** Beside the compiled code: dist/pglite/, one folder up from dist/connection and dist/bundle. */
const PREPARED_CLUSTER: PreparedClusterFiles = {
  dump: new URL('../pglite/cluster.tar.br', import.meta.url),
  manifest: new URL('../pglite/cluster.json', import.meta.url),
}

/**
 * Writes the prepared cluster, owner-only, into `dataDir` (empty, and locked by this process).
 * False, with the folder left empty, when it is off (TSDB_PGLITE_PREPARED=off), missing or does
 * not match its manifest: PGlite then runs initdb.
 */
export async function restorePreparedCluster(dataDir: string, files: PreparedClusterFiles = PREPARED_CLUSTER): Promise<boolean> {
  if (process.env.TSDB_PGLITE_PREPARED === 'off') return false
  try {
    const tar = await readVerifiedDump(files)
    if (tar === null) return false
    writeEntries(dataDir, readTar(tar))
    return true
  } catch {
    await emptyFolder(dataDir)
    return false
  }
}

/** Removes everything inside the folder, which this process filled: initdb needs it empty. */
export async function emptyFolder(dataDir: string): Promise<void> {
  const names = await readdir(dataDir)
  await Promise.all(names.map((name) => rm(join(dataDir, name), { recursive: true, force: true })))
}

const OWNER_ONLY_FOLDER = 0o700
const OWNER_ONLY_FILE = 0o600

async function readVerifiedDump(files: PreparedClusterFiles): Promise<Buffer | null> {
  let manifest: unknown
  let dump: Buffer
  try {
    manifest = JSON.parse(await readFile(files.manifest, 'utf8'))
    dump = await readFile(files.dump)
  } catch {
    return null
  }
  const expected = (manifest as { sha256?: unknown } | null)?.sha256
  if (typeof expected !== 'string' || createHash('sha256').update(dump).digest('hex') !== expected) return null
  return brotliDecompressSync(dump)
}

/** Synchronous: nothing else waits meanwhile, and the thread pool costs more CPU for a thousand files. */
function writeEntries(dataDir: string, entries: Iterable<TarEntry>): void {
  const folders = new Set([dataDir])
  const ensureFolder = (path: string) => {
    if (folders.has(path)) return
    mkdirSync(path, { recursive: true, mode: OWNER_ONLY_FOLDER })
    folders.add(path)
  }
  for (const entry of entries) {
    const path = join(dataDir, entry.name)
    if (entry.kind === 'folder') ensureFolder(path)
    else {
      ensureFolder(dirname(path))
      writeFileSync(path, entry.data, { mode: OWNER_ONLY_FILE, flag: 'wx' })
    }
  }
}

interface TarEntry {
  readonly name: string
  readonly kind: 'file' | 'folder'
  readonly data: Buffer
}

const BLOCK = 512

/**
 * The entries of a POSIX (ustar) tar, as PGlite's dumpDataDir writes it: plain files and
 * folders only, each name relative and inside the archive's root. Anything else throws.
 */
function* readTar(tar: Buffer): Generator<TarEntry> {
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK)
    // A header with no name: the end of the archive (two zeroed blocks).
    if (header[0] === 0) return
    const size = Number.parseInt(field(header, 124, 12) || '0', 8)
    const type = String.fromCharCode(header[156] ?? 0)
    const prefix = field(header, 345, 155)
    const name = safeName(prefix === '' ? field(header, 0, 100) : `${prefix}/${field(header, 0, 100)}`)
    const start = offset + BLOCK
    if (!Number.isSafeInteger(size) || size < 0 || start + size > tar.length) throw new Error('truncated tar')
    offset = start + Math.ceil(size / BLOCK) * BLOCK
    if (type === '5') {
      if (name !== '') yield { name, kind: 'folder', data: Buffer.alloc(0) }
    } else if (type === '0' || type === '\0') yield { name, kind: 'file', data: tar.subarray(start, start + size) }
    else throw new Error(`unexpected tar entry type ${JSON.stringify(type)}`)
  }
}

function field(header: Buffer, start: number, length: number): string {
  const bytes = header.subarray(start, start + length)
  const end = bytes.indexOf(0)
  return bytes.subarray(0, end === -1 ? length : end).toString('utf8').trim()
}

/** The entry's path relative to the archive's root ('' for the root); one that leaves it throws. */
function safeName(name: string): string {
  const relative = normalize(name.replace(/^\/+/, '')).replace(/\/+$/, '')
  if (relative === '.' || relative === '') return ''
  if (relative === '..' || relative.startsWith(`..${sep}`) || relative.includes('\0')) throw new Error(`tar entry outside the folder: ${name}`)
  return relative
}
