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

/**
 * After `export`: `const <header name> = <literal>` where the literal is a string without escapes
 * or line breaks, null, undefined, true or false, and what follows ends the statement for sure
 * (`;`, or a line break and then a word or the end), so the literal is the whole initialiser.
 * The match ends right after the literal, where `readExport` leaves off too.
 */
const SIMPLE_DECLARATION = new RegExp(
  String.raw`[ \t]+(?:const|let|var)[ \t]+(${HEADER_NAMES.join('|')})[ \t]*=[ \t]*` +
    String.raw`(?:'([^'\\\n]*)'|"([^"\\\n]*)"|(null|undefined|true|false))` +
    String.raw`(?=[ \t]*(?:;|\r?\n[ \t\r\n]*(?:[A-Za-z_$]|$)))`,
  'y',
)
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

/** A letter that starts no word of `const`, `let` and `var` (nor a comment). */
function isOtherWordStart(c: number): boolean {
  return ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) && c !== 99 && c !== 108 && c !== 118
}

/** After these punctuation characters, a `/` starts a regular expression rather than a division. */
function isRegexPreceder(c: number): boolean {
  switch (c) {
    case 40: // (
    case 44: // ,
    case 61: // =
    case 58: // :
    case 91: // [
    case 33: // !
    case 38: // &
    case 124: // |
    case 63: // ?
    case 123: // {
    case 125: // }
    case 59: // ;
    case 43: // +
    case 45: // -
    case 42: // *
    case 37: // %
    case 60: // <
    case 62: // >
    case 126: // ~
    case 94: // ^
      return true
    default:
      return false
  }
}
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await'])

/**
 * What `skipBalanced` saw last, to tell a regular expression's `/` from a division: the code of a
 * punctuation character, or one of these (all negative, so never a character code).
 */
const BEFORE_ANYTHING = -1
const AFTER_VALUE = -2
/** The last token of a stretch of code between two structural characters (read only when needed). */
const AFTER_CODE = -3

/** `skipBalanced` walks to the end of the text rather than to a closing character. */
const END_OF_TEXT = -1

/**
 * The characters that change what the scanner is in: quotes, `/` (comments, regular expressions)
 * and brackets. Between two of them there are only words, numbers, punctuation and white space.
 */
const STRUCTURAL = /["'`/{}()[\]]/g

/**
 * A bracketed group, brackets of any kind (the scanner only counts them), holding nothing but
 * code between structural characters, strings without escapes or line breaks, and such groups,
 * nested up to SIMPLE_GROUP_DEPTH deep. Most function bodies are one: matched natively, they
 * are skipped in one step with the same outcome as walking them (nothing in them can fail).
 */
const SIMPLE_GROUP_DEPTH = 8
const SIMPLE_GROUP = buildSimpleGroupPattern()

function buildSimpleGroupPattern(): RegExp {
  // Each alternative starts with a different character, so a failed match backtracks linearly.
  const item = String.raw`[^"'\`/{}()[\]]|'[^'\\\n]*'|"[^"\\\n]*"`
  let group = String.raw`[({[](?:${item})*[)}\]]`
  for (let depth = 1; depth < SIMPLE_GROUP_DEPTH; depth++) group = String.raw`[({[](?:${item}|${group})*[)}\]]`
  return new RegExp(group, 'y')
}

const EXPORT_KEYWORD = 'export'

/** White space and the byte order mark, which the scanner skips between tokens. */
function isTrivia(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff
}

class Scanner {
  i = 0
  /** Where the next `export` might be: `readExportsIn` looks it up once per occurrence. */
  nextExportAt = -1
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
        this.skipBalanced(125)
        i = this.i
      } else {
        i++
      }
    }
  }

  /** Reads a quoted string starting at the quote; returns its value. */
  readString(): string {
    const quote = this.peek()
    // Most strings hold no escape, line break or substitution: their value is their text.
    const end = this.text.indexOf(quote, this.i + 1)
    if (end > 0) {
      const body = this.text.slice(this.i + 1, end)
      if (!body.includes('\\') && !body.includes(quote === '`' ? '${' : '\n')) {
        this.i = end + 1
        return body
      }
    }
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
        this.skipBalanced(125)
        value += '${…}'
        continue
      }
      value += c
      this.i++
    }
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

  /**
   * Walks code until the character `closer` at depth 0 (or to the end of the text when `closer`
   * is END_OF_TEXT), calling `onTopLevelExport` right after each `export` word at depth 0.
   * Every revision file is walked whole (a broken string or bracket anywhere is reported), and
   * `history` walks thousands of them in a process that has just started, before any of this
   * code is optimised: so a native regular-expression search jumps from one structural
   * character to the next, and the words in between are read only where they can matter.
   */
  skipBalanced(closer: number, onTopLevelExport?: () => void): void {
    const text = this.text
    const length = text.length
    let i = this.i
    let depth = 0
    let previous = BEFORE_ANYTHING
    let codeStart = 0
    let codeEnd = 0
    for (;;) {
      STRUCTURAL.lastIndex = i
      const next = STRUCTURAL.test(text) ? STRUCTURAL.lastIndex - 1 : length
      // Code usually runs up to the structural character; only then is a look back needed.
      if (next > i && (!isTrivia(text.charCodeAt(next - 1)) || this.hasToken(i, next))) {
        if (depth === 0 && onTopLevelExport !== undefined && this.readExportsIn(i, next, onTopLevelExport)) {
          i = this.i
          previous = 59 // `;`: the declaration was read
          continue
        }
        previous = AFTER_CODE
        codeStart = i
        codeEnd = next
      }
      i = next
      if (i >= length) {
        this.i = i
        if (closer === END_OF_TEXT) return
        this.fail(`missing '${String.fromCharCode(closer)}'`)
      }
      const c = text.charCodeAt(i)
      if (c === closer && depth === 0) {
        this.i = i + 1
        return
      }
      if (c === 47) {
        const after = text.charCodeAt(i + 1)
        if (after === 47) {
          const end = text.indexOf('\n', i)
          i = end < 0 ? length : end
        } else if (after === 42) {
          const end = text.indexOf('*/', i + 2)
          if (end < 0) {
            this.i = i
            this.fail('unterminated comment')
          }
          i = end + 2
        } else if (previous === AFTER_CODE ? this.allowsRegexAfter(codeStart, codeEnd) : previous === BEFORE_ANYTHING || isRegexPreceder(previous)) {
          this.i = i
          this.skipRegex()
          i = this.i
          previous = AFTER_VALUE
        } else {
          i++
          previous = 47
        }
      } else if (c === 34 || c === 39 || c === 96) {
        this.i = i
        this.skipString()
        i = this.i
        previous = AFTER_VALUE
      } else {
        if (c === 123 || c === 40 || c === 91) {
          SIMPLE_GROUP.lastIndex = i
          if (SIMPLE_GROUP.test(text)) {
            i = SIMPLE_GROUP.lastIndex
            previous = text.charCodeAt(i - 1)
            continue
          }
          depth++
        } else if (--depth < 0) {
          this.i = i
          this.fail(`unexpected '${text[i] ?? ''}'`)
        }
        i++
        previous = c
      }
    }
  }

  /** Whether `text[start, end)` holds a token (anything but white space). */
  hasToken(start: number, end: number): boolean {
    for (let i = end - 1; i >= start; i--) {
      if (!isTrivia(this.text.charCodeAt(i))) return true
    }
    return false
  }

  /**
   * Calls `onExport` after each `export` word in `text[start, end)` (code between two structural
   * characters); true when it read a declaration, leaving `i` after it.
   */
  readExportsIn(start: number, end: number, onExport: () => void): boolean {
    const text = this.text
    for (let from = start; ; ) {
      // `>>> 0` turns "none" (-1) into an index past any text.
      if (this.nextExportAt < from) this.nextExportAt = text.indexOf(EXPORT_KEYWORD, from) >>> 0
      const at = this.nextExportAt
      if (at >= end) return false
      const after = at + EXPORT_KEYWORD.length
      if (!isIdentifierPart(text.charCodeAt(after)) && this.isTokenStart(start, at)) {
        this.i = after
        onExport()
        if (this.i !== after) return true
      }
      from = at + 1
    }
  }

  /** Whether a token starts at `at`, in code that has one starting at `start`. */
  isTokenStart(start: number, at: number): boolean {
    if (at === start) return true
    const before = this.text.charCodeAt(at - 1)
    // After a dot (`1.export` is one number) or a byte order mark (trivia only between tokens),
    // only reading the tokens from `start` tells.
    if (before === 46 || before === 0xfeff) {
      let i = start
      while (i < at) i = this.tokenEnd(i)
      return i === at
    }
    return !isIdentifierPart(before)
  }

  /** Whether a `/` after the last token of `text[start, end)` starts a regular expression. */
  allowsRegexAfter(start: number, end: number): boolean {
    let last = start
    let lastEnd = start
    for (let i = start; i < end; ) {
      const tokenEnd = this.tokenEnd(i)
      if (!isTrivia(this.text.charCodeAt(i))) {
        last = i
        lastEnd = tokenEnd
      }
      i = tokenEnd
    }
    const c = this.text.charCodeAt(last)
    if (c >= 48 && c <= 57) return false
    if (isIdentifierStart(c)) return REGEX_KEYWORDS.has(this.text.slice(last, lastEnd))
    return isRegexPreceder(c)
  }

  /**
   * Where the token starting at `i` ends, in code without strings, comments or brackets: a word
   * (the byte order mark counts as a letter inside one), a number (with its dots and suffix), or
   * one punctuation character; white space counts as a one-character token here.
   */
  tokenEnd(i: number): number {
    const text = this.text
    const c = text.charCodeAt(i)
    if (isTrivia(c)) return i + 1
    if (c >= 48 && c <= 57) {
      let end = i + 1
      for (let d = text.charCodeAt(end); isIdentifierPart(d) || d === 46; d = text.charCodeAt(++end));
      return end
    }
    if (!isIdentifierStart(c)) return i + 1
    let end = i + 1
    while (isIdentifierPart(text.charCodeAt(end))) end++
    return end
  }

  /** After `export`: `const name[: type] = literal`. Returns undefined for any other export. */
  readExport(): { name: HeaderName; value: Literal | NotLiteral } | undefined {
    // `export async function`, `export default`, ...: a word that cannot be const, let or var.
    if (this.text.charCodeAt(this.i) === 32 && isOtherWordStart(this.text.charCodeAt(this.i + 1))) return undefined
    const simple = this.readSimpleDeclaration()
    if (simple !== undefined) return simple
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

  /**
   * The declaration as a generated revision file writes it, `const revision = 'ae1027a6acf'` on a
   * line of its own, read with one native match; undefined for any other shape, which
   * `readExport` then reads token by token (to the same result when this one matches).
   */
  readSimpleDeclaration(): { name: HeaderName; value: Literal } | undefined {
    SIMPLE_DECLARATION.lastIndex = this.i
    const match = SIMPLE_DECLARATION.exec(this.text)
    if (match === null) return undefined
    this.i = SIMPLE_DECLARATION.lastIndex
    const value = match[2] ?? match[3]
    const word = match[4]
    return {
      name: match[1] as HeaderName,
      value:
        value !== undefined
          ? { kind: 'string', value }
          : word === 'true' || word === 'false'
            ? { kind: 'boolean', value: word === 'true' }
            : { kind: 'null' },
    }
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
  scanner.skipBalanced(END_OF_TEXT, () => {
    const declaration = scanner.readExport()
    if (declaration === undefined) return
    if (found.has(declaration.name)) {
      scanner.fail(`${declaration.name} is exported twice`)
    }
    found.set(declaration.name, declaration.value)
  })
  return found
}
