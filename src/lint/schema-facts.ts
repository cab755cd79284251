import type { ColumnType } from './sql-facts.js'

/** What the statements seen so far say about one table. */
export interface TableFacts {
  /** null: the column exists, its type is not known. */
  readonly columns: Map<string, ColumnType | null>
  readonly notNull: Set<string>
  /** CHECK (col IS NOT NULL) constraints by name. */
  readonly notNullChecks: Map<string, { readonly column: string; isValidated: boolean }>
}

/**
 * The schema as the revisions built it, statement by statement: enough to tell a rewrite from a
 * binary-compatible type change, and an indexed column from one without an index.
 */
export class SchemaFacts {
  readonly #tables = new Map<string, TableFacts>()
  /** Index name -> table and columns. */
  readonly #indexes = new Map<string, { readonly table: string; readonly columns: readonly string[] }>()

  ensureTable(key: string): TableFacts {
    let facts = this.#tables.get(key)
    if (facts === undefined) {
      facts = { columns: new Map(), notNull: new Set(), notNullChecks: new Map() }
      this.#tables.set(key, facts)
    }
    return facts
  }

  dropTable(key: string): void {
    this.#tables.delete(key)
    for (const [name, index] of this.#indexes) if (index.table === key) this.#indexes.delete(name)
  }

  renameTable(from: string, to: string): void {
    const facts = this.#tables.get(from)
    if (facts === undefined) return
    this.#tables.delete(from)
    this.#tables.set(to, facts)
    for (const [name, index] of this.#indexes) if (index.table === from) this.#indexes.set(name, { ...index, table: to })
  }

  renameColumn(table: string, from: string, to: string): void {
    const facts = this.#tables.get(table)
    if (facts === undefined || !facts.columns.has(from)) return
    facts.columns.set(to, facts.columns.get(from) ?? null)
    facts.columns.delete(from)
    if (facts.notNull.delete(from)) facts.notNull.add(to)
    for (const [name, index] of this.#indexes) {
      if (index.table === table && index.columns.includes(from)) {
        this.#indexes.set(name, { ...index, columns: index.columns.map((column) => (column === from ? to : column)) })
      }
    }
  }

  dropColumn(table: string, column: string): void {
    const facts = this.#tables.get(table)
    facts?.columns.delete(column)
    facts?.notNull.delete(column)
    for (const [name, index] of this.#indexes) if (index.table === table && index.columns.includes(column)) this.#indexes.delete(name)
  }

  addIndex(name: string, table: string, columns: readonly string[]): void {
    this.#indexes.set(name, { table, columns })
  }

  dropIndex(name: string): void {
    this.#indexes.delete(name)
  }

  /** The indexes that cover the column, sorted by name. */
  indexesOn(table: string, column: string): readonly string[] {
    return [...this.#indexes]
      .filter(([, index]) => index.table === table && index.columns.includes(column))
      .map(([name]) => name)
      .sort()
  }
}
