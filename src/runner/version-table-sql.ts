import { assertNever } from '../errors.js'
import { quoteIdentifierIfNeeded } from '../model/identifier.js'
import { REVISION_ID_COLUMN_TYPE } from '../revision/revision.js'
import type { VersionTableName } from '../version/pg-version-store.js'
import type { VersionChange } from '../version/version-change.js'
import { renderSqlLiteral } from './sql-literal.js'

// The version-table statements of offline scripts, as Alembic prints them, so that the scripts compare.

function renderTableName(name: VersionTableName): string {
  const table = quoteIdentifierIfNeeded(name.table)
  return name.schema === null ? table : `${quoteIdentifierIfNeeded(name.schema)}.${table}`
}

export function renderCreateVersionTable(name: VersionTableName): string {
  const pk = quoteIdentifierIfNeeded(`${name.table}_pkc`)
  // The trailing space after the comma is SQLAlchemy's; kept so the scripts compare equal.
  return (
    `CREATE TABLE ${renderTableName(name)} (\n` +
    `    version_num ${REVISION_ID_COLUMN_TYPE.toUpperCase()} NOT NULL, \n` +
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
