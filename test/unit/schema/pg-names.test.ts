import { describe, expect, it } from 'vitest'
import { byteLength } from '../../../src/model/identifier.js'
import {
  chooseName,
  clipToBytes,
  indexColumnNames,
  makeObjectName,
  nameAddition,
  truncateIdentifier,
} from '../../../src/schema/pg-names.js'

// Expected names below were read from PostgreSQL 18 (PGlite 0.5.16) catalogs after creating
// the same objects without names.
const longTable = 'a'.repeat(40) + 'é'.repeat(10) // 60 bytes
const longColumn = 'c'.repeat(30) + 'ü'.repeat(15) // 60 bytes

describe('byte-based clipping', () => {
  it('counts UTF-8 bytes and never splits a character', () => {
    expect(byteLength('é')).toBe(2)
    expect(clipToBytes('aéb', 2)).toBe('a')
    expect(clipToBytes('aéb', 3)).toBe('aé')
    expect(truncateIdentifier('x'.repeat(70))).toBe('x'.repeat(63))
    expect(truncateIdentifier('ok')).toBe('ok')
  })

  it('counts what TextEncoder writes: 1 to 4 bytes a character, 3 for a lone surrogate', () => {
    const texts = ['', 'plain_name', 'é', 'ü€', '日本語', '😀', 'a😀b', '\ud83d', '\ude00x', 'x\ud83d\ud83d\ude00', '\u07ff\u0800\uffff']
    for (const text of texts) expect(byteLength(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length)
  })
})

describe('makeObjectName', () => {
  it('joins the parts when they fit', () => {
    expect(makeObjectName('post', 'user_id', 'fkey')).toBe('post_user_id_fkey')
    expect(makeObjectName('user', null, 'pkey')).toBe('user_pkey')
  })

  it('cuts the longer name first and keeps the label, as PostgreSQL does', () => {
    expect(makeObjectName(longTable, null, 'pkey')).toBe(`${'a'.repeat(40)}${'é'.repeat(9)}_pkey`)
    expect(makeObjectName(longTable, 'z', 'key')).toBe(`${'a'.repeat(40)}${'é'.repeat(8)}_z_key`)
    expect(makeObjectName(longTable, 'x_y', 'key')).toBe(`${'a'.repeat(40)}${'é'.repeat(7)}_x_y_key`)
    expect(makeObjectName(longTable, 'x', 'check')).toBe(`${'a'.repeat(40)}${'é'.repeat(7)}_x_check`)
    expect(makeObjectName(longTable, `${longColumn}_x`, 'key')).toBe(`${'a'.repeat(29)}_${'c'.repeat(29)}_key`)
    expect(makeObjectName(longTable, longColumn, 'seq')).toBe(`${'a'.repeat(29)}_${'c'.repeat(29)}_seq`)
    expect(byteLength(makeObjectName(longTable, longColumn, 'fkey'))).toBeLessThanOrEqual(63)
  })
})

describe('chooseName', () => {
  it('appends a number to the label until the name is free', () => {
    const taken = new Set(['t2_a_check', 't2_a_check1'])
    expect(chooseName('t2', 'a', 'check', (name) => taken.has(name))).toBe('t2_a_check2')
    expect(chooseName('t2', null, 'check', () => false)).toBe('t2_check')
  })

  it('still fits the name in 63 bytes with a numbered label', () => {
    const taken = new Set([makeObjectName(longTable, null, 'check')])
    expect(chooseName(longTable, null, 'check', (name) => taken.has(name))).toBe(`${'a'.repeat(40)}${'é'.repeat(8)}_check1`)
  })
})

describe('index names', () => {
  it('joins column names with _', () => {
    expect(nameAddition(['x', 'y'])).toBe('x_y')
    expect(nameAddition([])).toBe('')
  })

  it('stops joining once the text is longer than an identifier', () => {
    const name = 'n'.repeat(40)
    expect(nameAddition([name, name, name])).toBe(`${name}_${name}`)
  })

  it('numbers repeated key names', () => {
    expect(indexColumnNames(['a', 'lower', 'lower'])).toEqual(['a', 'lower', 'lower1'])
    expect(indexColumnNames(['expr', 'expr', 'expr'])).toEqual(['expr', 'expr1', 'expr2'])
  })
})
