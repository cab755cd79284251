import { SchemaDeclarationError } from '../errors.js'
import { columnOfType, type ColumnBuilder } from './column-builder.js'
import type { EnumType } from './enum-type.js'
import { quoteIdentifier } from '../model/identifier.js'

/** A column type with nothing declared yet: nullable, no default. */
type Plain<Select, Insert = Select> = ColumnBuilder<{
  readonly select: Select
  readonly insert: Insert
  readonly nullable: true
  readonly generated: 'never'
}>

/** A column whose value comes from a sequence unless given: `serial` and friends. */
type Serial<Select, Insert = Select> = ColumnBuilder<{
  readonly select: Select
  readonly insert: Insert
  readonly nullable: false
  readonly generated: 'byDefault'
}>

/** int8 and numeric values exceed a JavaScript number, so pg returns their text. */
// Builders with a type parameter return `NoInfer<T>`: otherwise a builder written directly as a
// table column would take T from the column map's contextual type (unknown), not its default.
type BigNumberInput = string | number | bigint

export interface TimeOptions {
  /** `with time zone` (`timestamptz`, `timetz`). Default is false. */
  readonly withTimeZone?: boolean
  /** Fractional digits of the seconds, 0 to 6. Default is PostgreSQL's (6). */
  readonly precision?: number
}

function checkedLength(type: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SchemaDeclarationError(`${type}: ${value} is not an integer from ${min} to ${max}`)
  }
  return value
}

function withModifiers(type: string, modifiers: readonly (number | undefined)[]): string {
  const given = modifiers.filter((m): m is number => m !== undefined)
  return given.length === 0 ? type : `${type}(${given.join(',')})`
}

function timeType(base: 'timestamp' | 'time', options: TimeOptions): string {
  const precision = options.precision === undefined ? undefined : checkedLength(base, options.precision, 0, 6)
  return withModifiers(options.withTimeZone === true ? `${base}tz` : base, [precision])
}

// PostgreSQL's own limits (numeric precision 1000, varchar/char length 10485760).
const MAX_NUMERIC_PRECISION = 1000
const MAX_CHAR_LENGTH = 10_485_760

function numeric<T = string>(precision?: number, scale?: number): Plain<NoInfer<T>, NoInfer<T> | BigNumberInput> {
  if (precision === undefined && scale !== undefined) {
    throw new SchemaDeclarationError('numeric: a scale needs a precision')
  }
  const p = precision === undefined ? undefined : checkedLength('numeric precision', precision, 1, MAX_NUMERIC_PRECISION)
  // PostgreSQL 15 and later accept a scale outside 0..precision, from -1000 to 1000.
  const s = scale === undefined ? undefined : checkedLength('numeric scale', scale, -MAX_NUMERIC_PRECISION, MAX_NUMERIC_PRECISION)
  return columnOfType(withModifiers('numeric', [p, s]))
}

const characterType = (type: 'varchar' | 'char', length: number | undefined): string =>
  withModifiers(type, [length === undefined ? undefined : checkedLength(type, length, 1, MAX_CHAR_LENGTH)])

/**
 * The column types. Each returns a new `ColumnBuilder`; the TypeScript type of a column is
 * what the `pg` driver returns for it (documented per type).
 */
export const t = {
  /** `serial`: an `integer` fed by its own sequence. TS `number`, optional on insert. */
  serial: (): Serial<number> => columnOfType('integer', { isSerial: true }),
  /** `bigserial`: a `bigint` fed by its own sequence. TS `string` (pg returns int8 as text; PGlite: use `t.bigserial<number>()`). */
  bigserial: <T = string>(): Serial<NoInfer<T>, NoInfer<T> | BigNumberInput> => columnOfType('bigint', { isSerial: true }),
  /** `smallserial`: a `smallint` fed by its own sequence. TS `number`. */
  smallserial: (): Serial<number> => columnOfType('smallint', { isSerial: true }),

  /** `integer` (int4). TS `number`. */
  integer: (): Plain<number> => columnOfType('integer'),
  /** `bigint` (int8). TS `string` (pg returns int8 as text; PGlite returns a number: use `t.bigint<number>()`). */
  bigint: <T = string>(): Plain<NoInfer<T>, NoInfer<T> | BigNumberInput> => columnOfType('bigint'),
  /** `smallint` (int2). TS `number`. */
  smallint: (): Plain<number> => columnOfType('smallint'),
  /** `numeric`, `numeric(p)` or `numeric(p,s)`. TS `string` (exact decimals do not fit a number). */
  numeric,
  /** Same as `numeric` (PostgreSQL's alias). */
  decimal: numeric,
  /** `real` (float4). TS `number`. */
  real: (): Plain<number> => columnOfType('real'),
  /** `double precision` (float8). TS `number`. */
  doublePrecision: (): Plain<number> => columnOfType('double precision'),

  /** `boolean`. TS `boolean`. */
  boolean: (): Plain<boolean> => columnOfType('boolean'),
  /** `text`. TS `string`. */
  text: (): Plain<string> => columnOfType('text'),
  /** `varchar(n)`, or unbounded `varchar` without a length. TS `string`. */
  varchar: (length?: number): Plain<string> => columnOfType(characterType('varchar', length)),
  /** `char(n)` (blank-padded; `char` alone is `char(1)`). TS `string`. */
  char: (length?: number): Plain<string> => columnOfType(characterType('char', length)),
  /** `uuid`. TS `string`. */
  uuid: (): Plain<string> => columnOfType('uuid'),

  /** `date`. TS `Date` (a string is accepted on insert). */
  date: (): Plain<Date, Date | string> => columnOfType('date'),
  /** `time` / `timetz`, optionally with a precision. TS `string`. */
  time: (options: TimeOptions = {}): Plain<string> => columnOfType(timeType('time', options)),
  /** `timestamp` (without time zone), or `timestamptz` with `{ withTimeZone: true }`. TS `Date` (a string is accepted on insert). */
  timestamp: (options: TimeOptions = {}): Plain<Date, Date | string> => columnOfType(timeType('timestamp', options)),
  /** `timestamptz` (timestamp with time zone). TS `Date` (a string is accepted on insert). */
  timestamptz: (options: Omit<TimeOptions, 'withTimeZone'> = {}): Plain<Date, Date | string> =>
    columnOfType(timeType('timestamp', { ...options, withTimeZone: true })),
  /** `interval`. TS `string` (PGlite returns text; pg returns an object: give its type, e.g. `t.interval<IPostgresInterval>()`). */
  interval: <T = string>(): Plain<NoInfer<T>, NoInfer<T> | string> => columnOfType('interval'),

  /** `json`. TS the type parameter, `unknown` by default; a literal default is written as JSON. */
  json: <T = unknown>(): Plain<NoInfer<T>> => columnOfType('json', { isJson: true }),
  /** `jsonb`. TS the type parameter, `unknown` by default; a literal default is written as JSON. */
  jsonb: <T = unknown>(): Plain<NoInfer<T>> => columnOfType('jsonb', { isJson: true }),
  /** `bytea`. TS `Uint8Array` (pg returns a `Buffer`, which is one). */
  bytea: (): Plain<Uint8Array> => columnOfType('bytea'),
  /** `inet`. TS `string`. */
  inet: (): Plain<string> => columnOfType('inet'),
  /** `cidr`. TS `string`. */
  cidr: (): Plain<string> => columnOfType('cidr'),
  /** `macaddr`. TS `string`. */
  macaddr: (): Plain<string> => columnOfType('macaddr'),

  /** A column of an enum declared with `enumType`. TS the union of its values. */
  enum: <V extends string>(type: EnumType<V>): Plain<V> =>
    columnOfType(type.schema === 'public' ? quoteIdentifier(type.name) : `${quoteIdentifier(type.schema)}.${quoteIdentifier(type.name)}`, {
      enumType: type,
    }),
  /** Any other type, written as PostgreSQL reads it (`citext`, `tsvector`, `point`). TS the type parameter, `unknown` by default. */
  type: <T = unknown>(sqlType: string): Plain<NoInfer<T>> => {
    if (sqlType.trim() === '') throw new SchemaDeclarationError('t.type() needs a type name')
    return columnOfType(sqlType.trim())
  },
} as const

