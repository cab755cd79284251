import { describe, expect, it } from 'vitest'
import { quoteIdentifierIfNeeded } from '../../../src/model/identifier.js'
import { renderCreateVersionTable, renderVersionChange } from '../../../src/runner/version-table-sql.js'

const name = { table: 'alembic_version', schema: null }

describe('version table SQL, as Alembic prints it', () => {
  it('creates the table', () => {
    expect(renderCreateVersionTable(name)).toBe(
      'CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n' +
        '    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);',
    )
  })

  it('inserts, updates and deletes rows', () => {
    expect(renderVersionChange({ kind: 'insert', id: '6960ad74d5c5' }, name)).toBe(
      "INSERT INTO alembic_version (version_num) VALUES ('6960ad74d5c5');",
    )
    expect(renderVersionChange({ kind: 'update', from: 'a', to: 'b' }, name)).toBe(
      "UPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a';",
    )
    expect(renderVersionChange({ kind: 'delete', id: 'a' }, name)).toBe(
      "DELETE FROM alembic_version WHERE alembic_version.version_num = 'a';",
    )
  })

  it('qualifies with the schema and quotes names that need it', () => {
    expect(renderVersionChange({ kind: 'delete', id: 'a' }, { table: 'Versions', schema: 'ops' })).toBe(
      `DELETE FROM ops."Versions" WHERE ops."Versions".version_num = 'a';`,
    )
    expect(quoteIdentifierIfNeeded('user')).toBe('"user"')
    expect(quoteIdentifierIfNeeded('a"b')).toBe('"a""b"')
    expect(quoteIdentifierIfNeeded('my_table2')).toBe('my_table2')
  })
})
