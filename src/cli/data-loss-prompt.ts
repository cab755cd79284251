import { createInterface } from 'node:readline/promises'
import type { DataLossWarning } from '../index.js'

/**
 * On a terminal, `downgrade` asks before it drops tables or columns holding rows (the warnings
 * are already printed). Ctrl-C, like any answer but yes, cancels: nothing has been changed yet.
 */
export function createDataLossPrompt(signal: AbortSignal | undefined) {
  return async (_warnings: readonly DataLossWarning[]): Promise<boolean> => {
    const readline = createInterface({ input: process.stdin, output: process.stderr })
    try {
      const answer = await readline.question('Drop these? [y/N] ', signal === undefined ? {} : { signal })
      return /^y(es)?$/i.test(answer.trim())
    } catch (error) {
      if (signal?.aborted === true) return false
      throw error
    } finally {
      readline.close()
    }
  }
}
