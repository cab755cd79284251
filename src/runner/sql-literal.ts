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
  let i = 0
  while (i < text.length) {
    const end = skipNonCode(text, i)
    if (end > i) {
      out += text.slice(i, end)
      i = end
      continue
    }
    const ch = text[i]
    if (ch === '$' && isDigit(text[i + 1]) && !isIdentifierChar(text[i - 1])) {
      let j = i + 1
      while (isDigit(text[j])) j++
      const index = Number(text.slice(i + 1, j)) - 1
      if (index < 0 || index >= parameters.length) {
        throw new RangeError(`placeholder $${index + 1} has no parameter (${parameters.length} given)`)
      }
      out += renderSqlLiteral(parameters[index])
      i = j
      continue
    }
    out += ch
    i++
  }
  return out
}

/** The index just past a string, quoted identifier, dollar-quoted body or comment at `i`; `i` when none starts there. */
function skipNonCode(text: string, i: number): number {
  const ch = text[i]
  const next = text[i + 1]
  if (ch === "'") {
    const isEscapeString = (text[i - 1] === 'E' || text[i - 1] === 'e') && !isIdentifierChar(text[i - 2])
    return skipQuoted(text, i, "'", isEscapeString)
  }
  if (ch === '"') return skipQuoted(text, i, '"', false)
  if (ch === '-' && next === '-') {
    const newline = text.indexOf('\n', i)
    return newline === -1 ? text.length : newline
  }
  if (ch === '/' && next === '*') return skipBlockComment(text, i)
  if (ch === '$' && !isIdentifierChar(text[i - 1])) {
    const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i))
    if (tag) {
      const close = text.indexOf(tag[0], i + tag[0].length)
      return close === -1 ? text.length : close + tag[0].length
    }
  }
  return i
}

function skipQuoted(text: string, start: number, quote: string, hasBackslashEscapes: boolean): number {
  let i = start + 1
  while (i < text.length) {
    const ch = text[i]
    if (hasBackslashEscapes && ch === '\\') {
      i += 2
      continue
    }
    if (ch === quote) {
      if (text[i + 1] === quote) {
        i += 2
        continue
      }
      return i + 1
    }
    i++
  }
  return text.length
}

/** PostgreSQL block comments nest. */
function skipBlockComment(text: string, start: number): number {
  let depth = 0
  let i = start
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++
      i += 2
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--
      i += 2
      if (depth === 0) return i
    } else {
      i++
    }
  }
  return text.length
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9'
}

function isIdentifierChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(ch)
}
