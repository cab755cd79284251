import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Jiti, JitiOptions } from 'jiti'
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH, defineConfig } from '../config/config.js'
import { cacheFolder, createPlainModuleLoader, type PlainModuleLoader, type SourceFile } from './plain-module.js'

let jitiPromise: Promise<Jiti> | undefined

/**
 * Imports a revision file, TypeScript or JavaScript, with no build step: as a plain CommonJS
 * module where it can be one (plain-module.ts), else with jiti, which also loads config and
 * schema files (below). `kysely` and tsdb's own package are handed to the file as the module
 * instances tsdb runs with (see ownPackage): the import resolves even when the file lives outside
 * any node_modules, and a migration's `sql` is the same Kysely as the `db` it is given.
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

/**
 * Forgets the loaders made so far, so that the next file loads as in a new process: the cache
 * folder is looked up again for the working folder of the moment, and no file's exports are
 * reused. For a thread that runs several commands, one after another (the CLI's main()).
 */
export function forgetModuleLoaders(): void {
  jitiPromise = undefined
  plainModules = undefined
  sharedJitiOptions = undefined
}

/** The fast path for revision files (plain-module.ts), once Kysely and the index are loaded. */
function loadPlainModules(): Promise<PlainModuleLoader | undefined> {
  plainModules ??= preloadSharedModules().then(() => {
    const { kysely } = preloaded
    if (kysely === undefined) return undefined
    return createPlainModuleLoader({
      shared: { kysely, [PACKAGE_NAME]: ownPackage },
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

/** One set of options (and shared modules) for every jiti tsdb creates. */
function jitiOptions(): JitiOptions {
  sharedJitiOptions ??= {
    interopDefault: true,
    // jiti's own default is a folder in the system's temporary folder, which other users can write to.
    fsCache: cacheFolder('jiti') ?? false,
    virtualModules: {
      kysely: lazyModule(() => preloaded.kysely ?? requireEsm(import.meta.resolve('kysely'))),
      [PACKAGE_NAME]: ownPackage,
    },
  }
  return sharedJitiOptions
}

/** The name users import tsdb by. */
const PACKAGE_NAME = 'tsdb-migrate'

/**
 * What a user's file gets for `import … from 'tsdb-migrate'`. tsdb loads user files for their config
 * (`defineConfig`) and their schema declaration (the builders): those names are tsdb's own
 * instances, so a command run from the CLI's bundle does not load a second copy of tsdb to read
 * them, and a config that imports only `defineConfig` loads no Kysely at all. Any other name
 * loads the package's public entry, as the file's own `import` would.
 */
const ownPackage = lazyModule(
  () => {
    const { declarations } = preloaded
    const api = once(() => requireEsm(import.meta.resolve(PACKAGE_NAME)))
    return declarations === undefined ? api() : new Proxy(declarations, { get: (target, key) => (key in target ? Reflect.get(target, key) : api()[key as string]) })
  },
  { defineConfig, DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH },
)

let preloading: Promise<void> | undefined

/**
 * Kysely and the schema builders fully evaluated, so the lazy modules never load them in the
 * middle of a run. Once per process: an upgrade loads every revision through here.
 */
function preloadSharedModules(): Promise<void> {
  preloading ??= Promise.all([import('kysely'), import('../schema/index.js')]).then(([kysely, declarations]) => {
    preloaded.kysely = kysely
    preloaded.declarations = declarations
  })
  return preloading
}

/**
 * The namespaces `import()` gave: handed out as they are, because they are the very instances the
 * rest of tsdb uses, and because `import()` also works where a native require cannot (the sources
 * run by a test runner, with no built index.js next to this file).
 */
const preloaded: { kysely?: Record<string, unknown>; declarations?: Record<string, unknown> } = {}

const requireFromHere = createRequire(import.meta.url)

/** The module instance `import()` would give (one module map serves both), loaded synchronously. */
function requireEsm(url: string): Record<string, unknown> {
  return requireFromHere(fileURLToPath(url)) as Record<string, unknown>
}

function once<T>(load: () => T): () => T {
  let value: { readonly loaded: T } | undefined
  return () => (value ??= { loaded: load() }).loaded
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
