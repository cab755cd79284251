import type { ResolvedConfig } from '../config/config.js'
import type { RunOptions, RunResult } from './run-options.js'
import { parseDatabaseUrl } from '../config/database-url.js'
import { ConfigError } from '../errors.js'
import type { Revision, RevisionModule } from '../revision/revision.js'
import type { LoadRevisionModule } from '../runner/load-step-modules.js'
import { silentReporter, type Reporter } from '../runner/reporter.js'
import { loadRevisionModule } from '../script/script-directory.js'

/**
 * One database of a multidb project (the config's `binds`): the main database has no name.
 * Its config is the project's with the bind's URL and schema declaration, and no binds.
 */
interface BindDatabase {
  readonly name: string | null
  readonly config: ResolvedConfig
}

/** The result of a command on every database: the main one's, and each bind's by name. */
export interface EveryDatabaseResult<T> {
  readonly main: T
  readonly binds: Readonly<Record<string, T>>
}

/** Whether the config names further databases (the multidb template). */
export const hasBinds = (config: ResolvedConfig): boolean => Object.keys(config.binds).length > 0

/** `<default>` for the main database, as Flask-Migrate's multidb env.py logs it. */
const bindLabel = (name: string | null): string => name ?? '<default>'

/**
 * The main database, then each bind by name. Two databases with the same URL would share one
 * version table and wait on each other's lock, so that is refused.
 */
function listBindDatabases(config: ResolvedConfig): readonly BindDatabase[] {
  const databases: BindDatabase[] = [{ name: null, config }]
  const seen = new Map<string | null, string>([[databaseKey(config.database), bindLabel(null)]])
  for (const [name, bind] of Object.entries(config.binds)) {
    if (bind.url === undefined || bind.schema === undefined) {
      throw new ConfigError(
        `binds.${name} needs both a url and a schema (e.g. binds: { ${name}: { url: 'pglite:.tsdb/${name}', schema: 'src/${name}-schema.ts' } })`,
        config.configPath ?? undefined,
        { code: 'CONFIG_INVALID' },
      )
    }
    const database = parseDatabaseUrl(bind.url, config.cwd)
    const key = databaseKey(database)
    const other = key === null ? undefined : seen.get(key)
    if (other !== undefined) {
      throw new ConfigError(
        `binds.${name} names the same database as ${other}: each bind needs a database of its own (with its own ${config.versionTable} table)`,
        config.configPath ?? undefined,
        { code: 'CONFIG_INVALID' },
      )
    }
    seen.set(key, name)
    const { db: _callerDatabase, ...rest } = config
    databases.push({ name, config: { ...rest, database, urlSource: 'config', schemaPath: bind.schema, binds: {}, bind: name } })
  }
  return databases
}

/** null for `pglite:memory`, which is a new database each time it is opened. */
const databaseKey = (database: ResolvedConfig['database']): string | null =>
  database.kind === 'postgres' ? database.url : database.dataDir

/**
 * The revision loader for the database a config points to: the main database runs a revision's
 * `up`/`down`, a bind the `up`/`down` under its name in the revision's `binds` export. A revision
 * with no entry for a bind (written before the bind was added) does nothing there.
 */
export function moduleLoaderFor(config: ResolvedConfig): LoadRevisionModule {
  const name = config.bind
  if (name === undefined) return loadRevisionModule
  const load = async (revision: Revision): Promise<RevisionModule> => {
    const steps = (await loadRevisionModule(revision)).binds?.[name]
    return steps ?? { up: doNothing, down: doNothing }
  }
  return Object.assign(load, { prepare: loadRevisionModule.prepare, settle: loadRevisionModule.settle })
}

const doNothing = async (): Promise<void> => undefined

/**
 * Runs a command on every database, one after the other, as Flask-Migrate's multidb env.py
 * does: each database's transaction stays open (`beforeCommit` waits) until every database has
 * run its steps; then all commit. When one fails, the others roll back. Without two-phase commit
 * a COMMIT that fails after another database committed cannot be undone (docs/configuration.md).
 */
export async function runOnEveryDatabase<T>(
  config: ResolvedConfig,
  reporter: Reporter,
  run: (config: ResolvedConfig, beforeCommit: () => Promise<void>) => Promise<T>,
): Promise<EveryDatabaseResult<T>> {
  let release = (): void => undefined
  let cancel = (_error: unknown): void => undefined
  const committing = new Promise<void>((resolve, reject) => {
    release = resolve
    cancel = reject
  })
  committing.catch(() => undefined)
  const databases = listBindDatabases(config)
  const runs: Promise<T>[] = []
  try {
    for (const database of databases) {
      reporter.info(`Migrating database ${bindLabel(database.name)}`)
      let arrive = (): void => undefined
      const ready = new Promise<void>((resolve) => {
        arrive = resolve
      })
      const running = run(database.config, () => {
        arrive()
        return committing
      })
      runs.push(running)
      await Promise.race([ready, running])
    }
  } catch (error) {
    cancel(error)
    await Promise.allSettled(runs)
    throw error
  }
  release()
  const [main, ...binds] = await Promise.all(runs)
  // listBindDatabases lists the main database first, so there is always a first result; the
  // cast keeps T's own undefined (a command that returns nothing) apart from "no result".
  return { main: main as T, binds: Object.fromEntries(databases.slice(1).map((database, index) => [database.name, binds[index] as T])) }
}

/**
 * `upgrade`, `downgrade` or `stamp` on the config's database, or on every database of a multidb
 * project. Offline, one script holds each database's in turn, each after a `-- Database: <name>`
 * line (Flask-Migrate writes `<name>.sql` files instead).
 */
export async function runOnEachDatabase(
  config: ResolvedConfig,
  options: RunOptions,
  one: (config: ResolvedConfig, beforeCommit?: () => Promise<void>) => Promise<RunResult>,
): Promise<RunResult> {
  if (!hasBinds(config)) return one(config)
  const { main, binds } = await runOnEveryDatabase(config, options.reporter ?? silentReporter, one)
  const scripts = [[null, main] as const, ...Object.entries(binds)].map(([name, result]) =>
    result.sql === null ? null : `-- Database: ${bindLabel(name)}\n\n${result.sql.trimEnd()}\n`,
  )
  return { ...main, sql: main.sql === null ? null : scripts.join('\n'), binds }
}
