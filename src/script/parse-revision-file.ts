import { ScriptError } from '../errors.js'
import { REVISION_ID_PATTERN, type Revision } from '../revision/revision.js'

/**
 * Reads a revision file's header without executing it: `history`, `heads` and friends read
 * thousands of these, so this is a single linear scan (strings, comments and templates are
 * skipped; only top-level `export const` declarations are looked at), no compiler.
 */
export function parseRevisionFile(text: string, path: string): Revision {
  const doc = parseHeaderComment(text)
  const exports = scanHeaderExports(text, path)
  const fail = (name: HeaderName, expected: string, got: Literal | NotLiteral | undefined): never => {
    const found = got === undefined ? 'it is missing' : `got ${describe(got)}`
    throw new ScriptError(`${path}: ${name} must be ${expected}; ${found}`, path, { code: 'SCRIPT_BAD_HEADER' })
  }

  const revision = exports.get('revision')
  if (revision === undefined || revision.kind !== 'string' || !REVISION_ID_PATTERN.test(revision.value)) {
    fail('revision', "a string literal of letters, digits and _ (export const revision = 'ae1027a6acf')", revision)
  }
  const downRevision = exports.get('downRevision')
  const downRevisions = readIdList(downRevision)
  if (downRevisions === undefined || downRevisions.some((id) => !REVISION_ID_PATTERN.test(id))) {
    fail('downRevision', "null (a first revision), a revision id ('ae1027a6acf') or an array of them (a merge)", downRevision)
  }
  const branchLabels = readOptionalIdList(exports.get('branchLabels'), 'branchLabels', "null, a label ('shop') or an array of labels", fail)
  if (branchLabels.some((label) => label.includes('@'))) {
    fail('branchLabels', "labels without '@' ('@' separates a label from a target)", exports.get('branchLabels'))
  }
  const dependsOn = readOptionalIdList(exports.get('dependsOn'), 'dependsOn', "null, a revision id or label, or an array of them", fail)
  const transactional = exports.get('transactional')
  if (transactional !== undefined && transactional.kind !== 'boolean') fail('transactional', 'true or false', transactional)

  return {
    // The checks above fail (never return) when these are not what the types say.
    id: (revision as StringLiteral).value,
    downRevisions: downRevisions as readonly string[],
    branchLabels,
    dependsOn,
    message: firstLine(doc).trim(),
    doc,
    path,
    transactional: transactional?.kind === 'boolean' ? transactional.value : true,
  }
}

function firstLine(text: string): string {
  const end = text.indexOf('\n')
  return end < 0 ? text : text.slice(0, end)
}

/** An expression as one short line: an error message is one line, whatever the file holds. */
function shortSource(source: string): string {
  const line = source.replace(/\s+/g, ' ').trim()
  return line.length > 60 ? `${line.slice(0, 57)}...` : line
}

// ---- header comment --------------------------------------------------------------------------

/** The text of the first block comment, when it comes before any code; '' when there is none. */
export function parseHeaderComment(text: string): string {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  if (text.startsWith('#!', i)) i = lineEnd(text, i)
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++
    if (text.startsWith('//', i)) i = lineEnd(text, i)
    else break
  }
  if (!text.startsWith('/*', i)) return ''
  const end = text.indexOf('*/', i + 2)
  if (end < 0) return ''
  const body = text.slice(text.startsWith('/**', i) ? i + 3 : i + 2, end)
  // Each line loses its leading `*` with one space after it (`^\s*\* ?`) and its trailing white
  // space (a \r too): two regular expressions over the whole comment, not a pass per line.
  const stripped = body.replace(COMMENT_STAR, '$1').replace(TRAILING_SPACE, '')
  // Blank lines are now empty: drop them at both ends.
  let first = 0
  let last = stripped.length
  while (first < last && stripped.charCodeAt(first) === 10) first++
  while (last > first && stripped.charCodeAt(last - 1) === 10) last--
  // A one-line `/** message */` keeps only its text.
  const lineBreak = stripped.indexOf('\n', first)
  const firstLineEnd = lineBreak < 0 || lineBreak > last ? last : lineBreak
  return stripped.slice(first, firstLineEnd).trim() + stripped.slice(firstLineEnd, last)
}

// `[^\S\n]` is `\s` within a line: white space, \r and the other line terminators but \n.
const COMMENT_STAR = /(^|\n)[^\S\n]*\* ?/g
// Matched only from the start of a run of white space, so a long run is not retried from each
// of its positions.
const TRAILING_SPACE = /(?<![^\S\n])[^\S\n]+(?=\n|$)/g

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from)
  return end < 0 ? text.length : end + 1
}

// ---- header exports --------------------------------------------------------------------------

const HEADER_NAMES = ['revision', 'downRevision', 'branchLabels', 'dependsOn', 'transactional'] as const

type HeaderName = (typeof HEADER_NAMES)[number]

interface StringLiteral {
  readonly kind: 'string'
  readonly value: string
}
type Literal =
  | StringLiteral
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'array'; readonly items: readonly Literal[] }
/** The value is an expression, not a literal: the header must be readable without running code. */
interface NotLiteral {
  readonly kind: 'expression'
  readonly source: string
}

function readIdList(value: Literal | NotLiteral | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined
  if (value.kind === 'null') return []
  if (value.kind === 'string') return value.value === '' ? undefined : [value.value]
  if (value.kind === 'array') {
    const ids = value.items.map((item) => (item.kind === 'string' && item.value !== '' ? item.value : undefined))
    return ids.every((id) => id !== undefined) ? (ids as readonly string[]) : undefined
  }
  return undefined
}

function readOptionalIdList(
  value: Literal | NotLiteral | undefined,
  name: HeaderName,
  expected: string,
  fail: (name: HeaderName, expected: string, got: Literal | NotLiteral | undefined) => never,
): readonly string[] {
  if (value === undefined) return []
  const ids = readIdList(value)
  return ids ?? fail(name, expected, value)
}

function describe(value: Literal | NotLiteral): string {
  switch (value.kind) {
    case 'string':
      return `'${value.value}'`
    case 'null':
      return 'null'
    case 'boolean':
      return String(value.value)
    case 'number':
      return `the number ${value.value}`
    case 'array':
      return `[${value.items.map(describe).join(', ')}]`
    case 'expression':
      return `the expression \`${shortSource(value.source)}\` (only literals can be read without running the file)`
  }
}


function scanHeaderExports(text: string, path: string): ReadonlyMap<HeaderName, Literal | NotLiteral> {
  const found = new Map<HeaderName, Literal | NotLiteral>()
  const scanner = new Scanner(text, path)
  scanner.walk('', (declaration) => {
    if (found.has(declaration.name)) scanner.fail(`${declaration.name} is exported twice`)
    found.set(declaration.name, declaration.value)
  })
  return found
}

interface Declaration {
  readonly name: HeaderName
  readonly value: Literal | NotLiteral
}

/**
 * Where the walk stops: a quote, a `/`, a bracket, or `export` as a word of its own (not part of
 * a longer word, nor of a number like `1.export`). Everything in between is skipped natively.
 */
const NEXT_STOP = /["'`/{}()[\]]|export(?![\w$\u0080-\uffff])(?<!(?:[\w$\u0080-\ufefe\uff00-\uffff]\ufeff*|(?<![\w$])\d[\w$.\u0080-\uffff]*)export)/g

/** After these characters, a `/` starts a regular expression rather than a division. */
const REGEX_PRECEDERS = '(,=:[!&|?{};+-*%<>~^'
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await'])

function isIdentifierPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127
}

/** White space and the byte order mark. */
function isTrivia(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff
}

class Scanner {
  i = 0
  constructor(
    readonly text: string,
    readonly path: string,
  ) {}

  peek(offset = 0): string {
    return this.text[this.i + offset] ?? ''
  }

  fail(message: string): never {
    const line = this.text.slice(0, this.i).split('\n').length
    throw new ScriptError(`${this.path}:${line}: ${message}; fix the file`, this.path, { code: 'SCRIPT_UNREADABLE' })
  }

  /**
   * Walks code up to `closer` at depth 0 (to the end of the text when it is ''), skipping strings,
   * templates, comments and regular expressions, and failing on an unbalanced bracket. Calls
   * `onExport` for each header declaration exported at depth 0.
   */
  walk(closer: string, onExport?: (declaration: Declaration) => void): void {
    let depth = 0
    // Whether a `/` here starts a regular expression; `from` is where code not yet looked at starts.
    let regexAllowed = true
    let from = this.i
    for (;;) {
      NEXT_STOP.lastIndex = this.i
      const match = NEXT_STOP.exec(this.text)
      if (match === null) {
        this.i = this.text.length
        if (closer === '') return
        this.fail(`missing '${closer}'`)
      }
      const found = match[0]
      this.i = match.index
      if (found === 'export') {
        this.i += found.length
        const declaration = depth === 0 && onExport !== undefined ? this.readExport() : undefined
        // Any other `export` is a word of the code: `from` stays before it.
        if (declaration === undefined) continue
        onExport?.(declaration)
        regexAllowed = true
        from = this.i
        continue
      }
      if (found === closer && depth === 0) {
        this.i++
        return
      }
      if (found === '/') {
        regexAllowed = this.allowsRegexAfter(from, this.i, regexAllowed)
        const comment = this.peek(1) === '/' || this.peek(1) === '*'
        if (comment) this.skipTrivia()
        else if (regexAllowed) this.skipRegex()
        else this.i++
        // A comment changes nothing; after a regular expression or a division comes no regular expression.
        if (!comment) regexAllowed = false
      } else if (found === '"' || found === "'" || found === '`') {
        this.skipString()
        regexAllowed = false
      } else if (found === '(' || found === '[' || found === '{') {
        depth++
        this.i++
        regexAllowed = true
      } else if (--depth < 0) {
        this.fail(`unexpected '${found}'`)
      } else {
        this.i++
        regexAllowed = found === '}'
      }
      from = this.i
    }
  }

  /** Skips white space and comments; returns whether a line break was crossed. */
  skipTrivia(): boolean {
    let newline = false
    const text = this.text
    for (;;) {
      const c = text.charCodeAt(this.i)
      if (isTrivia(c)) {
        if (c === 10) newline = true
        this.i++
      } else if (c === 47 && text.charCodeAt(this.i + 1) === 47) {
        const end = text.indexOf('\n', this.i)
        this.i = end < 0 ? text.length : end
      } else if (c === 47 && text.charCodeAt(this.i + 1) === 42) {
        const end = text.indexOf('*/', this.i + 2)
        if (end < 0) this.fail('unterminated comment')
        if (text.slice(this.i, end).includes('\n')) newline = true
        this.i = end + 2
      } else {
        return newline
      }
    }
  }

  /**
   * Whether a `/` after the code in `text[start, end)` starts a regular expression: not after a
   * word (but a keyword like `return`) nor a number; `otherwise` when that code is only white space.
   */
  allowsRegexAfter(start: number, end: number, otherwise: boolean): boolean {
    const text = this.text
    while (end > start && isTrivia(text.charCodeAt(end - 1))) end--
    if (end === start) return otherwise
    if (!isIdentifierPart(text.charCodeAt(end - 1))) return REGEX_PRECEDERS.includes(text[end - 1] ?? '')
    let wordStart = end - 1
    while (wordStart > start && isIdentifierPart(text.charCodeAt(wordStart - 1))) wordStart--
    return REGEX_KEYWORDS.has(text.slice(wordStart, end))
  }

  /** Skips a regular expression literal starting at its `/`, flags included. */
  skipRegex(): void {
    const text = this.text
    let i = this.i + 1
    let inClass = false
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === 10 || i >= text.length) {
        this.i = i
        this.fail('unterminated regular expression')
      }
      i++
      if (c === 92) i++
      else if (c === 91) inClass = true
      else if (c === 93) inClass = false
      else if (c === 47 && !inClass) break
    }
    while (isIdentifierPart(text.charCodeAt(i))) i++
    this.i = i
  }

  /** Skips a quoted string or template starting at its quote. */
  skipString(): void {
    const text = this.text
    const quote = text.charCodeAt(this.i)
    let i = this.i + 1
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === quote) {
        this.i = i + 1
        return
      }
      if (c === 92) {
        i += 2
      } else if (c === 10 ? quote !== 96 : i >= text.length) {
        this.i = i
        this.fail('unterminated string')
      } else if (c === 36 && quote === 96 && text.charCodeAt(i + 1) === 123) {
        this.i = i + 2
        this.walk('}')
        i = this.i
      } else {
        i++
      }
    }
  }

  readIdentifier(): string {
    const start = this.i
    while (isIdentifierPart(this.text.charCodeAt(this.i))) this.i++
    return this.text.slice(start, this.i)
  }

  /** After `export`: `const name[: type] = literal`. Returns undefined for any other export. */
  readExport(): Declaration | undefined {
    const back = this.i
    this.skipTrivia()
    const keyword = this.readIdentifier()
    this.skipTrivia()
    const name = this.readIdentifier()
    if (!['const', 'let', 'var'].includes(keyword) || !(HEADER_NAMES as readonly string[]).includes(name)) {
      this.i = back
      return undefined
    }
    this.skipTrivia()
    if (this.peek() === ':') {
      this.i++
      this.skipType()
    }
    this.skipTrivia()
    if (this.peek() !== '=') this.fail(`${name} must be initialised: export const ${name} = …`)
    this.i++
    this.skipTrivia()
    const start = this.i
    const value = this.readLiteral()
    const literalEnd = this.i
    const newline = this.skipTrivia()
    const next = this.peek()
    // The literal is the whole initialiser only when the statement ends after it.
    const continues =
      value === undefined ||
      (!newline && next !== '' && next !== ';' && next !== ',' && !this.text.startsWith('as', this.i) && !this.text.startsWith('satisfies', this.i)) ||
      (newline && /[+\-*/%?.([|&`]/.test(next))
    if (continues) {
      this.i = start
      this.skipExpression()
      return { name: name as HeaderName, value: { kind: 'expression', source: this.text.slice(start, this.i).trim() } }
    }
    this.i = literalEnd
    return { name: name as HeaderName, value }
  }

  /** A type annotation ends at the `=` of the declaration (not `=>`), at depth 0. */
  skipType(): void {
    let depth = 0
    for (;;) {
      this.skipTrivia()
      const c = this.peek()
      if (c === '') this.fail('missing = after the type annotation')
      if (c === '"' || c === "'" || c === '`') {
        this.skipString()
        continue
      }
      if (c === '=' && this.peek(1) === '>') {
        this.i += 2
        continue
      }
      if (c === '=' && depth === 0) return
      if (c === '<' || c === '(' || c === '[' || c === '{') depth++
      else if (c === '>' || c === ')' || c === ']' || c === '}') depth--
      this.i++
    }
  }

  /** Skips an arbitrary initializer up to the end of its statement, for the error message. */
  skipExpression(): void {
    let depth = 0
    for (;;) {
      const c = this.peek()
      if (c === '' || (depth === 0 && (c === ';' || c === '\n'))) return
      if (c === '"' || c === "'" || c === '`') {
        this.skipString()
        continue
      }
      if (c === '{' || c === '(' || c === '[') depth++
      else if (c === '}' || c === ')' || c === ']') depth--
      this.i++
    }
  }

  readLiteral(): Literal | undefined {
    const c = this.peek()
    if (c === '"' || c === "'" || c === '`') {
      const start = this.i
      this.skipString()
      const body = this.text.slice(start + 1, this.i - 1)
      if (c === '`' && body.includes('${')) return undefined
      return { kind: 'string', value: body.replace(/\\([\s\S])/g, (_, escaped: string) => ESCAPES[escaped] ?? escaped) }
    }
    if (c === '[') {
      this.i++
      const items: Literal[] = []
      for (;;) {
        this.skipTrivia()
        if (this.peek() === ']') {
          this.i++
          return { kind: 'array', items }
        }
        const item = this.readLiteral()
        if (item === undefined) return undefined
        items.push(item)
        this.skipTrivia()
        if (this.peek() === ',') this.i++
        else if (this.peek() !== ']') return undefined
      }
    }
    const number = /-?\d+(\.\d+)?/y
    number.lastIndex = this.i
    const match = number.exec(this.text)
    if (match !== null) {
      this.i += match[0].length
      return { kind: 'number', value: Number(match[0]) }
    }
    const start = this.i
    const word = this.readIdentifier()
    if (word === 'null' || word === 'undefined') return { kind: 'null' }
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' }
    this.i = start
    return undefined
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\n': '' }
