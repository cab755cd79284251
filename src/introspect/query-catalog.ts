import { sql, type Kysely, type RawBuilder } from 'kysely'
import type {
  CatalogRows,
  RawColumnRow,
  RawConstraintRow,
  RawEnumRow,
  RawIndexRow,
  RawSchemaRow,
  RawTableRow,
} from './catalog-rows.js'

/** How many queries `queryCatalog` sends, whatever the number of tables. */
export const CATALOG_QUERY_COUNT = 6

export const DEFAULT_VERSION_TABLE = 'alembic_version'

export interface QueryCatalogOptions {
  /** The schemas to read. Default: every schema but PostgreSQL's own and tsdb's scratch schemas. */
  readonly schemas?: readonly string[]
  /** Left out of the rows. Default is `alembic_version`. */
  readonly versionTable?: string
  /** The version table's schema; null (the default) leaves that table name out in every schema. */
  readonly versionTableSchema?: string | null
}

/**
 * Reads tables, columns, constraints, indexes and enums from pg_catalog in CATALOG_QUERY_COUNT
 * queries. Left out: PostgreSQL's schemas, the version table, tsdb's own tables (`tsdb_*`) and
 * indexes that back a primary-key or unique constraint (they belong to the constraint).
 * Types and expressions print relative to the session's search_path, so callers fix it first.
 */
export async function queryCatalog(
  // The catalog is read through raw SQL; no table type of the user's database is involved.
  db: Kysely<any>,
  options: QueryCatalogOptions = {},
): Promise<CatalogRows> {
  const inSchemas = (column: RawBuilder<unknown>): RawBuilder<unknown> =>
    options.schemas === undefined
      ? sql`(${column} not like 'pg\\_%' and ${column} <> 'information_schema' and ${column} not like 'tsdb\\_%')`
      : sql`${column} in (select json_array_elements_text(${JSON.stringify(options.schemas)}::json))`
  const versionTable = options.versionTable ?? DEFAULT_VERSION_TABLE
  const versionSchema = options.versionTableSchema ?? null
  const userTable = sql`(c.relname not like 'tsdb\\_%'
    and not (c.relname = ${versionTable} and (${versionSchema}::text is null or n.nspname = ${versionSchema}::text)))`
  const ofUserTables = sql`from pg_class c join pg_namespace n on n.oid = c.relnamespace`
  const userTableFilter = sql`c.relkind in ('r', 'p') and not c.relispartition and ${inSchemas(sql.ref('n.nspname'))} and ${userTable}`

  const schemas = await sql<RawSchemaRow>`
    select n.nspname as name from pg_namespace n where ${inSchemas(sql.ref('n.nspname'))} order by 1`.execute(db)

  const tables = await sql<RawTableRow>`
    select n.nspname as schema, c.relname as name, obj_description(c.oid, 'pg_class') as comment
    ${ofUserTables}
    where ${userTableFilter}
    order by 1, 2`.execute(db)

  const columns = await sql<RawColumnRow>`
    select n.nspname as schema, c.relname as table, a.attname as name, a.attnum::int as position,
      format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
      pg_get_expr(d.adbin, d.adrelid) as default,
      a.attidentity::text as identity, a.attgenerated::text as generated,
      col_description(c.oid, a.attnum) as comment,
      exists (
        select 1 from pg_depend dep join pg_class s on s.oid = dep.objid and s.relkind = 'S'
        where dep.classid = 'pg_class'::regclass and dep.refobjid = c.oid and dep.refobjsubid = a.attnum
          and dep.deptype = 'a'
      ) as owns_sequence
    ${ofUserTables}
    join pg_attribute a on a.attrelid = c.oid
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where ${userTableFilter} and a.attnum > 0 and not a.attisdropped
    order by 1, 2, a.attnum`.execute(db)

  // indnullsnotdistinct exists from PostgreSQL 15; reading it through to_jsonb keeps 13 and 14 working.
  const constraints = await sql<RawConstraintRow>`
    select n.nspname as schema, c.relname as table, con.conname as name, con.contype::text as type,
      pg_get_constraintdef(con.oid) as definition,
      (select json_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
      fn.nspname as ref_schema, fc.relname as ref_table,
      (select json_agg(a.attname order by k.ord) from unnest(con.confkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as ref_columns,
      con.confupdtype::text as on_update, con.confdeltype::text as on_delete,
      coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) as nulls_not_distinct
    ${ofUserTables}
    join pg_constraint con on con.conrelid = c.oid
    left join pg_class fc on fc.oid = con.confrelid
    left join pg_namespace fn on fn.oid = fc.relnamespace
    left join pg_index i on i.indexrelid = con.conindid and con.contype = 'u'
    where ${userTableFilter} and con.contype in ('p', 'u', 'f', 'c')
    order by 1, 2, 3`.execute(db)

  const indexes = await sql<RawIndexRow>`
    select n.nspname as schema, c.relname as table, ic.relname as name, i.indisunique as unique,
      am.amname as using, pg_get_indexdef(i.indexrelid) as definition,
      pg_get_expr(i.indpred, i.indrelid, true) as where,
      (select json_agg(json_build_object(
          'column', a.attname,
          'expression', case when a.attname is null then pg_get_indexdef(i.indexrelid, k.k, true) end
        ) order by k.k)
        from generate_series(1, i.indnkeyatts) k(k)
        left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.k - 1] and i.indkey[k.k - 1] <> 0
      ) as keys
    ${ofUserTables}
    join pg_index i on i.indrelid = c.oid
    join pg_class ic on ic.oid = i.indexrelid
    join pg_am am on am.oid = ic.relam
    where ${userTableFilter}
      and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x'))
    order by 1, 2, 3`.execute(db)

  const enums = await sql<RawEnumRow>`
    select n.nspname as schema, t.typname as name, json_agg(e.enumlabel order by e.enumsortorder) as values
    from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
    where ${inSchemas(sql.ref('n.nspname'))}
    group by 1, 2
    order by 1, 2`.execute(db)

  return {
    schemas: schemas.rows,
    tables: tables.rows,
    columns: columns.rows,
    constraints: constraints.rows,
    indexes: indexes.rows,
    enums: enums.rows,
  }
}
