import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { diffSchemas } from '../diff/diff-schemas.js'
import { describeOp } from '../diff/describe-op.js'
import { CommandError } from '../errors.js'
import { CATALOG_QUERY_COUNT, prepareCatalogSession, queryCatalog } from '../introspect/query-catalog.js'
import { rowsToModel } from '../introspect/rows-to-model.js'
import { quoteIdentifier, quoteIdentifierIfNeeded } from '../model/identifier.js'
import {
  EMPTY_SCHEMA,
  normalizeModel,
  tableKey,
  type QualifiedName,
  type SchemaModel,
  type TableModel,
} from '../model/schema-model.js'
import { renderOpStatements } from '../render/render-op.js'
import { applyInOneBatch, applyStatement } from './apply-statements.js'
import { probeDeclaration } from './probe-declaration.js'

class Rollback extends Error {}

/** Every schema a model uses, `public` first: each gets its own scratch schema. */
function schemasOf(model: SchemaModel): readonly string[] {
  const names = new Set<string>(['public', ...model.schemas])
  for (const item of [...model.enums, ...model.sequences, ...model.tables, ...model.views]) names.add(item.schema)
  for (const table of model.tables) for (const fk of table.foreignKeys) names.add(fk.references.schema)
  return [...names]
}

/**
 * Renames schemas throughout a model: structured names through `mapName`, and schema-qualified
 * names inside PostgreSQL text (types, defaults, checks, index expressions) by prefix. Text is
 * rewritten where a qualifier `<schema>.` starts a name, which is the only place PostgreSQL
 * prints one; a column literally called like a schema and written `schema.x` would be rewritten
 * too (accepted: the scratch names are random, so only the declared side can be affected).
 */
function renameSchemas(model: SchemaModel, mapping: ReadonlyMap<string, string>): SchemaModel {
  const mapName = (schema: string): string => mapping.get(schema) ?? schema
  // PostgreSQL prints a qualifier quoted only where it must be; a declaration may quote it anyway (`"audit"."status"`).
  const spellings = (schema: string): readonly string[] => [...new Set([quoteIdentifierIfNeeded(schema), quoteIdentifier(schema)])]
  const rules = [...mapping].flatMap(([from, to]) =>
    spellings(from).map((spelling) => ({
      qualifier: `${spelling}.`,
      pattern: new RegExp(`(^|[^\\w"$])${escapeRegExp(spelling)}\\.`, 'g'),
      replacement: `$1${quoteIdentifierIfNeeded(to)}.`,
    })),
  )
  // Most texts name no schema: a substring test spares them the regular expression.
  const mapText = (text: string): string =>
    rules.reduce((t, rule) => (t.includes(rule.qualifier) ? t.replace(rule.pattern, rule.replacement) : t), text)
  const mapNullable = (text: string | null): string | null => (text === null ? null : mapText(text))
  const qualified = <T extends QualifiedName>(item: T): T => ({ ...item, schema: mapName(item.schema) })
  return {
    schemas: model.schemas.map(mapName),
    enums: model.enums.map(qualified),
    sequences: model.sequences.map(qualified),
    tables: model.tables.map(
      (table): TableModel => ({
        ...qualified(table),
        columns: table.columns.map((column) => ({
          ...column,
          type: mapText(column.type),
          default: mapNullable(column.default),
          generated: mapNullable(column.generated),
        })),
        checks: table.checks.map((check) => ({ ...check, definition: mapText(check.definition) })),
        exclusions: table.exclusions.map((exclusion) => ({ ...exclusion, definition: mapText(exclusion.definition) })),
        indexes: table.indexes.map((index) => ({
          ...index,
          definition: mapText(index.definition),
          where: mapNullable(index.where),
          keys: index.keys.map((key) => (key.kind === 'expression' ? { ...key, sql: mapText(key.sql) } : key)),
        })),
        foreignKeys: table.foreignKeys.map((fk) => ({ ...fk, references: qualified(fk.references) })),
      }),
    ),
    views: model.views.map((view) => ({
      ...qualified(view),
      definition: mapText(view.definition),
      columns: view.columns.map(mapText),
      dependsOn: view.dependsOn.map((key) => `${mapName(key.slice(0, key.indexOf('.')))}${key.slice(key.indexOf('.'))}`),
    })),
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Introspection never sees `renamedFrom`; the canonical model keeps the declaration's hints. */
function keepRenameHints(canonical: SchemaModel, declared: SchemaModel): SchemaModel {
  const declaredTables = new Map(declared.tables.map((table) => [tableKey(table), table]))
  return {
    ...canonical,
    tables: canonical.tables.map((table) => {
      const source = declaredTables.get(tableKey(table))
      if (source === undefined) return table
      const columns = table.columns.map((column) => {
        const hint = source.columns.find((c) => c.name === column.name)?.renamedFrom
        return hint === undefined ? column : { ...column, renamedFrom: hint }
      })
      return source.renamedFrom === undefined ? { ...table, columns } : { ...table, columns, renamedFrom: source.renamedFrom }
    }),
  }
}

const PERMISSION_DENIED = '42501'

export interface CanonicalDeclaration {
  readonly model: SchemaModel
  /** Catalog queries sent to read it. */
  readonly catalogQueries: number
  /** Whether the probe answered or the whole declaration was built (for tests and debugging). */
  readonly method: 'probe' | 'build'
}

export interface CanonicalizeOptions {
  /** Try the probe before building the whole declaration. Default is true; tests compare the two ways. */
  readonly shouldProbe?: boolean
}

/**
 * The declared model in PostgreSQL's own canonical text, from the server the migration will run
 * on, inside a transaction that is always rolled back, in scratch schemas
 * (`tsdb_shadow_<random>_<n>`, one per declared schema, `public`'s first on the search_path). So
 * types, defaults, checks and index expressions compare as equal text, and `migrate` right after
 * `upgrade` finds nothing. The probe (probe-plan.ts) builds only what prints those texts; when it
 * cannot answer, the whole declaration is built as the migration would build it and read back
 * with the database's catalog queries. Needs the CREATE privilege on the database.
 */
export async function readCanonicalDeclaration(
  // Only DDL and catalog reads go through this instance; no table types are involved.
  db: Kysely<any>,
  declared: SchemaModel,
  options: CanonicalizeOptions = {},
): Promise<CanonicalDeclaration> {
  const prefix = `tsdb_shadow_${randomBytes(4).toString('hex')}`
  const schemas = schemasOf(declared)
  const toShadow = new Map(schemas.map((schema, i) => [schema, `${prefix}_${i}`]))
  const fromShadow = new Map([...toShadow].map(([real, shadow]) => [shadow, real]))
  const shadowModel = { ...renameSchemas(declared, toShadow), schemas: [] }
  const scratchSchemas = [...toShadow.values()]
  const typeSchema = toShadow.get('public')!
  let canonical: CanonicalDeclaration | undefined
  try {
    await db.transaction().execute(async (trx) => {
      for (const shadow of scratchSchemas) {
        await run(() => sql`create schema ${sql.id(shadow)}`.execute(trx), 'creating a scratch schema')
      }
      // `public` stays on the path after its scratch twin, so extension functions and types resolve.
      await prepareCatalogSession(trx, `${typeSchema}, public`)
      const probed = options.shouldProbe === false ? null : await probeDeclaration(trx, shadowModel, { typeSchema, scratchSchemas })
      canonical = await reprintChecks(trx, probed ?? (await buildDeclaration(trx, shadowModel, scratchSchemas)))
      throw new Rollback()
    })
  } catch (error) {
    if (!(error instanceof Rollback)) throw error
  }
  if (canonical === undefined) throw new Error('unreachable: the scratch transaction ended without a model')
  const model = renameSchemas(canonical.model, fromShadow)
  return {
    model: normalizeModel(keepRenameHints({ ...model, schemas: declared.schemas.filter((s) => s !== 'public') }, declared)),
    catalogQueries: canonical.catalogQueries,
    method: canonical.method,
  }
}

/** The whole declaration built as the migration builds it, and read back like the database. */
async function buildDeclaration(
  trx: Kysely<any>,
  shadowModel: SchemaModel,
  scratchSchemas: readonly string[],
): Promise<CanonicalDeclaration> {
  const ops = diffSchemas(EMPTY_SCHEMA, shadowModel).ops
  if (!(await applyInOneBatch(trx, ops.flatMap(renderOpStatements)))) {
    for (const op of ops) {
      for (const statement of renderOpStatements(op)) {
        await run(() => applyStatement(trx, statement), describeOp(op))
      }
    }
  }
  const rows = await queryCatalog(trx, { schemas: scratchSchemas })
  return { model: rowsToModel(rows), catalogQueries: CATALOG_QUERY_COUNT, method: 'build' }
}

/**
 * The checks as PostgreSQL prints them once the migration has sent its printed text. Printing is
 * not always a fixed point: `a BETWEEN 1 AND 10 AND b > 0` prints as `((a >= 1) AND (a <= 10)) AND
 * (b > 0)`, which PostgreSQL reads back as one flat AND and prints without the inner parentheses.
 * The migration sends the printed text, so the database holds the second print, and so must the
 * declaration, or every `migrate` would find the check changed. The tables with checks exist in
 * the scratch schemas (both ways build them), so their checks are replaced there and read again.
 */
async function reprintChecks(trx: Kysely<any>, canonical: CanonicalDeclaration): Promise<CanonicalDeclaration> {
  const tables = canonical.model.tables.filter((table) => table.checks.length > 0)
  if (tables.length === 0) return canonical
  const statements = tables.flatMap((table) =>
    table.checks.flatMap((check) => [
      ...renderOpStatements({ kind: 'dropCheck', table, check }),
      ...renderOpStatements({ kind: 'addCheck', table, check }),
    ]),
  )
  if (!(await applyInOneBatch(trx, statements))) {
    for (const statement of statements) await run(() => applyStatement(trx, statement), 'printing a check constraint')
  }
  const checks = tables.flatMap((table) => table.checks.map((check) => ({ table, check })))
  const keys = JSON.stringify(checks.map(({ table, check }) => [table.schema, table.name, check.name]))
  const result = await sql<{ readonly i: number; readonly definition: string }>`
    select k.i::int as i, pg_get_constraintdef(con.oid) as definition
    from json_array_elements(${keys}::json) with ordinality k(value, i)
    join pg_namespace n on n.nspname = k.value ->> 0
    join pg_class c on c.relnamespace = n.oid and c.relname = k.value ->> 1
    join pg_constraint con on con.conrelid = c.oid and con.conname = k.value ->> 2 and con.contype = 'c'`.execute(trx)
  const printed = new Map(result.rows.map((row) => [checks[row.i - 1]?.check, row.definition]))
  return {
    ...canonical,
    catalogQueries: canonical.catalogQueries + 1,
    model: {
      ...canonical.model,
      tables: canonical.model.tables.map((table) =>
        table.checks.length === 0
          ? table
          : { ...table, checks: table.checks.map((check) => ({ ...check, definition: printed.get(check) ?? check.definition })) },
      ),
    },
  }
}

async function run(step: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await step()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as { code?: unknown }).code
    if (code === PERMISSION_DENIED) {
      throw new CommandError(
        `Autogenerate needs the CREATE privilege on the database: it creates the schema declaration in a ` +
          `scratch schema, reads it back and rolls it back (${message}). Grant it with ` +
          `GRANT CREATE ON DATABASE <name> TO <role>, or run migrate as a role that has it.`,
        { cause: error, code: 'CANONICALIZE_PRIVILEGE' },
      )
    }
    throw new CommandError(`The schema declaration is not valid PostgreSQL (${what}): ${message}`, {
      cause: error,
      code: 'DECLARATION_INVALID',
    })
  }
}
