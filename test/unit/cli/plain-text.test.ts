import fc from 'fast-check'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { isPlainText, wrapPlainText } from '../../../src/cli/plain-text.js'

// The packages plain-text.ts stands in for, as yargs and cliui load them.
const requireFromYargs = createRequire(createRequire(import.meta.url).resolve('yargs'))
const requireFromCliui = createRequire(requireFromYargs.resolve('cliui'))
type Width = (text: string) => number
const yargsStringWidth = (requireFromYargs('string-width') as { default: Width }).default
const cliuiStringWidth = (requireFromCliui('string-width') as { default: Width }).default
const wrapAnsi = (requireFromCliui('wrap-ansi') as { default: (text: string, columns: number, options: object) => string }).default

const PUNCTUATION = Array.from({ length: 0x2027 - 0x2010 + 1 }, (_, i) => String.fromCharCode(0x2010 + i))
const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i))

/** Plain text with plenty of spaces, long words and punctuation, as help text has. */
const plainText = fc
  .array(fc.oneof(fc.constantFrom(' ', '  ', 'a', 'word', 'a-much-longer-word-than-a-line', '…', '[default: "head"]'), fc.constantFrom(...PRINTABLE_ASCII, ...PUNCTUATION)), {
    maxLength: 60,
  })
  .map((parts) => parts.join(''))

describe('isPlainText', () => {
  it('accepts printable ASCII and the narrow punctuation help text uses', () => {
    expect(isPlainText('Database URL: postgres://…, pglite:<folder> [string] [default: "head"]')).toBe(true)
    expect(isPlainText('')).toBe(true)
  })

  it('leaves everything else to string-width and wrap-ansi', () => {
    for (const text of ['line\nbreak', 'tab\there', '\u001b[31mred\u001b[39m', 'café', '表', '👍', '©', 'e\u0301', '\u200b', '\u2028']) {
      expect(isPlainText(text)).toBe(false)
    }
    expect(isPlainText(42)).toBe(false)
  })

  it('is one column per character, as both string-width versions measure it', () => {
    for (const character of [...PRINTABLE_ASCII, ...PUNCTUATION]) {
      expect(character.normalize()).toBe(character)
      for (const text of [character, `a${character}b`, `${character}${character}`]) {
        expect([yargsStringWidth(text), cliuiStringWidth(text)]).toEqual([text.length, text.length])
      }
    }
    fc.assert(
      fc.property(plainText, (text) => {
        expect([yargsStringWidth(text), cliuiStringWidth(text)]).toEqual([text.length, text.length])
      }),
    )
  })
})

describe('wrapPlainText', () => {
  it("wraps exactly as wrap-ansi's hard mode, at any width", () => {
    fc.assert(
      fc.property(plainText, fc.integer({ min: -2, max: 120 }), (text, columns) => {
        expect(wrapPlainText(text, columns)).toBe(wrapAnsi(text, columns, { hard: true }))
      }),
      { numRuns: 2000 },
    )
  })

  it('wraps at spaces, cuts words longer than a line and drops trailing spaces', () => {
    expect(wrapPlainText('Show current available heads', 12)).toBe('Show current\navailable\nheads')
    expect(wrapPlainText('see abcdefghijkl', 5)).toBe('see\nabcde\nfghij\nkl')
    expect(wrapPlainText('   ', 5)).toBe('')
  })
})
