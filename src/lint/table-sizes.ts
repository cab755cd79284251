import { sql } from 'kysely'
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
    return await withDatabase(
      config,
      async (db) => {
        const sizes: TableSize[] = []
        for (const table of [...tables].sort()) {
          const name = table.split('.').map(quoteIdentifier).join('.')
          const { rows } = await sql<{ rows: string | null; bytes: string | null }>`
            select greatest(c.reltuples, 0)::bigint::text as rows, pg_catalog.pg_total_relation_size(c.oid)::text as bytes
            from pg_catalog.pg_class c where c.oid = pg_catalog.to_regclass(${name})`.execute(db)
          const row = rows[0]
          if (row?.rows != null && row.bytes != null) sizes.push({ table, estimatedRows: Number(row.rows), totalBytes: Number(row.bytes) })
        }
        return sizes
      },
      { connectTimeoutMs: 5000 },
    )
  } catch (error) {
    reporter.warn(`table sizes unknown: ${error instanceof Error ? error.message : String(error)}`)
    return []
  }
}
