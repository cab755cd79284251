import { hash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { CompiledQuery, Kysely } from 'kysely'
import { scanSql } from '../model/sql-lexer.js'
import type { Revision } from '../revision/revision.js'
import { createRecordingKysely, renderRecordedStatement } from './recording-driver.js'

/*
 * Checksums that tell an edited revision from a reformatted one: the SQL checksum hashes the
 * normalised statements `up`/`down` emits offline; the source checksum (the file) only decides
 * cheaply that nothing can have changed.
 */

/**
 * Renders `fn` offline twice and hashes its statements; null when it throws without a database or
 * the renders differ (a timestamp in the SQL): a checksum that changes by itself only raises false alarms.
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
 * The queries a step sent, as its offline render would record them; null when they open or end a
 * transaction (the render leaves those out) or one cannot be written as script text.
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

/** sha256 of the file with CRLF/CR line endings read as LF; null when it cannot be read. */
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
 * Comments dropped, whitespace collapsed (and removed next to `( ) , ;`), the final `;` dropped;
 * quoted strings, identifiers and dollar-quoted bodies are data and stay as they are.
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
