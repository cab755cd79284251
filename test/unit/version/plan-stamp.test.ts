import { describe, expect, it } from 'vitest'
import { MultipleHeadsError, UnknownRevisionError } from '../../../src/errors.js'
import { planStamp } from '../../../src/version/plan-stamp.js'
import type { RevisionGraph } from '../../../src/revision/revision-graph.js'
import { graph } from '../../helpers/graph.js'

// Ported from the stamp cases of Alembic's tests/test_version_traversal.py, plus --purge and
// the resulting version-table rows.

function finalHeads(g: RevisionGraph, heads: readonly string[], target: string | readonly string[], purge = false) {
  const plan = planStamp(g, heads, target, { purge })
  const rows = new Set(heads)
  for (const change of plan.changes) {
    if (change.kind === 'insert') rows.add(change.id)
    else if (change.kind === 'delete') rows.delete(change.id)
    else {
      rows.delete(change.from)
      rows.add(change.to)
    }
  }
  return [...rows].sort()
}

describe('RevisionPathTest stamps', () => {
  const g = graph('a', 'b<-a', 'c<-b', 'd<-c', 'e<-d')

  it('test_stamp_to_base', () => {
    const plan = planStamp(g, ['d'], 'base', { purge: false })
    expect(plan.steps).toEqual([{ direction: 'down', from: ['d'], to: [], isBranchMove: true }])
    expect(plan.changes).toEqual([{ kind: 'delete', id: 'd' }])
  })
  it('stamps up and down a line with one UPDATE', () => {
    expect(planStamp(g, ['b'], 'e', { purge: false }).changes).toEqual([{ kind: 'update', from: 'b', to: 'e' }])
    expect(planStamp(g, ['e'], 'b', { purge: false }).changes).toEqual([{ kind: 'update', from: 'e', to: 'b' }])
    expect(planStamp(g, [], 'head', { purge: false }).changes).toEqual([{ kind: 'insert', id: 'e' }])
  })
  it('stamping the current revision does nothing', () => {
    expect(planStamp(g, ['c'], 'c', { purge: false })).toEqual({ steps: [], changes: [] })
  })
  it('an unknown revision in the table is only tolerated with --purge', () => {
    expect(() => planStamp(g, ['zzzz9999'], 'head', { purge: false })).toThrow(UnknownRevisionError)
    expect(() => planStamp(g, ['zzzz9999'], 'head', { purge: false })).toThrow(
      "Can't locate revision identified by 'zzzz9999'",
    )
    const plan = planStamp(g, ['zzzz9999'], 'head', { purge: true })
    expect(plan.changes).toEqual([
      { kind: 'delete', id: 'zzzz9999' },
      { kind: 'insert', id: 'e' },
    ])
    expect(plan.steps).toEqual([{ direction: 'up', from: [], to: ['e'], isBranchMove: true }])
  })
  it('--purge to base deletes every row', () => {
    expect(planStamp(g, ['c', 'x'], 'base', { purge: true }).changes).toEqual([
      { kind: 'delete', id: 'c' },
      { kind: 'delete', id: 'x' },
    ])
  })
})

describe('BranchedPathTest stamps', () => {
  const g = graph('a', 'b<-a', 'c1<-b @c1branch', 'd1<-c1', 'c2<-b @c2branch', 'd2<-c2')

  it('test_stamp_down_across_multiple_branch_to_branchpoint', () => {
    const plan = planStamp(g, ['d1', 'c2'], 'b', { purge: false })
    expect(plan.steps).toEqual([{ direction: 'down', from: ['d1', 'c2'], to: ['b'], isBranchMove: false }])
    // DELETE d1, UPDATE c2 to b
    expect(plan.changes).toEqual([
      { kind: 'delete', id: 'd1' },
      { kind: 'update', from: 'c2', to: 'b' },
    ])
  })
  it('test_stamp_to_labeled_base_multiple_heads', () => {
    const plan = planStamp(g, ['d1', 'c2'], 'c1branch@base', { purge: false })
    expect(plan.steps).toEqual([{ direction: 'down', from: ['d1'], to: [], isBranchMove: true }])
    expect(plan.changes).toEqual([{ kind: 'delete', id: 'd1' }])
  })
  it('test_stamp_to_labeled_head_multiple_heads', () => {
    const plan = planStamp(g, ['d1', 'c2'], 'c2branch@head', { purge: false })
    // the c1branch remains unchanged
    expect(plan.changes).toEqual([{ kind: 'update', from: 'c2', to: 'd2' }])
    expect(finalHeads(g, ['d1', 'c2'], 'c2branch@head')).toEqual(['d1', 'd2'])
  })
  it('stamp head with two heads raises MultipleHeadsError with Alembic words', () => {
    expect(() => planStamp(g, [], 'head', { purge: false })).toThrow(MultipleHeadsError)
    expect(() => planStamp(g, [], 'head', { purge: false })).toThrow(
      /^Multiple heads are present; please specify a single target revision/,
    )
  })
  it('stamps a target in no current branch as a new branch', () => {
    const plan = planStamp(g, ['d1'], 'c2', { purge: false })
    expect(plan.steps).toEqual([{ direction: 'up', from: [], to: ['c2'], isBranchMove: true }])
    expect(plan.changes).toEqual([{ kind: 'insert', id: 'c2' }])
  })
  it('stamp heads from one branch moves only the heads of each lineage (tsdb: per target)', () => {
    expect(finalHeads(g, ['d1', 'c2'], 'heads')).toEqual(['d1', 'd2'])
    expect(finalHeads(g, ['c1'], 'heads')).toEqual(['d1', 'd2'])
  })
  it('stamp base removes every branch', () => {
    expect(finalHeads(g, ['d1', 'd2'], 'base')).toEqual([])
  })
  it('stamps a list of targets', () => {
    expect(finalHeads(g, [], ['d1', 'c2'])).toEqual(['c2', 'd1'])
  })
  it('stamps relative targets (an extension: Alembic cannot look them up here)', () => {
    expect(finalHeads(g, ['d1'], 'd1-1')).toEqual(['c1'])
  })
})

describe('DependsOnBranchTestOne stamps', () => {
  it('test_stamp_across_dependency', () => {
    const g = graph('a1 @lib1', 'b1<-a1', 'c1<-b1', 'a2', 'b2<-a2', 'c2<-b2 +c1', 'd1<-c1', 'e1<-d1', 'f1<-e1')
    expect(finalHeads(g, ['e1', 'c2'], 'b1')).toEqual(['b1'])
  })
})

describe('ForestTest stamps', () => {
  const g = graph('a1', 'b1<-a1', 'a2', 'b2<-a2')

  it('test_stamp_to_heads', () => {
    const plan = planStamp(g, [], 'heads', { purge: false })
    expect(plan.steps).toHaveLength(2)
    expect(new Set(plan.steps.map((step) => step.to.join()))).toEqual(new Set(['b1', 'b2']))
    expect(finalHeads(g, [], 'heads')).toEqual(['b1', 'b2'])
  })
  it('test_stamp_to_heads_no_moves_needed', () => {
    expect(planStamp(g, ['b1', 'b2'], 'heads', { purge: false }).steps).toHaveLength(0)
  })
})

describe('MergedPathTest stamps', () => {
  const g = graph('a', 'b<-a', 'c1<-b', 'd1<-c1', 'c2<-b @c2branch', 'd2<-c2', 'e<-d1,d2', 'f<-e')

  it('test_stamp_down_across_merge_point_branch', () => {
    expect(planStamp(g, ['e'], 'c2', { purge: false }).changes).toEqual([{ kind: 'update', from: 'e', to: 'c2' }])
  })
  it('test_stamp_down_across_merge_prior_branching', () => {
    expect(planStamp(g, ['e'], 'a', { purge: false }).changes).toEqual([{ kind: 'update', from: 'e', to: 'a' }])
  })
  it('test_stamp_up_across_merge_from_single_branch', () => {
    expect(planStamp(g, ['c2'], 'e', { purge: false }).changes).toEqual([{ kind: 'update', from: 'c2', to: 'e' }])
  })
  it('test_stamp_labeled_head_across_merge_from_multiple_branch', () => {
    // DELETE d1, UPDATE c2 to f
    expect(planStamp(g, ['d1', 'c2'], 'c2branch@head', { purge: false }).changes).toEqual([
      { kind: 'delete', id: 'd1' },
      { kind: 'update', from: 'c2', to: 'f' },
    ])
  })
  it('test_stamp_up_across_merge_from_multiple_branch', () => {
    expect(planStamp(g, ['d1', 'c2'], 'e', { purge: false }).changes).toEqual([
      { kind: 'delete', id: 'd1' },
      { kind: 'update', from: 'c2', to: 'e' },
    ])
  })
  it('test_stamp_up_across_merge_prior_branching', () => {
    expect(planStamp(g, ['b'], 'e', { purge: false }).changes).toEqual([{ kind: 'update', from: 'b', to: 'e' }])
  })
})
