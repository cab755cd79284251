import { byteLength, MAX_IDENTIFIER_BYTES, quoteIdentifier, quoteIdentifierIfNeeded } from '../model/identifier.js'
import { makeObjectName } from '../schema/pg-names.js'
import type {
  CheckModel,
  ColumnModel,
  EnumModel,
  ExclusionModel,
  ForeignKeyModel,
  IdentityKind,
  IndexKey,
  IndexModel,
  PrimaryKeyModel,
  QualifiedName,
  SequenceModel,
  StandaloneSequenceModel,
  TableModel,
  UniqueModel,
  ViewModel,
} from '../model/schema-model.js'
import { displayName, identityIncrement, identityStart, sameIdentityOptions } from '../model/schema-model.js'
import type { SchemaOp, SchemaOpKind } from '../diff/schema-op.js'
import {
  call,
  callback,
  callWith,
  id,
  lit,
  schemaStatement,
  sqlStatement,
  sqlCondition,
  sqlText,
  str,
  strs,
  text,
  type Call,
  type SqlPart,
  type Statement,
} from './code.js'
import { columnTypeValue } from './column-type.js'

type Renderers = { readonly [K in SchemaOpKind]: (op: Extract<SchemaOp, { kind: K }>) => readonly Statement[] }

export const ids = (name: QualifiedName): SqlPart => (name.schema === 'public' ? id(name.name) : id(name.schema, name.name))
const idList = (names: readonly string[]): readonly SqlPart[] => names.flatMap((name, i) => (i === 0 ? [id(name)] : [text(', '), id(name)]))
const qualifiedColumn = (table: QualifiedName, column: string): SqlPart =>
  table.schema === 'public' ? id(table.name, column) : id(table.schema, table.name, column)
// Kysely's builders take a table outside `public` as `'app.user'`, splitting on the dot.
const alterTable = (name: QualifiedName, ...calls: readonly Call[]): Statement =>
  schemaStatement(call('alterTable', str(displayName(name))), ...calls)

// PostgreSQL's own names for constraints declared on a column; only those can be written inline.
const defaultName = (table: string, columns: readonly string[], suffix: string): string | null => {
  const name = `${table}_${columns.join('_')}_${suffix}`
  return byteLength(name) <= MAX_IDENTIFIER_BYTES ? name : null
}
const isInlinePrimaryKey = (table: TableModel, pk: PrimaryKeyModel | null): pk is PrimaryKeyModel =>
  pk !== null && pk.columns.length === 1 && byteLength(pk.name) <= MAX_IDENTIFIER_BYTES && pk.name === `${table.name}_pkey`
const isInlineUnique = (table: TableModel, unique: UniqueModel): boolean =>
  unique.columns.length === 1 && !unique.nullsNotDistinct && unique.name === defaultName(table.name, unique.columns, 'key')
// Kysely's column builder has no DEFERRABLE, and no builder has MATCH.
const isInlineForeignKey = (table: TableModel, fk: ForeignKeyModel): boolean =>
  fk.columns.length === 1 && fk.name === defaultName(table.name, fk.columns, 'fkey') && fk.deferrable === undefined && fk.match === undefined

/** A check's expression: `CHECK ((price > 0))` from the catalogs, or the bare expression as declared. */
export function checkExpression(check: CheckModel): string {
  const match = /^CHECK\s*(\(.*\))(\s+NOT VALID)?$/is.exec(check.definition.trim())
  return match ? match[1]! : `(${check.definition})`
}

const referentialCalls = (fk: ForeignKeyModel): readonly Call[] => [
  ...(fk.onDelete === 'no action' ? [] : [call('onDelete', str(fk.onDelete))]),
  ...(fk.onUpdate === 'no action' ? [] : [call('onUpdate', str(fk.onUpdate))]),
]

interface InlineConstraints {
  readonly primaryKey: boolean
  readonly unique: boolean
  readonly foreignKey: ForeignKeyModel | null
}

const NO_INLINE: InlineConstraints = { primaryKey: false, unique: false, foreignKey: null }

function columnCalls(column: ColumnModel, inline: InlineConstraints): readonly Call[] {
  const calls: Call[] = []
  // Kysely's column builder has no COLLATE; modifyFront writes it right after the type.
  if (column.collation !== undefined) calls.push(call('modifyFront', { kind: 'sql', parts: collateParts(column.collation) }))
  if (inline.primaryKey) calls.push(call('primaryKey'))
  // PostgreSQL makes primary-key, serial and identity columns NOT NULL by itself.
  if (!column.nullable && !inline.primaryKey && !column.serial && column.identity === null) calls.push(call('notNull'))
  if (column.default !== null && !column.serial) calls.push(call('defaultTo', sqlText(column.default)))
  // Kysely's identity has no sequence options; modifyFront writes the clause right after the type.
  if (column.identity !== null && column.identityOptions !== undefined) {
    calls.push(call('modifyFront', { kind: 'sql', parts: [text(`${identityClause(column.identity)}${identityOptionsText(column)}`)] }))
  } else if (column.identity === 'always') calls.push(call('generatedAlwaysAsIdentity'))
  else if (column.identity === 'byDefault') calls.push(call('generatedByDefaultAsIdentity'))
  if (column.generated !== null) calls.push(call('generatedAlwaysAs', sqlText(column.generated)), call('stored'))
  if (inline.unique) calls.push(call('unique'))
  if (inline.foreignKey) {
    const fk = inline.foreignKey
    const target = `${displayName(fk.references)}.${fk.referencedColumns[0]!}`
    calls.push(call('references', str(target)), ...referentialCalls(fk))
  }
  return calls
}

const collateParts = (collation: string): readonly SqlPart[] => [text('COLLATE '), id(collation)]

const identityClause = (kind: IdentityKind): string => `GENERATED ${kind === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`
/** ` (START WITH 10 INCREMENT BY 5)`: the options that are not the defaults (whole numbers, checked by the declaration and read from the catalog). */
function identityOptionsText(column: ColumnModel): string {
  const { start, increment } = column.identityOptions ?? {}
  const options = [...(start === undefined ? [] : [`START WITH ${start}`]), ...(increment === undefined ? [] : [`INCREMENT BY ${increment}`])]
  return options.length === 0 ? '' : ` (${options.join(' ')})`
}

const addColumnCall = (column: ColumnModel, inline: InlineConstraints): Call => {
  const type = columnTypeValue(column.type, column.serial)
  return callWith('addColumn', [str(column.name), type], 'col', columnCalls(column, inline))
}

/** `COMMENT ON TABLE` or `COMMENT ON COLUMN`; a null comment removes the comment. */
const commentOn = (target: 'TABLE' | 'COLUMN', name: SqlPart, comment: string | null): Statement =>
  sqlStatement(text(`COMMENT ON ${target} `), name, text(' IS '), comment === null ? text('NULL') : lit(comment))
const columnComment = (table: QualifiedName, column: string, comment: string | null): Statement =>
  commentOn('COLUMN', qualifiedColumn(table, column), comment)

const FUNCTION_CALL = /^[\w."]+\(.*\)$/s

const isPlainColumnKey = (key: IndexKey): boolean =>
  key.kind === 'column' && key.descending === undefined && key.nulls === undefined && key.opclass === undefined

/** A key as CREATE INDEX writes it: `"code" text_pattern_ops DESC NULLS LAST`. */
function indexKeyParts(key: IndexKey): readonly SqlPart[] {
  // A key that is not a bare function call needs its own parentheses in CREATE INDEX.
  const head = key.kind === 'column' ? id(key.name) : text(FUNCTION_CALL.test(key.sql) ? key.sql : `(${key.sql})`)
  const order = `${key.descending ? ' DESC' : ''}${key.nulls === undefined ? '' : ` NULLS ${key.nulls.toUpperCase()}`}`
  return [head, text(`${key.opclass === undefined ? '' : ` ${quoteIdentifierIfNeeded(key.opclass)}`}${order}`)]
}

export const CONCURRENT_INDEX = 'INDEX CONCURRENTLY IF NOT EXISTS '

// A storage parameter's value PostgreSQL reads unquoted: a number or a word.
const PLAIN_VALUE = /^(-?\d+(\.\d+)?|[a-z_][a-z0-9_]*)$/

/**
 * An index in SQL: one with INCLUDE or WITH (...), which Kysely's createIndex cannot say, or one
 * built CONCURRENTLY (IF NOT EXISTS: run again after an interruption, it skips what was built).
 */
export function createIndexSql(table: QualifiedName, index: IndexModel, concurrently = false): Statement {
  const parameters = (index.storageParameters ?? []).flatMap((parameter, i) => {
    const at = parameter.indexOf('=')
    const value = parameter.slice(at + 1)
    const name = `${i === 0 ? ' WITH (' : ', '}${quoteIdentifierIfNeeded(parameter.slice(0, at))} = `
    return PLAIN_VALUE.test(value) ? [text(name + value)] : [text(name), lit(value)]
  })
  return sqlStatement(
    text(`CREATE ${index.unique ? 'UNIQUE ' : ''}${concurrently ? CONCURRENT_INDEX : 'INDEX '}`), id(index.name), text(' ON '), ids(table),
    text(index.using === 'btree' ? ' (' : ` USING ${quoteIdentifierIfNeeded(index.using)} (`),
    ...index.keys.flatMap((key, i) => [...(i === 0 ? [] : [text(', ')]), ...indexKeyParts(key)]),
    text(')'),
    ...(index.include === undefined ? [] : [text(' INCLUDE ('), ...idList(index.include), text(')')]),
    ...(parameters.length === 0 ? [] : [...parameters, text(')')]),
    ...(index.where === null ? [] : [text(` WHERE ${index.where}`)]),
  )
}

function createIndexStatement(table: QualifiedName, index: IndexModel): Statement {
  if (index.include !== undefined || index.storageParameters !== undefined) return createIndexSql(table, index)
  const calls: Call[] = [call('createIndex', str(index.name)), call('on', str(displayName(table)))]
  if (index.keys.every(isPlainColumnKey)) {
    const names = index.keys.map((key) => (key.kind === 'column' ? key.name : ''))
    calls.push(names.length === 1 ? call('column', str(names[0]!)) : call('columns', strs(names)))
  } else {
    for (const key of index.keys) {
      if (key.kind === 'column' && isPlainColumnKey(key)) calls.push(call('column', str(key.name)))
      else calls.push(call('expression', { kind: 'sql', parts: indexKeyParts(key) }))
    }
  }
  if (index.unique) calls.push(call('unique'))
  if (index.using !== 'btree') calls.push(call('using', str(index.using)))
  if (index.where !== null) calls.push(call('where', sqlCondition(index.where)))
  return schemaStatement(...calls)
}

const dropConstraint = (table: QualifiedName, name: string): Statement =>
  alterTable(table, call('dropConstraint', str(name)))

const addPrimaryKeyCall = (pk: PrimaryKeyModel): Call => call('addPrimaryKeyConstraint', str(pk.name), strs(pk.columns))
const addUniqueCall = (unique: UniqueModel): Call => {
  const options = unique.nullsNotDistinct ? [call('nullsNotDistinct')] : []
  return callWith('addUniqueConstraint', [str(unique.name), strs(unique.columns)], 'uc', options)
}
const addCheckCall = (check: CheckModel): Call => call('addCheckConstraint', str(check.name), sqlText(checkExpression(check)))
const addForeignKeyCall = (fk: ForeignKeyModel): Call => {
  const args = [str(fk.name), strs(fk.columns), str(displayName(fk.references)), strs(fk.referencedColumns)]
  const calls = [
    ...referentialCalls(fk),
    ...(fk.deferrable === undefined ? [] : [call('deferrable')]),
    ...(fk.deferrable === 'initiallyDeferred' ? [call('initiallyDeferred')] : []),
  ]
  return callWith('addForeignKeyConstraint', args, 'fk', calls)
}

/** `FOREIGN KEY (...) REFERENCES t (...) [MATCH FULL] [ON ...] [DEFERRABLE ...]`, for ADD CONSTRAINT in SQL. */
export function foreignKeyClause(fk: ForeignKeyModel): readonly SqlPart[] {
  const action = (clause: string, value: string): string => (value === 'no action' ? '' : ` ${clause} ${value.toUpperCase()}`)
  const deferral = fk.deferrable === undefined ? '' : fk.deferrable === 'initiallyDeferred' ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE'
  return [
    text('FOREIGN KEY ('), ...idList(fk.columns), text(') REFERENCES '), ids(fk.references), text(' ('), ...idList(fk.referencedColumns),
    text(`)${fk.match === 'full' ? ' MATCH FULL' : ''}${action('ON DELETE', fk.onDelete)}${action('ON UPDATE', fk.onUpdate)}${deferral}`),
  ]
}

/** A foreign key Kysely cannot say (`MATCH FULL`), in SQL. */
const addForeignKeySql = (table: QualifiedName, fk: ForeignKeyModel): Statement =>
  sqlStatement(text('ALTER TABLE '), ids(table), text(' ADD CONSTRAINT '), id(fk.name), text(' '), ...foreignKeyClause(fk))

// Kysely's schema builder has no exclusion constraint: the definition is PostgreSQL's own text.
const addExclusion = (table: QualifiedName, exclusion: ExclusionModel): Statement =>
  sqlStatement(text('ALTER TABLE '), ids(table), text(' ADD CONSTRAINT '), id(exclusion.name), text(` ${exclusion.definition}`))

function createTable(table: TableModel): readonly Statement[] {
  const inlinePk = isInlinePrimaryKey(table, table.primaryKey) ? table.primaryKey : null
  const inlineUniques = new Set<UniqueModel>()
  const inlineFks = new Set<ForeignKeyModel>()
  const calls: Call[] = [call('createTable', str(displayName(table)))]
  for (const column of table.columns) {
    const unique = table.uniques.find((u) => u.columns[0] === column.name && !inlineUniques.has(u) && isInlineUnique(table, u))
    const fk = table.foreignKeys.find((f) => f.columns[0] === column.name && !inlineFks.has(f) && isInlineForeignKey(table, f))
    if (unique) inlineUniques.add(unique)
    if (fk) inlineFks.add(fk)
    calls.push(
      addColumnCall(column, {
        primaryKey: inlinePk !== null && inlinePk.columns[0] === column.name,
        unique: unique !== undefined,
        foreignKey: fk ?? null,
      }),
    )
  }
  if (table.primaryKey && inlinePk === null) calls.push(addPrimaryKeyCall(table.primaryKey))
  for (const unique of table.uniques) if (!inlineUniques.has(unique)) calls.push(addUniqueCall(unique))
  for (const check of table.checks) calls.push(addCheckCall(check))
  for (const fk of table.foreignKeys) if (!inlineFks.has(fk) && fk.match === undefined) calls.push(addForeignKeyCall(fk))
  return [
    schemaStatement(...calls),
    ...table.foreignKeys.filter((fk) => fk.match !== undefined).map((fk) => addForeignKeySql(table, fk)),
    ...table.exclusions.map((exclusion) => addExclusion(table, exclusion)),
    ...table.indexes.map((index) => createIndexStatement(table, index)),
    ...(table.comment === null ? [] : [commentOn('TABLE', ids(table), table.comment)]),
    ...table.columns.filter((c) => c.comment !== null).map((c) => columnComment(table, c.name, c.comment)),
  ]
}

const TYPE_FAMILIES: readonly RegExp[] = [
  /^(character varying|varchar|character|char|text)(\(\d+\))?$/,
  /^(smallint|integer|bigint|numeric|real|double precision|int2|int4|int8)(\(\d+,\s*\d+\))?$/,
  /^timestamp(\(\d+\))?( with(out)? time zone)?$|^timestamptz(\(\d+\))?$|^date$/,
]

/** Whether PostgreSQL converts between the types by itself; otherwise the change needs a USING cast. */
const castsImplicitly = (from: string, to: string): boolean =>
  TYPE_FAMILIES.some((family) => family.test(from) && family.test(to))

function alterColumn(op: Extract<SchemaOp, { kind: 'alterColumn' }>): readonly Statement[] {
  const { table, from, to } = op
  const name = to.name
  const column = (calls: readonly Call[]): Call => call('alterColumn', str(name), callback('col', calls))
  const columnId = id(name)
  const typeChanged = from.type !== to.type
  const defaultChanged = from.default !== to.default
  const needsUsing = typeChanged && !castsImplicitly(from.type, to.type)
  // SET DATA TYPE without COLLATE gives the type's default collation.
  const collate = to.collation === undefined ? [] : [text(' '), ...collateParts(to.collation)]
  const dataType = to.collation === undefined ? columnTypeValue(to.type, false) : { kind: 'sql' as const, parts: [text(to.type), ...collate] }
  const before: Call[] = []
  const after: Call[] = []
  const sequence = sequenceChange(table, from, to)
  if (sequence.dropsOwnedDefault) before.push(column([call('dropDefault')]))
  if (from.default !== null && (defaultChanged || typeChanged)) before.push(column([call('dropDefault')]))
  if ((typeChanged || from.collation !== to.collation) && !needsUsing) before.push(column([call('setDataType', dataType)]))
  if (to.default !== null && (defaultChanged || typeChanged)) after.push(column([call('setDefault', sqlText(to.default))]))
  if (from.nullable !== to.nullable) after.push(column([call(to.nullable ? 'dropNotNull' : 'setNotNull')]))

  const statements: Statement[] = [...sequence.first]
  const identityId = [text('ALTER TABLE '), ids(table), text(' ALTER COLUMN '), columnId] as const
  if (from.identity !== null && from.identity !== to.identity) {
    statements.push(
      to.identity === null
        ? sqlStatement(...identityId, text(' DROP IDENTITY'))
        : sqlStatement(...identityId, text(to.identity === 'always' ? ' SET GENERATED ALWAYS' : ' SET GENERATED BY DEFAULT')),
    )
  }
  if (needsUsing) {
    if (before.length > 0) statements.push(alterTable(table, ...before))
    statements.push(sqlStatement(...identityId, text(` TYPE ${to.type}`), ...collate, text(' USING '), columnId, text(`::${to.type}`)))
    if (after.length > 0) statements.push(alterTable(table, ...after))
  } else if (before.length + after.length > 0) {
    statements.push(alterTable(table, ...before, ...after))
  }
  statements.push(...sequence.last)
  if (from.identity === null && to.identity !== null) {
    statements.push(sqlStatement(...identityId, text(` ADD ${identityClause(to.identity)}${identityOptionsText(to)}`)))
  }
  if (from.identity !== null && to.identity !== null && !sameIdentityOptions(from, to)) {
    // A step changing sign puts the bounds back to that direction's defaults, and the sequence
    // restarts at its new start: its current value lies outside the new bounds. Otherwise the
    // next value stays where it is, as PostgreSQL's SET START WITH leaves it.
    const signChanged = identityIncrement(from).startsWith('-') !== identityIncrement(to).startsWith('-')
    const bounds = signChanged ? ' SET NO MINVALUE SET NO MAXVALUE' : ''
    const restart = signChanged ? ' RESTART' : ''
    statements.push(sqlStatement(...identityId, text(` SET INCREMENT BY ${identityIncrement(to)}${bounds} SET START WITH ${identityStart(to)}${restart}`)))
  }
  if (from.comment !== to.comment) statements.push(columnComment(table, name, to.comment))
  return statements
}

interface SequenceChange {
  /** A serial column stops being serial and gets no other default: its `nextval` default goes first. */
  readonly dropsOwnedDefault: boolean
  /** Before the column changes: a sequence renamed with its table. */
  readonly first: readonly Statement[]
  /** After it: the sequence dropped, created or given the column's new type. */
  readonly last: readonly Statement[]
}

/**
 * The statements for the sequence a serial or identity column owns. `serial` is a sequence, its
 * ownership and a `nextval` default, so a column that stops being serial loses all three, and one
 * that becomes serial gets them, the sequence starting after the rows already there. A renamed
 * table keeps its sequences' names and a changed column type leaves a serial's sequence `AS` the
 * old type (an identity's follows by itself), so both are changed here.
 */
function sequenceChange(table: QualifiedName, from: ColumnModel, to: ColumnModel): SequenceChange {
  const first: Statement[] = []
  const last: Statement[] = []
  const sequenceOf = (column: ColumnModel): SequenceModel =>
    column.sequence ?? { name: makeObjectName(table.name, column.name, 'seq'), type: column.type }
  const sequenceId = (name: string): SqlPart => ids({ schema: table.schema, name })
  const isSameKind = from.serial === to.serial && (from.identity === null) === (to.identity === null)
  if (isSameKind && from.sequence !== undefined && to.sequence !== undefined) {
    if (from.sequence.name !== to.sequence.name) {
      first.push(sqlStatement(text('ALTER SEQUENCE '), sequenceId(from.sequence.name), text(' RENAME TO '), id(to.sequence.name)))
    }
    if (from.sequence.type !== to.sequence.type) {
      last.push(sqlStatement(text('ALTER SEQUENCE '), sequenceId(to.sequence.name), text(` AS ${to.sequence.type}`)))
    }
  }
  if (from.serial && !to.serial) {
    last.push(sqlStatement(text('DROP SEQUENCE '), sequenceId(sequenceOf(from).name)))
  }
  if (!from.serial && to.serial) {
    const { name, type } = sequenceOf(to)
    const regclass = lit(table.schema === 'public' ? quoteIdentifier(name) : `${quoteIdentifier(table.schema)}.${quoteIdentifier(name)}`)
    const columnId = id(to.name)
    last.push(
      sqlStatement(text('CREATE SEQUENCE '), sequenceId(name), text(` AS ${type} OWNED BY `), qualifiedColumn(table, to.name)),
      sqlStatement(text('ALTER TABLE '), ids(table), text(' ALTER COLUMN '), columnId, text(' SET DEFAULT nextval('), regclass, text('::regclass)')),
      sqlStatement(text('SELECT setval('), regclass, text(', coalesce(max('), columnId, text('), 0) + 1, false) FROM '), ids(table)),
    )
  }
  return { dropsOwnedDefault: from.serial && !to.serial && to.default === null, first, last }
}


const OLD_ENUM_SUFFIX = '__tsdb_old'

const createEnum = (type: EnumModel): Statement =>
  schemaStatement(call('createType', str(displayName(type))), call('asEnum', strs(type.values)))

// Kysely's view builders take one identifier: a view outside `public` is named through withSchema.
const inSchema = (name: QualifiedName): readonly Call[] => (name.schema === 'public' ? [] : [call('withSchema', str(name.schema))])

const createView = (view: ViewModel, isReplace: boolean): Statement =>
  schemaStatement(
    ...inSchema(view),
    call('createView', str(view.name)),
    ...(view.materialized ? [call('materialized')] : []),
    ...(isReplace ? [call('orReplace')] : []),
    call('as', sqlText(view.definition)),
  )

/**
 * A sequence's options as `CREATE SEQUENCE` and `ALTER SEQUENCE` take them. The type and bounds
 * are PostgreSQL's own text or checked integers; an option left to PostgreSQL is set back to its
 * default in an alter (`NO MINVALUE`).
 */
function sequenceOptions(sequence: StandaloneSequenceModel, isAlter: boolean): SqlPart {
  const bound = (value: string | null, name: string): string =>
    value !== null ? ` ${name} ${value}` : isAlter ? ` NO ${name}` : ''
  return text(
    ` AS ${sequence.type}` +
      (sequence.increment !== null ? ` INCREMENT BY ${sequence.increment}` : isAlter ? ' INCREMENT BY 1' : '') +
      bound(sequence.minValue, 'MINVALUE') +
      bound(sequence.maxValue, 'MAXVALUE') +
      (sequence.start === null ? '' : ` START WITH ${sequence.start}`) +
      (sequence.cycle ? ' CYCLE' : ' NO CYCLE'),
  )
}

const renderers: Renderers = {
  createSchema: (op) => [schemaStatement(call('createSchema', str(op.schema)))],
  dropSchema: (op) => [schemaStatement(call('dropSchema', str(op.schema)))],
  createEnum: (op) => [createEnum(op.enum)],
  dropEnum: (op) => [schemaStatement(call('dropType', str(displayName(op.enum))))],
  addEnumValue: (op) => [
    sqlStatement(
      text('ALTER TYPE '),
      ids(op.enum),
      text(' ADD VALUE '),
      lit(op.value),
      ...(op.before === null ? [] : [text(' BEFORE '), lit(op.before)]),
    ),
  ],
  recreateEnum: (op) => {
    // PostgreSQL cannot drop or reorder enum values: rename the type away, create the new one,
    // move each column over through text, then drop the old type.
    const old = { schema: op.from.schema, name: `${op.from.name}${OLD_ENUM_SUFFIX}` }
    return [
      sqlStatement(text('ALTER TYPE '), ids(op.from), text(' RENAME TO '), id(old.name)),
      createEnum(op.to),
      ...op.uses.map((use) => {
        const brackets = use.isArray ? '[]' : ''
        const clause = (...parts: readonly SqlPart[]): readonly SqlPart[] => [text('ALTER COLUMN '), id(use.column), ...parts]
        const clauses = [
          ...(use.default === null ? [] : [clause(text(' DROP DEFAULT'))]),
          clause(text(' TYPE '), ids(op.to), text(brackets), text(' USING '), id(use.column), text(`::text${brackets}::`), ids(op.to), text(brackets)),
          ...(use.default === null ? [] : [clause(text(` SET DEFAULT ${use.default}`))]),
        ]
        return sqlStatement(
          text('ALTER TABLE '),
          ids(use.table),
          text(' '),
          ...clauses.flatMap((parts, i) => (i === 0 ? parts : [text(', '), ...parts])),
        )
      }),
      schemaStatement(call('dropType', str(displayName(old)))),
    ]
  },
  createSequence: (op) => [sqlStatement(text('CREATE SEQUENCE '), ids(op.sequence), sequenceOptions(op.sequence, false))],
  alterSequence: (op) => [sqlStatement(text('ALTER SEQUENCE '), ids(op.to), sequenceOptions(op.to, true))],
  dropSequence: (op) => [sqlStatement(text('DROP SEQUENCE '), ids(op.sequence))],
  createView: (op) => [createView(op.view, false)],
  replaceView: (op) => [createView(op.to, true)],
  dropView: (op) =>
    [schemaStatement(...inSchema(op.view), call('dropView', str(op.view.name)), ...(op.view.materialized ? [call('materialized')] : []))],
  createTable: (op) => createTable(op.table),
  dropTable: (op) => [schemaStatement(call('dropTable', str(displayName(op.table))))],
  renameTable: (op) => [alterTable(op.from, call('renameTo', str(op.to.name)))],
  setTableComment: (op) => [commentOn('TABLE', ids(op.table), op.to)],
  addColumn: (op) => [
    alterTable(op.table, addColumnCall(op.column, NO_INLINE)),
    ...(op.column.comment === null ? [] : [columnComment(op.table, op.column.name, op.column.comment)]),
  ],
  dropColumn: (op) => [alterTable(op.table, call('dropColumn', str(op.column.name)))],
  renameColumn: (op) => [alterTable(op.table, call('renameColumn', str(op.from), str(op.to)))],
  alterColumn,
  addPrimaryKey: (op) => [alterTable(op.table, addPrimaryKeyCall(op.primaryKey))],
  dropPrimaryKey: (op) => [dropConstraint(op.table, op.primaryKey.name)],
  addUnique: (op) => [alterTable(op.table, addUniqueCall(op.unique))],
  dropUnique: (op) => [dropConstraint(op.table, op.unique.name)],
  addCheck: (op) => [alterTable(op.table, addCheckCall(op.check))],
  dropCheck: (op) => [dropConstraint(op.table, op.check.name)],
  addForeignKey: (op) => [
    op.foreignKey.match === 'full' ? addForeignKeySql(op.table, op.foreignKey) : alterTable(op.table, addForeignKeyCall(op.foreignKey)),
  ],
  addExclusion: (op) => [addExclusion(op.table, op.exclusion)],
  dropExclusion: (op) => [dropConstraint(op.table, op.exclusion.name)],
  dropForeignKey: (op) => [dropConstraint(op.table, op.foreignKey.name)],
  renameConstraint: (op) => [alterTable(op.table, call('renameConstraint', str(op.from), str(op.to)))],
  createIndex: (op) => [createIndexStatement(op.table, op.index)],
  // Kysely's dropIndex takes one identifier, so an index outside `public` needs its qualified name in SQL.
  dropIndex: (op) =>
    op.table.schema === 'public'
      ? [schemaStatement(call('dropIndex', str(op.index.name)))]
      : [sqlStatement(text('DROP INDEX '), ids({ schema: op.table.schema, name: op.index.name }))],
  renameIndex: (op) => [
    sqlStatement(text('ALTER INDEX '), ids({ schema: op.table.schema, name: op.from }), text(' RENAME TO '), id(op.to)),
  ],
}

/** The Kysely statements of one op (a data-loss op is preceded by its warning comment). */
export function renderOpStatements(op: SchemaOp): readonly Statement[] {
  // The cast is safe: `renderers[op.kind]` is the renderer of exactly this op's kind, which
  // TypeScript cannot correlate through the indexed access.
  const render = renderers[op.kind] as (op: SchemaOp) => readonly Statement[]
  const statements = render(op)
  const dataLoss = 'dataLoss' in op ? op.dataLoss : undefined
  return dataLoss === undefined ? statements : [{ kind: 'comment', text: `WARNING: data loss — ${dataLoss}` }, ...statements]
}

