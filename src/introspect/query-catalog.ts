import { VERSION_TABLE } from '../version/version-change.js'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { CatalogRows } from './catalog-rows.js'

/** How many queries `queryCatalog` sends, whatever the number of tables. */
export const CATALOG_QUERY_COUNT = 1

export interface QueryCatalogOptions {
  /** The schemas to read. Default: every schema but PostgreSQL's own and tsdb's scratch schemas. */
  readonly schemas?: readonly string[]
  /** Left out of the rows. Default is `alembic_version`. */
  readonly versionTable?: string
  /** The version table's schema; null (the default) leaves that table name out in every schema. */
  readonly versionTableSchema?: string | null
}

/**
 * Fixes what the catalog queries depend on, for the rest of the transaction: the search_path
 * (types and expressions print relative to it), and no JIT compilation or parallel workers, which
 * cost catalog queries of a few thousand rows far more than they save. Only settings: `trx` may be
 * any database's.
 */
export async function prepareCatalogSession(trx: Kysely<any>, searchPath: string): Promise<void> {
  await sql`select set_config('search_path', ${searchPath}, true), set_config('jit', 'off', true),
    set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx)
}

/**
 * Reads tables, columns, constraints, indexes, enums, standalone sequences and views from
 * pg_catalog in one query, through raw SQL (`db` may be any database's). Left out: PostgreSQL's
 * schemas, the version table, tsdb's own tables (`tsdb_*`) and indexes that back a primary-key or
 * unique constraint (they belong to the constraint). Types and expressions print relative to the
 * session's search_path: callers run `prepareCatalogSession` first, in the same transaction.
 */
export async function queryCatalog(db: Kysely<any>, options: QueryCatalogOptions = {}): Promise<CatalogRows> {
  const inSchemas = (column: RawBuilder<unknown>): RawBuilder<unknown> =>
    options.schemas === undefined
      ? sql`(${column} not like 'pg\\_%' and ${column} <> 'information_schema' and ${column} not like 'tsdb\\_%')`
      : sql`${column} in (select json_array_elements_text(${JSON.stringify(options.schemas)}::json))`
  const versionTable = options.versionTable ?? VERSION_TABLE
  const versionSchema = options.versionTableSchema ?? null
  const userTable = sql`(c.relname not like 'tsdb\\_%'
    and not (c.relname = ${versionTable} and (${versionSchema}::text is null or n.nspname = ${versionSchema}::text)))`
  const ofUserTables = sql`from pg_class c join pg_namespace n on n.oid = c.relnamespace`
  const userTableFilter = sql`c.relkind in ('r', 'p') and not c.relispartition and ${inSchemas(sql.ref('n.nspname'))} and ${userTable}`

  const schemas = jsonRows(
    sql`select n.nspname as name from pg_namespace n where ${inSchemas(sql.ref('n.nspname'))}`,
    sql`q.name`,
  )

  // Comments come from a join: obj_description and col_description run a query per row.
  const tables = jsonRows(
    sql`select n.nspname as schema, c.relname as name, ds.description as comment
    ${ofUserTables}
    left join pg_description ds on ds.objoid = c.oid and ds.classoid = 'pg_class'::regclass and ds.objsubid = 0
    where ${userTableFilter}`,
    sql`q.schema, q.name`,
  )

  // A default cannot name a column, so it is printed without opening its table (relid 0); a
  // generated column's expression does name columns.
  const columns = jsonRows(
    sql`select n.nspname as schema, c.relname as table, a.attname as name, a.attnum::int as position,
      format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
      pg_get_expr(d.adbin, case when a.attgenerated = '' then 0 else d.adrelid end) as default,
      a.attidentity::text as identity, a.attgenerated::text as generated,
      ds.description as comment, coalesce(owned.deptype = 'a', false) as owns_sequence,
      owned.relname as sequence_name, format_type(owned.seqtypid, null) as sequence_type, co.collname as collation,
      owned.seqstart::text as sequence_start, owned.seqincrement::text as sequence_increment
    ${ofUserTables}
    join pg_attribute a on a.attrelid = c.oid
    join pg_type ty on ty.oid = a.atttypid
    left join pg_collation co on co.oid = a.attcollation and a.attcollation <> ty.typcollation
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    left join pg_description ds on ds.objoid = c.oid and ds.classoid = 'pg_class'::regclass and ds.objsubid = a.attnum
    left join lateral (
      select dep.deptype, s.relname, seq.seqtypid, seq.seqstart, seq.seqincrement
      from pg_depend dep join pg_class s on s.oid = dep.objid and s.relkind = 'S'
      join pg_sequence seq on seq.seqrelid = s.oid
      where dep.classid = 'pg_class'::regclass and dep.refclassid = 'pg_class'::regclass
        and dep.refobjid = c.oid and dep.refobjsubid = a.attnum
        and (dep.deptype = 'a' or (dep.deptype = 'i' and a.attidentity <> ''))
      order by s.relname limit 1
    ) owned on true
    where ${userTableFilter} and a.attnum > 0 and not a.attisdropped`,
    sql`q.schema, q.table, q.position`,
  )

  // indnullsnotdistinct exists from PostgreSQL 15; reading it through to_jsonb keeps 13 and 14 working.
  // Only a check's and an exclusion's definition is read: printing the others cost more than the rest of the query.
  const constraints = jsonRows(
    sql`select n.nspname as schema, c.relname as table, con.conname as name, con.contype::text as type,
      case when con.contype in ('c', 'x') then pg_get_constraintdef(con.oid) end as definition,
      (select json_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
      fn.nspname as ref_schema, fc.relname as ref_table,
      (select json_agg(a.attname order by k.ord) from unnest(con.confkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as ref_columns,
      con.confupdtype::text as on_update, con.confdeltype::text as on_delete,
      con.condeferrable as deferrable, con.condeferred as deferred, con.confmatchtype::text as match,
      coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) as nulls_not_distinct
    ${ofUserTables}
    join pg_constraint con on con.conrelid = c.oid
    left join pg_class fc on fc.oid = con.confrelid
    left join pg_namespace fn on fn.oid = fc.relnamespace
    left join pg_index i on i.indexrelid = con.conindid and con.contype = 'u'
    where ${userTableFilter} and con.contype in ('p', 'u', 'f', 'c', 'x')`,
    sql`q.schema, q.table, q.name`,
  )

  const indexes = jsonRows(
    sql`select n.nspname as schema, c.relname as table, ic.relname as name, i.indisunique as unique,
      am.amname as using, pg_get_indexdef(i.indexrelid) as definition,
      pg_get_expr(i.indpred, i.indrelid, true) as where,
      (select json_agg(json_build_object(
          'column', a.attname,
          'expression', case when a.attname is null then pg_get_indexdef(i.indexrelid, k.k, true) end,
          'descending', (i.indoption[k.k - 1] & 1) <> 0, 'nulls_first', (i.indoption[k.k - 1] & 2) <> 0,
          'opclass', case when not opc.opcdefault then opc.opcname end
        ) order by k.k)
        from generate_series(1, i.indnkeyatts) k(k)
        left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.k - 1] and i.indkey[k.k - 1] <> 0
        left join pg_opclass opc on opc.oid = i.indclass[k.k - 1]
      ) as keys,
      (select json_agg(a.attname order by k.k) from generate_series(i.indnkeyatts + 1, i.indnatts) k(k)
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[k.k - 1]) as include,
      (select json_agg(o order by o collate "C") from unnest(ic.reloptions) o) as options
    ${ofUserTables}
    join pg_index i on i.indrelid = c.oid
    join pg_class ic on ic.oid = i.indexrelid
    join pg_am am on am.oid = ic.relam
    where ${userTableFilter}
      and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x'))`,
    sql`q.schema, q.table, q.name`,
  )

  const enums = jsonRows(
    sql`select n.nspname as schema, t.typname as name, json_agg(e.enumlabel order by e.enumsortorder) as values
    from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
    where ${inSchemas(sql.ref('n.nspname'))}
    group by 1, 2`,
    sql`q.schema, q.name`,
  )

  // A sequence that a column owns (serial, identity or OWNED BY) belongs to that column.
  const sequences = jsonRows(
    sql`select n.nspname as schema, c.relname as name, format_type(s.seqtypid, null) as type,
      s.seqstart::text as start, s.seqincrement::text as increment, s.seqmin::text as min, s.seqmax::text as max,
      s.seqcycle as cycle
    ${ofUserTables}
    join pg_sequence s on s.seqrelid = c.oid
    where c.relkind = 'S' and ${inSchemas(sql.ref('n.nspname'))} and ${userTable}
      and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
        and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i'))`,
    sql`q.schema, q.name`,
  )

  // What a view reads is what its rewrite rule depends on.
  const views = jsonRows(
    sql`select n.nspname as schema, c.relname as name, c.relkind = 'm' as materialized,
      pg_get_viewdef(c.oid) as definition,
      coalesce((select json_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) order by a.attnum)
        from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as columns,
      coalesce((select json_agg(distinct rn.nspname || '.' || rc.relname)
        from pg_rewrite r
        join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
        join pg_class rc on rc.oid = d.refobjid and rc.oid <> c.oid
        join pg_namespace rn on rn.oid = rc.relnamespace
        where r.ev_class = c.oid), '[]') as depends_on
    ${ofUserTables}
    where c.relkind in ('v', 'm') and ${inSchemas(sql.ref('n.nspname'))} and ${userTable}`,
    sql`q.schema, q.name`,
  )

  // One statement: the server runs all the reads without waiting for the client between them
  // (which meanwhile canonicalises the declaration), and it is one round trip.
  const result = await sql<CatalogRows>`
    select ${schemas} as schemas, ${tables} as tables, ${columns} as columns,
      ${constraints} as constraints, ${indexes} as indexes, ${enums} as enums, ${sequences} as sequences,
      ${views} as views`.execute(db)
  const rows = result.rows[0]
  if (rows === undefined) throw new Error('unreachable: the catalog query returned no row')
  return rows
}

/**
 * The rows of `query` in `orderBy` order as one JSON array, which the client parses natively
 * instead of decoding each row field by field.
 */
function jsonRows(query: RawBuilder<unknown>, orderBy: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(select coalesce(json_agg(q order by ${orderBy}), '[]'::json) from (${query}) q)`
}
