import { describe, expect, it } from 'vitest'
import { createRevision } from '../../../src/revision/revision.js'
import { renderStepLine, renderStepShortLog } from '../../../src/runner/step-line.js'

describe('step lines', () => {
  it('writes an upgrade from base with an empty from-part', () => {
    const revision = createRevision({ id: '6960ad74d5c5', message: 'users table' })
    expect(renderStepLine({ direction: 'up', revision })).toBe('Running upgrade  -> 6960ad74d5c5, users table')
  })

  it('lists the parents of a merge', () => {
    const revision = createRevision({ id: 'm', downRevisions: ['a', 'b'], message: 'merge' })
    expect(renderStepLine({ direction: 'up', revision })).toBe('Running upgrade a, b -> m, merge')
    expect(renderStepShortLog({ direction: 'down', revision })).toBe('downgrade m -> a, b')
  })

  it('writes a downgrade to base with an empty to-part', () => {
    const revision = createRevision({ id: 'a', message: 'first' })
    expect(renderStepLine({ direction: 'down', revision })).toBe('Running downgrade a -> , first')
  })
})
