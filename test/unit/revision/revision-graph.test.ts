import { describe, expect, it } from 'vitest'
import { RevisionGraphError, ScriptError } from '../../../src/errors.js'
import { listHistory } from '../../../src/revision/history.js'
import { planUpgrade } from '../../../src/revision/plan.js'
import { buildRevisionGraph, isBranchPoint, isHead, isMergePoint } from '../../../src/revision/revision-graph.js'
import { createRevision } from '../../../src/revision/revision.js'
import { graph, linearRevisions, revs } from '../../helpers/graph.js'

function graphError(...specs: readonly string[]): RevisionGraphError {
  try {
    graph(...specs)
  } catch (error) {
    if (error instanceof RevisionGraphError) return error
    throw error
  }
  throw new Error('expected buildRevisionGraph to throw')
}

describe('heads and bases (Alembic APITest)', () => {
  it('test_add_revision_one_head', () => {
    expect(graph('a', 'b<-a', 'c<-b').heads).toEqual(['c'])
    expect(graph('a', 'b<-a', 'c<-b', 'd<-c').heads).toEqual(['d'])
  })
  it('test_add_revision_two_head', () => {
    expect(graph('a', 'b<-a', 'c1<-b', 'c2<-b').heads).toEqual(['c1', 'c2'])
    expect(graph('a', 'b<-a', 'c1<-b', 'c2<-b', 'd1<-c1').heads).toEqual(['c2', 'd1'])
  })
  it('bases are the revisions without down revisions (test_get_base_revisions)', () => {
    const g = graph('a', 'b<-a', 'c', 'd<-c')
    expect(g.bases).toEqual(['a', 'c'])
    expect(g.realBases).toEqual(['a', 'c'])
  })
  it('a head that another revision depends on is a head but not a real head', () => {
    const g = graph('a', 'b<-a', 'x', 'y<-x +b')
    expect(g.heads).toEqual(['b', 'y'])
    expect(g.realHeads).toEqual(['y'])
    expect(g.bases).toEqual(['a', 'x'])
  })
  it('a base with a dependency is a base but not a real base', () => {
    const g = graph('a', 'b +a')
    expect(g.bases).toEqual(['a', 'b'])
    expect(g.realBases).toEqual(['a'])
  })
  it('empty graph', () => {
    const g = buildRevisionGraph([])
    expect(g.heads).toEqual([])
    expect(g.bases).toEqual([])
    expect(listHistory(g)).toEqual([])
  })
  it('children, dependents and predicates', () => {
    const g = graph('a', 'b<-a', 'c1<-b', 'c2<-b', 'd<-c1,c2', 'x +b')
    expect(g.childrenOf.get('b')).toEqual(['c1', 'c2'])
    expect(g.dependentsOf.get('b')).toEqual(['c1', 'c2', 'x'])
    expect(isBranchPoint(g, 'b')).toBe(true)
    expect(isBranchPoint(g, 'a')).toBe(false)
    expect(isMergePoint(g, 'd')).toBe(true)
    expect(isMergePoint(g, 'c1')).toBe(false)
    expect(isHead(g, 'd')).toBe(true)
    expect(isHead(g, 'b')).toBe(false)
  })
  it('dependsOn naming a branch label resolves to the labelled revision', () => {
    const g = graph('a1 @lib', 'b1<-a1', 'x', 'y<-x +lib')
    expect(g.dependenciesOf.get('y')).toEqual(['a1'])
    expect(g.labels.get('lib')).toBe('a1')
  })
})

describe('branch labels (Alembic _add_branches)', () => {
  it('labels go to all descendants and down to the root of a linear line', () => {
    const g = graph('d', 'e<-d @ebranch', 'someothername<-e', 'f<-someothername')
    expect(g.branchLabelsOf.get('f')).toEqual(['ebranch'])
    expect(g.branchLabelsOf.get('someothername')).toEqual(['ebranch'])
    expect(g.branchLabelsOf.get('e')).toEqual(['ebranch'])
    expect(g.branchLabelsOf.get('d')).toEqual(['ebranch'])
  })
  it('labels stop below at a branch point, which belongs to no branch', () => {
    const g = graph('a', 'b<-a', 'c1<-b @c1branch', 'd1<-c1', 'c2<-b @c2branch', 'd2<-c2')
    expect(g.branchLabelsOf.get('d1')).toEqual(['c1branch'])
    expect(g.branchLabelsOf.get('d2')).toEqual(['c2branch'])
    expect(g.branchLabelsOf.get('b')).toEqual([])
    expect(g.branchLabelsOf.get('a')).toEqual([])
  })
  it('labels go through a merge point to its descendants but not below it from there', () => {
    const g = graph('a', 'b<-a', 'c1<-b @c1branch', 'c2<-b', 'd<-c1,c2', 'e<-d')
    expect(g.branchLabelsOf.get('d')).toEqual(['c1branch'])
    expect(g.branchLabelsOf.get('e')).toEqual(['c1branch'])
    expect(g.branchLabelsOf.get('c2')).toEqual([])
  })
  it('a dependent counts as a branch for the downward walk (Alembic _is_real_branch_point)', () => {
    const g = graph('a', 'b<-a', 'c<-b @lab', 'x +a')
    expect(g.branchLabelsOf.get('b')).toEqual(['lab'])
    expect(g.branchLabelsOf.get('a')).toEqual([])
  })
})

describe('errors naming the file (Alembic InvalidRevisionMapTest, LabeledBranchTest)', () => {
  it('duplicate revision ids', () => {
    const error = graphError('a', 'b<-a', 'b<-a')
    expect(error).toBeInstanceOf(ScriptError)
    expect(error.code).toBe('DUPLICATE_REVISION')
    expect(error.message).toContain('Revision b is present more than once')
    expect(error.message).toContain('/project/migrations/versions/b_rev.ts')
    expect(error.path).toBe('/project/migrations/versions/b_rev.ts')
    expect(error.revisions).toEqual(['b'])
  })
  it('a down revision that is missing', () => {
    const error = graphError('a', 'b<-zz')
    expect(error.code).toBe('MISSING_REVISION')
    expect(error.message).toMatch(/^Revision zz referenced from b is not present/)
    expect(error.path).toBe('/project/migrations/versions/b_rev.ts')
  })
  it('a dependency that is missing', () => {
    const error = graphError('a', 'b<-a +nope')
    expect(error.code).toBe('MISSING_REVISION')
    expect(error.message).toContain("Revision b depends on 'nope'")
  })
  it('test_dupe_branch_collection', () => {
    const error = graphError('a', 'b<-a', 'c<-b @xy1', 'd', 'e<-d @xy1', 'f<-e')
    expect(error.code).toBe('DUPLICATE_BRANCH_LABEL')
    expect(error.message).toMatch(/^Branch name 'xy1' in revision e already used by revision c/)
  })
  it('a branch label equal to a revision id', () => {
    expect(graphError('a', 'b<-a @a').code).toBe('DUPLICATE_BRANCH_LABEL')
  })
  it('illegal characters in a revision id', () => {
    const error = graphError('a-b')
    expect(error.code).toBe('INVALID_REVISION_ID')
    expect(error.message).toContain("Character(s) '-' not allowed in revision identifier 'a-b'")
  })
  it.each([
    ['test_revision_map_solitary_loop', ['a<-a'], 'a'],
    ['test_revision_map_base_loop', ['a<-a', 'b<-a', 'c<-b'], 'a'],
    ['test_revision_map_head_loop', ['a', 'b<-a', 'c<-b,c'], 'c'],
    ['test_revision_map_branch_point_loop', ['a', 'b<-a,b', 'c1<-b', 'c2<-b'], 'b'],
    ['test_revision_map_merge_point_loop', ['a', 'b1<-a', 'b2<-a', 'c<-b1,b2,c'], 'c'],
  ])('%s', (_name, specs, revision) => {
    const error = graphError(...specs)
    expect(error.code).toBe('REVISION_CYCLE')
    expect(error.message).toMatch(new RegExp(`^Self-loop is detected in revisions \\(${revision}\\)`))
  })
  it.each([
    ['test_revision_map_solitary_dependency_loop', ['a +a'], 'a'],
    ['test_revision_map_base_dependency_loop', ['a +a', 'b<-a', 'c<-b'], 'a'],
    ['test_revision_map_head_dep_loop', ['a', 'b<-a', 'c<-b +c'], 'c'],
    ['test_revision_map_branch_point_dep_loop', ['a', 'b<-a +b', 'c1<-b', 'c2<-b'], 'b'],
    ['test_revision_map_merge_point_dep_loop', ['a', 'b1<-a', 'b2<-a', 'c<-b1,b2 +c'], 'c'],
  ])('%s', (_name, specs, revision) => {
    const error = graphError(...specs)
    expect(error.code).toBe('DEPENDENCY_CYCLE')
    expect(error.message).toMatch(new RegExp(`^Dependency self-loop is detected in revisions \\(${revision}\\)`))
  })
  it.each([
    ['test_revision_map_simple_cycle', ['a<-c', 'b<-a', 'c<-b'], ['a', 'b', 'c']],
    ['test_revision_map_extra_simple_cycle', ['a<-c', 'b<-a', 'c<-b', 'd', 'e<-d'], ['a', 'b', 'c']],
    ['test_revision_map_lower_simple_cycle', ['a<-c', 'b<-a', 'c<-b', 'd<-c', 'e<-d'], ['a', 'b', 'c']],
    ['test_revision_map_upper_simple_cycle', ['a', 'b<-a', 'c<-b,e', 'd<-c', 'e<-d'], ['c', 'd', 'e']],
  ])('%s', (_name, specs, cycle) => {
    const error = graphError(...specs)
    expect(error.code).toBe('REVISION_CYCLE')
    expect(error.message).toMatch(new RegExp(`^Cycle is detected in revisions \\(${cycle.join(', ')}\\)`))
    expect(error.revisions).toEqual(cycle)
  })
  it.each([
    ['test_revision_map_simple_dep_cycle', ['a +c', 'b<-a', 'c<-b'], ['a', 'b', 'c']],
    ['test_revision_map_extra_simple_dep_cycle', ['a +c', 'b<-a', 'c<-b', 'd', 'e<-d'], ['a', 'b', 'c']],
    ['test_revision_map_lower_simple_dep_cycle', ['a +c', 'b<-a', 'c<-b', 'd<-c', 'e<-d'], ['a', 'b', 'c']],
    ['test_revision_map_upper_simple_dep_cycle', ['a', 'b<-a', 'c<-b +e', 'd<-c', 'e<-d'], ['c', 'd', 'e']],
  ])('%s', (_name, specs, cycle) => {
    const error = graphError(...specs)
    expect(error.code).toBe('DEPENDENCY_CYCLE')
    expect(error.message).toMatch(new RegExp(`^Dependency cycle is detected in revisions \\(${cycle.join(', ')}\\)`))
  })
  it('finds a cycle reachable from both a head and a base (which Alembic misses)', () => {
    const error = graphError('a', 'b<-a,c', 'c<-b', 'd<-c')
    expect(error.code).toBe('REVISION_CYCLE')
    expect(error.revisions).toEqual(['b', 'c'])
  })
  it('a dependency cycle through a branch label', () => {
    expect(graphError('a +lab2', 'b<-a @lab2').code).toBe('DEPENDENCY_CYCLE')
  })
})

// The machine running the suite may be busy (other suites run in parallel): take the best of
// several runs, compare how the time grows with the size (linear: x4 for 4x the revisions,
// quadratic: x16), and keep absolute bounds far above the few ms a normal run takes.
function bestOf(runs: number, work: () => void): number {
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now()
    work()
    best = Math.min(best, performance.now() - start)
  }
  return best
}

describe('performance', () => {
  it('builds, lists history and heads of 2000 revisions in a few ms, growing linearly', () => {
    const revisions = linearRevisions(2000)
    const g = buildRevisionGraph(revisions)
    const history = listHistory(g)
    expect(history).toHaveLength(2000)
    expect(history[0]?.id).toBe('r1999')
    expect(g.heads).toEqual(['r1999'])

    // Eight times the revisions: about 8 times the time if linear, 64 if quadratic. The bound sits
    // between them with room for a busy machine, where one preempted round can triple a figure.
    const small = linearRevisions(1000)
    const large = linearRevisions(8000)
    let smallBest = Number.POSITIVE_INFINITY
    let largeBest = Number.POSITIVE_INFINITY
    for (let round = 0; round < 15; round += 1) {
      smallBest = Math.min(smallBest, bestOf(1, () => listHistory(buildRevisionGraph(small))))
      largeBest = Math.min(largeBest, bestOf(1, () => listHistory(buildRevisionGraph(large))))
    }
    expect(largeBest / smallBest).toBeLessThan(32)
    expect(bestOf(5, () => listHistory(buildRevisionGraph(revisions)))).toBeLessThan(250)
  })
  it('plans 2000 revisions on 20 branches with merges quickly', () => {
    const revisions = [createRevision({ id: 'root' })]
    let previousMerge = 'root'
    for (let block = 0; block < 10; block += 1) {
      const tips: string[] = []
      for (let branch = 0; branch < 20; branch += 1) {
        let down = previousMerge
        for (let i = 0; i < 9; i += 1) {
          const id = `b${block}x${branch}y${i}`
          revisions.push(createRevision({ id, downRevisions: [down] }))
          down = id
        }
        tips.push(down)
      }
      previousMerge = `m${block}`
      revisions.push(createRevision({ id: previousMerge, downRevisions: tips }))
    }
    const g = buildRevisionGraph(revisions)
    expect(planUpgrade(g, [], 'head')).toHaveLength(revisions.length)
    expect(listHistory(g)).toHaveLength(revisions.length)
    expect(
      bestOf(3, () => {
        const fresh = buildRevisionGraph(revisions)
        planUpgrade(fresh, [], 'head')
        listHistory(fresh)
      }),
    ).toBeLessThan(500)
  })
})

describe('test helper', () => {
  it('reads labels and dependencies', () => {
    const [r] = revs('c2<-b2,x @l1,l2 +c1,c3')
    expect(r).toMatchObject({ id: 'c2', downRevisions: ['b2', 'x'], branchLabels: ['l1', 'l2'], dependsOn: ['c1', 'c3'] })
  })
})
