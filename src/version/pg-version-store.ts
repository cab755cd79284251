import { sql, type Kysely } from 'kysely'
import { assertNever, VersionTableError } from '../errors.js'
import { quoteIdentifierIfNeeded } from '../model/identifier.js'
import { MAX_REVISION_ID_LENGTH, REVISION_ID_COLUMN_TYPE } from '../revision/revision.js'
import type { VersionChange } from './version-change.js'
import { renderRowCountMessage, type VersionStore } from './version-store.js'

export interface VersionTableName {
  readonly table: string
  /** null: the first schema of the search path that has the table (where it is created: `public`). */
  readonly schema: string | null
}

/** The version table a config or run names. */
export function versionTableName(options: { readonly versionTable: string; readonly versionTableSchema: string | null }): VersionTableName {
  return { table: options.versionTable, schema: options.versionTableSchema }
}

/** Alembic's column: a Flask-Migrate database's table is read and written as is. */
const VERSION_COLUMN = 'version_num'

interface ColumnShape {
  readonly name: string
  /** As PostgreSQL prints it: `character varying(32)`. */
  readonly type: string
}

const FIX = 'Rename or drop that table, or set versionTable in the tsdb config to another name.'

type TableShape =
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'present'
      readonly relkind: string
      readonly columns: readonly ColumnShape[]
      /** The connected role, and which of the privileges tsdb needs on the table it lacks. */
      readonly role: string
      readonly missingPrivileges: readonly Privilege[]
    }

/** What reading and moving the version rows takes: Alembic's upgrade updates, a merge deletes. */
const PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const
type Privilege = (typeof PRIVILEGES)[number]

const RELATION_KINDS: Readonly<Record<string, string>> = { v: 'a view', m: 'a materialized view', f: 'a foreign table' }

/**
 * The version table on PostgreSQL (and PGlite). Pass the Kysely instance the runner's current
 * transaction uses, so version rows commit or roll back with the revision that wrote them.
 */
export function createPgVersionStore(db: Kysely<any>, options: VersionTableName): VersionStore {
  const { table, schema } = options
  const displayName = schema === null ? table : `${schema}.${table}`
  const scoped = schema === null ? db : db.withSchema(schema)

  async function queryShape(): Promise<TableShape> {
    const where = schema === null ? sql`pg_catalog.pg_table_is_visible(c.oid)` : sql`n.nspname = ${schema}`
    // Privileges are read with the shape, so a role that may not touch the table hears so before
    // any revision runs, not as a failed statement blamed on the revision file.
    const { rows } = await sql<{ relkind: string; column_name: string | null; column_type: string | null; role: string; missing: Privilege[] }>`
      select c.relkind::text as relkind, a.attname as column_name,
        pg_catalog.format_type(a.atttypid, a.atttypmod) as column_type,
        current_user::text as role,
        array(select p.name from unnest(${[...PRIVILEGES]}::text[]) with ordinality as p(name, n)
          where not pg_catalog.has_table_privilege(c.oid, p.name) order by p.n) as missing
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relname = ${table} and c.relkind in ('r', 'p', 'v', 'm', 'f') and ${where}
      order by a.attnum`.execute(db)
    const first = rows[0]
    if (!first) return { kind: 'missing' }
    const columns = rows.flatMap((r) => (r.column_name === null ? [] : [{ name: r.column_name, type: String(r.column_type) }]))
    return { kind: 'present', relkind: first.relkind, columns, role: first.role, missingPrivileges: first.missing }
  }

  /** `needed`: the privileges this command cannot do without (reading needs SELECT only). */
  function checkPrivileges(shape: Extract<TableShape, { kind: 'present' }>, needed: readonly Privilege[]): void {
    if (!shape.missingPrivileges.some((privilege) => needed.includes(privilege))) return
    const missing = shape.missingPrivileges.join(', ')
    const tableName = schema === null ? quoteIdentifierIfNeeded(table) : `${quoteIdentifierIfNeeded(schema)}.${quoteIdentifierIfNeeded(table)}`
    throw new VersionTableError(
      `Role ${shape.role} lacks the ${missing} privilege${shape.missingPrivileges.length > 1 ? 's' : ''} on table ` +
        `'${displayName}', where tsdb records revisions; have its owner run GRANT ${PRIVILEGES.join(', ')} ON ${tableName} ` +
        `TO ${quoteIdentifierIfNeeded(shape.role)}, or connect as a role that has them`,
      { code: 'VERSION_TABLE_PERMISSION' },
    )
  }

  function checkShape(shape: Extract<TableShape, { kind: 'present' }>): ColumnShape {
    const column = shape.columns.find((candidate) => candidate.name === VERSION_COLUMN)
    if (column !== undefined) return column
    const found = shape.columns.length === 0 ? 'no columns' : `columns ${shape.columns.map((c) => c.name).join(', ')}`
    throw new VersionTableError(
      `Table '${displayName}' exists but has no ${VERSION_COLUMN} column (found ${found}), so it is not a version ` +
        `table tsdb or Alembic wrote. ${FIX}`,
      { code: 'VERSION_TABLE_SHAPE' },
    )
  }

  /**
   * Before a run writes: a version table tsdb cannot write (a view, a column of another type or
   * too short for a revision id) would otherwise fail at the first step's end, blaming its file.
   * Reading from one is harmless, so `current` and friends still work.
   */
  function checkWritable(shape: Extract<TableShape, { kind: 'present' }>): void {
    const column = checkShape(shape)
    const relation = RELATION_KINDS[shape.relkind]
    if (relation !== undefined) {
      throw new VersionTableError(
        `'${displayName}' is ${relation}, not a table, so tsdb cannot record revisions in it. ` +
          `Rename or drop it, or set versionTable in the tsdb config to another name.`,
        { code: 'VERSION_TABLE_SHAPE' },
      )
    }
    if (!isVersionColumnType(column.type)) {
      throw new VersionTableError(
        `Column ${VERSION_COLUMN} of table '${displayName}' is ${column.type}; revision ids need character varying(${MAX_REVISION_ID_LENGTH}) ` +
          `(Alembic's type). Change its type to ${REVISION_ID_COLUMN_TYPE}, or set versionTable in the tsdb config to another name.`,
        { code: 'VERSION_TABLE_SHAPE' },
      )
    }
    checkPrivileges(shape, PRIVILEGES)
  }

  return {
    async ensureTable() {
      const shape = await queryShape()
      if (shape.kind === 'present') return checkWritable(shape)
      // Exactly Alembic's DDL (constraint `<table>_pkc`), so Alembic can take the database back.
      await scoped.schema
        .createTable(table)
        .ifNotExists()
        .addColumn(VERSION_COLUMN, REVISION_ID_COLUMN_TYPE, (col) => col.notNull())
        .addPrimaryKeyConstraint(`${table}_pkc`, [VERSION_COLUMN])
        .execute()
    },

    async readHeads(options = {}) {
      const shape = await queryShape()
      if (shape.kind === 'missing') return []
      checkShape(shape)
      checkPrivileges(shape, ['SELECT'])
      // A one-page table's plain SELECT returns its rows in physical (ctid) order; a view (which
      // a run refuses later, with its own message) has none.
      const hasPhysicalOrder = shape.relkind === 'r' || shape.relkind === 'p'
      const order = options.order === 'table' && hasPhysicalOrder ? sql`ctid` : sql.ref(VERSION_COLUMN)
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

  function isVersionColumnType(type: string): boolean {
    if (type === 'text' || type === 'character varying') return true
    const length = /^character varying\((\d+)\)$/.exec(type)?.[1]
    return length !== undefined && Number(length) >= MAX_REVISION_ID_LENGTH
  }

  function assertOneRow(change: VersionChange, count: bigint | undefined): void {
    if (count === undefined || count === 1n) return
    throw new VersionTableError(renderRowCountMessage(change, table, Number(count)), { code: 'VERSION_ROW_COUNT' })
  }
}
