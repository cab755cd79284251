import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { SchemaDeclarationError } from '../../../src/errors.js'
import { quoteIdentifier } from '../../../src/model/identifier.js'
import { compileSqlFragment, renderLiteral } from '../../../src/schema/sql-text.js'

describe('quoteIdentifier', () => {
  it('always quotes and doubles inner quotes', () => {
    expect(quoteIdentifier('user')).toBe('"user"')
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"')
  })
})

describe('renderLiteral', () => {
  it('writes scalars', () => {
    expect(renderLiteral(null)).toBe('NULL')
    expect(renderLiteral("it's")).toBe("'it''s'")
    expect(renderLiteral('back\\slash')).toBe("'back\\slash'")
    expect(renderLiteral(true)).toBe('true')
    expect(renderLiteral(false)).toBe('false')
    expect(renderLiteral(42)).toBe('42')
    expect(renderLiteral(1.5)).toBe('1.5')
    expect(renderLiteral(-3)).toBe('(-3)')
    expect(renderLiteral(Number.NaN)).toBe("'NaN'")
    expect(renderLiteral(Number.POSITIVE_INFINITY)).toBe("'Infinity'")
    expect(renderLiteral(12345678901234567890n)).toBe('12345678901234567890')
    expect(renderLiteral(-1n)).toBe('(-1)')
    expect(renderLiteral(new Date('2024-01-02T03:04:05.006Z'))).toBe("'2024-01-02T03:04:05.006Z'")
    expect(renderLiteral(new Uint8Array([0, 15, 255]))).toBe("'\\x000fff'")
  })

  it('writes arrays in PostgreSQL array syntax', () => {
    expect(renderLiteral([1, 2, null])).toBe("'{1,2,NULL}'")
    expect(renderLiteral(['a b', 'q"uote', "it's", 'back\\'])).toBe(`'{"a b","q\\"uote","it''s","back\\\\"}'`)
    expect(renderLiteral([[1, 2], [3, 4]])).toBe("'{{1,2},{3,4}}'")
    expect(renderLiteral([])).toBe("'{}'")
    expect(renderLiteral([{ a: 1 }])).toBe(`'{"{\\"a\\":1}"}'`)
  })

  it('writes any value as JSON text for json columns', () => {
    expect(renderLiteral({ a: [1, 'x'] }, { isJson: true })).toBe(`'{"a":[1,"x"]}'`)
    expect(renderLiteral('text', { isJson: true })).toBe(`'"text"'`)
    expect(renderLiteral([1, 2], { isJson: true })).toBe("'[1,2]'")
    expect(renderLiteral({ n: 10n }, { isJson: true })).toBe(`'{"n":"10"}'`)
    expect(renderLiteral(null, { isJson: true })).toBe('NULL')
  })

  it('refuses values without a SQL literal', () => {
    expect(() => renderLiteral({ a: 1 })).toThrow(SchemaDeclarationError)
    expect(() => renderLiteral(new Map())).toThrow('cannot write an object of class Map as a SQL literal')
    expect(() => renderLiteral(undefined)).toThrow(/undefined/)
    expect(() => renderLiteral(() => 1)).toThrow(/a function/)
    expect(() => renderLiteral(new Date('nope'))).toThrow(/invalid Date/)
    expect(() => renderLiteral('a\0b')).toThrow(/U\+0000/)
    expect(() => renderLiteral(Symbol('s'), { isJson: true })).toThrow(/JSON/)
  })
})

describe('compileSqlFragment', () => {
  it('compiles a fragment with PostgreSQL quoting', () => {
    expect(compileSqlFragment(sql`now()`)).toBe('now()')
    expect(compileSqlFragment(sql`${sql.ref('price')} > 0`)).toBe('"price" > 0')
    expect(compileSqlFragment(sql`lower(${sql.ref('user.email')})`)).toBe('lower("user"."email")')
  })

  it('inlines every parameter as a literal', () => {
    expect(compileSqlFragment(sql`${sql.ref('status')} in (${'new'}, ${"it's"}) and ${sql.ref('n')} > ${-2}`)).toBe(
      `"status" in ('new', 'it''s') and "n" > (-2)`,
    )
    expect(compileSqlFragment(sql`${sql.lit('x')} || ${sql.lit(3)}`)).toBe("'x' || 3")
    expect(compileSqlFragment(sql`coalesce(${sql`${1}`}, ${sql.raw('2')})`)).toBe('coalesce(1, 2)')
  })

  it('rejects a parameter that has no literal', () => {
    expect(() => compileSqlFragment(sql`${{ a: 1 }}`)).toThrow(SchemaDeclarationError)
  })
})
