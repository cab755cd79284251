import {
  AlterTableNode,
  DropColumnNode,
  DropTableNode,
  sql,
  type Kysely,
  type RootOperationNode,
  type TableNode,
} from 'kysely'
import type { MigrationStep } from '../revision/migration-step.js'
import { recordStepQueries, type MigrationContext, type RevisionModule } from './load-step-modules.js'

/** A table, or one of its columns, that a statement drops. */
export interface DroppedObject {
  /** Null when the statement leaves the schema to the search path. */
  readonly schema: string | null
  readonly table: string
  /** Null when the whole table is dropped. */
  readonly column: string | null
}

/** A table or column holding data that a downgrade step is about to drop. */
export interface DataLossWarning extends DroppedObject {
  readonly step: MigrationStep
  /** Rows of the table, or rows where the column is not null. */
  readonly rows: number
  /** True when `rows` is PostgreSQL's planner estimate (large tables), not a count. */
  readonly isEstimate: boolean
  /** `downgrade 3582b5a4c713 -> <base> drops table 'user' with 2 rows` */
  readonly message: string
}

/**
 * Asked once, before the first step, with every warning; resolving false cancels the run with
 * the database unchanged.
 */
export type ConfirmDataLoss = (warnings: readonly DataLossWarning[]) => Promise<boolean>

/** Below this estimate rows are counted exactly; above it counting could take minutes. */
const EXACT_COUNT_BELOW = 10_000

/**
 * The tables and columns a statement drops. Only what Kysely's schema builder built is seen
 * (`db.schema.dropTable`, `alterTable().dropColumn`, which autogenerate writes): a drop in raw
 * SQL text is not recognised, rather than guessed at from the text.
 */
function findDroppedObjects(node: RootOperationNode): readonly DroppedObject[] {
  if (DropTableNode.is(node)) return [{ ...tableName(node.table), column: null }]
  if (AlterTableNode.is(node)) {
    const table = tableName(node.table)
    return (node.columnAlterations ?? [])
      .filter((alteration) => DropColumnNode.is(alteration))
      .map((alteration) => ({ ...table, column: alteration.column.column.name }))
  }
  return []
}

function tableName(node: TableNode): { schema: string | null; table: string } {
  return { schema: node.table.schema?.name ?? null, table: node.table.identifier.name }
}

/** What each step would drop, from the queries it would send. */
export async function planStepDrops(
  steps: readonly MigrationStep[],
  modules: ReadonlyMap<string, RevisionModule>,
  context: MigrationContext,
): Promise<readonly { readonly step: MigrationStep; readonly drops: readonly DroppedObject[] }[]> {
  return (await recordStepQueries(steps, modules, context))
    .map(({ step, queries }) => ({ step, drops: queries.flatMap((query) => findDroppedObjects(query.query)) }))
    .filter(({ drops }) => drops.length > 0)
}

/**
 * The rows each drop would lose, counted on `db` before any step runs: a table that does not
 * exist yet (a step before creates it) or holds nothing gives no warning.
 */
export async function queryDataLoss(
  db: Kysely<any>,
  steps: readonly MigrationStep[],
  modules: ReadonlyMap<string, RevisionModule>,
  context: MigrationContext,
): Promise<readonly DataLossWarning[]> {
  const planned = (await planStepDrops(steps, modules, context)).flatMap(({ step, drops }) => drops.map((drop) => ({ step, drop })))
  const warnings: DataLossWarning[] = []
  // A downgrade to base can drop thousands of tables: a few statements per batch, not two per drop.
  for (let first = 0; first < planned.length; first += BATCH_SIZE) {
    const batch = planned.slice(first, first + BATCH_SIZE)
    const counts = await countRows(db, batch.map(({ drop }) => drop))
    batch.forEach(({ step, drop }, i) => {
      const count = counts[i]
      if (!count || count.rows === 0) return
      const warning = { ...drop, step, ...count }
      warnings.push({ ...warning, message: renderDataLossWarning(warning) })
    })
  }
  return warnings
}

/** Drops measured per round trip: well under PostgreSQL's limit of 65,535 parameters a statement. */
const BATCH_SIZE = 1000

type RowCount = { readonly rows: number; readonly isEstimate: boolean } | null

/** Each drop's rows, in order: null for a table (or column) that does not exist. */
async function countRows(db: Kysely<any>, drops: readonly DroppedObject[]): Promise<readonly RowCount[]> {
  const wanted = drops.map((drop, i) => sql`(${i}::int, ${drop.schema}::text, ${drop.table}::text, ${drop.column ?? ''}::text)`)
  // to_regclass resolves an unqualified name through the search path, as the DROP will.
  const { rows: found } = await sql<{ i: number; reltuples: number; has_column: boolean; null_frac: number | null }>`
    select d.i,
           c.reltuples::float8 as reltuples,
           exists (select 1 from pg_catalog.pg_attribute a
                   where a.attrelid = c.oid and a.attname = d.column_name and a.attnum > 0 and not a.attisdropped) as has_column,
           (select s.null_frac::float8 from pg_catalog.pg_stats s
             where s.schemaname = n.nspname and s.tablename = c.relname and s.attname = d.column_name) as null_frac
    from (values ${sql.join(wanted)}) as d (i, schema_name, table_name, column_name)
    join pg_catalog.pg_class c on c.oid = pg_catalog.to_regclass(
      case when d.schema_name is null then pg_catalog.format('%I', d.table_name)
           else pg_catalog.format('%I.%I', d.schema_name, d.table_name) end)
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')`.execute(db)
  const counts: RowCount[] = drops.map(() => null)
  const exact: number[] = []
  for (const row of found) {
    const drop = drops[row.i]!
    if (drop.column !== null && !row.has_column) continue
    // reltuples is -1 for a table never vacuumed or analyzed: unknown, so counted.
    if (row.reltuples < EXACT_COUNT_BELOW) exact.push(row.i)
    else counts[row.i] = { rows: Math.round(row.reltuples * (drop.column === null ? 1 : 1 - (row.null_frac ?? 0))), isEstimate: true }
  }
  if (exact.length === 0) return counts
  const selects = exact.map((i) => {
    const drop = drops[i]!
    const counted = drop.column === null ? sql`count(*)` : sql`count(${sql.id(drop.column)})`
    const from = drop.schema === null ? sql.id(drop.table) : sql.id(drop.schema, drop.table)
    return sql`select ${i}::int as i, ${counted} as n from ${from}`
  })
  const { rows } = await sql<{ i: number; n: string | number | bigint }>`${sql.join(selects, sql` union all `)}`.execute(db)
  for (const row of rows) counts[row.i] = { rows: Number(row.n), isEstimate: false }
  return counts
}

const numberFormat = new Intl.NumberFormat('en-US')

export function renderDataLossWarning(warning: Omit<DataLossWarning, 'message'>): string {
  const { id, downRevisions } = warning.step.revision
  const parents = downRevisions.length === 0 ? '<base>' : downRevisions.join(', ')
  const table = warning.schema === null ? warning.table : `${warning.schema}.${warning.table}`
  const rows = `${warning.isEstimate ? 'about ' : ''}${numberFormat.format(warning.rows)} ${warning.rows === 1 ? 'row' : 'rows'}`
  const what = warning.column === null ? `table '${table}' with ${rows}` : `column '${table}.${warning.column}' with values in ${rows}`
  return `downgrade ${id} -> ${parents} drops ${what}`
}
