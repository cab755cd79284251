import { describe, expect, it } from 'vitest'
import { MultipleHeadsError, RangeNotAncestorError, RevisionError, UsageError } from '../../../src/errors.js'
import { listBranchPoints, listHistory, resolveDependencyHeads } from '../../../src/revision/history.js'
import { graph, ids } from '../../helpers/graph.js'

// Alembic's `history -r` (command.history -> ScriptDirectory.walk_revisions).
describe('listHistory', () => {
  const line = graph('a', 'b<-a', 'c<-b', 'd<-c', 'e<-d')
  const branched = graph('a', 'b<-a', 'c1<-b @c1branch', 'd1<-c1', 'c2<-b @c2branch', 'd2<-c2', 'm<-d1,d2')

  it('lists everything newest first by default', () => {
    expect(ids(listHistory(line))).toEqual(['e', 'd', 'c', 'b', 'a'])
    expect(ids(listHistory(branched))).toEqual(['m', 'd1', 'c1', 'd2', 'c2', 'b', 'a'])
  })
  it('a:b ranges are inclusive at both ends', () => {
    expect(ids(listHistory(line, { range: 'b:d' }))).toEqual(['d', 'c', 'b'])
    expect(ids(listHistory(line, { range: 'c:' }))).toEqual(['e', 'd', 'c'])
    expect(ids(listHistory(line, { range: ':b' }))).toEqual(['b', 'a'])
    expect(ids(listHistory(line, { range: 'base:heads' }))).toEqual(['e', 'd', 'c', 'b', 'a'])
    expect(ids(listHistory(line, { range: ':head' }))).toEqual(['e', 'd', 'c', 'b', 'a'])
  })
  it('relative bounds: -3: shows the last three, and walking past the ends stops there', () => {
    expect(ids(listHistory(line, { range: '-2:' }))).toEqual(['e', 'd', 'c'])
    expect(ids(listHistory(line, { range: '-9:' }))).toEqual(['e', 'd', 'c', 'b', 'a'])
    expect(ids(listHistory(line, { range: ':+2' }))).toEqual(['b', 'a'])
    expect(ids(listHistory(line, { range: ':+99' }))).toEqual(['e', 'd', 'c', 'b', 'a'])
    expect(ids(listHistory(line, { range: 'b:b+2' }))).toEqual(['d', 'c', 'b'])
  })
  it('current as either bound', () => {
    expect(ids(listHistory(line, { range: 'current:', currentHeads: ['c'] }))).toEqual(['e', 'd', 'c'])
    expect(ids(listHistory(line, { range: ':current', currentHeads: ['c'] }))).toEqual(['c', 'b', 'a'])
    expect(ids(listHistory(line, { range: 'current:', currentHeads: [] }))).toEqual(['e', 'd', 'c', 'b', 'a'])
    // tsdb lists nothing for :current at base (Alembic lists everything)
    expect(ids(listHistory(line, { range: ':current', currentHeads: [] }))).toEqual([])
    expect(() => listHistory(line, { range: 'current:' })).toThrow(RevisionError)
  })
  it('labelled bounds', () => {
    // the merge m carries both labels, so the whole graph is below c2branch@head
    expect(ids(listHistory(branched, { range: 'c2branch@base:c2branch@head' }))).toEqual([
      'm', 'd1', 'c1', 'd2', 'c2', 'b', 'a',
    ])
    expect(ids(listHistory(branched, { range: 'c2branch@base:d2' }))).toEqual(['d2', 'c2', 'b', 'a'])
    expect(ids(listHistory(branched, { range: 'c1:' }))).toEqual(['m', 'd1', 'c1'])
  })
  it('a lower bound that is not an ancestor raises with Alembic words', () => {
    expect(() => listHistory(line, { range: 'd:b' })).toThrow(RangeNotAncestorError)
    expect(() => listHistory(line, { range: 'd:b' })).toThrow(
      'Requested range d:b does not refer to ancestor/descendant revisions along the same branch',
    )
    expect(() => listHistory(branched, { range: 'c1:d2' })).toThrow(/^Requested range c1:d2 does not refer/)
  })
  it('head with several heads names the argument', () => {
    const two = graph('a', 'b1<-a', 'b2<-a')
    expect(() => listHistory(two, { range: ':head' })).toThrow(MultipleHeadsError)
    expect(() => listHistory(two, { range: ':head' })).toThrow("given argument 'head'")
    expect(ids(listHistory(two, { range: ':heads' }))).toEqual(['b1', 'b2', 'a'])
  })
  it('a range without a colon is a usage error', () => {
    expect(() => listHistory(line, { range: 'head' })).toThrow(UsageError)
    expect(() => listHistory(line, { range: 'head' })).toThrow(
      'History range requires [start]:[end], [start]:, or :[end]',
    )
  })
})

describe('listBranchPoints and resolveDependencyHeads', () => {
  it('lists branch points newest first', () => {
    const g = graph('a', 'b<-a', 'c1<-b', 'c2<-b', 'd<-c1', 'e1<-d', 'e2<-d', 'x<-a')
    expect(ids(listBranchPoints(g))).toEqual(['d', 'b', 'a'])
  })
  it('heads --resolve-dependencies leaves out heads that others depend on', () => {
    const g = graph('a', 'b<-a', 'x', 'y<-x +b')
    expect(g.heads).toEqual(['b', 'y'])
    expect(resolveDependencyHeads(g)).toEqual(['y'])
  })
})
