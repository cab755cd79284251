import { describe, expect, it } from 'vitest'
import { RangeNotAncestorError, RevisionError } from '../../../src/errors.js'
import { iterateRevisions, type IterateOptions, type RevisionSpec } from '../../../src/revision/plan.js'
import type { RevisionGraph } from '../../../src/revision/revision-graph.js'
import { graph, ids } from '../../helpers/graph.js'

// Ported from Alembic's tests/test_revision.py (DownIterateTest and its subclasses). As there,
// `inclusive` defaults to true, and every result must respect the graph's partial order.
function iterate(
  g: RevisionGraph,
  upper: RevisionSpec,
  lower: RevisionSpec,
  options: IterateOptions = {},
): readonly string[] {
  const result = ids(iterateRevisions(g, upper, lower, { inclusive: true, ...options }))
  const position = new Map(result.map((id, index) => [id, index]))
  for (const id of result) {
    for (const down of g.normalizedDownOf.get(id) ?? []) {
      const downAt = position.get(down)
      if (downAt !== undefined) expect(downAt, `${down} must come after ${id}`).toBeGreaterThan(position.get(id) ?? -1)
    }
  }
  return result
}

describe('APITest', () => {
  it('test_iterate_tolerates_dupe_targets', () => {
    const g = graph('a', 'b<-a', 'c<-b')
    expect(iterate(g, ['c', 'c'], 'a', { inclusive: false })).toEqual(['c', 'b'])
  })
})

describe('DiamondTest', () => {
  it('test_iterate_simple_diamond', () => {
    const g = graph('a', 'b1<-a', 'b2<-a', 'c<-b1,b2', 'd<-c')
    expect(iterate(g, 'd', 'a')).toEqual(['d', 'c', 'b1', 'b2', 'a'])
  })
})

describe('EmptyMapTest', () => {
  it('test_iterate', () => {
    expect(iterate(graph(), 'head', 'base')).toEqual([])
  })
})

describe('LabeledBranchTest (iteration)', () => {
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

  it('test_iterate_head_to_named_base', () => {
    expect(iterate(g, 'heads', 'ebranch@base')).toEqual(['f', 'someothername', 'e', 'd'])
    expect(iterate(g, 'heads', 'abranch@base')).toEqual(['c', 'somelongername', 'b', 'a'])
  })

  it('test_iterate_named_head_to_base', () => {
    expect(iterate(g, 'ebranch@head', 'base')).toEqual(['f', 'someothername', 'e', 'd'])
    expect(iterate(g, 'abranch@head', 'base')).toEqual(['c', 'somelongername', 'b', 'a'])
  })

  it('test_iterate_named_head_to_heads', () => {
    expect(iterate(g, 'heads', 'ebranch@head')).toEqual(['f'])
  })

  it('test_iterate_named_rev_to_heads', () => {
    expect(iterate(g, 'heads', 'ebranch@d')).toEqual(['f', 'someothername', 'e', 'd'])
  })

  it('test_iterate_head_to_version_specific_base', () => {
    expect(iterate(g, 'heads', 'e@base')).toEqual(['f', 'someothername', 'e', 'd'])
    expect(iterate(g, 'heads', 'c@base')).toEqual(['c', 'somelongername', 'b', 'a'])
  })

  it('test_iterate_to_branch_at_rev', () => {
    expect(iterate(g, 'heads', 'ebranch@d')).toEqual(['f', 'someothername', 'e', 'd'])
  })

  it('test_branch_w_down_relative', () => {
    expect(iterate(g, 'heads', 'ebranch@-2')).toEqual(['f', 'someothername', 'e'])
  })

  it('test_branch_w_up_relative', () => {
    expect(iterate(g, 'ebranch@+2', 'base')).toEqual(['e', 'd'])
  })
})

describe('LongShortBranchTest', () => {
  it('test_iterate_full', () => {
    const g = graph('a', 'b1<-a', 'b2<-a', 'c1<-b1', 'd11<-c1', 'd12<-c1')
    expect(iterate(g, 'heads', 'base')).toEqual(['b2', 'd11', 'd12', 'c1', 'b1', 'a'])
  })
})

describe('MultipleBranchTest', () => {
  const g = graph(
    'a',
    'b1<-a',
    'b2<-a',
    'cb1<-b1',
    'cb2<-b2',
    'd1cb1<-cb1',
    'd2cb1<-cb1',
    'd1cb2<-cb2',
    'd2cb2<-cb2',
    'd3cb2<-cb2',
    'd1d2cb2<-d1cb2,d2cb2',
  )

  it('test_iterate_from_merge_point', () => {
    expect(iterate(g, 'd1d2cb2', 'a')).toEqual(['d1d2cb2', 'd1cb2', 'd2cb2', 'cb2', 'b2', 'a'])
  })
  it('test_iterate_multiple_heads', () => {
    expect(iterate(g, ['d2cb2', 'd3cb2'], 'a')).toEqual(['d2cb2', 'd3cb2', 'cb2', 'b2', 'a'])
  })
  it('test_iterate_single_branch', () => {
    expect(iterate(g, 'd3cb2', 'a')).toEqual(['d3cb2', 'cb2', 'b2', 'a'])
  })
  it('test_iterate_single_branch_to_base', () => {
    expect(iterate(g, 'd3cb2', 'base')).toEqual(['d3cb2', 'cb2', 'b2', 'a'])
  })
  it('test_iterate_multiple_branch_to_base', () => {
    expect(iterate(g, ['d3cb2', 'cb1'], 'base')).toEqual(['cb1', 'b1', 'd3cb2', 'cb2', 'b2', 'a'])
  })
  it('test_iterate_multiple_heads_single_base', () => {
    expect(iterate(g, ['d1cb1', 'd2cb2', 'd3cb2'], 'b2')).toEqual(['d2cb2', 'd3cb2', 'cb2', 'b2'])
  })
  it('test_same_branch_wrong_direction', () => {
    expect(() => iterate(g, 'b1', 'd1cb1')).toThrow(RangeNotAncestorError)
    expect(() => iterate(g, 'b1', 'd1cb1')).toThrow('Revision d1cb1 is not an ancestor of revision b1')
  })
  it('test_distinct_branches', () => {
    expect(() => iterate(g, 'd2cb2', 'b1')).toThrow('Revision b1 is not an ancestor of revision d2cb2')
  })
  it('test_wrong_direction_to_base_as_none', () => {
    expect(() => iterate(g, null, 'd1cb1')).toThrow('Revision d1cb1 is not an ancestor of revision base')
  })
  it('test_wrong_direction_to_base_as_empty', () => {
    expect(() => iterate(g, [], 'd1cb1')).toThrow('Revision d1cb1 is not an ancestor of revision base')
  })
})

describe('MultipleBranchEffectiveHead', () => {
  const g = graph('y1 @y', 'x1 @x', 'y2<-y1 +x1', 'x2<-x1')
  const down = { inclusive: false, selectForDowngrade: true }

  it('test_other_downgrade', () => {
    expect(iterate(g, ['x2', 'y2'], 'x@-1', down)).toEqual(['x2'])
  })
  it('test_use_all_current', () => {
    expect(iterate(g, ['x1', 'y2'], 'x@-1', down)).toEqual(['y2', 'x1'])
  })
  it('test_effective_head', () => {
    expect(iterate(g, 'y2', 'x@-1', down)).toEqual(['y2', 'x1'])
  })
})

describe('BranchTravellingTest', () => {
  const g = graph(
    'a1',
    'a2<-a1',
    'a3<-a2',
    'b1<-a3',
    'b2<-a3',
    'cb1<-b1',
    'cb2<-b2',
    'db1<-cb1',
    'db2<-cb2',
    'e1b1<-db1',
    'fe1b1<-e1b1',
    'e2b1<-db1',
    'e2b2<-db2',
    'merge<-e2b1,e2b2',
  )

  it('test_iterate_one_branch_both_to_merge', () => {
    expect(iterate(g, 'merge', 'db1', { implicitBase: true })).toEqual([
      'merge', 'e2b1', 'db1', 'e2b2', 'db2', 'cb2', 'b2',
    ])
  })
  it('test_three_branches_end_in_single_branch', () => {
    expect(iterate(g, ['merge', 'fe1b1'], 'a3')).toEqual([
      'fe1b1', 'e1b1', 'merge', 'e2b1', 'db1', 'cb1', 'b1', 'e2b2', 'db2', 'cb2', 'b2', 'a3',
    ])
  })
  it('test_two_branches_to_root', () => {
    expect(iterate(g, 'merge', 'a1')).toEqual([
      'merge', 'e2b1', 'db1', 'cb1', 'b1', 'e2b2', 'db2', 'cb2', 'b2', 'a3', 'a2', 'a1',
    ])
  })
  it('test_two_branches_end_in_branch', () => {
    expect(iterate(g, 'merge', 'b1')).toEqual(['merge', 'e2b1', 'db1', 'cb1', 'b1'])
  })
  it('test_two_branches_end_behind_branch', () => {
    expect(iterate(g, 'merge', 'a2')).toEqual([
      'merge', 'e2b1', 'db1', 'cb1', 'b1', 'e2b2', 'db2', 'cb2', 'b2', 'a3', 'a2',
    ])
  })
  it('test_three_branches_to_root', () => {
    expect(iterate(g, ['merge', 'fe1b1'], 'a1')).toEqual([
      'fe1b1', 'e1b1', 'merge', 'e2b1', 'db1', 'cb1', 'b1', 'e2b2', 'db2', 'cb2', 'b2', 'a3', 'a2', 'a1',
    ])
  })
  it('test_three_branches_end_multiple_bases', () => {
    expect(iterate(g, ['merge', 'fe1b1'], ['cb1', 'cb2'])).toEqual([
      'fe1b1', 'e1b1', 'merge', 'e2b1', 'db1', 'cb1', 'e2b2', 'db2', 'cb2',
    ])
  })
  it('test_three_branches_end_multiple_bases_exclusive', () => {
    expect(iterate(g, ['merge', 'fe1b1'], ['cb1', 'cb2'], { inclusive: false })).toEqual([
      'fe1b1', 'e1b1', 'merge', 'e2b1', 'db1', 'e2b2', 'db2',
    ])
  })
  it('test_detect_invalid_head_selection', () => {
    expect(() => iterate(g, ['db1', 'b2', 'fe1b1'], [])).toThrow(
      'Requested revision fe1b1 overlaps with other requested revisions db1',
    )
  })
  it('test_three_branches_end_multiple_bases_exclusive_blank', () => {
    expect(iterate(g, ['e2b1', 'b2', 'fe1b1'], [], { inclusive: false })).toEqual([
      'b2', 'fe1b1', 'e1b1', 'e2b1', 'db1', 'cb1', 'b1', 'a3', 'a2', 'a1',
    ])
  })
  it('test_iterate_to_symbolic_base', () => {
    expect(iterate(g, ['fe1b1'], 'base', { inclusive: false })).toEqual([
      'fe1b1', 'e1b1', 'db1', 'cb1', 'b1', 'a3', 'a2', 'a1',
    ])
  })
})

describe('MultipleBaseTest', () => {
  const g = graph(
    'base1',
    'base2',
    'base3',
    'a1a<-base1',
    'a1b<-base1',
    'a2<-base2',
    'a3<-base3',
    'b1a<-a1a',
    'b1b<-a1b',
    'b2<-a2',
    'b3<-a3',
    'c2<-b2',
    'd2<-c2',
    'mergeb3d2<-b3,d2',
  )
  const all = ['b1a', 'a1a', 'b1b', 'a1b', 'base1', 'mergeb3d2', 'b3', 'a3', 'base3', 'd2', 'c2', 'b2', 'a2', 'base2']

  it('test_heads_to_base', () => {
    expect(iterate(g, 'heads', 'base')).toEqual(all)
  })
  it('test_heads_to_base_exclusive', () => {
    expect(iterate(g, 'heads', 'base', { inclusive: false })).toEqual(all)
  })
  it('test_heads_to_blank', () => {
    expect(iterate(g, 'heads', null)).toEqual(all)
  })
  it('test_detect_invalid_base_selection', () => {
    expect(() => iterate(g, ['c2'], ['a2', 'b2'])).toThrow('overlaps with other requested revisions')
  })
  it('test_heads_to_revs_plus_implicit_base_exclusive', () => {
    expect(iterate(g, 'heads', ['c2'], { inclusive: false, implicitBase: true })).toEqual([
      'b1a', 'a1a', 'b1b', 'a1b', 'base1', 'mergeb3d2', 'b3', 'a3', 'base3', 'd2',
    ])
  })
  it('test_heads_to_revs_base_exclusive', () => {
    expect(iterate(g, 'heads', ['c2'], { inclusive: false })).toEqual(['mergeb3d2', 'd2'])
  })
  it('test_heads_to_revs_plus_implicit_base_inclusive', () => {
    expect(iterate(g, 'heads', ['c2'], { implicitBase: true })).toEqual([
      'b1a', 'a1a', 'b1b', 'a1b', 'base1', 'mergeb3d2', 'b3', 'a3', 'base3', 'd2', 'c2',
    ])
  })
  it('test_specific_path_one', () => {
    expect(iterate(g, 'b3', 'base3')).toEqual(['b3', 'a3', 'base3'])
  })
  it('test_specific_path_two_implicit_base', () => {
    expect(iterate(g, ['b3', 'b2'], 'base3', { inclusive: false, implicitBase: true })).toEqual([
      'b2', 'a2', 'base2', 'b3', 'a3',
    ])
  })
})

describe('MultipleBaseCrossDependencyTestOne', () => {
  const g = graph(
    'base1 @b_1',
    'a1a<-base1',
    'a1b<-base1',
    'b1a<-a1a',
    'b1b<-a1b +a3',
    'base2 @b_2',
    'a2<-base2',
    'b2<-a2',
    'c2<-b2 +a3',
    'd2<-c2',
    'base3 @b_3',
    'a3<-base3',
    'b3<-a3',
  )
  const down = { selectForDowngrade: true }

  it('test_what_are_the_heads (sorted in tsdb; Alembic keeps map order)', () => {
    expect(g.heads).toEqual(['b1a', 'b1b', 'b3', 'd2'])
  })
  it('test_heads_to_base', () => {
    expect(iterate(g, 'heads', 'base')).toEqual([
      'b1a', 'a1a', 'b1b', 'a1b', 'base1', 'd2', 'c2', 'b2', 'a2', 'base2', 'b3', 'a3', 'base3',
    ])
  })
  it('test_heads_to_base_downgrade', () => {
    expect(iterate(g, 'heads', 'base', down)).toEqual([
      'b1a', 'a1a', 'b1b', 'a1b', 'base1', 'd2', 'c2', 'b2', 'a2', 'base2', 'b3', 'a3', 'base3',
    ])
  })
  it('test_same_branch_wrong_direction', () => {
    expect(() => iterate(g, 'b2', 'd2')).toThrow('Revision d2 is not an ancestor of revision b2')
  })
  it('test_different_branch_not_wrong_direction', () => {
    expect(() => iterate(g, 'b3', 'd2')).toThrow('Revision d2 is not an ancestor of revision b3')
  })
  it('test_we_need_head2_upgrade', () => {
    expect(iterate(g, 'b_2@head', 'base')).toEqual(['d2', 'c2', 'b2', 'a2', 'base2', 'a3', 'base3'])
  })
  it('test_we_need_head2_downgrade', () => {
    expect(iterate(g, 'b_2@head', 'b_2@base', down)).toEqual(['d2', 'c2', 'b2', 'a2', 'base2'])
  })
  it('test_we_need_head3_upgrade', () => {
    expect(iterate(g, 'b_3@head', 'base')).toEqual(['b3', 'a3', 'base3'])
  })
  it('test_we_need_head3_downgrade', () => {
    expect(iterate(g, 'b_3@head', 'base', down)).toEqual(['b3', 'a3', 'base3'])
  })
  it('test_we_need_head1_upgrade', () => {
    expect(iterate(g, 'b1b@head', 'base')).toEqual(['b1b', 'a1b', 'base1', 'a3', 'base3'])
  })
  it('test_we_need_head1_downgrade', () => {
    expect(iterate(g, 'b1b@head', 'b1b@base', down)).toEqual(['b1b', 'a1b', 'base1'])
  })
  it('test_we_need_base2_upgrade', () => {
    expect(iterate(g, 'heads', 'b_2@base')).toEqual(['d2', 'c2', 'b2', 'a2', 'base2', 'a3', 'base3'])
  })
  it('test_we_need_base2_downgrade', () => {
    expect(iterate(g, 'heads', 'b_2@base', down)).toEqual(['d2', 'c2', 'b2', 'a2', 'base2'])
  })
  it('test_we_need_base3_upgrade', () => {
    expect(iterate(g, 'heads', 'b_3@base')).toEqual(['b3', 'a3', 'base3'])
  })
  it('test_we_need_base3_downgrade', () => {
    expect(iterate(g, 'heads', 'b_3@base', down)).toEqual(['b1b', 'd2', 'c2', 'b3', 'a3', 'base3'])
  })
})

describe('MultipleBaseCrossDependencyTestTwo', () => {
  const g = graph(
    'base1 @b_1',
    'a1<-base1',
    'b1<-a1',
    'c1<-b1',
    'base2 +b_1 @b_2',
    'a2<-base2',
    'b2<-a2',
    'c2<-b2',
    'd2<-c2',
    'base3 @b_3',
    'a3<-base3',
    'b3<-a3',
    'c3<-b3 +b2',
    'd3<-c3',
  )

  it('test_what_are_the_heads', () => {
    expect(g.heads).toEqual(['c1', 'd2', 'd3'])
  })
  it('test_heads_to_base', () => {
    expect(iterate(g, 'heads', 'base')).toEqual([
      'c1', 'b1', 'a1', 'd2', 'c2', 'd3', 'c3', 'b3', 'a3', 'base3', 'b2', 'a2', 'base2', 'base1',
    ])
  })
  it('test_we_need_head2', () => {
    expect(iterate(g, 'b_2@head', 'base')).toEqual(['d2', 'c2', 'b2', 'a2', 'base2', 'base1'])
  })
  it('test_we_need_head3', () => {
    expect(iterate(g, 'b_3@head', 'base')).toEqual(['d3', 'c3', 'b3', 'a3', 'base3', 'b2', 'a2', 'base2', 'base1'])
  })
  it('test_we_need_head1', () => {
    expect(iterate(g, 'b_1@head', 'base')).toEqual(['c1', 'b1', 'a1', 'base1'])
  })
  it('test_we_need_base1', () => {
    expect(iterate(g, 'heads', 'b_1@base')).toEqual(['c1', 'b1', 'a1', 'base1'])
  })
  it('test_we_need_base2', () => {
    expect(iterate(g, 'heads', 'b_2@base')).toEqual(['d2', 'c2', 'b2', 'a2', 'base2', 'base1'])
  })
  it('test_we_need_base3', () => {
    expect(iterate(g, 'heads', 'b_3@base')).toEqual(['d3', 'c3', 'b3', 'a3', 'base3', 'b2', 'a2', 'base2', 'base1'])
  })
})

describe('MultipleBaseCrossDependencyTestThree', () => {
  it('test_traverse_no_parent_but_a_dep', () => {
    const g = graph('base1', 'a1<-base1', 'b1<-a1', 'c2 +a1', 'c3<-c2')
    expect(iterate(g, 'heads', 'base')).toEqual(['b1', 'c3', 'c2', 'a1', 'base1'])
  })
})

describe('GraphWithLoopTest (iteration)', () => {
  it('test_revision_dupe_head', () => {
    const g = graph('user_foo', 'user<-user_foo +user_foo')
    expect(iterate(g, 'heads', null)).toEqual(['user', 'user_foo'])
  })
  it('test_revision_map_no_loop_w_overlapping_substrings', () => {
    expect(iterate(graph('user_foo', 'user<-user_foo'), 'heads', null)).toEqual(['user', 'user_foo'])
  })
  it('test_revision_map_no_loop_w_overlapping_substrings_dependencies', () => {
    expect(iterate(graph('user_foo', 'user +user_foo'), 'heads', null)).toEqual(['user', 'user_foo'])
  })
})

describe('NormalizedDownRevTest', () => {
  const g = graph('a1', 'a2<-a1', 'a3<-a2', 'b1', 'b2<-b1 +a3', 'b3<-b2', 'b4<-b3 +a3', 'b5<-b4 +b4')
  const down = { selectForDowngrade: true }

  it('test_normalized_down_revisions', () => {
    expect(g.dependenciesOf.get('b4')).toEqual(['a3'])
    // a3 is left out because ancestor b2 already depends on it
    expect(g.normalizedDownOf.get('b4')).toEqual(['b3'])
  })
  it('test_dupe_dependency', () => {
    expect(g.normalizedDownOf.get('b5')).toEqual(['b4'])
  })
  it('test_branch_traversal', () => {
    expect(iterate(g, 'b4', 'b1@base', down)).toEqual(['b4', 'b3', 'b2', 'b1'])
  })
  it('test_all_traversal', () => {
    expect(iterate(g, 'heads', 'base', down)).toEqual(['b5', 'b4', 'b3', 'b2', 'b1', 'a3', 'a2', 'a1'])
  })
  it('test_partial_traversal', () => {
    expect(iterate(g, 'heads', 'a2', down)).toEqual(['b5', 'b4', 'b3', 'b2', 'a3', 'a2'])
  })
  it('test_partial_traversal_implicit_base_one', () => {
    expect(iterate(g, 'heads', 'a2', { ...down, implicitBase: true })).toEqual([
      'b5', 'b4', 'b3', 'b2', 'b1', 'a3', 'a2',
    ])
  })
  it('test_partial_traversal_implicit_base_two', () => {
    expect(iterate(g, 'b5', ['b1'], { implicitBase: true })).toEqual(['b5', 'b4', 'b3', 'b2', 'b1', 'a3', 'a2', 'a1'])
  })
  it('test_partial_traversal_implicit_base_three', () => {
    const g3 = graph('c1', 'a1', 'a2<-a1 +c1', 'a3<-a2 +c1', 'b1', 'b2<-b1 +a3', 'b3<-b2', 'b4<-b3 +a3', 'b5<-b4')
    expect(iterate(g3, 'b5', ['b1'], { implicitBase: true })).toEqual([
      'b5', 'b4', 'b3', 'b2', 'b1', 'a3', 'a2', 'a1', 'c1',
    ])
  })
})

describe('errors of iteration', () => {
  it('raises RevisionError for an ambiguous walk (Alembic "Ambiguous walk")', () => {
    const g = graph('a', 'b1<-a', 'b2<-a')
    expect(() => iterate(g, '+2', 'base')).toThrow(RevisionError)
    expect(() => iterate(g, '+2', 'base')).toThrow(/^Ambiguous walk/)
  })
})
