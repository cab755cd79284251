import { hash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { CompiledQuery, Kysely } from 'kysely'
import { scanSql } from '../model/sql-lexer.js'
import type { Revision } from '../revision/revision.js'
import { createRecordingKysely, renderRecordedStatement } from './recording-driver.js'

/**
 * Checksums of what a revision does, so an applied revision that was edited afterwards can be
 * told apart from one that was only reformatted: a checksum of the file alone would take a
 * reformat or a CRLF checkout for an edit.
 *
 * - The SQL checksum hashes the statements `up`/`down` emits when run against the recording
 *   Kysely of `--sql`, normalised (whitespace, comments, the final `;`), so formatting the
 *   TypeScript or the text of an sql`` template does not change it.
 * - The source checksum hashes the file (line endings normalised). It only decides cheaply that
 *   nothing can have changed; the SQL checksum decides whether something did.
 */

/**
 * Renders `fn` offline and hashes its statements; null when the SQL cannot be reproduced: the
 * function throws without a database, or two renders differ (a timestamp or a random value in
 * the SQL), since a checksum that changes by itself would only ever raise false alarms.
 */
export async function computeSqlChecksum(fn: (db: Kysely<any>) => Promise<void>): Promise<string | null> {
  const first = await renderStatements(fn)
  if (first === null) return null
  const second = await renderStatements(fn)
  if (second === null || second.join('\n') !== first.join('\n')) return null
  return hashStatements(first)
}

/** One render's checksum (no reproducibility check): what a run records for each step. */
export async function computeSqlChecksumOnce(fn: (db: Kysely<any>) => Promise<void>): Promise<string | null> {
  const statements = await renderStatements(fn)
  return statements === null ? null : hashStatements(statements)
}

/**
 * The queries a step sent, as its offline render would record them, to hash with hashStatements.
 * Whether the step saw what the render sees is the caller's to know; null when the queries open
 * or end a transaction (the render leaves those out) or one cannot be written as script text.
 */
export function renderSentStatements(queries: readonly CompiledQuery[]): string[] | null {
  const statements: string[] = []
  for (const query of queries) {
    let statement: string
    try {
      statement = renderRecordedStatement(query)
    } catch {
      return null
    }
    if (TRANSACTION_CONTROL.test(statement)) return null
    statements.push(statement)
  }
  return statements
}

const TRANSACTION_CONTROL = /^\s*(begin|start\s+transaction|commit|end|abort|rollback(?!\s+to\b))\b/i

/**
 * sha256 of the file with CRLF/CR line endings read as LF, from the text its header was read
 * from when there is one; null when it cannot be read. Read synchronously: revision files are
 * small, and 2000 promise reads cost more than the reading.
 */
export function computeSourceChecksum(revision: Pick<Revision, 'path' | 'source'>): string | null {
  if (revision.path === '') return null
  try {
    const text = revision.source ?? readFileSync(revision.path, 'utf8')
    return sha256(text.replace(/\r\n?/g, '\n'))
  } catch {
    return null
  }
}

export function hashStatements(statements: readonly string[]): string {
  return sha256(statements.map(normalizeStatement).filter((s) => s !== '').join('\n'))
}

async function renderStatements(fn: (db: Kysely<any>) => Promise<void>): Promise<readonly string[] | null> {
  const statements: string[] = []
  // BEGIN/COMMIT are the runner's, not the revision's: a revision hashes the same in every mode.
  const db = createRecordingKysely({ record: (statement) => statements.push(statement), shouldRecordTransactions: false })
  try {
    await fn(db)
    return statements
  } catch {
    return null
  } finally {
    await db.destroy()
  }
}

function sha256(text: string): string {
  return hash('sha256', text, 'hex')
}

const TIGHT = new Set(['(', ')', ',', ';'])

/**
 * Comments dropped, whitespace runs collapsed to one space and removed next to `( ) , ;`, the
 * final `;` dropped; quoted strings, quoted identifiers and dollar-quoted bodies are kept as
 * they are, because there the text is data.
 */
export function normalizeStatement(text: string): string {
  let out = ''
  let pendingSpace = false
  scanSql(text, (kind, start, end) => {
    if (kind === 'space' || kind === 'comment') {
      pendingSpace = true
      return
    }
    const chunk = text.slice(start, end)
    if (pendingSpace && out !== '' && !TIGHT.has(out.at(-1) ?? '') && !TIGHT.has(chunk.charAt(0))) out += ' '
    pendingSpace = false
    out += chunk
  })
  return out.endsWith(';') ? out.slice(0, -1) : out
}
