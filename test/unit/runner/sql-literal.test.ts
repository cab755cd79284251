import { describe, expect, it } from 'vitest'
import { inlineSqlParameters, renderSqlLiteral, UnrenderableValueError } from '../../../src/runner/sql-literal.js'

describe('renderSqlLiteral', () => {
  it.each([
    [null, 'NULL'],
    [undefined, 'NULL'],
    [true, 'true'],
    [false, 'false'],
    [42, '42'],
    [-1.5, '-1.5'],
    [Number.NaN, "'NaN'"],
    [Number.POSITIVE_INFINITY, "'Infinity'"],
    [Number.NEGATIVE_INFINITY, "'-Infinity'"],
    [12345678901234567890n, '12345678901234567890'],
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ["''", "''''''"],
    ['back\\slash', "'back\\slash'"],
    ['', "''"],
    [new Date('2024-01-02T03:04:05.678Z'), "'2024-01-02T03:04:05.678Z'"],
    [new Uint8Array([0xde, 0xad, 0x01]), "'\\xdead01'"],
    [[1, 'a'], "ARRAY[1, 'a']"],
    [[], "'{}'"],
    [{ a: "o'k" }, `'{"a":"o''k"}'`],
  ])('renders %o as %s', (value, expected) => {
    expect(renderSqlLiteral(value)).toBe(expected)
  })

  it('refuses values SQL cannot spell', () => {
    expect(() => renderSqlLiteral(Symbol('x'))).toThrow(UnrenderableValueError)
    expect(() => renderSqlLiteral(() => 1)).toThrow(UnrenderableValueError)
    expect(() => renderSqlLiteral(new Date(Number.NaN))).toThrow(UnrenderableValueError)
  })
})

describe('inlineSqlParameters', () => {
  it('replaces placeholders by literals, $10 not read as $1', () => {
    const params = Array.from({ length: 10 }, (_, i) => i + 1)
    const text = Array.from({ length: 10 }, (_, i) => `$${i + 1}`).join(', ')
    expect(inlineSqlParameters(`select ${text}`, params)).toBe('select 1, 2, 3, 4, 5, 6, 7, 8, 9, 10')
  })

  it('leaves placeholders inside strings, identifiers, dollar quotes and comments alone', () => {
    const text =
      `insert into "t$1" (a) values ($1, '$1 it''s', E'\\'$1', $$ $1 $$, $fn$ $1 $fn$) -- $1\n` +
      `/* $1 /* nested $1 */ still $1 */ returning $2`
    expect(inlineSqlParameters(text, ["x'y", 7])).toBe(
      `insert into "t$1" (a) values ('x''y', '$1 it''s', E'\\'$1', $$ $1 $$, $fn$ $1 $fn$) -- $1\n` +
        `/* $1 /* nested $1 */ still $1 */ returning 7`,
    )
  })

  it('does not read a $ inside an identifier as a placeholder', () => {
    expect(inlineSqlParameters('select a$1 from t where b = $1', [5])).toBe('select a$1 from t where b = 5')
  })

  it('fails on a placeholder without a parameter', () => {
    expect(() => inlineSqlParameters('select $2', [1])).toThrow(RangeError)
  })
})
