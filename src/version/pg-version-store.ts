import { sql, type Kysely } from 'kysely'
import { assertNever, VersionTableError } from '../errors.js'
import type { VersionChange } from './version-change.js'
import { renderRowCountMessage, type VersionStore } from './version-store.js'

export interface PgVersionStoreOptions {
  readonly table: string
  /** null: the first schema of the search path that has the table (where it is created: `public`). */
  readonly schema: string | null
}

/** Alembic's column: a Flask-Migrate database's table is read and written as is. */
export const VERSION_COLUMN = 'version_num'

type TableShape = { readonly kind: 'missing' } | { readonly kind: 'present'; readonly columns: readonly string[] }

/**
 * The version table on PostgreSQL (and PGlite). Pass the Kysely instance the runner's current
 * transaction uses, so version rows commit or roll back with the revision that wrote them.
 */
export function createPgVersionStore(db: Kysely<any>, options: PgVersionStoreOptions): VersionStore {
  const { table, schema } = options
  const displayName = schema === null ? table : `${schema}.${table}`
  const scoped = schema === null ? db : db.withSchema(schema)

  async function queryShape(): Promise<TableShape> {
    const where = schema === null ? sql`pg_catalog.pg_table_is_visible(c.oid)` : sql`n.nspname = ${schema}`
    const { rows } = await sql<{ column_name: string | null }>`
      select a.attname as column_name
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relname = ${table} and c.relkind in ('r', 'p', 'v', 'm', 'f') and ${where}
      order by a.attnum`.execute(db)
    if (rows.length === 0) return { kind: 'missing' }
    return { kind: 'present', columns: rows.flatMap((r) => (r.column_name === null ? [] : [r.column_name])) }
  }

  function checkShape(shape: Extract<TableShape, { kind: 'present' }>): void {
    if (shape.columns.includes(VERSION_COLUMN)) return
    const found = shape.columns.length === 0 ? 'no columns' : `columns ${shape.columns.join(', ')}`
    throw new VersionTableError(
      `Table '${displayName}' exists but has no ${VERSION_COLUMN} column (found ${found}), so it is not a version ` +
        `table tsdb or Alembic wrote. Rename or drop that table, or set versionTable in the tsdb config to another name.`,
      { code: 'VERSION_TABLE_SHAPE' },
    )
  }

  return {
    async ensureTable() {
      const shape = await queryShape()
      if (shape.kind === 'present') return checkShape(shape)
      // Exactly Alembic's DDL (constraint `<table>_pkc`), so Alembic can take the database back.
      await scoped.schema
        .createTable(table)
        .ifNotExists()
        .addColumn(VERSION_COLUMN, 'varchar(32)', (col) => col.notNull())
        .addPrimaryKeyConstraint(`${table}_pkc`, [VERSION_COLUMN])
        .execute()
    },

    async readHeads(options = {}) {
      const shape = await queryShape()
      if (shape.kind === 'missing') return []
      checkShape(shape)
      // A one-page table's plain SELECT returns its rows in physical (ctid) order.
      const order = options.order === 'table' ? sql`ctid` : sql.ref(VERSION_COLUMN)
      const rows = await scoped.selectFrom(table).select(VERSION_COLUMN).orderBy(order).execute()
      return rows.map((row) => String(row[VERSION_COLUMN]))
    },

    async apply(changes: readonly VersionChange[]) {
      for (const change of changes) {
        await applyChange(change)
      }
    },
  }

  async function applyChange(change: VersionChange): Promise<void> {
    switch (change.kind) {
      case 'insert': {
        await scoped.insertInto(table).values({ [VERSION_COLUMN]: change.id }).execute()
        return
      }
      case 'update': {
        const result = await scoped
          .updateTable(table)
          .set({ [VERSION_COLUMN]: change.to })
          .where(VERSION_COLUMN, '=', change.from)
          .executeTakeFirst()
        assertOneRow(change, result.numUpdatedRows)
        return
      }
      case 'delete': {
        const result = await scoped.deleteFrom(table).where(VERSION_COLUMN, '=', change.id).executeTakeFirst()
        assertOneRow(change, result.numDeletedRows)
        return
      }
      default:
        return assertNever(change)
    }
  }

  function assertOneRow(change: VersionChange, count: bigint | undefined): void {
    if (count === undefined || count === 1n) return
    throw new VersionTableError(renderRowCountMessage(change, table, Number(count)), { code: 'VERSION_ROW_COUNT' })
  }
}
