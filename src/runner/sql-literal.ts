import { scanSql } from '../model/sql-lexer.js'

/**
 * Offline (`--sql`) scripts cannot send parameters, so values become SQL literals here, in one
 * place. Scripts assume standard_conforming_strings = on (PostgreSQL's default since 9.1), where a
 * backslash in '…' is an ordinary character and only the quote needs doubling.
 */

export class UnrenderableValueError extends TypeError {
  constructor(readonly value: unknown) {
    super(`cannot render a value of type ${typeof value} as an SQL literal`)
  }
}

export function renderSqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  switch (typeof value) {
    case 'string':
      return quoteString(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'number':
      if (Number.isFinite(value)) return String(value)
      // PostgreSQL spells the non-finite numbers as strings that numeric and float columns accept.
      return quoteString(Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity')
    case 'object':
      return renderObjectLiteral(value)
    default:
      throw new UnrenderableValueError(value)
  }
}

function renderObjectLiteral(value: object): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new UnrenderableValueError(value)
    return quoteString(value.toISOString())
  }
  if (value instanceof Uint8Array) {
    return quoteString(`\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`)
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? quoteString('{}') : `ARRAY[${value.map(renderSqlLiteral).join(', ')}]`
  }
  // node-postgres sends other objects as JSON text; the literal must say the same.
  return quoteString(JSON.stringify(value))
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

/**
 * Replaces the `$1`, `$2`, … placeholders of compiled SQL with literals. It skips quoted strings,
 * quoted identifiers, dollar-quoted bodies and comments, where `$1` is just text.
 */
export function inlineSqlParameters(text: string, parameters: readonly unknown[]): string {
  if (parameters.length === 0) return text
  let out = ''
  scanSql(text, (kind, start, end) => {
    if (kind !== 'parameter') {
      out += text.slice(start, end)
      return
    }
    const index = Number(text.slice(start + 1, end)) - 1
    if (index < 0 || index >= parameters.length) {
      throw new RangeError(`placeholder $${index + 1} has no parameter (${parameters.length} given)`)
    }
    out += renderSqlLiteral(parameters[index])
  })
  return out
}
