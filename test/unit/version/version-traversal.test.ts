import { describe, expect, it } from 'vitest'
import { RangeNotAncestorError, RelativeRevisionError, RevisionError } from '../../../src/errors.js'
import type { MigrationStep } from '../../../src/revision/migration-step.js'
import { planDowngrade, planUpgrade } from '../../../src/revision/plan.js'
import type { RevisionGraph } from '../../../src/revision/revision-graph.js'
import { planVersionChanges } from '../../../src/version/plan-version-changes.js'
import { applySteps, graph, ids } from '../../helpers/graph.js'

// Ported from Alembic's tests/test_version_traversal.py: each scenario checks the steps in
// order AND the heads the version table ends with when planVersionChanges applies them.

function assertUpgrade(
  g: RevisionGraph,
  destination: string | readonly string[],
  source: readonly string[],
  expected: readonly string[],
  expectedHeads: readonly string[],
): void {
  const steps = planUpgrade(g, source, destination)
  expect(ids(steps)).toEqual(expected)
  expect(steps.every((step) => step.direction === 'up')).toBe(true)
  expect(applySteps(g, source, steps)).toEqual([...expectedHeads].sort())
}

function assertDowngrade(
  g: RevisionGraph,
  destination: string,
  source: readonly string[],
  expected: readonly string[],
  expectedHeads: readonly string[],
): void {
  const steps = planDowngrade(g, source, destination)
  expect(ids(steps)).toEqual(expected)
  expect(steps.every((step) => step.direction === 'down')).toBe(true)
  expect(applySteps(g, source, steps)).toEqual([...expectedHeads].sort())
}

function up(g: RevisionGraph, id: string): MigrationStep {
  const revision = g.byId.get(id)
  if (revision === undefined) throw new Error(id)
  return { direction: 'up', revision }
}

describe('RevisionPathTest', () => {
  const g = graph('a', 'b<-a', 'c<-b', 'd<-c', 'e<-d')

  it('test_downgrade_base_no_version', () => {
    assertDowngrade(g, 'base', [], [], [])
  })
  it('test_downgrade_to_existing (#838)', () => {
    assertDowngrade(g, 'a', ['a'], [], ['a'])
  })
  it('test_downgrade_to_existing_head (#839)', () => {
    assertDowngrade(g, 'e', ['e'], [], ['e'])
  })
  it('test_upgrade_path', () => {
    assertUpgrade(g, 'e', ['c'], ['d', 'e'], ['e'])
    assertUpgrade(g, 'c', [], ['a', 'b', 'c'], ['c'])
  })
  it('test_relative_upgrade_path', () => {
    assertUpgrade(g, '+2', ['a'], ['b', 'c'], ['c'])
    assertUpgrade(g, '+1', ['a'], ['b'], ['b'])
    assertUpgrade(g, '+3', ['b'], ['c', 'd', 'e'], ['e'])
    assertUpgrade(g, 'b+2', ['a'], ['b', 'c', 'd'], ['d'])
    assertUpgrade(g, 'd-2', ['a'], ['b'], ['b'])
  })
  it('test_invalid_relative_upgrade_path', () => {
    expect(() => planUpgrade(g, ['b'], '-2')).toThrow(RelativeRevisionError)
    expect(() => planUpgrade(g, ['b'], '-2')).toThrow("Relative revision -2 didn't produce 2 migrations")
    expect(() => planUpgrade(g, ['b'], '+5')).toThrow("Relative revision +5 didn't produce 5 migrations")
  })
  it('test_downgrade_path', () => {
    assertDowngrade(g, 'c', ['e'], ['e', 'd'], ['c'])
    assertDowngrade(g, 'base', ['c'], ['c', 'b', 'a'], [])
  })
  it('test_relative_downgrade_path', () => {
    assertDowngrade(g, '-1', ['c'], ['c'], ['b'])
    assertDowngrade(g, '-3', ['e'], ['e', 'd', 'c'], ['b'])
    assertDowngrade(g, 'a+2', ['d'], ['d'], ['c'])
    assertDowngrade(g, 'c-2', ['d'], ['d', 'c', 'b'], ['a'])
  })
  it('test_invalid_relative_downgrade_path', () => {
    expect(() => planDowngrade(g, ['b'], '-5')).toThrow("Relative revision -5 didn't produce 5 migrations")
    expect(() => planDowngrade(g, ['b'], '+2')).toThrow("Relative revision +2 didn't produce 2 migrations")
  })
  it('test_invalid_move_rev_to_none', () => {
    const g2 = graph('e6239818bb3a', '548bbb905360<-e6239818bb3a', 'b7ea43dc85e4<-548bbb905360')
    expect(() => planDowngrade(g2, [], '548')).toThrow(RangeNotAncestorError)
    expect(() => planDowngrade(g2, [], '548')).toThrow(
      'Destination 548 is not a valid downgrade target from current head(s)',
    )
  })
  it('test_invalid_move_higher_to_lower', () => {
    const g2 = graph('e6239818bb3a', '548bbb905360<-e6239818bb3a', 'b7ea43dc85e4<-548bbb905360')
    expect(() => planDowngrade(g2, ['548bbb905360'], 'b7ea')).toThrow(
      'Destination b7ea is not a valid downgrade target from current head(s)',
    )
  })
  it('upgrading to a revision on another branch applies just it (implicit base, as Alembic)', () => {
    const g2 = graph('a', 'b1<-a', 'b2<-a')
    expect(() => planUpgrade(g2, ['b1'], 'b2')).not.toThrow()
    expect(ids(planUpgrade(g2, ['b1'], 'b2'))).toEqual(['b2'])
  })
})

describe('BranchedPathTest', () => {
  const g = graph('a', 'b<-a', 'c1<-b @c1branch', 'd1<-c1', 'c2<-b @c2branch', 'd2<-c2')

  it('test_upgrade_single_branch', () => {
    assertUpgrade(g, 'd1', ['b'], ['c1', 'd1'], ['d1'])
  })
  it('test_upgrade_multiple_branch', () => {
    assertUpgrade(g, ['d1', 'd2'], ['a'], ['b', 'c2', 'd2', 'c1', 'd1'], ['d1', 'd2'])
  })
  it('test_downgrade_multiple_branch', () => {
    assertDowngrade(g, 'a', ['d1', 'd2'], ['d1', 'c1', 'd2', 'c2', 'b'], ['a'])
  })
  it('test_relative_upgrade', () => {
    assertUpgrade(g, 'c2branch@head-1', ['b'], ['c2'], ['c2'])
  })
  it('test_relative_downgrade_baseplus2', () => {
    assertDowngrade(g, 'base+2', ['d2', 'd1'], ['d1', 'c1', 'd2', 'c2'], ['b'])
  })
  it('test_relative_downgrade_branchplus2', () => {
    assertDowngrade(g, 'c2branch@base+2', ['d2', 'd1'], ['d2', 'c2'], ['d1'])
  })
  it('test_relative_downgrade_branchplus3', () => {
    assertDowngrade(g, 'c2', ['d2', 'd1'], ['d2'], ['d1', 'c2'])
    assertDowngrade(g, 'c2branch@base+3', ['d2', 'd1'], ['d2'], ['d1', 'c2'])
  })
  it('test_downgrade_once_order_right', () => {
    assertDowngrade(g, '-1', ['d2', 'd1'], ['d2'], ['d1', 'c2'])
  })
  it('test_downgrade_once_order_right_unbalanced', () => {
    assertDowngrade(g, '-1', ['c2', 'd1'], ['c2'], ['d1'])
  })
  it('test_downgrade_once_order_left', () => {
    assertDowngrade(g, '-1', ['d1', 'd2'], ['d1'], ['d2', 'c1'])
  })
  it('test_downgrade_once_order_left_unbalanced', () => {
    assertDowngrade(g, '-1', ['c1', 'd2'], ['c1'], ['d2'])
  })
  it('test_downgrade_once_order_left_unbalanced_labelled', () => {
    assertDowngrade(g, 'c1branch@-1', ['d1', 'd2'], ['d1'], ['c1', 'd2'])
  })
  it('test_downgrade_relative_order_right (#765)', () => {
    assertDowngrade(g, 'd2-1', ['d2', 'c1'], ['d2'], ['c1', 'c2'])
  })
  it('test_downgrade_relative_order_left (#765)', () => {
    assertDowngrade(g, 'd2-1', ['c1', 'd2'], ['d2'], ['c1', 'c2'])
  })
  it('test_downgrade_single_branch_c1branch', () => {
    assertDowngrade(g, 'c1branch@b', ['c1', 'd2'], ['c1'], ['d2'])
  })
  it('test_downgrade_single_branch_c1branch_from_d1_head', () => {
    assertDowngrade(g, 'c2branch@b', ['c1', 'd2'], ['d2', 'c2'], ['c1'])
  })
  it('test_downgrade_single_branch_c2', () => {
    assertDowngrade(g, 'c2@b', ['d1', 'd2'], ['d2', 'c2'], ['d1'])
  })
  it('test_downgrade_single_branch_d1', () => {
    assertDowngrade(g, 'd1@b', ['d1', 'd2'], ['d1', 'c1'], ['d2'])
  })
  it('test_downgrade_relative_to_branch_head', () => {
    assertDowngrade(g, 'c1branch@head-1', ['d1', 'd2'], ['d1'], ['c1', 'd2'])
  })
  it('test_upgrade_other_branch_from_mergepoint', () => {
    assertUpgrade(g, 'c2branch@+1', ['c1'], ['c2'], ['c1', 'c2'])
  })
  it('test_upgrade_one_branch_of_heads', () => {
    assertUpgrade(g, 'c2branch@+1', ['c1', 'c2'], ['d2'], ['c1', 'd2'])
  })
  it('test_ambiguous_upgrade', () => {
    expect(() => planUpgrade(g, ['c1', 'c2'], '+1')).toThrow(RevisionError)
    expect(() => planUpgrade(g, ['c1', 'c2'], '+1')).toThrow(/^Ambiguous upgrade from multiple current revisions/)
  })
  it('test_upgrade_from_base', () => {
    assertUpgrade(g, 'base+1', [], ['a'], ['a'])
  })
  it('test_upgrade_from_base_implicit', () => {
    assertUpgrade(g, '+1', [], ['a'], ['a'])
  })
  it('test_downgrade_minus1_to_base', () => {
    assertDowngrade(g, '-1', ['a'], ['a'], [])
  })
  it('test_downgrade_minus1_from_base', () => {
    expect(() => planDowngrade(g, [], '-1')).toThrow("Relative revision -1 didn't produce 1 migrations")
  })
  it('test_downgrade_no_effect_branched', () => {
    assertDowngrade(g, 'c2', ['d1', 'c2'], [], ['d1', 'c2'])
    assertDowngrade(g, 'd1', ['d1', 'c2'], [], ['d1', 'c2'])
  })
  it('upgrade head with two heads raises MultipleHeadsError with Alembic text', () => {
    expect(() => planUpgrade(g, [], 'head')).toThrow(
      "Multiple head revisions are present for given argument 'head'; please specify a specific target " +
        "revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    )
  })
  it('upgrade heads upgrades every branch; label@head only one', () => {
    assertUpgrade(g, 'heads', [], ['a', 'b', 'c2', 'd2', 'c1', 'd1'], ['d1', 'd2'])
    assertUpgrade(g, 'c1branch@head', [], ['a', 'b', 'c1', 'd1'], ['d1'])
  })
  it('downgrade base from two heads reverts everything', () => {
    assertDowngrade(g, 'base', ['d1', 'd2'], ['d1', 'c1', 'd2', 'c2', 'b', 'a'], [])
  })
  it('downgrade c1branch@base goes to the root both branches share, as in Alembic', () => {
    assertDowngrade(g, 'c1branch@base', ['d1', 'd2'], ['d1', 'c1', 'd2', 'c2', 'b', 'a'], [])
  })
  it('downgrade <label>@base with several roots reverts that root line only', () => {
    const forest = graph('a1 @x', 'b1<-a1', 'a2 @y', 'b2<-a2')
    assertDowngrade(forest, 'x@base', ['b1', 'b2'], ['b1', 'a1'], ['b2'])
  })
})

describe('BranchFromMergepointTest', () => {
  const g = graph('a1', 'b1<-a1', 'c1<-b1', 'a2', 'b2<-a2', 'c2<-b2', 'd1<-c1,c2', 'd2<-c2')

  it('test_mergepoint_to_only_one_side_upgrade', () => {
    assertUpgrade(g, 'd1', ['d2', 'b1'], ['c1', 'd1'], ['d2', 'd1'])
  })
  it('test_mergepoint_to_only_one_side_downgrade', () => {
    assertDowngrade(g, 'b1', ['d2', 'd1'], ['d1', 'c1'], ['d2', 'b1'])
  })
})

describe('BranchFrom3WayMergepointTest', () => {
  const g = graph(
    'a1', 'b1<-a1', 'c1<-b1',
    'a2', 'b2<-a2', 'c2<-b2',
    'a3', 'b3<-a3', 'c3<-b3',
    'd1<-c1,c2,c3', 'd2<-c2', 'd3<-c3',
  )

  it('test_mergepoint_to_only_one_side_upgrade', () => {
    assertUpgrade(g, 'd1', ['d3', 'd2', 'b1'], ['c1', 'd1'], ['d3', 'd2', 'd1'])
  })
  it('test_mergepoint_to_only_one_side_downgrade', () => {
    assertDowngrade(g, 'b1', ['d3', 'd2', 'd1'], ['d1', 'c1'], ['d3', 'd2', 'b1'])
  })
  it('test_mergepoint_to_two_sides_upgrade', () => {
    assertUpgrade(g, 'd1', ['d3', 'b2', 'b1'], ['c2', 'c1', 'd1'], ['d3', 'd1'])
    // but then b2 breaks out again when it keeps going
    assertUpgrade(g, 'd2', ['d3', 'd1'], ['d2'], ['d3', 'd2', 'd1'])
  })
})

describe('TwinMergeTest (#297)', () => {
  it('test_upgrade', () => {
    const g = graph('a', 'b1<-a', 'b2<-a', 'b3<-a', 'c1<-b1,b2,b3', 'c2<-b1,b2,b3', 'd1<-c1', 'd2<-c2')
    let heads: ReadonlySet<string> = new Set(['a'])
    const expected: readonly (readonly [string, readonly string[]])[] = [
      ['b3', ['b3']],
      ['b1', ['b1', 'b3']],
      ['b2', ['b1', 'b2', 'b3']],
      ['c2', ['c2']],
      ['d2', ['d2']],
      ['c1', ['c1', 'd2']],
      ['d1', ['d1', 'd2']],
    ]
    for (const [id, after] of expected) {
      heads = planVersionChanges(heads, up(g, id), g).nextHeads
      expect([...heads].sort()).toEqual(after)
    }
  })
})

describe('NotQuiteTwinMergeTest', () => {
  it('test_upgrade', () => {
    const g = graph('a', 'b1<-a', 'b2<-a', 'b3<-a', 'c1<-b1,b2', 'c2<-b2,b3', 'd1<-c1', 'd2<-c2')
    let heads: ReadonlySet<string> = new Set(['a'])
    const expected: readonly (readonly [string, readonly string[]])[] = [
      ['b2', ['b2']],
      ['b3', ['b2', 'b3']],
      ['c2', ['c2']],
      ['d2', ['d2']],
      ['b1', ['b1', 'd2']],
      ['c1', ['c1', 'd2']],
      ['d1', ['d1', 'd2']],
    ]
    for (const [id, after] of expected) {
      heads = planVersionChanges(heads, up(g, id), g).nextHeads
      expect([...heads].sort()).toEqual(after)
    }
  })
})

describe('DependsOnBranchTestOne', () => {
  const g = graph('a1 @lib1', 'b1<-a1', 'c1<-b1', 'a2', 'b2<-a2', 'c2<-b2 +c1', 'd1<-c1', 'e1<-d1', 'f1<-e1')

  it('test_downgrade_to_dependency', () => {
    const d1 = g.byId.get('d1')
    if (d1 === undefined) throw new Error('d1')
    const plan = planVersionChanges(new Set(['c2', 'd1']), { direction: 'down', revision: d1 }, g)
    expect([...plan.nextHeads]).toEqual(['c2'])
    expect(plan.changes).toEqual([{ kind: 'delete', id: 'd1' }])
  })
})

describe('DependsOnBranchTestTwo', () => {
  const g = graph(
    'a1', 'a2', 'a3', 'amerge<-a1,a2,a3',
    'b1', 'b2', 'bmerge<-b1,b2',
    'c1', 'c2', 'c3', 'cmerge<-c1,c2,c3',
    'd1 +a3,b2,c1',
  )

  it('test_kaboom', () => {
    assertDowngrade(g, 'b2', ['amerge', 'bmerge', 'cmerge', 'd1'], ['bmerge'], ['amerge', 'b1', 'cmerge', 'd1'])
    // b2 has to be INSERTed, because it was implied by d1
    assertDowngrade(g, 'd1@base', ['amerge', 'd1', 'b1', 'cmerge'], ['d1'], ['amerge', 'b1', 'b2', 'cmerge'])
    assertDowngrade(
      g,
      'base',
      ['amerge', 'b1', 'b2', 'cmerge'],
      ['amerge', 'a1', 'b1', 'b2', 'cmerge', 'c1', 'a2', 'a3', 'c2', 'c3'],
      [],
    )
  })
})

describe('DependsOnBranchTestThree (#377)', () => {
  it('test_downgrade_over_crisscross', () => {
    const g = graph('a1', 'a2<-a1', 'b1', 'b2<-b1 +a2', 'b3<-b2', 'a3<-a2 +b1')
    assertDowngrade(g, 'b1', ['a3', 'b2'], ['b2'], ['a3'])
  })
})

describe('DependsOnOwnDownrevTest (#843)', () => {
  const g = graph('a1', 'a2<-a1 +a1')
  it('test_traverse', () => {
    assertUpgrade(g, 'a2', [], ['a1', 'a2'], ['a2'])
  })
  it('test_traverse_down', () => {
    assertDowngrade(g, 'a1', ['a2'], ['a2'], ['a1'])
  })
})

describe('DependsOnBranchTestFour (#789)', () => {
  it('test_dependencies_are_normalized', () => {
    const g = graph('a1', 'a2<-a1', 'a3<-a2', 'b1', 'b2<-b1 +a3', 'b3<-b2', 'b4<-b3 +a3')
    // a3 is not left behind, because b3 still implies it
    assertDowngrade(g, 'b3', ['b4'], ['b4'], ['b3'])
  })
})

describe('DependsOnBranchTestFive (#1373)', () => {
  it('test_downgrade_to_depends_on', () => {
    const g = graph('a1', 'b1 +a1', 'bmerge<-a1,b1')
    assertUpgrade(g, 'b1', ['a1'], ['b1'], ['b1'])
    assertUpgrade(g, 'bmerge', ['b1'], ['bmerge'], ['bmerge'])
    assertDowngrade(g, 'a1', ['bmerge'], ['bmerge'], ['b1'])
    assertDowngrade(g, 'b1', ['bmerge'], ['bmerge'], ['b1'])
  })
})

describe('DependsOnBranchLabelTest', () => {
  it('test_upgrade_path', () => {
    const g = graph(
      'a1 @lib1', 'b1<-a1', 'c1<-b1 @c1lib',
      'a2', 'b2<-a2', 'c2<-b2 +c1lib',
      'd1<-c1', 'e1<-d1', 'f1<-e1',
    )
    assertUpgrade(g, 'c2', ['a2'], ['a1', 'b1', 'c1', 'b2', 'c2'], ['c2'])
  })
})

describe('ForestTest', () => {
  it('test_base_to_heads', () => {
    const g = graph('a1', 'b1<-a1', 'a2', 'b2<-a2')
    expect(ids(planUpgrade(g, [], 'heads'))).toEqual(['a2', 'b2', 'a1', 'b1'])
    expect(applySteps(g, [], planUpgrade(g, [], 'heads'))).toEqual(['b1', 'b2'])
  })
})

describe('MergedPathTest', () => {
  const g = graph('a', 'b<-a', 'c1<-b', 'd1<-c1', 'c2<-b @c2branch', 'd2<-c2', 'e<-d1,d2', 'f<-e')

  it('test_upgrade_across_merge_point', () => {
    const steps = planUpgrade(g, ['b'], 'f')
    expect(ids(steps)).toEqual(['c2', 'd2', 'c1', 'd1', 'e', 'f'])
    // b->c1 creates a new branch; d1/d2 -> e merges (DELETE one, UPDATE the other)
    let heads: ReadonlySet<string> = new Set(['b'])
    const changes = steps.map((step) => {
      const plan = planVersionChanges(heads, step, g)
      heads = plan.nextHeads
      return plan.changes
    })
    expect(changes).toEqual([
      [{ kind: 'update', from: 'b', to: 'c2' }],
      [{ kind: 'update', from: 'c2', to: 'd2' }],
      [{ kind: 'insert', id: 'c1' }],
      [{ kind: 'update', from: 'c1', to: 'd1' }],
      [
        { kind: 'delete', id: 'd1' },
        { kind: 'update', from: 'd2', to: 'e' },
      ],
      [{ kind: 'update', from: 'e', to: 'f' }],
    ])
  })
  it('test_downgrade_across_merge_point', () => {
    const steps = planDowngrade(g, ['f'], 'b')
    expect(ids(steps)).toEqual(['f', 'e', 'd1', 'c1', 'd2', 'c2'])
    // e -> d1 and d2 unmerges (INSERT one, UPDATE e to the other); c2 -> b is the last row
    let heads: ReadonlySet<string> = new Set(['f'])
    const changes = steps.map((step) => {
      const plan = planVersionChanges(heads, step, g)
      heads = plan.nextHeads
      return plan.changes
    })
    expect(changes).toEqual([
      [{ kind: 'update', from: 'f', to: 'e' }],
      [
        { kind: 'insert', id: 'd1' },
        { kind: 'update', from: 'e', to: 'd2' },
      ],
      [{ kind: 'update', from: 'd1', to: 'c1' }],
      [{ kind: 'delete', id: 'c1' }],
      [{ kind: 'update', from: 'd2', to: 'c2' }],
      [{ kind: 'update', from: 'c2', to: 'b' }],
    ])
    expect([...heads]).toEqual(['b'])
  })
})

describe('BranchedPathTestCrossDependencies', () => {
  const g = graph('a', 'b<-a', 'c1<-b @c1branch', 'd1<-c1', 'c2<-b @c2branch', 'd2<-c2 +c1')

  it('test_downgrade_independent_branch', () => {
    assertDowngrade(g, 'c2branch@b', ['d1', 'd2'], ['d2', 'c2'], ['d1'])
  })
  it('test_downgrade_branch_dependency', () => {
    const steps = planDowngrade(g, ['d1', 'd2'], 'c1branch@b')
    const order = ids(steps)
    expect([...order].sort()).toEqual(['c1', 'd1', 'd2'])
    expect(order.indexOf('d1')).toBeLessThan(order.indexOf('c1'))
    expect(order.indexOf('d2')).toBeLessThan(order.indexOf('c1'))
    expect(applySteps(g, ['d1', 'd2'], steps)).toEqual(['c2'])
  })
})
