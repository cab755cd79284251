import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import type { PublicExplorer } from 'cosmiconfig'
import { parseXArgs, type ConfigContext, type ResolvedConfig } from './config.js'
import { describeLoadError } from '../loader/import-module.js'
import { displayPath, resolveConfig } from './resolve-config.js'

export interface LoadConfigOptions {
  readonly cwd: string
  /** `--config <file>`: load this file instead of searching. */
  readonly configFile?: string | undefined
  /** `--url`. */
  readonly url?: string | undefined
  /** `-d/--directory`. */
  readonly directory?: string | undefined
  /** Default is `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /** `-x/--x-arg` values (`key=value`), handed to a config written as a function and to revision files. */
  readonly xArgs?: readonly string[] | undefined
}

const MODULE_NAME = 'tsdb'

/** Where a config is looked for in each folder, first match wins. */
const CONFIG_SEARCH_PLACES: readonly string[] = [
  ...['ts', 'mts', 'js', 'mjs', 'cjs', 'json'].map((ext) => `${MODULE_NAME}.config.${ext}`),
  ...['', '.json', '.yaml', '.yml', '.ts', '.mts', '.js', '.mjs', '.cjs'].map((ext) => `.${MODULE_NAME}rc${ext}`),
  ...['', '.json', '.yaml', '.yml', '.ts', '.mts', '.js', '.mjs', '.cjs'].map((ext) => `.config/${MODULE_NAME}rc${ext}`),
  'package.json',
]

const CODE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const

/** Finds (or, with `configFile`, reads) the config and resolves it with the command-line options. */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd)
  const found = await findConfig(cwd, options.configFile)
  const xArgs = parseXArgs(options.xArgs ?? [])
  const raw = typeof found?.config === 'function' ? await readWith(async () => (found.config as (context: ConfigContext) => unknown)({ xArgs }), found.path, cwd) : found?.config
  return resolveConfig(raw, {
    cwd,
    env: options.env ?? process.env,
    urlOption: options.url,
    configPath: found?.path ?? null,
    migrationsDirOption: options.directory,
    xArgs,
  })
}

export interface FoundConfig {
  readonly path: string
  /** What the file exported; undefined for an empty file. */
  readonly config: unknown
}

/**
 * The config file tsdb would use from `cwd`, or null. The search goes up from `cwd` to the
 * project root (the nearest folder with a package.json or .git), never beyond: a config in a
 * parent project or the home folder must not silently apply.
 */
export async function findConfig(cwd: string, configFile?: string): Promise<FoundConfig | null> {
  const { importDefault } = await import('../loader/import-module.js')
  const loadCode = async (path: string): Promise<unknown> => {
    let loaded: unknown
    try {
      loaded = await importDefault(path)
    } catch (error) {
      // cosmiconfig tags the error with the file; a thrown string or null cannot be tagged.
      throw error instanceof Error ? error : new Error(`it threw ${String(error)}`)
    }
    if (isModuleNamespace(loaded)) {
      throw new LoadAdvice('it has no default export; write `export default defineConfig({ ... })`')
    }
    return loaded
  }
  const explorer = createExplorer(loadCode)

  if (configFile !== undefined) {
    const path = resolve(cwd, configFile)
    if ((await statOf(path))?.isFile() !== true) {
      throw new ConfigError(`config file ${configFile} not found (resolved to ${path}); check the --config path`, path, {
        code: 'CONFIG_NOT_FOUND',
      })
    }
    const result = await readWith(() => explorer.load(path), path, cwd)
    return { path, config: result?.config }
  }

  const root = await findProjectRoot(cwd)
  for (let dir = cwd; ; dir = dirname(dir)) {
    const result = await readWith(() => explorer.search(dir), undefined, cwd)
    if (result !== null) return { path: result.filepath, config: result.config }
    if (dir === root || dirname(dir) === dir) return null
  }
}

/** cosmiconfig's explorer for tsdb's search places, code files loaded with `loadCode`. */
function createExplorer(loadCode: (path: string) => Promise<unknown>): PublicExplorer {
  // Required, not imported: an ESM import of a CommonJS package makes Node lex its source first.
  const { cosmiconfig } = createRequire(import.meta.url)('cosmiconfig') as typeof import('cosmiconfig')
  // cosmiconfig's own TypeScript loader needs the typescript compiler at run time; jiti does not.
  return cosmiconfig(MODULE_NAME, {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'none',
    cache: false,
    loaders: Object.fromEntries(CODE_EXTENSIONS.map((ext) => [ext, loadCode])),
  })
}

/** A load failure whose message already says what to do. */
class LoadAdvice extends Error {}

async function readWith<T>(read: () => Promise<T>, knownPath: string | undefined, cwd: string): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof ConfigError) throw error
    const failedPath = knownPath ?? filepathOf(error)
    const label = failedPath === undefined ? 'config' : displayPath(failedPath, cwd)
    const reason = error instanceof LoadAdvice ? error.message : `${describeLoadError(error)}; fix the config file`
    throw new ConfigError(`${label}: failed to load: ${reason}`, failedPath, {
      cause: error,
      code: 'CONFIG_LOAD_FAILED',
    })
  }
}

/** The nearest folder from `cwd` upwards with a package.json or a .git; `cwd` itself when none. */
export async function findProjectRoot(cwd: string): Promise<string> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const [packageJson, git] = await Promise.all([statOf(resolve(dir, 'package.json')), statOf(resolve(dir, '.git'))])
    if (packageJson !== null || git !== null) return dir
    if (dirname(dir) === dir) return resolve(cwd)
  }
}

function isModuleNamespace(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module'
}

function filepathOf(error: unknown): string | undefined {
  // cosmiconfig tags a loader's error with the file it was reading.
  const path = (error as { filepath?: unknown } | null)?.filepath
  return typeof path === 'string' ? path : undefined
}

/** The file's or folder's stat, or null when there is none (or it cannot be read). */
const statOf = (path: string) => stat(path).catch(() => null)
