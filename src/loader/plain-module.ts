import { hash } from 'node:crypto'
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join, parse } from 'node:path'
import { Script } from 'node:vm'
import { workingFolder } from './working-folder.js'

/**
 * Revision files loaded without jiti's per-file work: a `.ts` file is made CommonJS by esbuild
 * (cached by content, the files an upgrade needs transpiled together first) and compiled as Node
 * compiles a CommonJS module, with V8's compiled code kept beside it once its functions have run.
 * `kysely` and `tsdb` are the instances tsdb runs with; anything else a file requires, and every
 * file this does not cover (ES-module-only syntax, a file esbuild rejects), goes through jiti.
 */
export interface PlainModuleLoader {
  /**
   * Transpiles the files not in the cache yet, together; a file that fails is left to jiti. The
   * next load of each file uses the text given here (or read here).
   */
  prepare(files: readonly SourceFile[]): Promise<void>
  /** The file's exports, or undefined when jiti must load it. */
  load(path: string): Record<string, unknown> | undefined
  /**
   * Keeps V8's compiled code of the files loaded without any; called once their functions have
   * run, so that it holds up() and down() too. Returns how many files it wrote.
   */
  saveCompiledCode(): number
}

export interface PlainModuleOptions {
  /** What the file gets for `require(name)` of each name here (Kysely and tsdb itself). */
  readonly shared: Readonly<Record<string, unknown>>
  /** `require` for anything else, from the file's folder (jiti). */
  readonly requireFrom: (path: string) => (specifier: string) => unknown
  /** Where transpiled and compiled code is kept; null for none. Default: see defaultCacheDir. */
  readonly cacheDir?: string | null
}

/** What esbuild cannot say in CommonJS: left to jiti (and its Babel). */
const ESM_ONLY = /\bimport\s*(\(|\.\s*meta\b)/

const TRANSFORM_OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', logLevel: 'silent' } as const

/** A file to prepare, with its text when the caller has read it already. */
export interface SourceFile {
  readonly path: string
  readonly source?: string | undefined
}

/** A file as prepare read it; `code` is undefined until transpiled (or when esbuild rejects it). */
interface PreparedFile {
  readonly source: string
  readonly key: string
  code: string | undefined
}

export function createPlainModuleLoader(options: PlainModuleOptions): PlainModuleLoader {
  // Code in the cache is run as it is: a folder another user can write to is never used.
  const cacheDir =
    options.cacheDir === undefined
      ? cacheFolder('modules')
      : options.cacheDir !== null && isPrivateFolder(options.cacheDir, { create: true })
        ? options.cacheDir
        : null
  let unpruned = 0
  const keyPrefix = `${readEsbuildVersion()}\0${JSON.stringify(TRANSFORM_OPTIONS)}\0`
  const uncompiled: { readonly key: string; readonly script: Script }[] = []
  const loaded = new Map<string, { readonly key: string; readonly exports: Record<string, unknown> }>()
  /** Read by prepare, for the load that follows: each file and its code are read once per run. */
  const prepared = new Map<string, PreparedFile>()

  const keyOf = (source: string) => hash('sha256', `${keyPrefix}${source}`, 'hex')
  const cachePath = (key: string) => join(cacheDir ?? '', `${key}.cjs`)
  const compiledPath = (key: string) => join(cacheDir ?? '', `${key}.${COMPILED_CODE_TAG}.code`)
  const isCandidate = (path: string, source: string) => path.endsWith('.ts') && !path.endsWith('.d.ts') && !ESM_ONLY.test(source)

  const readCached = (key: string) => (cacheDir === null ? undefined : readText(cachePath(key)))

  /** False when the cache cannot be written. */
  function writeCached(path: string, content: string | Uint8Array): boolean {
    if (cacheDir === null) return false
    try {
      // Written aside and renamed: a concurrent run never reads half a file.
      const temporary = `${path}.${process.pid}.tmp`
      writeFileSync(temporary, content, { mode: 0o600 })
      renameSync(temporary, path)
      unpruned += 1
      return true
    } catch {
      // No cache (a read-only home): the file is transpiled or compiled again next time, nothing else.
      return false
    }
  }

  /** Keeps the cache bounded, once a batch of writes is done. */
  function pruneIfWritten(): void {
    if (cacheDir !== null && unpruned > 0) pruneCache(cacheDir)
    unpruned = 0
  }

  return {
    async prepare(files) {
      const missing: { readonly path: string; readonly entry: PreparedFile }[] = []
      const seen = new Set<string>()
      for (const file of files) {
        const { path } = file
        if (seen.has(path)) continue
        seen.add(path)
        const source = file.source ?? readText(path)
        if (source === undefined || !isCandidate(path, source)) continue
        const key = keyOf(source)
        const entry = { source, key, code: readCached(key) }
        prepared.set(path, entry)
        if (entry.code === undefined) missing.push({ path, entry })
      }
      if (missing.length === 0) return
      // One esbuild service, every file in flight at once: about twice the throughput of one at a time.
      const esbuild = loadEsbuild()
      await Promise.all(
        missing.map(async ({ path, entry }) => {
          try {
            const result = await esbuild.transform(entry.source, { ...TRANSFORM_OPTIONS, sourcefile: path })
            if (result.warnings.length > 0) return
            entry.code = result.code
            writeCached(cachePath(entry.key), result.code)
          } catch {
            // jiti loads it, and reports what is wrong with it.
          }
        }),
      )
      pruneIfWritten()
    },

    load(path) {
      const ready = prepared.get(path)
      prepared.delete(path)
      const source = ready?.source ?? readText(path)
      if (source === undefined || !isCandidate(path, source)) return undefined
      const key = ready?.key ?? keyOf(source)
      const previous = loaded.get(path)
      if (previous?.key === key) return previous.exports
      let code = ready?.code ?? readCached(key)
      if (code === undefined) {
        try {
          const result = loadEsbuild().transformSync(source, { ...TRANSFORM_OPTIONS, sourcefile: path })
          if (result.warnings.length > 0) return undefined
          code = result.code
        } catch {
          return undefined
        }
        writeCached(cachePath(key), code)
      }
      const module = { exports: {} as Record<string, unknown> }
      let requireOther: ((specifier: string) => unknown) | undefined
      const require = (specifier: string): unknown => {
        if (Object.hasOwn(options.shared, specifier)) return options.shared[specifier]
        requireOther ??= options.requireFrom(path)
        return requireOther(specifier)
      }
      const compiled = cacheDir === null ? undefined : readBytes(compiledPath(key))
      // Node's own CommonJS wrapper, on the code's first line: line numbers stay the code's.
      const script = new Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, {
        filename: path,
        ...(compiled !== undefined && { cachedData: compiled }),
      })
      // Rejected: another V8 or other flags wrote it; compiled again, it is written again.
      if (cacheDir !== null && (compiled === undefined || script.cachedDataRejected === true)) uncompiled.push({ key, script })
      const run = script.runInThisContext() as (...args: unknown[]) => void
      run.call(module.exports, module.exports, require, module, path, dirname(path))
      loaded.set(path, { key, exports: module.exports })
      return module.exports
    },

    saveCompiledCode() {
      let written = 0
      for (const { key, script } of uncompiled.splice(0)) {
        // Serializing costs CPU: none of it for a cache that cannot be written (a read-only home).
        if (!writeCached(compiledPath(key), script.createCachedData())) break
        written += 1
      }
      pruneIfWritten()
      return written
    },
  }
}

/**
 * V8 accepts only compiled code of its own version and flags: one cache folder serves every Node
 * and every set of Node options a user runs tsdb with, each with its own files.
 */
const COMPILED_CODE_TAG = `${process.arch}-v8-${process.versions.v8}-${hash(
  'sha256',
  `${process.execArgv.join('\0')}\0${process.env.NODE_OPTIONS ?? ''}`,
  'hex',
).slice(0, 8)}`

const requireHere = createRequire(import.meta.url)

/** Only on a cache miss: a run whose files are all transpiled already never starts esbuild. */
const loadEsbuild = () => requireHere('esbuild') as typeof import('esbuild')

/** The file's text, or undefined when it cannot be read (jiti then reports a missing source). */
function readText(path: string): string | undefined {
  return readIfExists(() => readFileSync(path, 'utf8'))
}

function readBytes(path: string): Buffer | undefined {
  return readIfExists(() => readFileSync(path))
}

function readIfExists<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

/**
 * Where tsdb keeps its caches: the project's `node_modules/.cache/tsdb` (the nearest
 * `node_modules` from `cwd`, where build tools keep theirs, so deleting node_modules clears it),
 * else the user's `$XDG_CACHE_HOME/tsdb` (by default `~/.cache/tsdb`). Null with `TSDB_CACHE=off`.
 */
export function defaultCacheDir(cwd: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TSDB_CACHE === 'off') return null
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (isFolder(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'tsdb')
    if (dir === parse(dir).root) break
  }
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tsdb')
}

/** A folder of the cache for the run's working folder, made private; null when there is none to use. */
export function cacheFolder(name: string): string | null {
  const base = defaultCacheDir(workingFolder())
  const dir = base === null ? null : join(base, name)
  return dir !== null && isPrivateFolder(dir, { create: true }) ? dir : null
}

/**
 * Whether `dir` is a folder only this user can enter: a real folder (not a link), owned by the
 * process's user, with no permission for group or others. With `create`, a missing one is made so.
 */
function isPrivateFolder(dir: string, options: { readonly create?: boolean } = {}): boolean {
  try {
    if (options.create === true) mkdirSync(dir, { recursive: true, mode: 0o700 })
    const stats = lstatSync(dir)
    const isOwn = process.getuid === undefined || stats.uid === process.getuid()
    return stats.isDirectory() && isOwn && (stats.mode & 0o077) === 0
  } catch {
    return false
  }
}

/** The most files the cache keeps: far more than the revisions of any one project, two files each. */
const MAX_CACHE_FILES = 20_000

/** Removes the least recently written files once the cache holds more than MAX_CACHE_FILES. */
export function pruneCache(dir: string, maxFiles: number = MAX_CACHE_FILES): number {
  try {
    const names = readdirSync(dir)
    if (names.length <= maxFiles) return 0
    const byAge = names
      .map((name) => ({ path: join(dir, name), time: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => a.time - b.time)
    // Down to three quarters, so the next runs do not prune again at once.
    const excess = byAge.slice(0, names.length - Math.floor(maxFiles * 0.75))
    for (const { path } of excess) rmSync(path, { force: true })
    return excess.length
  } catch {
    // Another run pruning at the same time, or a folder gone: the next run tries again.
    return 0
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function readEsbuildVersion(): string {
  try {
    return (JSON.parse(readFileSync(requireHere.resolve('esbuild/package.json'), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}
