import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RangeNotAncestorError } from '../../../src/errors.js'
import { collectAncestors, collectDescendants } from '../../../src/revision/graph-walk.js'
import { planDowngrade, planUpgrade } from '../../../src/revision/plan.js'
import { planVersionChanges } from '../../../src/version/plan-version-changes.js'
import { buildRevisionGraph } from '../../../src/revision/revision-graph.js'
import { createRevision, type Revision } from '../../../src/revision/revision.js'
import { applySteps, ids } from '../../helpers/graph.js'

// Random acyclic graphs: revision i may only name revisions before it, so the graph is a DAG.
const dagArbitrary = fc.integer({ min: 1, max: 14 }).chain((count) =>
  fc
    .array(
      fc.record({
        downs: fc.uniqueArray(fc.nat({ max: 50 }), { maxLength: 3 }),
        deps: fc.uniqueArray(fc.nat({ max: 50 }), { maxLength: 1 }),
      }),
      { minLength: count, maxLength: count },
    )
    .map((shapes): readonly Revision[] =>
      shapes.map((shape, i) => {
        const pick = (n: number): string => `r${n % Math.max(i, 1)}`
        const downRevisions = i === 0 ? [] : [...new Set(shape.downs.map(pick))]
        const dependsOn = i === 0 ? [] : [...new Set(shape.deps.map(pick))].filter((d) => !downRevisions.includes(d))
        return createRevision({ id: `r${i}`, downRevisions, dependsOn })
      }),
    ),
)

describe('planning properties on random graphs', () => {
  it('upgrade heads from base applies every revision once, after its down revisions and dependencies, and ends at the heads; downgrade base undoes it', () => {
    fc.assert(
      fc.property(dagArbitrary, (revisions) => {
        const g = buildRevisionGraph(revisions)
        const steps = planUpgrade(g, [], 'heads')
        const order = ids(steps)
        expect([...order].sort()).toEqual(revisions.map((r) => r.id).sort())
        const at = new Map(order.map((id, index) => [id, index]))
        for (const revision of revisions) {
          for (const down of [...revision.downRevisions, ...revision.dependsOn]) {
            expect(at.get(down) ?? -1).toBeLessThan(at.get(revision.id) ?? -1)
          }
        }
        const heads = applySteps(g, [], steps)
        expect(heads).toEqual([...g.realHeads].sort())
        const down = planDowngrade(g, heads, 'base')
        expect([...ids(down)].sort()).toEqual(revisions.map((r) => r.id).sort())
        expect(applySteps(g, heads, down)).toEqual([])
      }),
      { numRuns: 1500 },
    )
  })

  it('after every step, the rows imply exactly the revisions applied so far (upgrade to any revision, then back to base)', () => {
    fc.assert(
      fc.property(dagArbitrary, fc.nat(), (revisions, pick) => {
        const g = buildRevisionGraph(revisions)
        const target = revisions[pick % revisions.length]?.id ?? 'r0'
        let rows: ReadonlySet<string> = new Set()
        const applied = new Set<string>()
        for (const step of planUpgrade(g, [], target)) {
          rows = planVersionChanges(rows, step, g).nextHeads
          applied.add(step.revision.id)
          expect([...collectAncestors(g, rows)].sort()).toEqual([...applied].sort())
        }
        expect([...applied].sort()).toEqual([...collectAncestors(g, [target])].sort())
        for (const step of planDowngrade(g, [...rows], 'base')) {
          rows = planVersionChanges(rows, step, g).nextHeads
          applied.delete(step.revision.id)
          expect([...collectAncestors(g, rows)].sort()).toEqual([...applied].sort())
        }
        expect(rows.size).toBe(0)
      }),
      { numRuns: 1500 },
    )
  })

  it('downgrading from all heads to any revision keeps the rows consistent and keeps the target applied', () => {
    fc.assert(
      fc.property(dagArbitrary, fc.nat(), (revisions, pick) => {
        const g = buildRevisionGraph(revisions)
        const target = revisions[pick % revisions.length]?.id ?? 'r0'
        let rows: ReadonlySet<string> = new Set(applySteps(g, [], planUpgrade(g, [], 'heads')))
        const applied = new Set(revisions.map((r) => r.id))
        let steps
        try {
          steps = planDowngrade(g, [...rows], target)
        } catch (error) {
          // As Alembic: "Nothing to drop" when the target is only implied by a head and no
          // revision above it is applied.
          expect(error).toBeInstanceOf(RangeNotAncestorError)
          expect(rows.has(target)).toBe(false)
          const above = collectDescendants(g, g.childrenOf.get(target) ?? [])
          expect([...above].filter((id) => applied.has(id))).toEqual([])
          return
        }
        for (const step of steps) {
          rows = planVersionChanges(rows, step, g).nextHeads
          applied.delete(step.revision.id)
          expect([...collectAncestors(g, rows)].sort()).toEqual([...applied].sort())
        }
        expect(applied.has(target)).toBe(true)
      }),
      { numRuns: 1500 },
    )
  })
})
