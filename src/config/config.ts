import type { CallerDatabase } from './caller-database.js'

/** What a user writes in `tsdb.config.ts` (every field optional). */
export interface TsdbConfig {
  /** Database URL: `postgres://…`, `postgresql://…`, `pglite:<folder>` or `pglite:memory`. Default is the embedded database in `.tsdb/pglite`. */
  readonly url?: string
  /** The migrations folder. Default is `migrations`. */
  readonly migrationsDir?: string
  /** Module exporting the schema declaration. Default is `src/schema.ts`. */
  readonly schema?: string
  /** Default is `alembic_version`, so a Flask-Migrate database can be handed over. */
  readonly versionTable?: string
  /** Schema of the version table. Default is the connection's search path (`public`). */
  readonly versionTableSchema?: string
  /** Commit after each revision instead of once per command. Default is `false` (Flask-Migrate's behaviour). */
  readonly transactionPerMigration?: boolean
  /** Tables autogenerate compares (all when empty). */
  readonly include?: readonly string[]
  /** Tables autogenerate ignores. */
  readonly exclude?: readonly string[]
  /** Commands run on each new revision file; `{file}` is replaced by its path (e.g. `npx prettier --write {file}`). */
  readonly postWrite?: readonly string[]
  /** How long to wait for another tsdb run's lock, in milliseconds. Default is no limit. */
  readonly lockTimeout?: number
  /**
   * PostgreSQL's `lock_timeout` for each transaction `upgrade`/`downgrade` runs, in milliseconds:
   * a step that waits longer for a table lock fails fast instead of queueing traffic behind it,
   * and its transaction is retried (`stepLockRetries`). `0` sets none. Default is 5000.
   */
  readonly stepLockTimeout?: number
  /** How many times a transaction that hit `stepLockTimeout` (and rolled back) is run again. Default is 3. */
  readonly stepLockRetries?: number
  /**
   * Autogenerate writes the safe form of a change to an existing table: `CREATE INDEX
   * CONCURRENTLY`, a constraint added `NOT VALID` then validated, `SET NOT NULL` through a
   * validated check, in a revision that runs outside a transaction (see docs/lint.md). `false`
   * writes the plain statements in one transaction. Default is `true`.
   */
  readonly safeForms?: boolean
  /** `tsdb db lint` settings: `allow` silences a rule for the whole project, with the reason. */
  readonly lint?: { readonly allow?: Readonly<Record<string, string>> }
  /**
   * Further databases by name (the `multidb` template), each with its own URL, schema
   * declaration and version table: revisions carry their steps in `export const binds`, and
   * every command acts on the main database and each bind, committing all or none.
   */
  readonly binds?: Readonly<Record<string, { readonly url?: string; readonly schema?: string }>>
}

/**
 * What `-x/--x-arg key=value` gave the command, as Alembic's
 * `context.get_x_argument(as_dictionary=True)`: `-x data=true` is `{ data: 'true' }`, and a bare
 * `-x dry` is `{ dry: '' }`. A later `-x` with the same key wins.
 */
export type XArgs = Readonly<Record<string, string>>

/** What a config written as a function receives. */
export interface ConfigContext {
  readonly xArgs: XArgs
}

/**
 * Typing helper for `tsdb.config.ts`: `export default defineConfig({ ... })`, or a function of
 * the command's `-x` arguments: `defineConfig(({ xArgs }) => ({ url: xArgs.url }))`.
 */
export function defineConfig(config: TsdbConfig): TsdbConfig
export function defineConfig(config: (context: ConfigContext) => TsdbConfig): (context: ConfigContext) => TsdbConfig
export function defineConfig<T>(config: T): T {
  return config
}

/** `['data=true', 'dry']` as `{ data: 'true', dry: '' }` (see XArgs). */
export function parseXArgs(list: readonly string[]): XArgs {
  return Object.fromEntries(
    list.map((arg) => {
      const at = arg.indexOf('=')
      return at === -1 ? [arg, ''] : [arg.slice(0, at), arg.slice(at + 1)]
    }),
  )
}

export type DatabaseUrl =
  | { readonly kind: 'postgres'; readonly url: string; readonly redacted: string }
  /** `dataDir` null means in memory. */
  | { readonly kind: 'pglite'; readonly dataDir: string | null; readonly redacted: string }

export type UrlSource = 'option' | 'env' | 'config' | 'default'

/** The config with every default filled in and every path absolute. */
export interface ResolvedConfig {
  readonly cwd: string
  /** The config file that was loaded, or null. */
  readonly configPath: string | null
  readonly database: DatabaseUrl
  readonly urlSource: UrlSource
  readonly migrationsDir: string
  /** Folders holding revision files: `<migrationsDir>/versions` plus any `--version-path` folders found. */
  readonly versionsDir: string
  readonly schemaPath: string
  readonly versionTable: string
  readonly versionTableSchema: string | null
  readonly transactionPerMigration: boolean
  readonly include: readonly string[]
  readonly exclude: readonly string[]
  readonly postWrite: readonly string[]
  readonly lockTimeout: number | null
  readonly stepLockTimeout: number
  readonly stepLockRetries: number
  readonly safeForms: boolean
  readonly lint: { readonly allow: Readonly<Record<string, string>> }
  readonly binds: Readonly<Record<string, { readonly url?: string; readonly schema?: string }>>
  /** Set on the config of one bind (api/binds.ts): its revisions' steps are `binds[bind]`. Default is the main database. */
  readonly bind?: string
  /**
   * A database the caller already holds (API only: `upgrade({ ...config, db })`). tsdb runs on
   * it instead of `database`, and leaves it open. Default is none: tsdb opens `database`.
   */
  readonly db?: CallerDatabase
  /** The command's `-x` arguments, which revision files receive too (`up(db, { xArgs })`). */
  readonly xArgs: XArgs
}

export const DEFAULT_MIGRATIONS_DIR = 'migrations'
export const DEFAULT_STEP_LOCK_TIMEOUT_MS = 5000
export const DEFAULT_STEP_LOCK_RETRIES = 3
export const DEFAULT_SCHEMA_PATH = 'src/schema.ts'
export const DEFAULT_PGLITE_DIR = '.tsdb/pglite'
