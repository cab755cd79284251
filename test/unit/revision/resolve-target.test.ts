import { describe, expect, it } from 'vitest'
import {
  AmbiguousRevisionError,
  MultipleHeadsError,
  RelativeRevisionError,
  UnknownRevisionError,
} from '../../../src/errors.js'
import { filterForLineage, getRevision, getRevisions, resolveRevisions } from '../../../src/revision/resolve-target.js'
import { graph } from '../../helpers/graph.js'

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    if (error instanceof Error) return error
  }
  throw new Error('expected a throw')
}

describe('APITest (Alembic get_revision / get_revisions)', () => {
  const single = graph('a', 'b<-a', 'c<-b')
  const two = graph('a', 'b<-a', 'c1<-b', 'c2<-b')

  it('test_get_revision_head_single', () => {
    expect(getRevision(single, 'head')).toBe('c')
  })
  it('test_get_revision_base_single', () => {
    expect(getRevision(single, 'base')).toBeNull()
  })
  it('test_get_revision_head_multiple', () => {
    const error = thrown(() => getRevision(two, 'head'))
    expect(error).toBeInstanceOf(MultipleHeadsError)
    expect((error as MultipleHeadsError).heads).toEqual(['c1', 'c2'])
    expect(error.message).toContain("Multiple head revisions are present for given argument 'head'")
  })
  it('test_get_revision_heads_multiple', () => {
    expect(() => getRevision(two, 'heads')).toThrow(MultipleHeadsError)
  })
  it('test_get_revisions_head_multiple', () => {
    expect(() => getRevisions(two, 'head', { overwalk: 'error' })).toThrow(MultipleHeadsError)
  })
  it('test_get_revisions_heads_multiple', () => {
    expect(getRevisions(two, 'heads', { overwalk: 'error' })).toEqual(['c1', 'c2'])
  })
  it('test_get_revision_base_multiple', () => {
    expect(getRevision(graph('a', 'b<-a', 'c', 'd<-c'), 'base')).toBeNull()
  })
})

describe('LabeledBranchTest (Alembic get_revision with labels)', () => {
  const g = graph(
    'a @abranch',
    'b<-a',
    'somelongername<-b',
    'c<-somelongername',
    'd',
    'e<-d @ebranch',
    'someothername<-e',
    'f<-someothername',
  )

  it('test_filter_for_lineage_labeled_head_across_merge', () => {
    const merged = graph('a', 'b<-a', 'c1<-b @c1branch', 'c2<-b', 'd<-c1,c2')
    expect(filterForLineage(merged, ['c1', 'c2', 'd'], 'c1branch@head')).toEqual(['c1', 'c2', 'd'])
  })
  it('test_filter_for_lineage_heads', () => {
    expect(filterForLineage(g, ['f'], 'heads')).toEqual(['f'])
  })
  it('test_get_base_revisions_labeled', () => {
    expect(filterForLineage(g, g.bases, 'somelongername@base')).toEqual(['a'])
  })
  it('test_get_current_named_rev', () => {
    expect(getRevision(g, 'ebranch@head')).toBe('f')
  })
  it('test_get_base_revisions', () => {
    expect(filterForLineage(g, g.bases, 'base')).toEqual(['a', 'd'])
  })
  it('test_partial_id_resolve', () => {
    expect(getRevision(g, 'ebranch@some')).toBe('someothername')
    expect(getRevision(g, 'abranch@some')).toBe('somelongername')
  })
  it('test_partial_id_resolve_too_short', () => {
    expect(() => getRevision(g, 'ebranch@sos')).toThrow(
      "Can't locate revision identified by 'sos'; please ensure at least four characters are present for " +
        'partial revision identifier matches',
    )
  })
  it('test_branch_at_heads', () => {
    expect(getRevision(g, 'abranch@heads')).toBe('c')
  })
  it('test_branch_at_syntax', () => {
    expect(getRevision(g, 'abranch@head')).toBe('c')
    expect(getRevision(g, 'abranch@base')).toBeNull()
    expect(getRevision(g, 'ebranch@head')).toBe('f')
    expect(getRevision(g, 'ebranch@d')).toBe('d')
  })
  it('test_branch_at_self', () => {
    expect(getRevision(g, 'ebranch@ebranch')).toBe('e')
  })
  it('test_retrieve_branch_revision', () => {
    expect(getRevision(g, 'abranch')).toBe('a')
    expect(getRevision(g, 'ebranch')).toBe('e')
  })
  it('test_rev_not_in_branch', () => {
    expect(() => getRevision(g, 'ebranch@b')).toThrow('Revision b is not a member of branch \'ebranch\'')
    expect(() => getRevision(g, 'abranch@d')).toThrow('Revision d is not a member of branch \'abranch\'')
    expect(() => getRevision(g, 'abranch@d')).toThrow(UnknownRevisionError)
  })
  it('test_actually_short_rev_name', () => {
    expect(getRevision(g, 'e')).toBe('e')
  })
  it('test_no_revision_exists', () => {
    const error = thrown(() => getRevision(g, 'abranch@qprstuv'))
    expect(error).toBeInstanceOf(UnknownRevisionError)
    expect(error.message).toBe("Can't locate revision identified by 'qprstuv'")
    expect((error as UnknownRevisionError).revision).toBe('qprstuv')
    expect(() => getRevision(g, 'abranch@qpr')).toThrow(
      "Can't locate revision identified by 'qpr'; please ensure at least four characters",
    )
  })
  it('test_not_actually_a_branch', () => {
    expect(getRevision(g, 'e@d')).toBe('d')
  })
  it('test_not_actually_a_branch_partial_resolution', () => {
    expect(getRevision(g, 'someoth@d')).toBe('d')
  })
  it('test_no_such_branch', () => {
    expect(() => getRevision(g, 'x@d')).toThrow("no such branch: 'x'")
  })
})

describe('resolveRevisions', () => {
  const g = graph('ae1027a6acf', 'ae1f00000001<-ae1027a6acf', '27c6a30d7c24<-ae1f00000001', 'b2aa<-27c6a30d7c24 @lib')

  it('resolves a full id and a unique prefix (Alembic _revision_for_ident)', () => {
    expect(resolveRevisions(g, '27c6a30d7c24', [])).toEqual(['27c6a30d7c24'])
    expect(resolveRevisions(g, '27c', [])).toEqual(['27c6a30d7c24'])
    expect(resolveRevisions(g, 'ae10', [])).toEqual(['ae1027a6acf'])
  })
  it('an ambiguous prefix lists every candidate, sorted', () => {
    const error = thrown(() => resolveRevisions(g, 'ae1', []))
    expect(error).toBeInstanceOf(AmbiguousRevisionError)
    expect((error as AmbiguousRevisionError).candidates).toEqual(['ae1027a6acf', 'ae1f00000001'])
    expect(error.message).toContain('ae1027a6acf, ae1f00000001')
  })
  it('an unknown revision uses Alembic words', () => {
    expect(() => resolveRevisions(g, 'ffff0000', [])).toThrow("Can't locate revision identified by 'ffff0000'")
  })
  it('head, heads, base, a label, label@head, label@base', () => {
    expect(resolveRevisions(g, 'head', [])).toEqual(['b2aa'])
    expect(resolveRevisions(g, 'heads', [])).toEqual(['b2aa'])
    expect(resolveRevisions(g, 'base', [])).toEqual([])
    expect(resolveRevisions(g, 'lib', [])).toEqual(['b2aa'])
    expect(resolveRevisions(g, 'lib@head', [])).toEqual(['b2aa'])
    expect(resolveRevisions(g, 'lib@base', [])).toEqual([])
  })
  it('relative forms', () => {
    expect(resolveRevisions(g, '-1', [])).toEqual(['27c6a30d7c24'])
    expect(resolveRevisions(g, 'head-2', [])).toEqual(['ae1f00000001'])
    expect(resolveRevisions(g, 'ae10+2', [])).toEqual(['27c6a30d7c24'])
    expect(resolveRevisions(g, '+1', ['ae1027a6acf'])).toEqual(['ae1f00000001'])
    expect(resolveRevisions(g, '+1', [])).toEqual(['ae1027a6acf'])
    expect(() => resolveRevisions(g, '-9', [])).toThrow(RelativeRevisionError)
    expect(() => resolveRevisions(g, 'head+1', [])).toThrow(/^Walked too far/)
  })
  it('current names the current heads (validated)', () => {
    expect(resolveRevisions(g, 'current', ['27c6a30d7c24'])).toEqual(['27c6a30d7c24'])
    expect(() => resolveRevisions(g, 'current', ['nope0000'])).toThrow(UnknownRevisionError)
  })
  it('head with several heads raises MultipleHeadsError', () => {
    const two = graph('a', 'b1<-a', 'b2<-a')
    expect(() => resolveRevisions(two, 'head', [])).toThrow(MultipleHeadsError)
    expect(resolveRevisions(two, 'heads', [])).toEqual(['b1', 'b2'])
  })
})
