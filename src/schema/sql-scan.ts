/**
 * Just enough reading of a SQL expression to name things as PostgreSQL would: which columns
 * a check constraint mentions, and what an expression index key is called. This is a lexer,
 * not a parser; where it cannot tell, callers fall back to PostgreSQL's plain default.
 */

type Token =
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'symbol'; readonly text: string }
  | { readonly kind: 'constant' }

const IDENTIFIER_START = /[A-Za-z_\u0080-\uffff]/
const IDENTIFIER_PART = /[A-Za-z0-9_$\u0080-\uffff]/

function tokenize(text: string): readonly Token[] {
  const tokens: Token[] = []
  let i = 0
  const skipQuoted = (quote: string): string => {
    let value = ''
    i += 1
    while (i < text.length) {
      if (text[i] === quote) {
        if (text[i + 1] === quote) {
          value += quote
          i += 2
          continue
        }
        i += 1
        return value
      }
      value += text[i]
      i += 1
    }
    return value
  }
  while (i < text.length) {
    const char = text.charAt(i)
    if (/\s/.test(char)) {
      i += 1
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i)
      i = end === -1 ? text.length : end
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2)
      i = end === -1 ? text.length : end + 2
    } else if (char === "'") {
      skipQuoted("'")
      tokens.push({ kind: 'constant' })
    } else if ((char === 'E' || char === 'e') && text[i + 1] === "'") {
      i += 1
      while (i < text.length) {
        i += 1
        if (text[i] === '\\') i += 1
        else if (text[i] === "'" && text[i + 1] === "'") i += 1
        else if (text[i] === "'") break
      }
      i += 1
      tokens.push({ kind: 'constant' })
    } else if (char === '$' && /^\$[A-Za-z_]*\$/.test(text.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i))?.[0] ?? '$$'
      const end = text.indexOf(tag, i + tag.length)
      i = end === -1 ? text.length : end + tag.length
      tokens.push({ kind: 'constant' })
    } else if (char === '"') {
      tokens.push({ kind: 'identifier', name: skipQuoted('"') })
    } else if (IDENTIFIER_START.test(char)) {
      let name = ''
      while (i < text.length && IDENTIFIER_PART.test(text.charAt(i))) {
        name += text.charAt(i)
        i += 1
      }
      // Unquoted identifiers fold to lower case.
      tokens.push({ kind: 'identifier', name: name.toLowerCase() })
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(text.charAt(i + 1)))) {
      while (i < text.length && /[0-9.eE]/.test(text.charAt(i))) i += 1
      tokens.push({ kind: 'constant' })
    } else if (text.startsWith('::', i)) {
      tokens.push({ kind: 'symbol', text: '::' })
      i += 2
    } else {
      tokens.push({ kind: 'symbol', text: char })
      i += 1
    }
  }
  return tokens
}

const isSymbol = (token: Token | undefined, text: string): boolean => token?.kind === 'symbol' && token.text === text

/**
 * The distinct names among `columns` that the expression mentions as column references
 * (not as function or type names, not inside string constants).
 */
export function referencedColumnNames(expression: string, columns: readonly string[]): readonly string[] {
  const tokens = tokenize(expression)
  const found: string[] = []
  tokens.forEach((token, index) => {
    if (token.kind !== 'identifier') return
    if (isSymbol(tokens[index + 1], '(') || isSymbol(tokens[index + 1], '.') || isSymbol(tokens[index - 1], '::')) return
    if (columns.includes(token.name) && !found.includes(token.name)) found.push(token.name)
  })
  return found
}

/** Index of the `)` that closes the `(` at `open`, or -1. */
function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0
  for (let i = open; i < tokens.length; i += 1) {
    if (isSymbol(tokens[i], '(')) depth += 1
    else if (isSymbol(tokens[i], ')')) {
      depth -= 1
      if (depth === 0) return i
    }
  }
  return -1
}

function figureName(tokens: readonly Token[]): string | null {
  let body = tokens
  while (isSymbol(body[0], '(') && closingParen(body, 0) === body.length - 1) body = body.slice(1, -1)
  const [first] = body
  if (first === undefined) return null
  if (body.length === 1) return first.kind === 'identifier' ? first.name : null

  // A top-level cast takes the name of what it casts, else of the type (FigureColnameInternal).
  let depth = 0
  let castAt = -1
  body.forEach((token, index) => {
    if (isSymbol(token, '(')) depth += 1
    else if (isSymbol(token, ')')) depth -= 1
    else if (depth === 0 && isSymbol(token, '::')) castAt = index
  })
  if (castAt > 0) {
    const typeName = body[castAt + 1]
    return figureName(body.slice(0, castAt)) ?? (typeName?.kind === 'identifier' ? typeName.name : null)
  }

  // A function call `[schema.]name(...)` spanning the whole expression is named after the function.
  let index = 0
  let name: string | null = null
  while (body[index]?.kind === 'identifier') {
    const token = body[index]
    name = token?.kind === 'identifier' ? token.name : null
    if (!isSymbol(body[index + 1], '.')) break
    index += 2
  }
  if (name === null || !isSymbol(body[index + 1], '(') || closingParen(body, index + 1) !== body.length - 1) return null
  if (index === 0 && name === 'cast') return figureCast(body.slice(2, -1))
  return name
}

/** The inside of `CAST(value AS type)`: named like `value::type`. */
function figureCast(inside: readonly Token[]): string | null {
  let depth = 0
  const asAt = inside.findIndex((token) => {
    if (isSymbol(token, '(')) depth += 1
    else if (isSymbol(token, ')')) depth -= 1
    return depth === 0 && token.kind === 'identifier' && token.name === 'as'
  })
  if (asAt <= 0) return null
  const typeName = inside[asAt + 1]
  return figureName(inside.slice(0, asAt)) ?? (typeName?.kind === 'identifier' ? typeName.name : null)
}

/**
 * What PostgreSQL calls an index key that is an expression: the function's name for
 * `lower(email)`, the column's for `(email)`, otherwise `expr` (FigureIndexColname).
 */
export function expressionKeyName(expression: string): string {
  return figureName(tokenize(expression)) ?? 'expr'
}
