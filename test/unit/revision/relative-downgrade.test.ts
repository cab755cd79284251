import { describe, expect, it } from 'vitest'
import { AMBIGUOUS_RELATIVE_DOWNGRADE, planDowngrade, planDowngradeWarning, planUpgrade } from '../../../src/revision/plan.js'
import { graph } from '../../helpers/graph.js'

const ids = (steps: readonly { revision: { id: string } }[]) => steps.map((step) => step.revision.id)

/**
 *   a <- b1 <- c1
 *     <- b2 <- c2
 * `-N` with several heads walks down the branch of the first head only, in the order the
 * version table returned them (Alembic's test_downgrade_once_order_right/left).
 */
describe('relative downgrade from several heads', () => {
  const g = graph('a', 'b1<-a', 'c1<-b1', 'b2<-a', 'c2<-b2')

  it('reverts the first head, whichever sorts first', () => {
    expect(ids(planDowngrade(g, ['c2', 'c1'], '-1'))).toEqual(['c2'])
    expect(ids(planDowngrade(g, ['c1', 'c2'], '-1'))).toEqual(['c1'])
    expect(ids(planDowngrade(g, ['c2', 'c1'], '-2'))).toEqual(['c2', 'b2'])
    expect(ids(planDowngrade(g, ['b1', 'c2'], '-1'))).toEqual(['b1'])
  })

  it('warns in Alembic words, naming the head it starts from', () => {
    expect(planDowngradeWarning(['c2', 'c1'], '-1')).toBe(
      `${AMBIGUOUS_RELATIVE_DOWNGRADE} Reverting from c2, the version table's first row; name the branch to choose, e.g. \`tsdb db downgrade c2@-1\`.`,
    )
    expect(planDowngradeWarning(['c1', 'c2'], '-3')).toMatch(/^downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release\. Reverting from c1,/)
  })

  it('does not warn with one head, or when the target says where to start', () => {
    expect(planDowngradeWarning(['c1'], '-1')).toBeNull()
    expect(planDowngradeWarning(['c1', 'c1'], '-1')).toBeNull()
    expect(planDowngradeWarning([], '-1')).toBeNull()
    for (const target of ['c1@-1', 'c2-1', 'base', 'b1', 'head-1']) expect(planDowngradeWarning(['c1', 'c2'], target)).toBeNull()
  })

  it('the suggested <head>@-1 reverts only that branch', () => {
    expect(ids(planDowngrade(g, ['c1', 'c2'], 'c2@-1'))).toEqual(['c2'])
    expect(ids(planDowngrade(g, ['c1', 'c2'], 'c1@-1'))).toEqual(['c1'])
  })
})

describe('zero steps and unknown branch names', () => {
  const g = graph('a', 'b<-a')

  it('quotes a downgrade step count as typed, as Alembic does', () => {
    expect(() => planDowngrade(g, ['b'], '-0')).toThrow("Relative revision -0 didn't produce 0 migrations")
    expect(() => planDowngrade(g, ['b'], '+0')).toThrow("Relative revision +0 didn't produce 0 migrations")
  })

  it('does not ask for four characters of a branch name', () => {
    expect(() => planUpgrade(g, ['b'], 'x@head')).toThrow("Can't locate revision identified by 'x': no branch label or revision is named 'x'")
  })
})
