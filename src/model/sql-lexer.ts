/**
 * Where SQL text changes meaning, as PostgreSQL's lexer sees it: whitespace, comments (block
 * comments nest), string constants (`'…'`, and `E'…'` with backslash escapes), quoted
 * identifiers, dollar-quoted bodies and `$N` parameters. Everything else is `code` (key words,
 * names, numbers, operators), in runs as long as possible. The checksum's normaliser, the
 * offline script's parameter inlining and the reading of schema expressions all split text
 * here, so they agree on where a quote or a comment ends.
 */
export type SqlSpanKind = 'code' | 'space' | 'comment' | 'string' | 'quoted-identifier' | 'dollar-quoted' | 'parameter'

/**
 * Code up to whitespace, a quote, a comment, an `E` that opens a string, or a `$` that does not
 * continue a name. A name may hold `$` and end in `E` (`price$`, `somE'x'` is a name and a string).
 */
const CODE_RUN = /(?:[^\s'"$\-/Ee]|[Ee](?!')|(?<=[\w$\u0080-\uffff])[Ee$]|-(?!-)|\/(?!\*))+/y
const SPACE_RUN = /\s+/y
const PARAMETER = /\$\d+/y
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y

/** Calls `visit` with each span of `text`, in order; the spans cover the text exactly. */
export function scanSql(text: string, visit: (kind: SqlSpanKind, start: number, end: number) => void): void {
  let start = 0
  while (start < text.length) {
    const [kind, end] = spanAt(text, start)
    visit(kind, start, end)
    start = end
  }
}

function spanAt(text: string, i: number): readonly [SqlSpanKind, number] {
  if (matchesAt(CODE_RUN, text, i)) return ['code', CODE_RUN.lastIndex]
  if (matchesAt(SPACE_RUN, text, i)) return ['space', SPACE_RUN.lastIndex]
  switch (text.charAt(i)) {
    case '-': // `--`: CODE_RUN takes a lone `-`
      return ['comment', lineEnd(text, i)]
    case '/': // `/*`: CODE_RUN takes a lone `/`
      return ['comment', blockCommentEnd(text, i)]
    case "'":
      return ['string', quoteEnd(text, i, "'", false)]
    case '"':
      return ['quoted-identifier', quoteEnd(text, i, '"', false)]
    case 'E':
    case 'e': // CODE_RUN takes an E that opens no string
      return ['string', quoteEnd(text, i + 1, "'", true)]
    default: // a `$` that does not continue a name
      if (matchesAt(PARAMETER, text, i)) return ['parameter', PARAMETER.lastIndex]
      if (!matchesAt(DOLLAR_TAG, text, i)) return ['code', i + 1]
      return ['dollar-quoted', closeEnd(text, text.slice(i, DOLLAR_TAG.lastIndex), DOLLAR_TAG.lastIndex)]
  }
}

/** Whether `regex` (sticky) matches at `index`; its lastIndex is then the match's end. */
function matchesAt(regex: RegExp, text: string, index: number): boolean {
  regex.lastIndex = index
  return regex.test(text)
}

/** Just past the first `close` at or after `from`; the end of the text when there is none. */
function closeEnd(text: string, close: string, from: number): number {
  const at = text.indexOf(close, from)
  return at === -1 ? text.length : at + close.length
}

function lineEnd(text: string, i: number): number {
  const newline = text.indexOf('\n', i)
  return newline === -1 ? text.length : newline
}

/** Just past the closing quote of the quote at `start`; a doubled quote is part of the text. */
function quoteEnd(text: string, start: number, quote: string, hasBackslashEscapes: boolean): number {
  let i = start + 1
  while (i < text.length) {
    const char = text.charAt(i)
    if (hasBackslashEscapes && char === '\\') {
      i += 2
    } else if (char !== quote) {
      i += 1
    } else if (text.charAt(i + 1) === quote) {
      i += 2
    } else {
      return i + 1
    }
  }
  return text.length
}

function blockCommentEnd(text: string, start: number): number {
  const marks = /\/\*|\*\//g
  marks.lastIndex = start
  let depth = 0
  for (let mark = marks.exec(text); mark !== null; mark = marks.exec(text)) {
    depth += mark[0] === '/*' ? 1 : -1
    if (depth === 0) return marks.lastIndex
  }
  return text.length
}
