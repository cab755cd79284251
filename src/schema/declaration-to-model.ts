import { SchemaDeclarationError } from '../errors.js'
import { compareText, displayName, type EnumModel, type SchemaModel, type TableModel } from '../model/schema-model.js'
import type { SchemaDeclaration } from './define-schema.js'
import type { EnumType } from './enum-type.js'
import { byteLength, MAX_IDENTIFIER_BYTES } from '../model/identifier.js'
import { checkIdentifier, tableToModel, type Namespace, type ResolvedTable } from './table-to-model.js'
import type { TableReference } from './parse-reference.js'
import { collectSequences, collectViews } from './objects-to-model.js'

const byQualifiedName = (a: { readonly schema: string; readonly name: string }, b: { readonly schema: string; readonly name: string }): number =>
  compareText(a.schema, b.schema) || compareText(a.name, b.name)

/** Every enum the declaration uses or lists, once each; the same name must mean the same values. */
function collectEnums(schema: SchemaDeclaration): readonly EnumModel[] {
  const declared: EnumType[] = [...schema.enums]
  for (const declaration of Object.values(schema.tables)) {
    for (const builder of Object.values(declaration.columns)) {
      const { enumType } = builder.toDefinition()
      if (enumType !== null) declared.push(enumType)
    }
  }
  const byName = new Map<string, EnumModel>()
  for (const type of declared) {
    const key = displayName(type)
    checkIdentifier(type.schema, `enum '${key}': the schema`)
    checkIdentifier(type.name, 'the enum')
    // Kysely reads a dotted type name as schema.name, so a dot would name another type.
    if (type.name.includes('.') || type.schema.includes('.')) {
      throw new SchemaDeclarationError(
        `enum '${key}': an enum name cannot contain '.'; put the type in a schema with the schema option (enumType(name, values, { schema }))`,
      )
    }
    const repeated = type.values.find((value, index) => type.values.indexOf(value) !== index)
    if (repeated !== undefined) throw new SchemaDeclarationError(`enum '${key}' lists the value '${repeated}' twice`)
    const long = type.values.find((value) => byteLength(value) > MAX_IDENTIFIER_BYTES)
    if (long !== undefined) {
      throw new SchemaDeclarationError(`enum '${key}': the value '${long}' is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes`)
    }
    const known = byName.get(key)
    if (known === undefined) {
      byName.set(key, { schema: type.schema, name: type.name, values: [...type.values] })
    } else if (known.values.join('\0') !== type.values.join('\0')) {
      throw new SchemaDeclarationError(
        `enum '${key}' is declared twice with different values: [${known.values.join(', ')}] and [${type.values.join(', ')}]`,
      )
    }
  }
  return [...byName.values()].toSorted(byQualifiedName)
}

/** Whether the columns are the table's primary key or a set it keeps unique: what a foreign key may reference. */
export function isUniqueKey(table: TableModel, columns: readonly string[]): boolean {
  const sameSet = (a: readonly string[]): boolean => a.length === columns.length && a.every((item) => columns.includes(item))
  return (
    (table.primaryKey !== null && sameSet(table.primaryKey.columns)) ||
    table.uniques.some((unique) => sameSet(unique.columns)) ||
    table.indexes.some(
      (index) => index.unique && index.where === null && sameSet(index.keys.map((key) => (key.kind === 'column' ? key.name : ''))),
    )
  )
}

/** A foreign key must point at the target's primary key or at columns it keeps unique, as PostgreSQL demands. */
function checkForeignKeyTargets(tables: readonly TableModel[]): void {
  const byKey = new Map(tables.map((table) => [displayName(table), table]))
  for (const table of tables) {
    for (const foreignKey of table.foreignKeys) {
      const target = byKey.get(displayName(foreignKey.references))
      if (target !== undefined && !isUniqueKey(target, foreignKey.referencedColumns)) {
        throw new SchemaDeclarationError(
          `foreign key '${foreignKey.name}' references (${foreignKey.referencedColumns.join(', ')}) of ` +
            `'${displayName(target)}', which is neither its primary key nor unique`,
          { table: table.name },
        )
      }
    }
  }
}

/**
 * The declared `SchemaModel` of a schema declaration. Types, defaults and expressions are SQL
 * input text (not yet PostgreSQL's canonical text); names not given are the ones PostgreSQL
 * would choose. Pure, apart from compiling `sql` fragments. Throws `SchemaDeclarationError`.
 */
export function declarationToModel(schema: SchemaDeclaration): SchemaModel {
  const tableEntries = Object.entries(schema.tables)
  for (const [name, declaration] of tableEntries) {
    checkIdentifier(name, 'the table', { table: name })
    if (name.includes('.')) {
      throw new SchemaDeclarationError("a table name cannot contain '.'; put the table in a schema with the schema option", { table: name })
    }
    checkIdentifier(declaration.schema, 'the schema', { table: name })
  }

  const enums = collectEnums(schema)
  const tableKeys = new Set(tableEntries.map(([name, declaration]) => displayName({ schema: declaration.schema, name })))
  const clash = enums.find((type) => tableKeys.has(displayName(type)))
  if (clash !== undefined) {
    throw new SchemaDeclarationError(`enum '${displayName(clash)}' has the name of a table (a table is also a type)`)
  }
  const sequences = collectSequences(schema)
  const relationClash = sequences.find((item) => tableKeys.has(displayName(item)))
  if (relationClash !== undefined) {
    throw new SchemaDeclarationError(`sequence '${displayName(relationClash)}' has the name of a table`)
  }
  const views = collectViews(schema, [...tableKeys, ...sequences.map(displayName)])

  const namespaces = new Map<string, Namespace>(
    tableEntries.map(([, declaration]) => [declaration.schema, { relations: new Set(), constraints: new Set() }]),
  )
  const namespaceOf = (schema: string): Namespace => namespaces.get(schema)!
  for (const [name, declaration] of tableEntries) namespaceOf(declaration.schema).relations.add(name)

  // Asked once per foreign key: a table that many reference lists its columns once.
  const resolved = new Map<string, ResolvedTable>()
  const resolveTable = (reference: TableReference): ResolvedTable | undefined => {
    if (!Object.hasOwn(schema.tables, reference.table)) return undefined
    const declaration = schema.tables[reference.table]
    if (declaration === undefined || (reference.schema !== null && reference.schema !== declaration.schema)) return undefined
    const known = resolved.get(reference.table)
    if (known !== undefined) return known
    const table = { schema: declaration.schema, name: reference.table, columns: Object.keys(declaration.columns) }
    resolved.set(reference.table, table)
    return table
  }

  const tables = tableEntries.map(([name, declaration]) =>
    tableToModel({ name, schema: declaration.schema, declaration, namespace: namespaceOf(declaration.schema), resolveTable }),
  )

  const renamedFroms = new Set<string>()
  for (const table of tables) {
    if (table.renamedFrom === undefined) continue
    checkIdentifier(table.renamedFrom, 'the previous table', { table: table.name })
    const previous = displayName({ schema: table.schema, name: table.renamedFrom })
    if (tableKeys.has(previous)) {
      throw new SchemaDeclarationError(`renamedFrom '${table.renamedFrom}' names a table that is still declared`, { table: table.name })
    }
    if (renamedFroms.has(previous)) {
      throw new SchemaDeclarationError(`two tables are renamed from '${table.renamedFrom}'`, { table: table.name })
    }
    renamedFroms.add(previous)
  }
  checkForeignKeyTargets(tables)

  for (const name of schema.schemas) checkIdentifier(name, 'the schema')
  const schemas = new Set([
    ...schema.schemas,
    ...tables.map((table) => table.schema),
    ...enums.map((type) => type.schema),
    ...sequences.map((item) => item.schema),
    ...views.map((item) => item.schema),
  ])
  schemas.delete('public')

  return {
    schemas: [...schemas].toSorted(compareText),
    enums,
    sequences: sequences.toSorted(byQualifiedName),
    tables: tables.toSorted(byQualifiedName),
    views: views.toSorted(byQualifiedName),
  }
}
