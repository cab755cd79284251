import { SchemaDeclarationError } from '../errors.js'

/** A table named in a declaration: by its key in `defineSchema`, with the schema when written. */
export interface TableReference {
  readonly schema: string | null
  readonly table: string
}

export interface ColumnReference extends TableReference {
  readonly column: string
}

function parts(text: string, what: string, forms: string): readonly string[] {
  const split = text.split('.')
  if (split.some((part) => part === '')) {
    throw new SchemaDeclarationError(`${what} '${text}' is not of the form ${forms}`)
  }
  return split
}

/** `'table'` or `'schema.table'`. */
export function parseTableReference(text: string): TableReference {
  const split = parts(text, 'the referenced table', "'table' or 'schema.table'")
  if (split.length === 1) return { schema: null, table: split[0] ?? '' }
  if (split.length === 2) return { schema: split[0] ?? '', table: split[1] ?? '' }
  throw new SchemaDeclarationError(`the referenced table '${text}' is not of the form 'table' or 'schema.table'`)
}

/** `'table.column'` or `'schema.table.column'`. */
export function parseColumnReference(text: string): ColumnReference {
  const split = parts(text, 'the reference', "'table.column' or 'schema.table.column'")
  if (split.length === 2) return { schema: null, table: split[0] ?? '', column: split[1] ?? '' }
  if (split.length === 3) return { schema: split[0] ?? '', table: split[1] ?? '', column: split[2] ?? '' }
  throw new SchemaDeclarationError(`the reference '${text}' is not of the form 'table.column' or 'schema.table.column'`)
}
