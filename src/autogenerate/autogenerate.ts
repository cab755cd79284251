import type { Kysely } from 'kysely'
import { describeOpLines } from '../diff/describe-op.js'
import { diffSchemas } from '../diff/diff-schemas.js'
import { matchRenames } from '../diff/match-renames.js'
import type { RenameCandidate, RenameHint } from '../diff/rename-hints.js'
import type { SchemaOp } from '../diff/schema-op.js'
import { CATALOG_QUERY_COUNT, prepareCatalogSession, queryCatalog } from '../introspect/query-catalog.js'
import { VERSION_TABLE } from '../version/version-change.js'
import { rowsToModel, tableFilter } from '../introspect/rows-to-model.js'
import { tableKey, type SchemaModel, type TableModel } from '../model/schema-model.js'
import { planRevisionStatements, printBodies } from '../render/render-ops.js'
import { annotateStatements } from './annotate-statements.js'
import { readCanonicalDeclaration } from './canonicalize-declaration.js'

export interface CompareOptions {
  /** Tables to compare (`name`, `schema.name`, `*` wildcards). Default: all. */
  readonly include?: readonly string[]
  /** Tables autogenerate ignores, on both sides. */
  readonly exclude?: readonly string[]
  readonly versionTable: string
  readonly versionTableSchema: string | null
  /** Schemas to read from the database. Default: `public` and the declared schemas. */
  readonly schemas?: readonly string[]
  readonly renames?: readonly RenameHint[]
  /** Asked for each drop + add pair that looks like a rename (the CLI prompts on a terminal). */
  readonly resolveRename?: (candidate: RenameCandidate) => boolean | Promise<boolean>
  /** Write the safe form of a change to an existing table (see render/safe-forms.ts). Default is false. */
  readonly safeForms?: boolean
  /** The lock_timeout a revision that runs outside a transaction sets for itself; 0 sets none. Default is 0. */
  readonly lockTimeoutMs?: number
  /** Comment each statement with its locks, its scan or rewrite and the table's live size, and list the risky ones. Default is false. */
  readonly annotate?: boolean
}

export interface AutogenerateResult {
  readonly ops: readonly SchemaOp[]
  readonly warnings: readonly string[]
  /** Alembic-style `Detected ...` lines. */
  readonly descriptions: readonly string[]
  readonly up: string
  readonly down: string
  readonly usesSql: boolean
  /** False when a safe form needs its statements to commit apart: the revision runs outside a transaction. */
  readonly isTransactional: boolean
  /** With `annotate`: one line per statement that blocks reads or writes of a table while it scans or rewrites it. */
  readonly risks: readonly string[]
  /** Catalog queries sent: CATALOG_QUERY_COUNT for the database, and those that read the canonicalised declaration. */
  readonly queryCount: number
  /** The two sides compared, for `check --json` and debugging. */
  readonly database: SchemaModel
  readonly declared: SchemaModel
}

type IntrospectOptions = Partial<Pick<CompareOptions, 'schemas' | 'versionTable' | 'versionTableSchema' | 'include' | 'exclude'>>

/**
 * The database's model as autogenerate compares it. Types and expressions print unqualified for
 * `public`, as in the scratch schema that canonicalises the declaration (it sets its path the same way).
 */
export async function introspectDatabase(
  // Catalog reads only.
  db: Kysely<any>,
  options: IntrospectOptions = {},
): Promise<SchemaModel> {
  return db.transaction().execute(async (trx) => {
    await prepareCatalogSession(trx, 'public')
    const rows = await queryCatalog(trx, {
      ...(options.schemas ? { schemas: options.schemas } : {}),
      versionTable: options.versionTable ?? VERSION_TABLE,
      versionTableSchema: options.versionTableSchema ?? null,
    })
    return rowsToModel(rows, options)
  })
}

/** Both results; when either fails, the first failure in argument order, once both have ended. */
async function settleInOrder<A, B>(first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second])
  if (a.status === 'rejected') throw a.reason
  if (b.status === 'rejected') throw b.reason
  return [a.value, b.value]
}

const candidateKey = (c: RenameCandidate): string => JSON.stringify([c.kind, c.schema, c.table, c.from, c.to])

/** Reads the database, canonicalises the declaration on the same server, diffs and renders. */
export async function autogenerate(
  // Catalog reads and rolled-back DDL only; no table types of the user's database are involved.
  db: Kysely<any>,
  declaredModel: SchemaModel,
  options: CompareOptions,
): Promise<AutogenerateResult> {
  const keep = tableFilter(options)
  const declaredFiltered: SchemaModel = {
    ...declaredModel,
    sequences: declaredModel.sequences.filter((item) => keep(item.schema, item.name)),
    tables: declaredModel.tables.filter((table) => keep(table.schema, table.name)),
    views: declaredModel.views.filter((item) => keep(item.schema, item.name)),
  }
  const schemas = options.schemas ?? [...new Set(['public', ...declaredModel.schemas])]
  // Two transactions that share nothing, so on two connections at once: the server reads the
  // database's catalogs while the declaration is planned and folded here (PGlite, with one
  // connection, runs them one after the other).
  const [database, canonical] = await settleInOrder(
    introspectDatabase(db, { ...options, schemas }),
    readCanonicalDeclaration(db, declaredFiltered),
  )
  const declared = canonical.model

  const answers = new Map<string, boolean>()
  const renames = [...(options.renames ?? [])]
  if (options.resolveRename) {
    // Tables first: a table rename changes which column pairs exist, so ask until nothing is new.
    for (let round = 0; round < 2; round++) {
      const asked = matchRenames(database, declared, { renames, resolveRename: (c) => answers.get(candidateKey(c)) ?? false })
      const fresh = asked.candidates.filter((c) => !answers.has(candidateKey(c)))
      if (fresh.length === 0) break
      for (const candidate of fresh) {
        const isRename = await options.resolveRename(candidate)
        answers.set(candidateKey(candidate), isRename)
        if (isRename) {
          renames.push(
            candidate.kind === 'table'
              ? { schema: candidate.schema, from: candidate.from, to: candidate.to }
              : { schema: candidate.schema, table: candidate.table, from: candidate.from, to: candidate.to },
          )
        }
      }
    }
  }
  const diff = diffSchemas(database, declared, {
    renames,
    ...(options.resolveRename ? { resolveRename: (c: RenameCandidate) => answers.get(candidateKey(c)) ?? false } : {}),
  })
  const planned = planRevisionStatements(diff.ops, { safeForms: options.safeForms ?? false, lockTimeoutMs: options.lockTimeoutMs ?? 0 })
  const annotated =
    options.annotate === true && diff.ops.length > 0
      ? await annotateStatements(db, planned, { before: retypedTables(database, diff.ops), after: retypedTables(declared, diff.ops) })
      : { ...planned, risks: [] }
  const rendered = printBodies(annotated.up, annotated.down)
  return {
    ops: diff.ops,
    warnings: diff.warnings,
    descriptions: diff.ops.flatMap(describeOpLines),
    up: rendered.up,
    down: rendered.down,
    usesSql: rendered.usesSql,
    isTransactional: planned.isTransactional,
    risks: annotated.risks,
    queryCount: CATALOG_QUERY_COUNT + canonical.catalogQueries,
    database,
    declared,
  }
}

/**
 * The model's tables with a column that changes type: the annotations need their column types
 * and indexes to tell a rewrite from a binary-compatible change (the other statements say
 * everything themselves).
 */
function retypedTables(model: SchemaModel, ops: readonly SchemaOp[]): readonly TableModel[] {
  const keys = new Set(ops.flatMap((op) => (op.kind === 'alterColumn' && op.from.type !== op.to.type ? [tableKey(op.table)] : [])))
  return model.tables.filter((table) => keys.has(tableKey(table)))
}
