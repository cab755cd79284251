import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidTargetError, TsdbError, UsageError } from '../../../src/errors.js'
import { parseRange, parseTarget, renderTarget } from '../../../src/revision/parse-target.js'
import { buildRevisionGraph } from '../../../src/revision/revision-graph.js'
import { createRevision } from '../../../src/revision/revision.js'
import { resolveRevisions } from '../../../src/revision/resolve-target.js'
import { planDowngrade, planUpgrade } from '../../../src/revision/plan.js'

describe('parseTarget', () => {
  it.each([
    ['head', { kind: 'head', branch: null }],
    ['heads', { kind: 'heads', branch: null }],
    ['base', { kind: 'base', branch: null }],
    ['current', { kind: 'current' }],
    ['ae1027a6acf', { kind: 'revision', id: 'ae1027a6acf', branch: null }],
    ['ae10', { kind: 'revision', id: 'ae10', branch: null }],
    ['mybranch@head', { kind: 'head', branch: 'mybranch' }],
    ['mybranch@heads', { kind: 'heads', branch: 'mybranch' }],
    ['mybranch@base', { kind: 'base', branch: 'mybranch' }],
    ['mybranch@ae10', { kind: 'revision', id: 'ae10', branch: 'mybranch' }],
    ['my-lib@head', { kind: 'head', branch: 'my-lib' }],
    ['+2', { kind: 'relative', steps: 2, from: null, branch: null }],
    ['-1', { kind: 'relative', steps: -1, from: null, branch: null }],
    ['ae10+2', { kind: 'relative', steps: 2, from: 'ae10', branch: null }],
    ['ae10-2', { kind: 'relative', steps: -2, from: 'ae10', branch: null }],
    ['head-1', { kind: 'relative', steps: -1, from: 'head', branch: null }],
    ['base+3', { kind: 'relative', steps: 3, from: 'base', branch: null }],
    ['mybranch@+1', { kind: 'relative', steps: 1, from: null, branch: 'mybranch' }],
    ['mybranch@-2', { kind: 'relative', steps: -2, from: null, branch: 'mybranch' }],
    ['mybranch@head-1', { kind: 'relative', steps: -1, from: 'head', branch: 'mybranch' }],
  ])('parses %s', (text, expected) => {
    expect(parseTarget(text)).toEqual(expected)
    expect(renderTarget(parseTarget(text))).toBe(text)
  })

  it.each(['', 'a@b@c', '@head', 'x@', 'a b', 'a:b', 'x@current', '+99999999999999999999'])(
    'rejects %j with InvalidTargetError saying what is valid',
    (text) => {
      expect(() => parseTarget(text)).toThrow(InvalidTargetError)
    },
  )

  it('resolves a parsed target as its text, and a start with a branch as `<branch>@<from>`', () => {
    const g = buildRevisionGraph([
      createRevision({ id: 'aaaa1', branchLabels: ['lib'] }),
      createRevision({ id: 'bbbb2', downRevisions: ['aaaa1'] }),
      createRevision({ id: 'cccc3', downRevisions: ['bbbb2'] }),
    ])
    for (const text of ['head', 'lib@head', 'head-1', 'lib@aaaa1+2', 'bbbb+1', '-2', 'base']) {
      expect(resolveRevisions(g, parseTarget(text), ['cccc3'])).toEqual(resolveRevisions(g, text, ['cccc3']))
    }
    expect(resolveRevisions(g, 'lib@aaaa1+2', [])).toEqual(['cccc3'])
    expect(() => resolveRevisions(g, 'lib@current+1', [])).toThrow("Invalid revision target 'lib@current'")
  })

  it('explains the valid forms', () => {
    expect(() => parseTarget('a@b@c')).toThrow(/valid forms are head, heads, base/)
  })
})

describe('parseRange', () => {
  it('splits start:end with empty sides as null', () => {
    expect(parseRange('a:b')).toEqual({ start: 'a', end: 'b' })
    expect(parseRange('-3:')).toEqual({ start: '-3', end: null })
    expect(parseRange(':head')).toEqual({ start: null, end: 'head' })
    expect(parseRange(':')).toEqual({ start: null, end: null })
  })
  it('without a colon is a usage error with Alembic words', () => {
    expect(() => parseRange('head')).toThrow(UsageError)
    expect(() => parseRange('head')).toThrow('History range requires [start]:[end], [start]:, or :[end]')
    expect(() => parseRange('a:b:c')).toThrow(UsageError)
  })
})

describe('properties', () => {
  it('parseTarget on any text returns a target or throws InvalidTargetError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z@+\-:0-9 ]{0,12}$/)), (text) => {
        try {
          const target = parseTarget(text)
          expect(['head', 'heads', 'base', 'current', 'revision', 'relative']).toContain(target.kind)
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTargetError)
        }
      }),
      { numRuns: 2000 },
    )
  })

  const revisionArbitrary = fc.record({
    id: fc.oneof(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'abcd1', 'abcd2'), fc.string({ maxLength: 4 })),
    downRevisions: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'abcd1', 'zz'), { maxLength: 3 }),
    branchLabels: fc.array(fc.constantFrom('x', 'y', 'a'), { maxLength: 2 }),
    dependsOn: fc.array(fc.constantFrom('a', 'b', 'c', 'x', 'q'), { maxLength: 2 }),
  })

  it('buildRevisionGraph on arbitrary revisions returns a graph or throws a TsdbError', () => {
    fc.assert(
      fc.property(fc.array(revisionArbitrary, { maxLength: 8 }), (records) => {
        try {
          const g = buildRevisionGraph(records.map((record) => createRevision(record)))
          expect(g.revisions).toHaveLength(records.length)
        } catch (error) {
          expect(error).toBeInstanceOf(TsdbError)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('on valid graphs, resolving and planning any target returns a value or throws a TsdbError', () => {
    const targets = fc.constantFrom(
      'head', 'heads', 'base', 'a', 'abcd', 'x@head', 'x@base', 'y@+1', '+1', '-1', '+2', '-2', 'head-1', 'a+1', 'x@-1',
    )
    fc.assert(
      fc.property(fc.array(revisionArbitrary, { maxLength: 7 }), targets, fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 2 }), (records, target, heads) => {
        let g
        try {
          g = buildRevisionGraph(records.map((record) => createRevision(record)))
        } catch {
          return
        }
        for (const run of [
          () => resolveRevisions(g, target, heads),
          () => planUpgrade(g, heads, target),
          () => planDowngrade(g, heads, target),
        ]) {
          try {
            run()
          } catch (error) {
            expect(error).toBeInstanceOf(TsdbError)
          }
        }
      }),
      { numRuns: 3000 },
    )
  })
})
