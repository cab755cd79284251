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
    message: doc.split('\n')[0]?.trim() ?? '',
    doc,
    path,
    transactional: transactional?.kind === 'boolean' ? transactional.value : true,
  }
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
  const lines = body.split(/\r?\n/).map((line) => line.replace(/^\s*\* ?/, '').trimEnd())
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift()
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop()
  // A one-line `/** message */` keeps only its text.
  return lines.map((line, index) => (index === 0 ? line.trim() : line)).join('\n')
}

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

const IDENTIFIER_START = /[A-Za-z_$]/

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c > 127
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57)
}
/** After these, a `/` starts a regular expression rather than a division. */
const REGEX_PRECEDERS = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^'])
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await'])

class Scanner {
  i = 0
  constructor(
    readonly text: string,
    readonly path: string,
  ) {}

  peek(offset = 0): string {
    return this.text[this.i + offset] ?? ''
  }

  code(offset = 0): number {
    return this.text.charCodeAt(this.i + offset)
  }

  fail(message: string): never {
    const line = this.text.slice(0, this.i).split('\n').length
    throw new ScriptError(`${this.path}:${line}: ${message}; fix the file`, this.path, { code: 'SCRIPT_UNREADABLE' })
  }

  /** Skips whitespace and comments; returns whether a line break was crossed. */
  skipTrivia(): boolean {
    let newline = false
    const text = this.text
    for (;;) {
      const c = text.charCodeAt(this.i)
      if (c === 10) {
        newline = true
        this.i++
      } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
        this.i++
      } else if (c === 47 && text.charCodeAt(this.i + 1) === 47) {
        const end = text.indexOf('\n', this.i)
        this.i = end < 0 ? text.length : end
      } else if (c === 47 && text.charCodeAt(this.i + 1) === 42) {
        const end = text.indexOf('*/', this.i + 2)
        if (end < 0) this.fail('unterminated comment')
        if (!newline && text.slice(this.i, end).includes('\n')) newline = true
        this.i = end + 2
      } else {
        return newline
      }
    }
  }

  readIdentifier(): string {
    const start = this.i
    while (isIdentifierPart(this.text.charCodeAt(this.i))) this.i++
    return this.text.slice(start, this.i)
  }

  /** Skips a quoted string or template starting at its quote, without building its value. */
  skipString(): void {
    const text = this.text
    const quote = text.charCodeAt(this.i)
    this.i++
    for (;;) {
      const c = text.charCodeAt(this.i)
      if (c === quote) {
        this.i++
        return
      }
      if (Number.isNaN(c) || (c === 10 && quote !== 96)) this.fail('unterminated string')
      if (c === 92) this.i += 2
      else if (quote === 96 && c === 36 && text.charCodeAt(this.i + 1) === 123) {
        this.i += 2
        this.skipBalanced('}')
      } else this.i++
    }
  }

  /** Reads a quoted string starting at the quote; returns its value. */
  readString(): string {
    const quote = this.peek()
    this.i++
    let value = ''
    for (;;) {
      const c = this.peek()
      if (c === '') this.fail('unterminated string')
      if (c === quote) {
        this.i++
        return value
      }
      if (c === '\n' && quote !== '`') this.fail('unterminated string')
      if (c === '\\') {
        const next = this.peek(1)
        this.i += 2
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next === '\n' ? '' : next
        continue
      }
      if (quote === '`' && c === '$' && this.peek(1) === '{') {
        this.i += 2
        this.skipBalanced('}')
        value += '${…}'
        continue
      }
      value += c
      this.i++
    }
  }

  skipRegex(): void {
    this.i++
    let inClass = false
    for (;;) {
      const c = this.peek()
      if (c === '' || c === '\n') this.fail('unterminated regular expression')
      this.i++
      if (c === '\\') this.i++
      else if (c === '[') inClass = true
      else if (c === ']') inClass = false
      else if (c === '/' && !inClass) break
    }
    while (isIdentifierPart(this.text.charCodeAt(this.i))) this.i++
  }

  /**
   * Walks code until `closer` at depth 0 (or the end of the text when `closer` is ''), calling
   * `onTopLevelWord` for each identifier met at depth 0.
   */
  skipBalanced(closer: string, onTopLevelWord?: (word: string, start: number) => void): void {
    let depth = 0
    let previous = ''
    const text = this.text
    for (;;) {
      this.skipTrivia()
      const code = text.charCodeAt(this.i)
      if (Number.isNaN(code)) {
        if (closer === '') return
        this.fail(`missing '${closer}'`)
      }
      const c = text[this.i] ?? ''
      if (depth === 0 && c === closer) {
        this.i++
        return
      }
      if (code === 34 || code === 39 || code === 96) {
        this.skipString()
        previous = 'string'
      } else if (code === 47) {
        if (REGEX_PRECEDERS.has(previous) || REGEX_KEYWORDS.has(previous)) {
          this.skipRegex()
          previous = 'regex'
        } else {
          this.i++
          previous = '/'
        }
      } else if (isIdentifierStart(code)) {
        const start = this.i
        const word = this.readIdentifier()
        if (depth === 0 && onTopLevelWord !== undefined) {
          onTopLevelWord(word, start)
          // The callback may have consumed the declaration it recognised.
          previous = this.i === start + word.length ? word : ';'
        } else {
          previous = word
        }
      } else if (code >= 48 && code <= 57) {
        while (isIdentifierPart(text.charCodeAt(this.i)) || text.charCodeAt(this.i) === 46) this.i++
        previous = 'number'
      } else {
        if (code === 123 || code === 40 || code === 91) depth++
        else if (code === 125 || code === 41 || code === 93) depth--
        if (depth < 0) this.fail(`unexpected '${c}'`)
        this.i++
        previous = c
      }
    }
  }

  /** After `export`: `const name[: type] = literal`. Returns undefined for any other export. */
  readExport(): { name: HeaderName; value: Literal | NotLiteral } | undefined {
    const back = this.i
    this.skipTrivia()
    const keyword = this.readIdentifier()
    if (keyword !== 'const' && keyword !== 'let' && keyword !== 'var') {
      this.i = back
      return undefined
    }
    this.skipTrivia()
    const name = this.readIdentifier()
    if (!(HEADER_NAMES as readonly string[]).includes(name)) {
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
      const value = this.readString()
      return c === '`' && this.text.slice(start, this.i).includes('${') ? undefined : { kind: 'string', value }
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
    if (/[-0-9]/.test(c)) {
      const match = /^-?\d+(\.\d+)?/.exec(this.text.slice(this.i, this.i + 32))
      if (match === null) return undefined
      this.i += match[0].length
      return { kind: 'number', value: Number(match[0]) }
    }
    if (IDENTIFIER_START.test(c)) {
      const start = this.i
      const word = this.readIdentifier()
      if (word === 'null' || word === 'undefined') return { kind: 'null' }
      if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' }
      this.i = start
    }
    return undefined
  }
}

function scanHeaderExports(text: string, path: string): ReadonlyMap<HeaderName, Literal | NotLiteral> {
  const found = new Map<HeaderName, Literal | NotLiteral>()
  const scanner = new Scanner(text, path)
  scanner.skipBalanced('', (word) => {
    if (word !== 'export') return
    const declaration = scanner.readExport()
    if (declaration === undefined) return
    if (found.has(declaration.name)) {
      scanner.fail(`${declaration.name} is exported twice`)
    }
    found.set(declaration.name, declaration.value)
  })
  return found
}
