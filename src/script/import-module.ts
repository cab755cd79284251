import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Jiti, JitiOptions, TransformOptions, TransformResult } from 'jiti'
import { defineConfig } from '../config/config.js'
import { createPlainModuleLoader, ESM_ONLY, loadEsbuild, TRANSFORM_OPTIONS, type PlainModuleLoader, type SourceFile } from './plain-module.js'

let jitiPromise: Promise<Jiti> | undefined

/**
 * Imports a revision file, TypeScript or JavaScript, with no build step: as a plain CommonJS
 * module where it can be one (plain-module.ts), else with jiti, which also loads config and
 * schema files (below). `kysely` (and `tsdb-migrate` when it can be loaded) are handed to the file as the
 * very module instances tsdb runs with: the import resolves even when the file lives outside any
 * node_modules, and a migration's `sql` is the same Kysely as the `db` it is given.
 */
export async function importModule(path: string): Promise<Record<string, unknown>> {
  const plain = await loadPlainModules()
  const module = plain?.load(path)
  if (module !== undefined) return module
  jitiPromise ??= createModuleLoader()
  const loaded: unknown = await (await jitiPromise).import(path)
  // An ES module namespace (or a CommonJS exports object) is always an object.
  return loaded as Record<string, unknown>
}

/**
 * Readies files `importModule` will load one by one: the ones not transpiled on this machine yet
 * are transpiled together (an upgrade from scratch on a fresh CI machine).
 */
export async function prepareModules(files: readonly SourceFile[]): Promise<void> {
  await (await loadPlainModules())?.prepare(files)
}

/**
 * Keeps V8's compiled code of the revision files loaded so far, for the next run; called once
 * their up() or down() has run (plain-module.ts).
 */
export async function saveCompiledCode(): Promise<void> {
  ;(await plainModules)?.saveCompiledCode()
}

let plainModules: Promise<PlainModuleLoader | undefined> | undefined

/** The fast path for revision files (plain-module.ts), once Kysely and the index are loaded. */
function loadPlainModules(): Promise<PlainModuleLoader | undefined> {
  plainModules ??= preloadSharedModules().then(() => {
    const { kysely, tsdb } = preloaded
    if (kysely === undefined || tsdb === undefined) return undefined
    return createPlainModuleLoader({
      shared: { kysely, tsdb },
      requireFrom: (path) => loadJiti().createJiti(path, jitiOptions()),
    })
  })
  return plainModules
}

/** The user's files jiti has evaluated so far (its module cache is Node's require.cache). */
const userFilesLoaded = new Set<string>()

/**
 * Like `importModule`, but re-reads the file and the user's files it imports even when this
 * process loaded them before: the schema declaration is edited between two `migrate` calls of
 * one long-lived process (the API in a watcher, a test run), and jiti would keep the first
 * version. Only files jiti itself evaluated are evicted, never the host application's modules
 * nor packages under node_modules.
 */
export async function importFreshModule(path: string): Promise<Record<string, unknown>> {
  jitiPromise ??= createModuleLoader()
  const [jiti] = await Promise.all([jitiPromise, preloadSharedModules()])
  for (const file of userFilesLoaded) delete jiti.cache[file]
  userFilesLoaded.clear()
  const before = new Set(Object.keys(jiti.cache))
  try {
    return (await jiti.import(path)) as Record<string, unknown>
  } finally {
    for (const file of Object.keys(jiti.cache)) {
      if (!before.has(file) && !file.split(/[\\/]/).includes('node_modules')) userFilesLoaded.add(file)
    }
  }
}

/** Imports a config-like file and returns its default export (or the module when it has none). */
export async function importDefault(path: string): Promise<unknown> {
  jitiPromise ??= createModuleLoader()
  const jiti = await jitiPromise
  return jiti.import(path, { default: true })
}

async function createModuleLoader(): Promise<Jiti> {
  return loadJiti().createJiti(import.meta.url, jitiOptions())
}

/** Required, not imported: an ESM import of jiti's one-file CommonJS build makes Node lex all of it. */
const loadJiti = () => requireFromHere('jiti') as typeof import('jiti')

let sharedJitiOptions: JitiOptions | undefined

/** One set of options (and lazy modules) for every jiti tsdb creates. */
function jitiOptions(): JitiOptions {
  // Lazy: a config file that imports only `defineConfig` must not load Kysely and the whole API
  // (0.4 s of CPU, most of `tsdb db history`). Revision and schema files get both preloaded
  // below, so there the lazy modules only hand out what is already loaded.
  sharedJitiOptions ??= {
    interopDefault: true,
    virtualModules: {
      kysely: lazyModule(() => preloaded.kysely ?? requireEsm(import.meta.resolve('kysely'))),
      'tsdb-migrate': lazyModule(() => preloaded.tsdb ?? requireEsm(new URL('../index.js', import.meta.url).href), { defineConfig }),
    },
    transform: transformSource,
  }
  return sharedJitiOptions
}

/**
 * What jiti runs on a file it has not seen before (its cache keeps the result, by content). Its
 * own transform, Babel, takes 10-16 ms per file: 30 s for 2000 revisions on a fresh CI machine,
 * at every deploy. esbuild does the same in a few ms per file (32 s -> 7.8 s for those 2000,
 * measured on a loaded machine). Babel stays for what esbuild's
 * CommonJS output cannot carry (`import.meta`, `import()`, top-level `await`) and for files
 * esbuild rejects, so a syntax error reads as it always did.
 */
function transformSource(options: TransformOptions): TransformResult {
  if (!ESM_ONLY.test(options.source)) {
    try {
      const result = loadEsbuild().transformSync(options.source, {
        ...TRANSFORM_OPTIONS,
        loader: options.jsx ? (options.ts ? 'tsx' : 'jsx') : options.ts ? 'ts' : 'js',
        ...(options.filename === undefined ? {} : { sourcefile: options.filename }),
      })
      if (result.warnings.length === 0) return { code: result.code }
    } catch {
      // Babel below reports it, or handles what esbuild's CommonJS output cannot (top-level await).
    }
  }
  return loadBabelTransform()(options)
}

let babelTransform: ((options: TransformOptions) => TransformResult) | undefined
/** jiti's own transform (what it uses when given none), from next to the jiti in use. */
const loadBabelTransform = () =>
  (babelTransform ??= createRequire(requireFromHere.resolve('jiti'))('../dist/babel.cjs') as (options: TransformOptions) => TransformResult)

let preloading: Promise<void> | undefined

/**
 * Kysely and the index fully evaluated, so the lazy modules never load them in the middle of a
 * run. Once per process: an upgrade loads every revision through here.
 */
function preloadSharedModules(): Promise<void> {
  preloading ??= Promise.all([import('kysely'), importOwnIndex()]).then(([kysely, tsdb]) => {
    preloaded.kysely = kysely
    if (tsdb !== undefined) preloaded.tsdb = tsdb as Record<string, unknown>
  })
  return preloading
}

/**
 * The namespaces `import()` gave: handed out as they are, because they are the very instances the
 * rest of tsdb uses, and because `import()` also works where a native require cannot (the sources
 * run by a test runner, with no built index.js next to this file).
 */
const preloaded: { kysely?: Record<string, unknown>; tsdb?: Record<string, unknown> } = {}

const requireFromHere = createRequire(import.meta.url)

/** The module instance `import()` would give (one module map serves both), loaded synchronously. */
function requireEsm(url: string): Record<string, unknown> {
  return requireFromHere(fileURLToPath(url)) as Record<string, unknown>
}

/**
 * A module namespace that loads its module on the first use of a name not in `eager`. Neither
 * module has a default export, and jiti's interop asks for `default` on every import: answered
 * without loading.
 */
function lazyModule(load: () => Record<string, unknown>, eager: Record<string, unknown> = {}): object {
  let loaded: Record<string, unknown> | undefined
  const module = () => (loaded ??= load())
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_, key) => {
      if (typeof key === 'symbol') return key === Symbol.toStringTag ? 'Module' : undefined
      if (Object.hasOwn(eager, key)) return eager[key]
      if (key === '__esModule') return true
      if (key === 'default' || key === 'then') return loaded?.[key]
      return module()[key]
    },
    has: (_, key) =>
      typeof key === 'string' && (Object.hasOwn(eager, key) || key === '__esModule' || (key !== 'default' && key !== 'then' && key in module())),
    ownKeys: () => Reflect.ownKeys(module()),
    getOwnPropertyDescriptor: (_, key) => {
      if (typeof key === 'string' && Object.hasOwn(eager, key)) return { value: eager[key], writable: false, enumerable: true, configurable: true }
      if (key === '__esModule') return { value: true, writable: false, enumerable: false, configurable: true }
      if (typeof key !== 'string' || key === 'default' || key === 'then' || !(key in module())) return undefined
      return { value: module()[key], writable: false, enumerable: true, configurable: true }
    },
  })
}

async function importOwnIndex(): Promise<unknown> {
  // The index re-exports modules that import this one; by the time a user file is loaded it is
  // fully evaluated, so the cycle is harmless. A literal specifier, so that the CLI's bundle
  // (docs/performance.md) hands user files its own copy of the API, not a second one.
  try {
    return await import('../index.js')
  } catch {
    return undefined
  }
}

/**
 * One line saying why a user's file failed to load: the error's first line (with the detail
 * when that line only introduces it), plus the line and column of a syntax error, which jiti
 * puts on a line of its own.
 */
export function describeLoadError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  let first = lines[0] ?? (error instanceof Error ? error.name : 'unknown error')
  // cosmiconfig: "JSON Error in <file>:", then a code frame (lines starting with > or |), then the reason.
  const detail = first.endsWith(':') ? lines.slice(1).find((line) => !/^>?\s*\d*\s*\|/.test(line)) : undefined
  if (detail !== undefined) first = `${first} ${detail}`
  const location = lines.map((line) => /:(\d+):(\d+)\)?$/.exec(line)).find((match) => match !== null)
  return location === undefined || location === null || /line \d+/.test(first)
    ? first
    : `${first} (line ${location[1]}, column ${location[2]})`
}
