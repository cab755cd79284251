import { describe, expect, it } from 'vitest'
import { scanSql, type SqlSpanKind } from '../../../src/model/sql-lexer.js'

function spans(text: string): [SqlSpanKind, string][] {
  const found: [SqlSpanKind, string][] = []
  scanSql(text, (kind, start, end) => found.push([kind, text.slice(start, end)]))
  return found
}

describe('scanSql', () => {
  it('splits code, whitespace, comments, strings, quoted names, dollar quotes and parameters', () => {
    expect(spans(`select "a b", 'c''d' -- x\nfrom t where y = $1 /* z */`)).toEqual([
      ['code', 'select'],
      ['space', ' '],
      ['quoted-identifier', '"a b"'],
      ['code', ','],
      ['space', ' '],
      ['string', "'c''d'"],
      ['space', ' '],
      ['comment', '-- x'],
      ['space', '\n'],
      ['code', 'from'],
      ['space', ' '],
      ['code', 't'],
      ['space', ' '],
      ['code', 'where'],
      ['space', ' '],
      ['code', 'y'],
      ['space', ' '],
      ['code', '='],
      ['space', ' '],
      ['parameter', '$1'],
      ['space', ' '],
      ['comment', '/* z */'],
    ])
  })

  it("reads E'…' with backslash escapes, but not a name ending in E", () => {
    expect(spans("E'a\\'b' somE'c'")).toEqual([
      ['string', "E'a\\'b'"],
      ['space', ' '],
      ['code', 'somE'],
      ['string', "'c'"],
    ])
  })

  it('nests block comments and closes a dollar quote only with its own tag', () => {
    expect(spans('/* a /* b */ c */1')).toEqual([
      ['comment', '/* a /* b */ c */'],
      ['code', '1'],
    ])
    expect(spans('$f$ $$ x $f$;')).toEqual([
      ['dollar-quoted', '$f$ $$ x $f$'],
      ['code', ';'],
    ])
  })

  it('keeps $ inside a name, and a lone - or / in code', () => {
    expect(spans('a$1 price$ 4-2/1 $')).toEqual([
      ['code', 'a$1'],
      ['space', ' '],
      ['code', 'price$'],
      ['space', ' '],
      ['code', '4-2/1'],
      ['space', ' '],
      ['code', '$'],
    ])
  })

  it('runs an unclosed quote or comment to the end of the text', () => {
    expect(spans("x 'open")).toEqual([['code', 'x'], ['space', ' '], ['string', "'open"]])
    expect(spans('/* open')).toEqual([['comment', '/* open']])
  })
})
