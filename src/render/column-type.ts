import { sqlText, str, type CodeValue } from './code.js'

// Kysely's schema builder accepts a fixed list of type names (and `sql` for the rest); these
// are `format_type` spellings with the short name Kysely knows.
const SIMPLE = new Set([
  'bigint', 'bigserial', 'boolean', 'bytea', 'date', 'double precision', 'integer', 'json', 'jsonb', 'numeric',
  'real', 'serial', 'smallint', 'text', 'uuid', 'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange',
  'daterange', 'varchar', 'char', 'timestamp', 'timestamptz', 'time', 'timetz', 'decimal', 'int2', 'int4', 'int8',
  'float4', 'float8',
])

const RENAMES: readonly (readonly [RegExp, (m: RegExpExecArray) => string])[] = [
  [/^character varying(\(\d+\))?$/, (m) => `varchar${m[1] ?? ''}`],
  [/^character(\(\d+\))$/, (m) => `char${m[1]}`],
  // `timestamp(3) with time zone` is `timestamptz(3)`, `time without time zone` is `time`.
  [/^(timestamp|time)(\(\d+\))? with(out)? time zone$/, (m) => `${m[1]}${m[3] ? '' : 'tz'}${m[2] ?? ''}`],
  [/^(varchar|char|timestamp|timestamptz|time|timetz)\(\d+\)$/, (m) => m[0]],
  [/^(numeric|decimal)\((\d+),\s*(\d+)\)$/, (m) => `${m[1]}(${m[2]}, ${m[3]})`],
]

const SERIAL: Readonly<Record<string, string>> = {
  integer: 'serial', int4: 'serial', serial: 'serial',
  bigint: 'bigserial', int8: 'bigserial', bigserial: 'bigserial',
  smallint: 'smallserial', int2: 'smallserial', smallserial: 'smallserial',
}

/** Kysely's short type name for a PostgreSQL type, or null when only `sql` can say it. */
function kyselyTypeName(type: string): string | null {
  if (SIMPLE.has(type)) return type
  for (const [pattern, rename] of RENAMES) {
    const match = pattern.exec(type)
    if (match) return rename(match)
  }
  return null
}

/** `serial`, `bigserial` or `smallserial` for a serial column of this integer type; null for a type no serial feeds. */
export function serialTypeName(type: string): string | null {
  return SERIAL[type] ?? null
}

/** The data-type argument of `addColumn`: `'varchar(64)'`, or `sql\`mood\`` for what Kysely has no name for. */
export function columnTypeValue(type: string, serial: boolean): CodeValue {
  const name = serial ? (serialTypeName(type) ?? type) : type
  const short = kyselyTypeName(name)
  return short === null ? sqlText(name) : str(short)
}
