import { describe, expect, it } from 'vitest'
import type { MigrationStep } from '../../../src/revision/migration-step.js'
import { createRevision } from '../../../src/revision/revision.js'
import { planTransactionSegments } from '../../../src/runner/transaction-segments.js'

const step = (id: string, transactional = true): MigrationStep => ({
  direction: 'up',
  revision: createRevision({ id, transactional }),
})
const shape = (steps: readonly MigrationStep[], transactionPerMigration: boolean) =>
  planTransactionSegments(steps, { transactionPerMigration }).map(
    (s) => `${s.isTransactional ? 'tx' : 'no-tx'}(${s.steps.map((x) => x.revision.id).join(',')})`,
  )

describe('planTransactionSegments', () => {
  it('runs the whole command in one transaction by default', () => {
    expect(shape([step('a'), step('b'), step('c')], false)).toEqual(['tx(a,b,c)'])
  })

  it('commits after each step in per-migration mode', () => {
    expect(shape([step('a'), step('b')], true)).toEqual(['tx(a)', 'tx(b)'])
  })

  it('runs a non-transactional revision alone, between commits', () => {
    expect(shape([step('a'), step('b'), step('c', false), step('d')], false)).toEqual(['tx(a,b)', 'no-tx(c)', 'tx(d)'])
    expect(shape([step('c', false)], true)).toEqual(['no-tx(c)'])
  })

  it('commits after a step that adds an enum value, so the next one may use it', () => {
    const steps = [step('a'), step('b'), step('c'), step('d')]
    const segments = planTransactionSegments(steps, { transactionPerMigration: false, commitAfter: new Set([steps[1]!]) })
    expect(segments.map((s) => s.steps.map((x) => x.revision.id).join(','))).toEqual(['a,b', 'c,d'])
    expect(segments.every((s) => s.isTransactional)).toBe(true)
  })

  it('has nothing to run for no steps', () => {
    expect(shape([], false)).toEqual([])
  })
})
