import { basename, dirname, isAbsolute, relative, resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { byteLength, MAX_IDENTIFIER_BYTES } from '../model/identifier.js'
import { VERSION_TABLE } from '../version/version-change.js'
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_PGLITE_DIR,
  DEFAULT_SCHEMA_PATH,
  DEFAULT_STEP_LOCK_RETRIES,
  DEFAULT_STEP_LOCK_TIMEOUT_MS,
  type ResolvedConfig,
  type TsdbConfig,
  type UrlSource,
  type XArgs,
} from './config.js'
import { parseDatabaseUrl } from './database-url.js'


export interface ResolveConfigContext {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** `--url`. */
  readonly urlOption?: string | undefined
  /** Absolute path of the loaded config file, or null when there is none. */
  readonly configPath: string | null
  /** `-d/--directory`, relative to `cwd`. */
  readonly migrationsDirOption?: string | undefined
  /** `-x/--x-arg`. Default is none. */
  readonly xArgs?: XArgs | undefined
}

type Check = (value: unknown) => string | null

const isString: Check = (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'a non-empty string')
const isBoolean: Check = (v) => (typeof v === 'boolean' ? null : 'true or false')
const isStringArray: Check = (v) =>
  Array.isArray(v) && v.every((item) => typeof item === 'string' && item !== '') ? null : 'an array of non-empty strings'
const isTimeout: Check = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'a number of milliseconds (0 or more)'
// PostgreSQL truncates identifiers to 63 bytes; a longer version table name would not be the table we query.
const isIdentifier: Check = (v) =>
  isString(v) ?? (byteLength(v as string) <= MAX_IDENTIFIER_BYTES ? null : `a name of at most ${MAX_IDENTIFIER_BYTES} bytes (PostgreSQL identifier limit)`)
const isCount: Check = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : 'a whole number (0 or more)')
const isLintConfig: Check = (v) =>
  isPlainObject(v) &&
  Object.keys(v).every((key) => key === 'allow') &&
  (v.allow === undefined || (isPlainObject(v.allow) && Object.values(v.allow).every((reason) => typeof reason === 'string' && reason.trim() !== '')))
    ? null
    : "an object { allow: { '<rule>': '<reason>' } } (every reason a non-empty string)"
const isObject: Check = (v) => (isPlainObject(v) ? null : 'an object of named databases ({ name: { url, schema } })')

const FIELD_CHECKS: { readonly [K in keyof Required<TsdbConfig>]: Check } = {
  url: isString,
  migrationsDir: isString,
  schema: isString,
  versionTable: isIdentifier,
  versionTableSchema: isIdentifier,
  transactionPerMigration: isBoolean,
  include: isStringArray,
  exclude: isStringArray,
  postWrite: isStringArray,
  lockTimeout: isTimeout,
  stepLockTimeout: isTimeout,
  stepLockRetries: isCount,
  safeForms: isBoolean,
  lint: isLintConfig,
  binds: isObject,
}
const BIND_CHECKS: Readonly<Record<string, Check>> = { url: isString, schema: isString }

/**
 * Validates what a config file exported and fills in every default. Relative paths in the
 * file are relative to the file's folder (the project), paths from the command line and the
 * environment are relative to `cwd`.
 */
export function resolveConfig(raw: unknown, ctx: ResolveConfigContext): ResolvedConfig {
  const label = configLabel(ctx)
  const config = validateConfig(raw ?? {}, label, ctx.configPath)
  const projectDir = ctx.configPath === null ? ctx.cwd : dirname(ctx.configPath)

  const envUrl = ctx.env['DATABASE_URL']
  // The URL, where it came from, the folder a relative pglite: path is in, and the URL's name in an error.
  const [urlText, urlSource, urlBase, urlLabel]: readonly [string, UrlSource, string, string] =
    ctx.urlOption !== undefined && ctx.urlOption !== ''
      ? [ctx.urlOption, 'option', ctx.cwd, '--url']
      : envUrl !== undefined && envUrl.trim() !== ''
        ? [envUrl, 'env', ctx.cwd, 'DATABASE_URL']
        : config.url !== undefined
          ? [config.url, 'config', projectDir, `${label}: 'url'`]
          : [`pglite:${DEFAULT_PGLITE_DIR}`, 'default', projectDir, 'default database URL']
  const database = withUrlContext(() => parseDatabaseUrl(urlText, urlBase), urlLabel, ctx.configPath)

  const migrationsDir =
    ctx.migrationsDirOption !== undefined && ctx.migrationsDirOption !== ''
      ? resolve(ctx.cwd, ctx.migrationsDirOption)
      : resolve(projectDir, config.migrationsDir ?? DEFAULT_MIGRATIONS_DIR)

  return {
    cwd: ctx.cwd,
    configPath: ctx.configPath,
    database,
    urlSource,
    migrationsDir,
    versionsDir: resolve(migrationsDir, 'versions'),
    schemaPath: resolve(projectDir, config.schema ?? DEFAULT_SCHEMA_PATH),
    versionTable: config.versionTable ?? VERSION_TABLE,
    versionTableSchema: config.versionTableSchema ?? null,
    transactionPerMigration: config.transactionPerMigration ?? false,
    include: config.include ?? [],
    exclude: config.exclude ?? [],
    postWrite: config.postWrite ?? [],
    lockTimeout: config.lockTimeout ?? null,
    stepLockTimeout: config.stepLockTimeout ?? DEFAULT_STEP_LOCK_TIMEOUT_MS,
    stepLockRetries: config.stepLockRetries ?? DEFAULT_STEP_LOCK_RETRIES,
    safeForms: config.safeForms ?? true,
    lint: { allow: { ...config.lint?.allow } },
    binds: resolveBinds(config.binds ?? {}, projectDir, label, ctx.configPath),
    xArgs: ctx.xArgs ?? {},
  }
}

function validateConfig(raw: unknown, label: string, path: string | null): TsdbConfig {
  if (!isPlainObject(raw)) {
    throw invalid(
      path,
      `${label}: the config must be an object, e.g. export default defineConfig({ migrationsDir: 'migrations' })`,
    )
  }
  checkFields(raw, FIELD_CHECKS, '', label, path)
  // Every key was checked against FIELD_CHECKS above, so the object has TsdbConfig's shape.
  return raw as TsdbConfig
}

function resolveBinds(
  binds: NonNullable<TsdbConfig['binds']>,
  projectDir: string,
  label: string,
  path: string | null,
): ResolvedConfig['binds'] {
  const resolved: Record<string, { url?: string; schema?: string }> = {}
  for (const name of Object.keys(binds).sort()) {
    const bind: unknown = binds[name]
    if (!isPlainObject(bind)) {
      throw invalid(path, `${label}: 'binds.${name}' must be an object ({ url, schema }), got ${describeValue(bind)}`)
    }
    checkFields(bind, BIND_CHECKS, `binds.${name}.`, label, path)
    const entry: { url?: string; schema?: string } = {}
    if (typeof bind['url'] === 'string') {
      const url = bind['url']
      const database = withUrlContext(() => parseDatabaseUrl(url, projectDir), `${label}: 'binds.${name}.url'`, path)
      // Stored absolute, so the bind means the same database from any working directory.
      entry.url = database.kind === 'postgres' ? database.url : database.dataDir === null ? 'pglite:memory' : `pglite:${database.dataDir}`
    }
    if (typeof bind['schema'] === 'string') entry.schema = resolve(projectDir, bind['schema'])
    resolved[name] = entry
  }
  return resolved
}

/**
 * Fails on an unknown key or a value of the wrong kind; `undefined` reads as "not set", as in
 * the TypeScript type. Only a top-level key gets a "did you mean".
 */
function checkFields(object: Record<string, unknown>, checks: Readonly<Record<string, Check>>, prefix: string, label: string, path: string | null): void {
  const known = Object.keys(checks)
  for (const [key, value] of Object.entries(object)) {
    const check = Object.hasOwn(checks, key) ? checks[key] : undefined
    if (check === undefined) {
      const hint = prefix === '' ? suggest(key, known) : ''
      const message = `${label}: unknown key '${prefix}${key}' (${hint}known keys: ${known.join(', ')})`
      throw invalid(path, message, 'CONFIG_UNKNOWN_KEY')
    }
    const expected = value === undefined ? null : check(value)
    if (expected !== null) {
      throw invalid(path, `${label}: '${prefix}${key}' must be ${expected}, got ${describeValue(value)}`)
    }
  }
}

const invalid = (path: string | null, message: string, code = 'CONFIG_INVALID') => new ConfigError(message, path ?? undefined, { code })

function withUrlContext<T>(parse: () => T, where: string, path: string | null): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(`${where}: ${error.message}`, path ?? undefined, { code: error.code, cause: error })
    }
    throw error
  }
}

function configLabel(ctx: ResolveConfigContext): string {
  if (ctx.configPath === null) return 'config'
  const shown = displayPath(ctx.configPath, ctx.cwd)
  return basename(ctx.configPath) === 'package.json' ? `${shown} ("tsdb" key)` : shown
}

/** The shorter of the path relative to `cwd` and the absolute path. */
export function displayPath(path: string, cwd: string): string {
  const shown = relative(cwd, path)
  return shown === '' || isAbsolute(shown) || shown.length >= path.length ? path : shown
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `'${value}'`
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}

function suggest(key: string, known: readonly string[]): string {
  const best = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance)[0]
  return best !== undefined && best.distance <= 2 ? `did you mean '${best.candidate}'? ` : ''
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
