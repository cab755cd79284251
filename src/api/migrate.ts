import type { Kysely } from 'kysely'
import { usesAddedEnumValues } from '../diff/enum-value-use.js'
import { autogenerate, type AutogenerateResult } from '../autogenerate/autogenerate.js'
import type { ResolvedConfig } from '../config/config.js'
import { withDatabase } from '../connection/with-database.js'
import { CommandError, DriftError, MultipleHeadsError } from '../errors.js'
import { resolveRevisions } from '../revision/resolve-target.js'
import type { RevisionGraph } from '../revision/revision-graph.js'
import { declarationToModel } from '../schema/declaration-to-model.js'
import type { RenameCandidate, RenameHint } from '../diff/rename-hints.js'
import { queryRunWarnings } from '../runner/run-warnings.js'
import { hasBinds, moduleLoaderFor, runOnEveryDatabase } from './binds.js'
import { createPgVersionStore } from '../version/pg-version-store.js'
import { loadEveryRevisionModule, loadRevisionGraph } from './load-revisions.js'
import { loadSchemaDeclaration } from './load-schema-declaration.js'
import { readCurrentHeads } from './read-current-heads.js'
import { silentReporter, type Reporter } from '../runner/reporter.js'
import { checkNewRevisionNames, revision, type CreatedRevision, type RevisionOptions } from './revision.js'

export interface AutogenerateOptions {
  /** Renames to apply instead of drop + add (`--rename`): `{ table: 'user', from: 'mail', to: 'email' }`, or without `table` for a table. */
  readonly renames?: readonly RenameHint[]
  /** Asked for each drop + add pair that looks like a rename (the CLI asks on a terminal). */
  readonly resolveRename?: (candidate: RenameCandidate) => boolean | Promise<boolean>
  readonly reporter?: Reporter
}

export interface MigrateOptions extends Omit<RevisionOptions, 'upBody' | 'downBody' | 'imports' | 'transactional'>, AutogenerateOptions {
  /**
   * Comment each statement that touches an existing table with its locks, its scan or rewrite and
   * the table's live size, and list the risky ones in `risks`. Default is true.
   */
  readonly annotate?: boolean
}

export interface MigrateResult {
  /** The new revision, or null when nothing changed ("No changes in schema detected."). */
  readonly created: CreatedRevision | null
  /** Flask-Migrate's lines: `Detected added table 'user'`, ... */
  readonly detected: readonly string[]
  readonly warnings: readonly string[]
  /**
   * The new revision's statements that block reads or writes of an existing table while they scan
   * or rewrite it, one line each (`upgrade: rewriting item under ACCESS EXCLUSIVE on item ...`).
   */
  readonly risks: readonly string[]
}

/**
 * Writes the revision for whatever differs between the schema declaration and the database at
 * head (`flask db migrate`). The database must be at every head; the revision builds on `head`.
 *
 * @example
 * const { created } = await migrate(config, { message: 'users table' })
 */
export async function migrate(config: ResolvedConfig, options: MigrateOptions = {}): Promise<MigrateResult> {
  const reporter = options.reporter ?? silentReporter
  // Before the comparison, which may take long, refuse names the revision could not be written with.
  checkNewRevisionNames(options)
  const graph = await loadRevisionGraph(config)
  // An unknown --head fails before the comparison; several heads only once there is something to
  // write, as in Alembic (a database at every head with no changes gets "No changes").
  const head = options.head ?? 'head'
  if (head !== 'base') {
    try {
      resolveRevisions(graph, head, [])
    } catch (error) {
      if (!(error instanceof MultipleHeadsError)) throw error
    }
  }
  const compare = async (database: ResolvedConfig) => {
    const result = await compareDeclaration(database, graph, { ...options, createVersionTable: true, annotate: options.annotate ?? true })
    for (const line of result.descriptions) reporter.info(line)
    for (const warning of result.warnings) reporter.warn(warning)
    return result
  }
  // A multidb project compares each database with its own declaration, into one revision.
  const { main, binds } = hasBinds(config) ? await runOnEveryDatabase(config, reporter, compare) : { main: await compare(config), binds: {} }
  const results = [main, ...Object.values(binds)]
  const warnings = results.flatMap((result) => result.warnings)
  const ops = results.flatMap((result) => result.ops)
  if (ops.length === 0) return { created: null, detected: [], warnings, risks: [] }
  const created = await revision(config, {
    ...options,
    upBody: main.up,
    downBody: main.down,
    bindBodies: Object.fromEntries(Object.entries(binds).map(([name, result]) => [name, { upBody: result.up, downBody: result.down }])),
    // An enum value is usable once committed: a revision that adds one and uses it runs outside a
    // transaction; so does one whose safe forms commit statement by statement.
    ...((usesAddedEnumValues(ops) || results.some((result) => !result.isTransactional)) && { transactional: false }),
  })
  return { created, detected: results.flatMap((result) => result.descriptions), warnings, risks: results.flatMap((result) => result.risks) }
}

export interface CheckResult {
  readonly detected: readonly string[]
}

/**
 * Fails with a DriftError when the declaration and the database at head differ (`flask db check`):
 * CI's drift guard. Every revision file is loaded first; one that does not load is the error.
 *
 * @example
 * await check(config)   // throws DriftError listing the differences
 */
export async function check(config: ResolvedConfig, options: AutogenerateOptions = {}): Promise<CheckResult> {
  if (!hasBinds(config)) return checkOne(config, options)
  const detected: string[] = []
  await runOnEveryDatabase(config, options.reporter ?? silentReporter, async (database) => {
    try {
      await checkOne(database, options)
    } catch (error) {
      if (!(error instanceof DriftError)) throw error
      detected.push(...error.detected.map((line) => (database.bind === undefined ? line : `${database.bind}: ${line}`)))
    }
  })
  if (detected.length > 0) throw new DriftError(detected)
  return { detected: [] }
}

async function checkOne(config: ResolvedConfig, options: AutogenerateOptions): Promise<CheckResult> {
  const graph = await loadRevisionGraph(config)
  // A CI guard: a revision file that no longer compiles fails here, also one applied long ago.
  await loadEveryRevisionModule(graph)
  // Also warns about INVALID indexes and applied revisions edited since (what `upgrade` warns about).
  const reporter = options.reporter ?? silentReporter
  const result = await compareDeclaration(config, graph, { ...options, createVersionTable: false }, async (db, heads) => {
    const warnings = await queryRunWarnings(db, {
      graph,
      heads,
      versionTableSchema: config.versionTableSchema,
      loadModule: moduleLoaderFor(config),
      cwd: config.cwd,
    })
    for (const warning of warnings) reporter.warn(warning)
  })
  if (result.ops.length > 0) {
    throw new DriftError(result.descriptions)
  }
  return { detected: [] }
}

/**
 * Compares the declaration with the database, which must be at every head of the revision graph
 * whatever `--head` says (Alembic's rule: a database behind any head would get a revision that
 * repeats what it lacks). `createVersionTable`: a database without a version table gets the empty
 * one once the comparison succeeded, as Alembic's autogenerate leaves it.
 */
async function compareDeclaration(
  config: ResolvedConfig,
  graph: RevisionGraph,
  options: AutogenerateOptions & { readonly createVersionTable: boolean; readonly annotate?: boolean },
  inspectDatabase?: (db: Kysely<any>, currentHeads: readonly string[]) => Promise<void>,
): Promise<AutogenerateResult> {
  const declared = declarationToModel(await loadSchemaDeclaration(config))
  const expectedHeads = graph.heads
  const reporter = options.reporter ?? silentReporter
  const notice = (line: string) => reporter.info(line)
  return withDatabase(config, async (db: Kysely<any>) => {
    const currentHeads = await readCurrentHeads(db, config)
    await inspectDatabase?.(db, currentHeads)
    if (!sameSet(currentHeads, expectedHeads)) {
      const describe = (heads: readonly string[]) => (heads.length === 0 ? 'base' : heads.join(', '))
      throw new CommandError(
        `Target database is not up to date. It is at ${describe(currentHeads)}; the revision files end at ` +
          `${describe(expectedHeads)}: run \`tsdb db upgrade${expectedHeads.length > 1 ? ' heads' : ''}\` first`,
        { code: 'NOT_UP_TO_DATE' },
      )
    }
    const result = await autogenerate(db, declared, {
      include: config.include,
      exclude: config.exclude,
      versionTable: config.versionTable,
      versionTableSchema: config.versionTableSchema,
      renames: options.renames,
      resolveRename: options.resolveRename,
      safeForms: config.safeForms,
      lockTimeoutMs: config.stepLockTimeout,
      annotate: options.annotate === true,
    })
    if (options.createVersionTable && currentHeads.length === 0) {
      await createPgVersionStore(db, { table: config.versionTable, schema: config.versionTableSchema }).ensureTable()
    }
    return result
  }, { notice })
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item) => b.includes(item))
