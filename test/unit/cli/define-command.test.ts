import { describe, expect, it } from 'vitest'
import { fillPositionals, rejectLeftoverArguments, type PositionalSpec } from '../../../src/cli/define-command.js'

const REVISION: readonly PositionalSpec[] = [{ name: 'revision', describe: '', default: '-1' }]
const REVISIONS: readonly PositionalSpec[] = [{ name: 'revisions', describe: '', isVariadic: true }]

function fill(argv: Record<string, unknown>, positionals: readonly PositionalSpec[]) {
  const copy = { ...argv }
  fillPositionals(copy, positionals)
  return { argv: copy, check: rejectLeftoverArguments(copy) }
}

describe('fillPositionals (Click reads everything after -- as positional)', () => {
  it('fills an empty slot from --, before the default', () => {
    expect(fill({ '--': ['-2'] }, REVISION)).toEqual({ argv: { revision: '-2', '--': [] }, check: true })
    expect(fill({ '--': ['--sql'] }, REVISION)).toEqual({ argv: { revision: '--sql', '--': [] }, check: true })
    expect(fill({}, REVISION)).toEqual({ argv: { revision: '-1', '--': [] }, check: true })
  })

  it('keeps a slot filled before -- and refuses what is left', () => {
    expect(fill({ revision: 'base', '--': ['x'] }, REVISION).check).toBe('Got unexpected extra argument (x)')
    expect(fill({ '--': ['base', 'x', '--sql'] }, REVISION)).toEqual({
      argv: { revision: 'base', '--': ['x', '--sql'] },
      check: 'Got unexpected extra arguments (x --sql)',
    })
    expect(fill({ '--': ['x'] }, []).check).toBe('Got unexpected extra argument (x)')
  })

  it('gives a variadic slot everything, before and after --', () => {
    expect(fill({ revisions: ['a'], '--': ['-b', 'c'] }, REVISIONS)).toEqual({ argv: { revisions: ['a', '-b', 'c'], '--': [] }, check: true })
    expect(fill({}, REVISIONS)).toEqual({ argv: { revisions: [], '--': [] }, check: true })
  })
})
