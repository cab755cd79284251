import type { Node } from '@pgsql/types'

/** One statement of a text sent to the database, as PostgreSQL's parser read it. */
interface ParsedStatement {
  /** The statement's own text, without the comments before it. */
  readonly text: string
  readonly node: Node
  /** The comments in or right before the statement, delimiters included. */
  readonly comments: readonly string[]
}

type ParseOutcome =
  | { readonly kind: 'parsed'; readonly statements: readonly ParsedStatement[] }
  | { readonly kind: 'error'; readonly message: string }

export type SqlParser = (sql: string) => ParseOutcome

/**
 * PostgreSQL's own parser (libpg-query, compiled to WebAssembly). Loaded on first use, so that no
 * command but `lint` pays for it.
 */
export async function loadSqlParser(): Promise<SqlParser> {
  const pg = await import('libpg-query')
  await pg.loadModule()
  return (sql) => {
    let parsed: ReturnType<typeof pg.parseSync>
    try {
      parsed = pg.parseSync(sql)
    } catch (error) {
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) }
    }
    // The parser's locations count bytes, not UTF-16 code units.
    const bytes = Buffer.from(sql, 'utf8')
    // Only `lint` reads the comments, and finding them is a second pass of the scanner over the
    // whole text: it runs on the first read of a statement's comments.
    let scanned: readonly { readonly start: number; readonly text: string }[] | undefined
    const commentTokens = () =>
      (scanned ??= pg.scanSync(sql).tokens.filter((token) => token.tokenName === 'C_COMMENT' || token.tokenName === 'SQL_COMMENT'))
    const statements: ParsedStatement[] = []
    let previousEnd = 0
    for (const raw of parsed.stmts ?? []) {
      if (raw.stmt === undefined) continue
      const start = raw.stmt_location ?? 0
      const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : start + raw.stmt_len
      const from = previousEnd
      statements.push({
        text: bytes.subarray(start, end).toString('utf8').trim(),
        node: raw.stmt,
        get comments() {
          return commentTokens().filter((token) => token.start >= from && token.start < end).map((token) => token.text)
        },
      })
      previousEnd = end
    }
    return { kind: 'parsed', statements }
  }
}
