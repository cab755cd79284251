import { describe, expect, it } from 'vitest'
import { VersionTableError } from '../../../src/errors.js'
import type { MigrationStep } from '../../../src/revision/migration-step.js'
import type { RevisionGraph } from '../../../src/revision/revision-graph.js'
import { diffVersionRows, planStampStepChanges, planVersionChanges } from '../../../src/version/plan-version-changes.js'
import { graph } from '../../helpers/graph.js'

function step(g: RevisionGraph, direction: 'up' | 'down', id: string): MigrationStep {
  const revision = g.byId.get(id)
  if (revision === undefined) throw new Error(id)
  return { direction, revision }
}

// Alembic's HeadMaintainer.update_to_step, one predicate at a time.
describe('planVersionChanges', () => {
  const g = graph('a', 'b<-a', 'c1<-b', 'c2<-b', 'm<-c1,c2', 'x', 'y<-x +b')

  it('upgrading a base inserts a row (should_create_branch)', () => {
    const plan = planVersionChanges(new Set(), step(g, 'up', 'a'), g)
    expect(plan.changes).toEqual([{ kind: 'insert', id: 'a' }])
    expect([...plan.nextHeads]).toEqual(['a'])
  })
  it('upgrading along a line updates the row (update_version_num)', () => {
    expect(planVersionChanges(new Set(['a']), step(g, 'up', 'b'), g).changes).toEqual([
      { kind: 'update', from: 'a', to: 'b' },
    ])
  })
  it('upgrading the second child of a branch point inserts a row', () => {
    expect(planVersionChanges(new Set(['c1']), step(g, 'up', 'c2'), g).changes).toEqual([{ kind: 'insert', id: 'c2' }])
  })
  it('upgrading a merge point deletes all but one parent and updates that one (should_merge_branches)', () => {
    const plan = planVersionChanges(new Set(['c1', 'c2']), step(g, 'up', 'm'), g)
    expect(plan.changes).toEqual([
      { kind: 'delete', id: 'c1' },
      { kind: 'update', from: 'c2', to: 'm' },
    ])
    expect([...plan.nextHeads]).toEqual(['m'])
  })
  it('downgrading a merge point inserts one parent and updates to the other (should_unmerge_branches)', () => {
    const plan = planVersionChanges(new Set(['m']), step(g, 'down', 'm'), g)
    expect(plan.changes).toEqual([
      { kind: 'insert', id: 'c1' },
      { kind: 'update', from: 'm', to: 'c2' },
    ])
  })
  it('downgrading a base deletes its row (should_delete_branch)', () => {
    expect(planVersionChanges(new Set(['a']), step(g, 'down', 'a'), g).changes).toEqual([{ kind: 'delete', id: 'a' }])
  })
  it('downgrading to a revision another head implies deletes the row', () => {
    const plan = planVersionChanges(new Set(['c1', 'c2']), step(g, 'down', 'c1'), g)
    expect(plan.changes).toEqual([{ kind: 'delete', id: 'c1' }])
  })
  it('upgrading a revision whose dependency is the row replaces that row (dependencies count as down revisions)', () => {
    // y's down revision x is not applied; its dependency b is, and y implies b from now on
    const plan = planVersionChanges(new Set(['b']), step(g, 'up', 'y'), g)
    expect(plan.changes).toEqual([{ kind: 'update', from: 'b', to: 'y' }])
  })
  it('merges only the rows that exist when a dependency already replaced a parent (Alembic fails here)', () => {
    const merged = graph('r0', 'r1', 'r8 +r0', 'r13<-r0,r1 +r8')
    // r8 replaced r0's row; the merge r13 deletes r1 and updates r8 (Alembic tries to delete r0)
    const plan = planVersionChanges(new Set(['r1', 'r8']), step(merged, 'up', 'r13'), merged)
    expect(plan.changes).toEqual([
      { kind: 'delete', id: 'r1' },
      { kind: 'update', from: 'r8', to: 'r13' },
    ])
  })
  it('raises VersionTableError where Alembic would fail (a row that is not there)', () => {
    expect(() => planVersionChanges(new Set(['a']), step(g, 'down', 'c1'), g)).toThrow(VersionTableError)
    expect(() => planVersionChanges(new Set(['a', 'b']), step(g, 'up', 'b'), g)).toThrow(VersionTableError)
  })
  it('does not change the heads it was given', () => {
    const heads = new Set(['a'])
    planVersionChanges(heads, step(g, 'up', 'b'), g)
    expect([...heads]).toEqual(['a'])
  })
})

describe('planStampStepChanges (Alembic StampStep predicates)', () => {
  it('down with branch move deletes; up with branch move inserts', () => {
    expect(planStampStepChanges(new Set(['a']), { direction: 'down', from: ['a'], to: [], isBranchMove: true }).changes).toEqual([
      { kind: 'delete', id: 'a' },
    ])
    expect(planStampStepChanges(new Set(), { direction: 'up', from: [], to: ['a'], isBranchMove: true }).changes).toEqual([
      { kind: 'insert', id: 'a' },
    ])
  })
  it('several from ids merge into one', () => {
    const plan = planStampStepChanges(new Set(['x', 'y']), { direction: 'down', from: ['x', 'y'], to: ['b'], isBranchMove: false })
    expect(plan.changes).toEqual([
      { kind: 'delete', id: 'x' },
      { kind: 'update', from: 'y', to: 'b' },
    ])
  })
  it('an up move onto a revision that already has a row raises VersionTableError', () => {
    expect(() =>
      planStampStepChanges(new Set(['a', 'b']), { direction: 'up', from: ['a'], to: ['b'], isBranchMove: false }),
    ).toThrow(VersionTableError)
  })
})

describe('diffVersionRows', () => {
  const diff = (before: readonly string[], after: readonly string[]) => diffVersionRows(new Set(before), new Set(after))

  it('writes nothing when the heads are the same', () => {
    expect(diff(['b', 'a'], ['a', 'b'])).toEqual([])
  })
  it('updates the row of a linear history, however many steps lie between', () => {
    expect(diff(['a'], ['z'])).toEqual([{ kind: 'update', from: 'a', to: 'z' }])
  })
  it('inserts from an empty table and deletes down to base', () => {
    expect(diff([], ['a'])).toEqual([{ kind: 'insert', id: 'a' }])
    expect(diff(['a', 'b'], [])).toEqual([
      { kind: 'delete', id: 'a' },
      { kind: 'delete', id: 'b' },
    ])
  })
  it('pairs rows that go with rows that come, in name order, and keeps rows that stay', () => {
    expect(diff(['c2', 'c1', 'x'], ['m', 'x'])).toEqual([
      { kind: 'update', from: 'c1', to: 'm' },
      { kind: 'delete', id: 'c2' },
    ])
    expect(diff(['m'], ['c2', 'c1'])).toEqual([
      { kind: 'update', from: 'm', to: 'c1' },
      { kind: 'insert', id: 'c2' },
    ])
  })
})
