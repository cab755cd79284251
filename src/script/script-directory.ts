import { readFileSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import type { ResolvedConfig } from '../config/config.js'
import { CommandError, ScriptError } from '../errors.js'
import type { Revision, RevisionModule } from '../revision/revision.js'
import { describeLoadError, importModule, prepareModules, saveCompiledCode } from '../loader/import-module.js'
import { displayPath, isFileSystemError } from './file-write-error.js'
import { parseRevisionFile } from './parse-revision-file.js'

export interface ScriptDirectory {
  readonly migrationsDir: string
  readonly versionsDir: string
  /** False when the versions folder does not exist: a new project, or a clone (git keeps no empty folder). */
  readonly hasVersionsDir: boolean
  /** Sorted by path, so everything derived from them is deterministic. */
  readonly revisions: readonly Revision[]
}

const REVISION_FILE = /\.(ts|mts|js|mjs)$/
const DECLARATION_FILE = /\.d\.m?ts$/

/** Reads the header of every revision file under `<migrationsDir>/versions`, executing none. */
export async function readScriptDirectory(config: ResolvedConfig): Promise<ScriptDirectory> {
  const { migrationsDir, versionsDir } = config
  if (!(await isDirectory(migrationsDir))) {
    throw new CommandError(`No migrations folder at ${migrationsDir}; run \`tsdb db init\` to create it`, { code: 'NO_MIGRATIONS_FOLDER' })
  }
  const hasVersionsDir = await isDirectory(versionsDir)
  const files = hasVersionsDir ? await listRevisionFiles(versionsDir).catch(rethrowUnreadable(versionsDir, config.cwd)) : []
  // Synchronous reads: thousands of small files read one by one cost a few ms in all, where
  // fs/promises (open, stat, read, close: four trips through the thread pool each) cost 0.5 s.
  const revisions = files.map((path) => {
    let source: string
    try {
      source = readFileSync(path, 'utf8')
    } catch (error) {
      return rethrowUnreadable(path, config.cwd)(error)
    }
    const revision = { ...parseRevisionFile(source, path), source }
    checkFileName(revision, path)
    return revision
  })
  return { migrationsDir, versionsDir, hasVersionsDir, revisions }
}

/** A folder or file the user may not read is theirs to fix, not a fault in tsdb: say which one. */
function rethrowUnreadable(path: string, cwd: string): (error: unknown) => never {
  return (error) => {
    const code = isFileSystemError(error) ? error.code : undefined
    if (code !== 'EACCES' && code !== 'EPERM') throw error
    // The error's own path is the folder or file that refused, which may lie below `path`.
    const refused = typeof (error as NodeJS.ErrnoException).path === 'string' ? String((error as NodeJS.ErrnoException).path) : path
    throw new ScriptError(
      `Can't read ${displayPath(refused, cwd)}: permission denied; check its permissions, or choose another migrations folder with -d/--directory`,
      refused,
      { code: 'FILE_READ_FAILED', cause: error },
    )
  }
}

/** Revision files below `dir`: .ts/.mts/.js/.mjs, not declarations, not hidden, sorted. */
async function listRevisionFiles(dir: string): Promise<readonly string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  // The path work is done once per folder: per file it cost more than reading the file.
  const prefixes = new Map<string, string | null>()
  const paths: string[] = []
  for (const entry of entries) {
    const name = entry.name
    if (!entry.isFile() || !REVISION_FILE.test(name) || DECLARATION_FILE.test(name) || name.startsWith('.')) continue
    let prefix = prefixes.get(entry.parentPath)
    if (prefix === undefined) {
      prefix = folderPrefix(dir, entry.parentPath)
      prefixes.set(entry.parentPath, prefix)
    }
    if (prefix !== null) paths.push(prefix + name)
  }
  return paths.sort()
}

/**
 * What joins `folder` to the name of a file in it, or null when the folder is hidden or a
 * node_modules below `dir`. A file name is never `.`, `..` or holds a separator, so
 * `prefix + name` is `join(folder, name)`.
 */
function folderPrefix(dir: string, folder: string): string | null {
  const isSkipped = relative(dir, folder)
    .split(/[\\/]/)
    .some((part) => part.startsWith('.') || part === 'node_modules')
  return isSkipped ? null : join(folder, '_').slice(0, -1)
}

function checkFileName(revision: Revision, path: string): void {
  const name = basename(path)
  const next = name.charAt(revision.id.length)
  if (!name.startsWith(revision.id) || (next !== '_' && next !== '.')) {
    throw new ScriptError(
      `${path}: the file name must start with its revision id '${revision.id}' followed by _ or . (e.g. ${revision.id}_${name})`,
      path,
      { code: 'SCRIPT_BAD_FILE_NAME' },
    )
  }
}

/** Imports a revision file (TypeScript too, no build step) and checks it exports `up`. */
export async function loadRevisionModule(rev: Revision): Promise<RevisionModule> {
  let loaded: Record<string, unknown>
  try {
    loaded = await importModule(rev.path)
  } catch (error) {
    throw new ScriptError(`${rev.path}: the revision file failed to load: ${describeLoadError(error)}; fix the file and run the command again`, rev.path, {
      cause: error,
      code: 'SCRIPT_LOAD_FAILED',
    })
  }
  const module = checkSteps(rev, loaded, '')
  const { binds } = loaded
  if (binds === undefined) return module
  if (typeof binds !== 'object' || binds === null) {
    throw new ScriptError(`${rev.path}: \`binds\` must be an object of each database's steps ({ users: { up, down } })`, rev.path, {
      code: 'SCRIPT_BAD_BINDS',
    })
  }
  const steps = Object.entries(binds).map(([name, bind]): [string, RevisionModule] => [name, checkSteps(rev, bind, `binds.${name}.`)])
  return { ...module, binds: Object.fromEntries(steps) }
}

/** `up` and an optional `down` of a revision, or of one bind in its `binds` (`prefix` is `binds.<name>.`). */
function checkSteps(rev: Revision, loaded: unknown, prefix: string): RevisionModule {
  const form = prefix === '' ? 'export async function' : 'async function'
  const { up, down } = (typeof loaded === 'object' && loaded !== null ? loaded : {}) as Record<string, unknown>
  if (typeof up !== 'function') {
    throw new ScriptError(`${rev.path}: a revision must export \`async function ${prefix}up(db: Kysely<any>)\``, rev.path, {
      code: 'SCRIPT_NO_UP',
    })
  }
  if (down !== undefined && typeof down !== 'function') {
    throw new ScriptError(
      `${rev.path}: \`${prefix}down\` must be a function like up (\`${form} down(db: Kysely<any>)\`), or not exported at all`,
      rev.path,
      { code: 'SCRIPT_BAD_DOWN' },
    )
  }
  // Checked just above: both are functions; their parameter types are the file's business.
  return { up: up as RevisionModule['up'], ...(down === undefined ? {} : { down: down as NonNullable<RevisionModule['down']> }) }
}

/** The files of many revisions transpiled together (an upgrade from scratch, on a fresh machine). */
loadRevisionModule.prepare = (revisions: readonly Revision[]): Promise<void> =>
  prepareModules(revisions.filter((rev) => rev.path !== ''))

/** What V8 compiled of the files that ran, kept for the next run. */
loadRevisionModule.settle = saveCompiledCode

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}
