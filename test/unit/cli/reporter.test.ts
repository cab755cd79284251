import { describe, expect, it } from 'vitest'
import { isUsableTerminal, MIN_SPINNER_COLUMNS } from '../../../src/cli/reporter.js'

describe('isUsableTerminal', () => {
  const tty = { isTTY: true, columns: 80 }

  it('takes a spinner on a terminal of normal width', () => {
    expect(isUsableTerminal(tty, { TERM: 'xterm-256color' })).toBe(true)
    expect(isUsableTerminal({ isTTY: true, columns: MIN_SPINNER_COLUMNS }, {})).toBe(true)
  })

  it('refuses pipes and files', () => {
    expect(isUsableTerminal({ columns: 80 }, {})).toBe(false)
    expect(isUsableTerminal({ isTTY: false, columns: 80 }, {})).toBe(false)
  })

  it('refuses a terminal without a usable width', () => {
    expect(isUsableTerminal({ isTTY: true, columns: 0 }, {})).toBe(false)
    expect(isUsableTerminal({ isTTY: true }, {})).toBe(false)
    expect(isUsableTerminal({ isTTY: true, columns: MIN_SPINNER_COLUMNS - 1 }, {})).toBe(false)
    expect(isUsableTerminal({ isTTY: true, columns: Number.NaN }, {})).toBe(false)
  })

  it('refuses TERM=dumb and CI', () => {
    expect(isUsableTerminal(tty, { TERM: 'dumb' })).toBe(false)
    expect(isUsableTerminal(tty, { CI: 'true' })).toBe(false)
    expect(isUsableTerminal(tty, { CI: '1' })).toBe(false)
  })

  it('treats an explicit CI=false or empty CI as no CI', () => {
    expect(isUsableTerminal(tty, { CI: 'false' })).toBe(true)
    expect(isUsableTerminal(tty, { CI: '' })).toBe(true)
    expect(isUsableTerminal(tty, { CI: '0' })).toBe(true)
  })
})
