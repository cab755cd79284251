import type {
  CheckModel,
  ColumnModel,
  EnumModel,
  ExclusionModel,
  ForeignKeyModel,
  IndexModel,
  PrimaryKeyModel,
  QualifiedName,
  StandaloneSequenceModel,
  TableModel,
  UniqueModel,
  ViewModel,
} from '../model/schema-model.js'

/** A column whose type is an enum, with the default it must get back after the type is recreated. */
export interface EnumColumnUse {
  readonly table: QualifiedName
  readonly column: string
  readonly default: string | null
  /** An array of the enum: it is cast through `text[]`. */
  readonly isArray: boolean
}

type ConstraintKind = 'primaryKey' | 'unique' | 'check' | 'foreignKey' | 'exclusion'

/**
 * One schema change, as plain data. An op that removes something carries the whole removed
 * object, so `reverseOp` is total and `down` never needs the database. `dataLoss` says why an op
 * can lose rows or values; it is derived from the op by the constructors below, never by hand.
 */
export type SchemaOp =
  | { readonly kind: 'createSchema'; readonly schema: string }
  | { readonly kind: 'dropSchema'; readonly schema: string }
  | { readonly kind: 'createEnum'; readonly enum: EnumModel }
  | { readonly kind: 'dropEnum'; readonly enum: EnumModel }
  | {
      readonly kind: 'addEnumValue'
      readonly enum: EnumModel
      readonly value: string
      /** The value it goes before, or null to append. */
      readonly before: string | null
      /** Columns of this type, for the reverse (which must recreate the type). */
      readonly uses: readonly EnumColumnUse[]
    }
  | {
      /** Values dropped or reordered: PostgreSQL cannot do that in place, so the type is recreated. */
      readonly kind: 'recreateEnum'
      readonly from: EnumModel
      readonly to: EnumModel
      readonly uses: readonly EnumColumnUse[]
      readonly dataLoss?: string
    }
  | { readonly kind: 'createSequence'; readonly sequence: StandaloneSequenceModel }
  | { readonly kind: 'dropSequence'; readonly sequence: StandaloneSequenceModel }
  | { readonly kind: 'alterSequence'; readonly from: StandaloneSequenceModel; readonly to: StandaloneSequenceModel }
  | { readonly kind: 'createView'; readonly view: ViewModel }
  | { readonly kind: 'dropView'; readonly view: ViewModel }
  /** `CREATE OR REPLACE VIEW`: the query changed, the columns did not. */
  | { readonly kind: 'replaceView'; readonly from: ViewModel; readonly to: ViewModel }
  | { readonly kind: 'createTable'; readonly table: TableModel }
  | { readonly kind: 'dropTable'; readonly table: TableModel; readonly dataLoss: string }
  | { readonly kind: 'renameTable'; readonly from: QualifiedName; readonly to: QualifiedName }
  | { readonly kind: 'setTableComment'; readonly table: QualifiedName; readonly from: string | null; readonly to: string | null }
  | { readonly kind: 'addColumn'; readonly table: QualifiedName; readonly column: ColumnModel }
  | { readonly kind: 'dropColumn'; readonly table: QualifiedName; readonly column: ColumnModel; readonly dataLoss: string }
  | { readonly kind: 'renameColumn'; readonly table: QualifiedName; readonly from: string; readonly to: string }
  | {
      readonly kind: 'alterColumn'
      readonly table: QualifiedName
      readonly from: ColumnModel
      readonly to: ColumnModel
      readonly dataLoss?: string
    }
  | { readonly kind: 'addPrimaryKey'; readonly table: QualifiedName; readonly primaryKey: PrimaryKeyModel }
  | { readonly kind: 'dropPrimaryKey'; readonly table: QualifiedName; readonly primaryKey: PrimaryKeyModel }
  | { readonly kind: 'addUnique'; readonly table: QualifiedName; readonly unique: UniqueModel }
  | { readonly kind: 'dropUnique'; readonly table: QualifiedName; readonly unique: UniqueModel }
  | { readonly kind: 'addCheck'; readonly table: QualifiedName; readonly check: CheckModel }
  | { readonly kind: 'dropCheck'; readonly table: QualifiedName; readonly check: CheckModel }
  | { readonly kind: 'addExclusion'; readonly table: QualifiedName; readonly exclusion: ExclusionModel }
  | { readonly kind: 'dropExclusion'; readonly table: QualifiedName; readonly exclusion: ExclusionModel }
  | { readonly kind: 'addForeignKey'; readonly table: QualifiedName; readonly foreignKey: ForeignKeyModel }
  | { readonly kind: 'dropForeignKey'; readonly table: QualifiedName; readonly foreignKey: ForeignKeyModel }
  | {
      readonly kind: 'renameConstraint'
      readonly table: QualifiedName
      readonly constraint: ConstraintKind
      readonly from: string
      readonly to: string
    }
  | { readonly kind: 'createIndex'; readonly table: QualifiedName; readonly index: IndexModel }
  | { readonly kind: 'dropIndex'; readonly table: QualifiedName; readonly index: IndexModel }
  | { readonly kind: 'renameIndex'; readonly table: QualifiedName; readonly from: string; readonly to: string }

export type SchemaOpKind = SchemaOp['kind']

const quoted = (name: QualifiedName): string =>
  name.schema === 'public' ? `"${name.name}"` : `"${name.schema}"."${name.name}"`

export function dropTableOp(table: TableModel): SchemaOp {
  return { kind: 'dropTable', table, dataLoss: `drops table ${quoted(table)} and all its rows` }
}

export function dropColumnOp(table: QualifiedName, column: ColumnModel): SchemaOp {
  return { kind: 'dropColumn', table, column, dataLoss: `drops column ${quoted(table)}."${column.name}"` }
}

export function alterColumnOp(table: QualifiedName, from: ColumnModel, to: ColumnModel): SchemaOp {
  const reasons: string[] = []
  if (from.type !== to.type && isNarrowing(from.type, to.type)) {
    reasons.push(`changes the type of ${quoted(table)}."${to.name}" from ${from.type} to ${to.type}`)
  }
  if (from.nullable && !to.nullable) {
    reasons.push(`sets NOT NULL on ${quoted(table)}."${to.name}", which fails while a row holds NULL there`)
  }
  return reasons.length === 0
    ? { kind: 'alterColumn', table, from, to }
    : { kind: 'alterColumn', table, from, to, dataLoss: reasons.join('; ') }
}

export function recreateEnumOp(from: EnumModel, to: EnumModel, uses: readonly EnumColumnUse[]): SchemaOp {
  const dropped = from.values.filter((value) => !to.values.includes(value))
  return dropped.length === 0
    ? { kind: 'recreateEnum', from, to, uses }
    : {
        kind: 'recreateEnum',
        from,
        to,
        uses,
        dataLoss: `drops ${dropped.map((v) => `'${v}'`).join(', ')} from enum ${quoted(from)}; rows holding them fail the cast`,
      }
}

const INTEGER_WIDTH: Readonly<Record<string, number>> = { smallint: 2, integer: 4, bigint: 8 }
/** Significant decimal digits each integer and floating type holds exactly. */
const INTEGER_DIGITS: Readonly<Record<string, number>> = { smallint: 5, integer: 10, bigint: 19 }
const FLOAT_DIGITS: Readonly<Record<string, number>> = { real: 6, 'double precision': 15 }
const TEXT_TYPES = /^(character varying|character|text|varchar|char)(\((\d+)\))?$/
const NUMERIC = /^numeric(?:\((\d+),\s*(\d+)\))?$/
// `format_type` spellings of the date and time types; the precision defaults to 6.
const DATE_TIME = /^(timestamp|time)(?:\((\d)\))? with(out)? time zone$|^date$/

/** A date or time type as [kind, fractional digits, with time zone]; kind 0 date, 1 timestamp, 2 time. */
function dateTime(type: string): readonly [number, number, boolean] | null {
  const match = DATE_TIME.exec(type)
  if (match === null) return null
  if (type === 'date') return [0, 6, false]
  return [match[1] === 'timestamp' ? 1 : 2, match[2] === undefined ? 6 : Number(match[2]), match[3] === undefined]
}

/**
 * Whether changing `from` to `to` can lose values or fail on existing rows. Widening is safe:
 * varchar(64) -> varchar(128) or text, integer -> bigint or numeric, numeric(5,2) ->
 * numeric(10,2), real -> double precision, smallint or integer -> double precision, date ->
 * timestamp, timestamp -> timestamptz (the same instants, read in the session's time zone),
 * timestamp(3) -> timestamp. Everything else, including any change between families, is treated
 * as narrowing.
 */
export function isNarrowing(from: string, to: string): boolean {
  if (from === to) return false
  const fromInt = INTEGER_WIDTH[from]
  const toInt = INTEGER_WIDTH[to]
  if (fromInt !== undefined && toInt !== undefined) return toInt < fromInt
  if (fromInt !== undefined && to === 'numeric') return false
  const toFloat = FLOAT_DIGITS[to]
  if (toFloat !== undefined) {
    const digits = FLOAT_DIGITS[from] ?? INTEGER_DIGITS[from]
    return digits === undefined || digits > toFloat
  }
  const fromTime = dateTime(from)
  const toTime = dateTime(to)
  if (fromTime && toTime) {
    const [fromKind, fromDigits, fromZone] = fromTime
    const [toKind, toDigits, toZone] = toTime
    // A date becomes a timestamp at midnight; a timestamp loses its zone, a time its date.
    const isKindSafe = fromKind === toKind || (fromKind === 0 && toKind === 1)
    return !isKindSafe || toDigits < fromDigits || (fromZone && !toZone && fromKind !== 0)
  }
  const fromIntDigits = INTEGER_DIGITS[from]
  const toNumeric = NUMERIC.exec(to)
  if (fromIntDigits !== undefined && toNumeric?.[1] !== undefined) return Number(toNumeric[1]) - Number(toNumeric[2]) < fromIntDigits
  const fromText = TEXT_TYPES.exec(from)
  const toText = TEXT_TYPES.exec(to)
  if (fromText && toText) {
    if (toText[3] === undefined && toText[1] !== 'character' && toText[1] !== 'char') return false
    if (fromText[3] === undefined) return true
    return Number(toText[3]) < Number(fromText[3])
  }
  const fromNum = NUMERIC.exec(from)
  const toNum = NUMERIC.exec(to)
  if (fromNum && toNum) {
    if (toNum[1] === undefined) return false
    if (fromNum[1] === undefined) return true
    const fromIntDigits = Number(fromNum[1]) - Number(fromNum[2])
    const toIntDigits = Number(toNum[1]) - Number(toNum[2])
    return toIntDigits < fromIntDigits || Number(toNum[2]) < Number(fromNum[2])
  }
  return true
}

/** An add or create and its drop: each is the other's inverse and carries the same object. */
const INVERSE_KIND = {
  createSchema: 'dropSchema', dropSchema: 'createSchema',
  createEnum: 'dropEnum', dropEnum: 'createEnum',
  createSequence: 'dropSequence', dropSequence: 'createSequence',
  createView: 'dropView', dropView: 'createView',
  addPrimaryKey: 'dropPrimaryKey', dropPrimaryKey: 'addPrimaryKey',
  addUnique: 'dropUnique', dropUnique: 'addUnique',
  addCheck: 'dropCheck', dropCheck: 'addCheck',
  addExclusion: 'dropExclusion', dropExclusion: 'addExclusion',
  addForeignKey: 'dropForeignKey', dropForeignKey: 'addForeignKey',
  createIndex: 'dropIndex', dropIndex: 'createIndex',
} as const satisfies Partial<Record<SchemaOpKind, SchemaOpKind>>

export function reverseOp(op: SchemaOp): SchemaOp {
  switch (op.kind) {
    case 'addEnumValue':
      return recreateEnumOp({ ...op.enum, values: withValue(op.enum.values, op.value, op.before) }, op.enum, op.uses)
    case 'recreateEnum':
      return recreateEnumOp(op.to, op.from, op.uses)
    case 'createTable':
      return dropTableOp(op.table)
    case 'dropTable':
      return { kind: 'createTable', table: op.table }
    case 'addColumn':
      return dropColumnOp(op.table, op.column)
    case 'dropColumn':
      return { kind: 'addColumn', table: op.table, column: op.column }
    case 'alterColumn':
      return alterColumnOp(op.table, op.to, op.from)
    case 'alterSequence':
    case 'replaceView':
    case 'renameTable':
    case 'setTableComment':
    case 'renameColumn':
    case 'renameConstraint':
    case 'renameIndex':
      // The cast is safe: within each of these kinds `from` and `to` have one type.
      return { ...op, from: op.to, to: op.from } as SchemaOp
    default:
      return { ...op, kind: INVERSE_KIND[op.kind] } as SchemaOp
  }
}

/** The ops of `down`: the reverse of each op, in reverse order. */
export function reverseOps(ops: readonly SchemaOp[]): readonly SchemaOp[] {
  return ops.toReversed().map(reverseOp)
}

function withValue(values: readonly string[], value: string, before: string | null): readonly string[] {
  const at = before === null ? -1 : values.indexOf(before)
  return at < 0 ? [...values, value] : [...values.slice(0, at), value, ...values.slice(at)]
}
