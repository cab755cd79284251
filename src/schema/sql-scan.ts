/**
 * Just enough reading of a SQL expression to name things as PostgreSQL would: which columns
 * a check constraint mentions, and what an expression index key is called. This is a lexer,
 * not a parser; where it cannot tell, callers fall back to PostgreSQL's plain default.
 */
import { scanSql } from '../model/sql-lexer.js'

type Token =
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'symbol'; readonly text: string }
  | { readonly kind: 'constant' }

/** One token of a code span: a name, a number, `::`, or any other single character. */
const CODE_TOKEN = /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*|\.?\d[\d.eE]*|::|[^]/g

function tokenize(text: string): readonly Token[] {
  const tokens: Token[] = []
  scanSql(text, (kind, start, end) => {
    if (kind === 'space' || kind === 'comment') return
    if (kind === 'quoted-identifier') {
      const closed = end - start > 1 && text.charAt(end - 1) === '"'
      tokens.push({ kind: 'identifier', name: text.slice(start + 1, closed ? end - 1 : end).replaceAll('""', '"') })
    } else if (kind !== 'code') {
      tokens.push({ kind: 'constant' })
    } else {
      for (const [word] of text.slice(start, end).matchAll(CODE_TOKEN)) tokens.push(codeToken(word))
    }
  })
  return tokens
}

function codeToken(word: string): Token {
  // Unquoted identifiers fold to lower case.
  if (/^[A-Za-z_\u0080-\uffff]/.test(word)) return { kind: 'identifier', name: word.toLowerCase() }
  return /^\.?\d/.test(word) ? { kind: 'constant' } : { kind: 'symbol', text: word }
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
