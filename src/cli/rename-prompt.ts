import { createInterface } from 'node:readline/promises'
import type { RenameCandidate } from '../index.js'

/** On a terminal, autogenerate asks before it treats a drop + add as a rename (never guessed). */
export async function promptRename(candidate: RenameCandidate): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const what =
      candidate.kind === 'table'
        ? `table \`${candidate.from}\` to \`${candidate.to}\``
        : `\`${candidate.table}.${candidate.from}\` to \`${candidate.table}.${candidate.to}\``
    const answer = await readline.question(`Did you rename ${what}? [y/N] `)
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    readline.close()
  }
}
