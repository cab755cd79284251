import { sql, type Kysely } from 'kysely'
import { CATALOG_QUERY_COUNT, queryCatalog } from '../introspect/query-catalog.js'
import { rowsToModel } from '../introspect/rows-to-model.js'
import { EMPTY_SCHEMA, type SchemaModel } from '../model/schema-model.js'
import type { Statement } from '../render/code.js'
import { renderOpStatements } from '../render/render-op.js'
import { applyInOneBatch, applyStatement } from './apply-statements.js'
import { foldProbe, planProbe, slotAnswerKey, type ProbeAnswers, type ProbePlan } from './probe-plan.js'

export interface ProbedDeclaration {
  /** The declared model in PostgreSQL's texts, in the scratch schemas' names. */
  readonly model: SchemaModel
  readonly catalogQueries: number
  readonly method: 'probe'
}

/**
 * Canonicalises a declared model (already renamed into the scratch schemas) the cheap way that
 * `planProbe` describes, inside the caller's scratch transaction. Null when only a full build can
 * tell: the plan's checks said so, or a statement failed (the full build then reports the failing
 * operation by name). Everything the probe created is rolled back before it returns null.
 */
export async function probeDeclaration(
  // DDL in the scratch schemas and catalog reads only.
  trx: Kysely<any>,
  model: SchemaModel,
  options: { readonly typeSchema: string; readonly scratchSchemas: readonly string[] },
): Promise<ProbedDeclaration | null> {
  const plan = planProbe(model, options.typeSchema)
  if (plan === null) return null
  await sql`savepoint tsdb_probe`.execute(trx)
  let probed: ProbedDeclaration | null
  try {
    probed = await runProbe(trx, model, plan, options.scratchSchemas)
  } catch {
    // Whatever failed, the full build does it again and says what.
    probed = null
  }
  if (probed === null) await sql`rollback to savepoint tsdb_probe`.execute(trx)
  return probed
}

async function runProbe(
  trx: Kysely<any>,
  model: SchemaModel,
  plan: ProbePlan,
  scratchSchemas: readonly string[],
): Promise<ProbedDeclaration | null> {
  const statements: Statement[] = [
    ...plan.enums.flatMap((type) => renderOpStatements({ kind: 'createEnum', enum: type })),
    ...[...plan.typeTables, ...plan.skeletons].flatMap((table) => renderOpStatements({ kind: 'createTable', table })),
  ]
  if (!(await applyInOneBatch(trx, statements))) {
    for (const statement of statements) await applyStatement(trx, statement)
  }
  const hasTexts = plan.typeTables.length > 0 || plan.formattedIndexes.length > 0
  const texts = hasTexts ? await queryProbeTexts(trx, plan) : { columns: new Map(), indexDefinitions: [] }
  const skeletons = plan.skeletons.length === 0 ? EMPTY_SCHEMA : rowsToModel(await queryCatalog(trx, { schemas: scratchSchemas }))
  const folded = foldProbe(model, plan, { ...texts, skeletons })
  if (folded === null) return null
  return {
    model: folded,
    catalogQueries: (hasTexts ? 1 : 0) + (plan.skeletons.length === 0 ? 0 : CATALOG_QUERY_COUNT),
    method: 'probe',
  }
}

interface ProbeTextRow {
  readonly columns: readonly { readonly table: string; readonly column: string; readonly type: string; readonly default: string | null }[]
  readonly index_definitions: readonly string[]
}

/**
 * One query: the type tables' column types and defaults, and the definitions of the indexes not
 * built, printed by `format()` the way `pg_get_indexdef` prints a btree index on plain columns
 * (`quote_ident` is the quoting both use).
 */
async function queryProbeTexts(trx: Kysely<any>, plan: ProbePlan): Promise<Omit<ProbeAnswers, 'skeletons'>> {
  const typeSchema = plan.typeTables[0]?.schema ?? ''
  const typeTables = JSON.stringify(plan.typeTables.map((table) => table.name))
  const indexes = JSON.stringify(
    plan.formattedIndexes.map((item, i) => ({
      i,
      schema: item.schema,
      table_name: item.table,
      name: item.index.name,
      is_unique: item.index.unique,
      columns: item.index.keys.map((key) => (key.kind === 'column' ? key.name : '')),
    })),
  )
  const result = await sql<ProbeTextRow>`
    select
      (select coalesce(json_agg(json_build_object('table', c.relname, 'column', a.attname,
          'type', format_type(a.atttypid, a.atttypmod), 'default', pg_get_expr(d.adbin, d.adrelid))), '[]'::json)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where n.nspname = ${typeSchema} and c.relname in (select json_array_elements_text(${typeTables}::json))
          and a.attnum > 0 and not a.attisdropped) as columns,
      (select coalesce(json_agg(format('CREATE %sINDEX %I ON %I.%I USING btree (%s)',
          case when x.is_unique then 'UNIQUE ' else '' end, x.name, x.schema, x.table_name,
          (select string_agg(quote_ident(k.name), ', ' order by k.ord)
            from json_array_elements_text(x.columns) with ordinality k(name, ord))) order by x.i), '[]'::json)
        from json_to_recordset(${indexes}::json) x(i int, schema text, table_name text, name text, is_unique boolean, columns json)
      ) as index_definitions`.execute(trx)
  const row = result.rows[0]
  if (row === undefined) throw new Error('unreachable: the probe query returned no row')
  return {
    columns: new Map(row.columns.map((column) => [slotAnswerKey(column.table, column.column), { type: column.type, default: column.default }])),
    indexDefinitions: row.index_definitions,
  }
}
