import { sql, type Kysely } from 'kysely'
import type { ResolvedConfig } from '../config/config.js'
import { withDatabase } from '../connection/with-database.js'
import { quoteIdentifier } from '../model/identifier.js'
import type { Reporter } from '../runner/reporter.js'

/** A table's size on the live database: PostgreSQL's row estimate and its bytes with indexes and TOAST. */
export interface TableSize {
  readonly table: string
  readonly estimatedRows: number
  readonly totalBytes: number
}

/**
 * Reads the tables' sizes from the configured PostgreSQL server, when one answers. Only a hint
 * beside the findings: an unreachable server is one warning, never a failure. The embedded
 * database is a development copy, and is not read.
 */
export async function queryTableSizes(config: ResolvedConfig, tables: readonly string[], reporter: Reporter): Promise<TableSize[]> {
  if (config.database.kind !== 'postgres' || tables.length === 0) return []
  try {
    return await withDatabase(config, (db) => readTableSizes(db, tables), { connectTimeoutMs: 5000 })
  } catch (error) {
    reporter.warn(`table sizes unknown: ${error instanceof Error ? error.message : String(error)}`)
    return []
  }
}

/** PostgreSQL's row estimate (`pg_class.reltuples`) and total bytes of each table that exists, sorted by name. */
export async function readTableSizes(db: Kysely<any>, tables: readonly string[]): Promise<TableSize[]> {
  if (tables.length === 0) return []
  const keys = [...tables].sort()
  const names = keys.map((table) => table.split('.').map(quoteIdentifier).join('.'))
  // One query whatever the number of tables; a table that does not exist has no row.
  const { rows } = await sql<{ key: string; rows: string; bytes: string }>`
    select t.key, greatest(c.reltuples, 0)::bigint::text as rows, pg_catalog.pg_total_relation_size(c.oid)::text as bytes
    from unnest(cast(${keys} as text[]), cast(${names} as text[])) as t(key, name)
    join pg_catalog.pg_class c on c.oid = pg_catalog.to_regclass(t.name)
    order by t.key`.execute(db)
  return rows.map((row) => ({ table: row.key, estimatedRows: Number(row.rows), totalBytes: Number(row.bytes) }))
}

/** `~1,200 rows, 3 MB`, as findings and revision comments show a table's size. */
export function describeTableSize(size: TableSize): string {
  const mb = size.totalBytes / (1024 * 1024)
  return `~${size.estimatedRows.toLocaleString('en-US')} rows, ${mb >= 1 ? `${mb.toFixed(0)} MB` : `${Math.ceil(size.totalBytes / 1024)} kB`}`
}
