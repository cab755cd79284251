import { assertNever } from '../errors.js'
import type { VersionChange } from '../version/version-change.js'
import { renderSqlLiteral } from './sql-literal.js'

/**
 * The version-table statements of offline scripts, written as Alembic prints them, so a
 * reviewer comparing a tsdb script with a Flask-Migrate one sees the same lines.
 */
export interface VersionTableName {
  readonly table: string
  readonly schema: string | null
}

// PostgreSQL's reserved key words (Appendix C), which must be quoted to be used as names.
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate ' +
    'collation column concurrently constraint create cross current_catalog current_date current_role ' +
    'current_schema current_time current_timestamp current_user default deferrable desc distinct do else end ' +
    'except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into ' +
    'is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on ' +
    'only or order outer overlaps placing primary references returning right select session_user similar some ' +
    'symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when ' +
    'where window with'
  ).split(' '),
)

/** Quotes a name only when PostgreSQL needs it, as SQLAlchemy does (`alembic_version` stays bare). */
export function renderSqlIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name
  return `"${name.replaceAll('"', '""')}"`
}

function renderTableName(name: VersionTableName): string {
  const table = renderSqlIdentifier(name.table)
  return name.schema === null ? table : `${renderSqlIdentifier(name.schema)}.${table}`
}

export function renderCreateVersionTable(name: VersionTableName): string {
  const pk = renderSqlIdentifier(`${name.table}_pkc`)
  // The trailing space after the comma is SQLAlchemy's; kept so the scripts compare equal.
  return (
    `CREATE TABLE ${renderTableName(name)} (\n` +
    `    version_num VARCHAR(32) NOT NULL, \n` +
    `    CONSTRAINT ${pk} PRIMARY KEY (version_num)\n` +
    `);`
  )
}

export function renderVersionChange(change: VersionChange, name: VersionTableName): string {
  const table = renderTableName(name)
  const column = `${table}.version_num`
  switch (change.kind) {
    case 'insert':
      return `INSERT INTO ${table} (version_num) VALUES (${renderSqlLiteral(change.id)});`
    case 'update':
      return `UPDATE ${table} SET version_num=${renderSqlLiteral(change.to)} WHERE ${column} = ${renderSqlLiteral(change.from)};`
    case 'delete':
      return `DELETE FROM ${table} WHERE ${column} = ${renderSqlLiteral(change.id)};`
    default:
      return assertNever(change)
  }
}
