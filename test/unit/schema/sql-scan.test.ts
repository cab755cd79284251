import { describe, expect, it } from 'vitest'
import { expressionKeyName, referencedColumnNames } from '../../../src/schema/sql-scan.js'

describe('referencedColumnNames', () => {
  const columns = ['price', 'Mixed', 'x', 'y', 'w']

  it('finds the columns an expression mentions, once each', () => {
    expect(referencedColumnNames('price > 0', columns)).toEqual(['price'])
    expect(referencedColumnNames('"price" > 0 and price < 100', columns)).toEqual(['price'])
    expect(referencedColumnNames('x > y', columns)).toEqual(['x', 'y'])
    expect(referencedColumnNames('"Mixed" > 0', columns)).toEqual(['Mixed'])
    expect(referencedColumnNames('"t"."x" > 0', columns)).toEqual(['x'])
  })

  it('ignores strings, comments, function and type names, and folds unquoted names', () => {
    expect(referencedColumnNames("w <> 'price' -- x\n", columns)).toEqual(['w'])
    expect(referencedColumnNames("w <> E'it\\'s x' /* y */", columns)).toEqual(['w'])
    expect(referencedColumnNames('w <> $$x$$ and w <> $tag$y$tag$', columns)).toEqual(['w'])
    expect(referencedColumnNames('x(w) > 0', columns)).toEqual(['w'])
    expect(referencedColumnNames('w::x is not null', columns)).toEqual(['w'])
    expect(referencedColumnNames('MIXED > 0', columns)).toEqual([])
    expect(referencedColumnNames('1.5e3 > 0', columns)).toEqual([])
  })
})

describe('expressionKeyName', () => {
  // Each case matches the index name PostgreSQL 18 chose for `create index on t2 (...)`.
  it('names function calls after the function', () => {
    expect(expressionKeyName('lower(b)')).toBe('lower')
    expect(expressionKeyName('pg_catalog.upper(b)')).toBe('upper')
    expect(expressionKeyName('coalesce(a, c)')).toBe('coalesce')
    expect(expressionKeyName('"Weird"(a)')).toBe('Weird')
  })

  it('names a parenthesised column or a cast after the column, else after the type', () => {
    expect(expressionKeyName('(b)')).toBe('b')
    expect(expressionKeyName('"b"')).toBe('b')
    expect(expressionKeyName('b::varchar')).toBe('b')
    expect(expressionKeyName('(a::text)')).toBe('a')
    expect(expressionKeyName("'x'::text")).toBe('text')
    expect(expressionKeyName('cast(a as text)')).toBe('a')
    expect(expressionKeyName("CAST('x' AS varchar(3))")).toBe('varchar')
  })

  it('falls back to expr', () => {
    expect(expressionKeyName('a + c')).toBe('expr')
    expect(expressionKeyName('lower(a) || b')).toBe('expr')
    expect(expressionKeyName("(data->>'x')")).toBe('expr')
    expect(expressionKeyName('cast(a)')).toBe('expr')
    expect(expressionKeyName('')).toBe('expr')
  })
})
