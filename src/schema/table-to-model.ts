import { isExpression, type Expression } from 'kysely'
import { SchemaDeclarationError, type DeclarationLocation } from '../errors.js'
import type {
  CheckModel,
  ColumnModel,
  ForeignKeyDeferral,
  ExclusionModel,
  ForeignKeyModel,
  IndexKey,
  IndexKeyOptions,
  IndexModel,
  PrimaryKeyModel,
  QualifiedName,
  ReferentialAction,
  TableModel,
  UniqueModel,
} from '../model/schema-model.js'
import { compareText, identityOptionsField, indexKeyOptions } from '../model/schema-model.js'
import type { ColumnDefinition } from './column-builder.js'
import { parseColumnReference, parseTableReference, type TableReference } from './parse-reference.js'
import { byteLength, MAX_IDENTIFIER_BYTES, quoteIdentifier } from '../model/identifier.js'
import { chooseName, indexColumnNames, nameAddition, truncateIdentifier } from './pg-names.js'
import { expressionKeyName, referencedColumnNames } from './sql-scan.js'
import { compileSqlFragment, renderLiteral } from './sql-text.js'
import type { ForeignKeyDeclaration, IndexKeyDeclaration, TableDeclaration } from './table.js'

/**
 * The names already in use in one PostgreSQL schema, in creation order: relations (tables,
 * indexes, sequences) and constraints. PostgreSQL avoids both when it picks a default name.
 */
export interface Namespace {
  readonly relations: Set<string>
  readonly constraints: Set<string>
}

/** A declared table that a foreign key can point at. */
export interface ResolvedTable extends QualifiedName {
  readonly columns: readonly string[]
}

export interface TableContext {
  readonly name: string
  readonly schema: string
  readonly declaration: TableDeclaration
  readonly namespace: Namespace
  readonly resolveTable: (reference: TableReference) => ResolvedTable | undefined
}

const REFERENTIAL_ACTIONS: readonly ReferentialAction[] = ['no action', 'restrict', 'cascade', 'set null', 'set default']
const IDENTITY_TYPES: readonly string[] = ['smallint', 'integer', 'bigint']

/** Runs `build`, giving a location to any declaration error raised without one. */
function located<T>(location: DeclarationLocation, build: () => T): T {
  try {
    return build()
  } catch (error) {
    if (error instanceof SchemaDeclarationError && error.table === undefined) {
      throw new SchemaDeclarationError(error.reason, location)
    }
    throw error
  }
}

export function checkIdentifier(name: string, what: string, location: DeclarationLocation = {}): void {
  if (name === '') throw new SchemaDeclarationError(`${what} name is empty`, location)
  if (byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new SchemaDeclarationError(
      `${what} name '${name}' is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes (it would be cut to '${truncateIdentifier(name)}')`,
      location,
    )
  }
}

/** A PostgreSQL operator's characters, e.g. `=`, `&&`, `<->`. */
const OPERATOR = /^[-+*/<>=~!@#%^&|`?]+$/

const byName = <T extends { readonly name: string }>(items: readonly T[]): readonly T[] =>
  items.toSorted((a, b) => compareText(a.name, b.name))

function defaultText(definition: ColumnDefinition): string | null {
  if (definition.default === null) return null
  const { value } = definition.default
  if (isExpression(value)) return compileSqlFragment(value)
  // PostgreSQL keeps no default for DEFAULT NULL, so neither does the model.
  if (value === null) return null
  return renderLiteral(value, { isJson: definition.isJson && definition.arrayDimensions === 0 })
}

// Facts that cannot hold together, with what to tell the user; a table of rules, built once.
const COLUMN_CONFLICTS: readonly (readonly [(definition: ColumnDefinition) => boolean, string])[] = [
  [(d) => d.isSerial && d.default !== null, 'a serial column cannot have a default'],
  [(d) => d.isSerial && d.identity !== null, 'a serial column cannot also be an identity column'],
  [(d) => d.isSerial && d.generatedAs !== null, 'a serial column cannot also be generated'],
  [(d) => d.isSerial && d.arrayDimensions > 0, 'a serial column cannot be an array'],
  [(d) => d.identity !== null && d.default !== null, 'an identity column cannot have a default'],
  [(d) => d.identity !== null && d.generatedAs !== null, 'an identity column cannot also be generated'],
  [(d) => d.generatedAs !== null && d.default !== null, 'a generated column cannot have a default'],
  [
    (d) => d.identity !== null && (d.arrayDimensions > 0 || !IDENTITY_TYPES.includes(d.dataType)),
    'an identity column must be smallint, integer or bigint',
  ],
  [(d) => d.references === null && d.onDelete !== null, 'onDelete() needs references()'],
  [(d) => d.references === null && d.onUpdate !== null, 'onUpdate() needs references()'],
  [(d) => d.references === null && d.deferrable !== null, 'deferrable() and initiallyDeferred() need references()'],
  [(d) => d.references === null && d.isMatchFull, 'matchFull() needs references()'],
  [(d) => d.collation !== null && d.collation.trim() === '', 'collate() needs a collation name'],
  [(d) => [d.identityStart, d.identityIncrement].some((n) => n !== null && !/^-?\d+$/.test(n)), "an identity's start and increment must be whole numbers"],
  [(d) => d.identityIncrement !== null && /^-?0+$/.test(d.identityIncrement), "an identity's increment cannot be 0"],
]

function checkColumnFacts(definition: ColumnDefinition): void {
  const conflict = COLUMN_CONFLICTS.find(([isConflict]) => isConflict(definition))
  if (conflict !== undefined) throw new SchemaDeclarationError(conflict[1])
}

function referentialAction(action: ReferentialAction | null | undefined): ReferentialAction {
  if (action === null || action === undefined) return 'no action'
  if (!REFERENTIAL_ACTIONS.includes(action)) {
    throw new SchemaDeclarationError(`unknown referential action '${String(action)}'; use one of ${REFERENTIAL_ACTIONS.join(', ')}`)
  }
  return action
}

// INITIALLY DEFERRED implies DEFERRABLE, as in PostgreSQL.
const foreignKeyDeferral = (foreignKey: ForeignKeyDeclaration): ForeignKeyDeferral | null =>
  foreignKey.initiallyDeferred === true ? 'initiallyDeferred' : foreignKey.deferrable === true ? 'initiallyImmediate' : null

function isMatchFull(match: string | undefined): boolean {
  if (match === undefined || match === 'simple') return false
  if (match === 'full') return true
  throw new SchemaDeclarationError(`unknown foreign key match '${match}'; use simple or full`)
}

// `code DESC` is not an expression: CREATE INDEX would read `(code DESC)`.
const ORDER_SUFFIX = /\s(asc|desc|nulls\s+(first|last))\s*$/i

function keyOptions(key: IndexKeyDeclaration): IndexKeyOptions {
  if (key.order !== undefined && key.order !== 'asc' && key.order !== 'desc') {
    throw new SchemaDeclarationError(`unknown index key order '${String(key.order)}'; use asc or desc`)
  }
  if (key.nulls !== undefined && key.nulls !== 'first' && key.nulls !== 'last') {
    throw new SchemaDeclarationError(`unknown index key nulls '${String(key.nulls)}'; use first or last`)
  }
  const opclass = key.opclass?.trim()
  if (opclass === '') throw new SchemaDeclarationError('an index key operator class (opclass) is empty')
  const descending = key.order === 'desc'
  return indexKeyOptions(descending, key.nulls === undefined ? descending : key.nulls === 'first', opclass ?? null)
}

/** `{ fillfactor: 70 }` as PostgreSQL's reloptions hold it: `['fillfactor=70']`, sorted. */
function storageParameterList(parameters: Readonly<Record<string, string | number | boolean>>): readonly string[] {
  return Object.entries(parameters)
    .map(([name, value]) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new SchemaDeclarationError(`'${name}' is not a storage parameter name`)
      return `${name}=${String(value)}`
    })
    .toSorted(compareText)
}

function checkColumnList(columns: readonly string[], known: readonly string[], what: string): void {
  if (columns.length === 0) throw new SchemaDeclarationError(`${what} has no columns`)
  const unknown = columns.find((column) => !known.includes(column))
  if (unknown !== undefined) throw new SchemaDeclarationError(`${what} names unknown column '${unknown}'`)
  const repeated = columns.find((column, index) => columns.indexOf(column) !== index)
  if (repeated !== undefined) throw new SchemaDeclarationError(`${what} names column '${repeated}' twice`)
}

/** Builds one table of the declared model; names not given are chosen as PostgreSQL would. */
export function tableToModel(context: TableContext): TableModel {
  const { name: tableName, declaration, namespace } = context
  const { options } = declaration
  const at = (column?: string): DeclarationLocation => (column === undefined ? { table: tableName } : { table: tableName, column })
  const entries = Object.entries(declaration.columns).map(([name, builder]) => [name, builder.toDefinition()] as const)
  const columnNames = entries.map(([name]) => name)
  const tableConstraints = new Set<string>()

  /**
   * An explicit name, or the one PostgreSQL chooses (`<table>_<addition>_<label>`, numbered until
   * it is free); either way it is now taken.
   */
  const takeName = (
    kind: 'relation' | 'constraint' | 'indexConstraint',
    explicit: string | undefined,
    addition: string | null,
    label: string,
    location: DeclarationLocation,
  ): string => {
    const isRelation = kind !== 'constraint'
    const isConstraint = kind !== 'relation'
    let name: string
    if (explicit !== undefined) {
      checkIdentifier(explicit, 'the constraint or index', location)
      name = explicit
      if (isRelation && namespace.relations.has(name)) {
        throw new SchemaDeclarationError(`the name '${name}' is already used by another table, index or sequence in schema '${context.schema}'`, location)
      }
      if (isConstraint && tableConstraints.has(name)) {
        throw new SchemaDeclarationError(`the constraint name '${name}' is used twice`, location)
      }
    } else {
      // ChooseRelationName avoids relations (and, for a constraint's index, constraints);
      // ChooseConstraintName avoids the constraints of the whole schema.
      const isTaken = (candidate: string) =>
        (isRelation && namespace.relations.has(candidate)) || (isConstraint && namespace.constraints.has(candidate))
      name = chooseName(tableName, addition, label, isTaken)
    }
    if (isRelation) namespace.relations.add(name)
    if (isConstraint) {
      namespace.constraints.add(name)
      tableConstraints.add(name)
    }
    return name
  }

  // Columns, and the sequences behind serial columns (named before the table is created).
  const pkFromColumns = entries.filter(([, definition]) => definition.isPrimaryKey).map(([name]) => name)
  if (pkFromColumns.length > 0 && options.primaryKey !== undefined) {
    throw new SchemaDeclarationError('declare the primary key either on columns or in the primaryKey option, not both', at())
  }
  const pkColumns = options.primaryKey ?? pkFromColumns
  located(at(), () => {
    if (options.primaryKey !== undefined) checkColumnList(options.primaryKey, columnNames, 'the primary key')
  })

  const renamedFroms = new Set<string>()
  const columns: ColumnModel[] = entries.map(([name, definition]) =>
    located(at(name), () => {
      checkIdentifier(name, 'the column', at(name))
      checkColumnFacts(definition)
      if (definition.isSerial) namespace.relations.add(chooseName(tableName, name, 'seq', (n) => namespace.relations.has(n)))
      const model: ColumnModel = {
        name,
        type: definition.dataType + '[]'.repeat(definition.arrayDimensions),
        nullable: !(definition.isNotNull || pkColumns.includes(name) || definition.isSerial || definition.identity !== null),
        default: defaultText(definition),
        serial: definition.isSerial,
        identity: definition.identity,
        ...identityOptionsField(definition.identityStart, definition.identityIncrement),
        generated: definition.generatedAs === null ? null : compileSqlFragment(definition.generatedAs),
        comment: definition.comment,
        ...(definition.collation === null ? {} : { collation: definition.collation }),
      }
      if (definition.renamedFrom === null) return model
      checkIdentifier(definition.renamedFrom, 'the previous column', at(name))
      if (columnNames.includes(definition.renamedFrom)) {
        throw new SchemaDeclarationError(`renamedFrom('${definition.renamedFrom}') names a column that is still declared`)
      }
      if (renamedFroms.has(definition.renamedFrom)) {
        throw new SchemaDeclarationError(`two columns are renamed from '${definition.renamedFrom}'`)
      }
      renamedFroms.add(definition.renamedFrom)
      return { ...model, renamedFrom: definition.renamedFrom }
    }),
  )

  // Check constraints are named when the table is created, column checks first.
  const checkSources: readonly { readonly expression: Expression<unknown>; readonly name?: string; readonly column?: string }[] = [
    ...entries.flatMap(([column, definition]) => definition.checks.map((expression) => ({ expression, column }))),
    ...(options.checks ?? []).map((check) => (check.name === undefined ? { expression: check.expression } : check)),
  ]
  const checks: CheckModel[] = checkSources.map((source) =>
    located(at(source.column), () => {
      const expression = compileSqlFragment(source.expression)
      // PostgreSQL names a check after its column when the expression mentions exactly one.
      const mentioned = referencedColumnNames(expression, columnNames)
      const only = mentioned.length === 1 ? (mentioned[0] ?? null) : null
      const name = takeName('constraint', source.name, only, 'check', at(source.column))
      return { name, definition: `CHECK (${expression})` }
    }),
  )

  const primaryKey: PrimaryKeyModel | null =
    pkColumns.length === 0
      ? null
      : { name: takeName('indexConstraint', undefined, null, 'pkey', at()), columns: pkColumns }

  const uniqueSources = [
    ...entries
      .filter(([, definition]) => definition.isUnique && !definition.isIndexed)
      .map(([column]) => ({ columns: [column], name: undefined, nullsNotDistinct: false, location: at(column) })),
    ...(options.uniques ?? []).map((unique) => ({ ...unique, nullsNotDistinct: unique.nullsNotDistinct ?? false, location: at() })),
  ]
  const uniques: UniqueModel[] = uniqueSources.map((source) =>
    located(source.location, () => {
      checkColumnList(source.columns, columnNames, 'a unique constraint')
      const name = takeName('indexConstraint', source.name, nameAddition(source.columns), 'key', source.location)
      return { name, columns: [...source.columns], nullsNotDistinct: source.nullsNotDistinct }
    }),
  )

  const foreignKeySources = [
    ...entries.flatMap(([column, definition]) => {
      if (definition.references === null) return []
      const reference = located(at(column), () => parseColumnReference(definition.references ?? ''))
      return [
        {
          columns: [column],
          references: { schema: reference.schema, table: reference.table },
          referencedColumns: [reference.column],
          onDelete: definition.onDelete,
          onUpdate: definition.onUpdate,
          deferrable: definition.deferrable,
          isMatchFull: definition.isMatchFull,
          name: undefined,
          location: at(column),
        },
      ]
    }),
    ...(options.foreignKeys ?? []).map((foreignKey) => ({
      ...foreignKey,
      deferrable: foreignKeyDeferral(foreignKey),
      isMatchFull: located(at(), () => isMatchFull(foreignKey.match)),
      references: located(at(), () => parseTableReference(foreignKey.references)),
      location: at(),
    })),
  ]
  const foreignKeys: ForeignKeyModel[] = foreignKeySources.map((source) =>
    located(source.location, () => {
      checkColumnList(source.columns, columnNames, 'a foreign key')
      const target = context.resolveTable(source.references)
      const targetText = source.references.schema === null ? source.references.table : `${source.references.schema}.${source.references.table}`
      if (target === undefined) throw new SchemaDeclarationError(`references unknown table '${targetText}'`)
      checkColumnList(source.referencedColumns, target.columns, `the foreign key's reference to '${targetText}'`)
      if (source.referencedColumns.length !== source.columns.length) {
        throw new SchemaDeclarationError(
          `a foreign key on ${source.columns.length} column(s) references ${source.referencedColumns.length} column(s)`,
        )
      }
      const name = takeName('constraint', source.name, nameAddition(source.columns), 'fkey', source.location)
      return {
        name,
        columns: [...source.columns],
        references: { schema: target.schema, name: target.name },
        referencedColumns: [...source.referencedColumns],
        onDelete: referentialAction(source.onDelete),
        onUpdate: referentialAction(source.onUpdate),
        ...(source.deferrable === null ? {} : { deferrable: source.deferrable }),
        ...(source.isMatchFull ? { match: 'full' as const } : {}),
      }
    }),
  )

  // Exclusion constraints are added right after the table, before its indexes.
  const exclusions: ExclusionModel[] = (options.exclusions ?? []).map((exclusion) =>
    located(at(), () => {
      if (exclusion.elements.length === 0) throw new SchemaDeclarationError('an exclusion constraint needs elements')
      const using = (exclusion.using ?? 'gist').trim().toLowerCase()
      if (!/^\w+$/.test(using)) throw new SchemaDeclarationError(`an exclusion constraint's access method '${using}' is not a name`)
      const keys = exclusion.elements.map((element) => {
        if (!OPERATOR.test(element.operator)) {
          throw new SchemaDeclarationError(`'${element.operator}' is not an operator (write it as PostgreSQL does, e.g. '=' or '&&')`)
        }
        if ('column' in element) {
          checkColumnList([element.column], columnNames, 'an exclusion constraint')
          return { name: element.column, sql: `${quoteIdentifier(element.column)} WITH ${element.operator}` }
        }
        const expression = compileSqlFragment(element.expression)
        return { name: expressionKeyName(expression), sql: `(${expression}) WITH ${element.operator}` }
      })
      const where = exclusion.where === undefined ? '' : ` WHERE (${compileSqlFragment(exclusion.where)})`
      const keyNames = indexColumnNames(keys.map((key) => key.name))
      return {
        name: takeName('indexConstraint', exclusion.name, nameAddition(keyNames), 'excl', at()),
        definition: `EXCLUDE USING ${using} (${keys.map((key) => key.sql).join(', ')})${where}`,
      }
    }),
  )

  // Indexes are created after the table: `.index()` columns first, with Flask-SQLAlchemy's names,
  // `ix_<column label>`, where SQLAlchemy labels a column of a table outside `public`
  // `<schema>_<table>_<column>` (the schema's dots made underscores).
  const columnLabelPrefix = context.schema === 'public' ? tableName : `${context.schema.replaceAll('.', '_')}_${tableName}`
  const columnIndexes: IndexModel[] = entries
    .filter(([, definition]) => definition.isIndexed)
    .map(([column, definition]) => ({
      name: takeName('relation', truncateIdentifier(`ix_${columnLabelPrefix}_${column}`), null, '', at(column)),
      unique: definition.isUnique,
      keys: [{ kind: 'column', name: column }],
      using: 'btree',
      where: null,
      definition: '',
    }))
  const tableIndexes: IndexModel[] = (options.indexes ?? []).map((index) =>
    located(at(), () => {
      const keys: IndexKey[] = [
        ...(index.columns ?? []).map((key): IndexKey =>
          typeof key === 'string' ? { kind: 'column', name: key } : { kind: 'column', name: key.column, ...keyOptions(key) },
        ),
        ...(index.expressions ?? []).map((key): IndexKey =>
          isExpression(key)
            ? { kind: 'expression', sql: compileSqlFragment(key) }
            : { kind: 'expression', sql: compileSqlFragment(key.expression), ...keyOptions(key) },
        ),
      ]
      if (keys.some((key) => key.kind === 'expression' && ORDER_SUFFIX.test(key.sql))) {
        throw new SchemaDeclarationError("an index expression ends in ASC, DESC or NULLS: declare it as { expression, order, nulls } (or { column, order, nulls })")
      }
      if (keys.length === 0) throw new SchemaDeclarationError('an index needs columns or expressions')
      const keyColumns = keys.flatMap((key) => (key.kind === 'column' ? [key.name] : []))
      if (keyColumns.length > 0) checkColumnList(keyColumns, columnNames, 'an index')
      if (index.include !== undefined) checkColumnList(index.include, columnNames, "an index's include")
      const storageParameters = storageParameterList(index.with ?? {})
      const keyNames = indexColumnNames(keys.map((key) => (key.kind === 'column' ? key.name : expressionKeyName(key.sql))))
      const using = (index.using ?? 'btree').trim().toLowerCase()
      if (using === '') throw new SchemaDeclarationError('an index access method (using) is empty')
      return {
        name: takeName('relation', index.name, nameAddition(keyNames), 'idx', at()),
        unique: index.unique ?? false,
        keys,
        using,
        where: index.where === undefined ? null : compileSqlFragment(index.where),
        ...(index.include === undefined || index.include.length === 0 ? {} : { include: [...index.include] }),
        ...(storageParameters.length === 0 ? {} : { storageParameters }),
        definition: '',
      }
    }),
  )

  const model: TableModel = {
    schema: context.schema,
    name: tableName,
    columns,
    primaryKey,
    uniques: byName(uniques),
    indexes: byName([...columnIndexes, ...tableIndexes]),
    foreignKeys: byName(foreignKeys),
    checks: byName(checks),
    exclusions: byName(exclusions),
    comment: options.comment ?? null,
  }
  return options.renamedFrom === undefined ? model : { ...model, renamedFrom: options.renamedFrom }
}
