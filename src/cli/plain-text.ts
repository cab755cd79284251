/**
 * Help text measured and wrapped without string-width and wrap-ansi, for the text they handle
 * the simple way anyway: printable ASCII and the one-column punctuation of Unicode's General
 * Punctuation block (dashes, quotes, `…`), with no escape codes and no line breaks. There every
 * character is one column wide and forms a grapheme cluster of its own. Loading those packages
 * costs every command 30 ms (creating their Intl.Segmenter alone 20), and measuring help text
 * with them, character by character, another 40 ms. Anything else goes to the packages.
 */

const PLAIN_TEXT = /^[\x20-\x7e\u2010-\u2027]*$/

/** Whether `text` is plain text: its width is its length, and wrapping it needs no Unicode rules. */
export function isPlainText(text: unknown): text is string {
  return typeof text === 'string' && PLAIN_TEXT.test(text)
}

/**
 * `wrapAnsi(text, columns, { hard: true })` (wrap-ansi 9) for plain text: words wrap at spaces,
 * a word longer than a line is cut, and rows lose their trailing spaces.
 */
export function wrapPlainText(text: string, columns: number): string {
  if (text.trim() === '') return ''
  const rows = ['']
  for (const [index, word] of text.split(' ').entries()) {
    const row = lastRow(rows).trimStart()
    rows[rows.length - 1] = row
    let rowLength = row.length
    if (index !== 0 && rowLength > 0) {
      rows[rows.length - 1] = `${row} `
      rowLength++
    }
    if (word.length > columns) {
      // wrap-ansi's rule for where a long word starts: on this row when that needs no more breaks.
      const remainingColumns = columns - rowLength
      const breaksStartingThisLine = 1 + Math.floor((word.length - remainingColumns - 1) / columns)
      const breaksStartingNextLine = Math.floor((word.length - 1) / columns)
      if (breaksStartingNextLine < breaksStartingThisLine) rows.push('')
      cutWord(rows, word, columns)
      continue
    }
    if (rowLength + word.length > columns && rowLength > 0 && word.length > 0) rows.push('')
    rows[rows.length - 1] = lastRow(rows) + word
  }
  return rows.map((row) => row.replace(TRAILING_SPACES, '')).join('\n')
}

const TRAILING_SPACES = / +$/

/** Appends `word` to the rows a character at a time, starting a row whenever one is full. */
function cutWord(rows: string[], word: string, columns: number): void {
  let visible = lastRow(rows).length
  for (let index = 0; index < word.length; index++) {
    const character = word.charAt(index)
    if (visible + 1 <= columns) {
      rows[rows.length - 1] = lastRow(rows) + character
    } else {
      rows.push(character)
      visible = 0
    }
    visible++
    if (visible === columns && index < word.length - 1) {
      rows.push('')
      visible = 0
    }
  }
  if (visible === 0 && lastRow(rows).length > 0 && rows.length > 1) {
    const last = rows.pop() ?? ''
    rows[rows.length - 1] = lastRow(rows) + last
  }
}

function lastRow(rows: readonly string[]): string {
  return rows[rows.length - 1] ?? ''
}
