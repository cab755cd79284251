import { sql } from 'kysely'
import { expect, test } from 'vitest'
import { KEYWORDS_NEEDING_QUOTES, quoteIdentifierIfNeeded } from '../../../src/model/identifier.js'
import { describeEachDatabase } from '../../helpers/databases.js'

// tsdb's list of key words, and its quoting, against the server's own (PostgreSQL 15 here,
// PostgreSQL 18 inside PGlite).
describeEachDatabase('identifier quoting', (ctx) => {
  test('quotes every key word the server quotes', async () => {
    const { rows } = await sql<{ word: string }>`select word from pg_get_keywords() where catcode <> 'U'`.execute(ctx.kysely())
    const serverWords = rows.map((row) => row.word)
    expect(serverWords.filter((word) => !KEYWORDS_NEEDING_QUOTES.has(word))).toEqual([])
    if (ctx.backend === 'pglite') expect(new Set(serverWords)).toEqual(KEYWORDS_NEEDING_QUOTES)
  })

  test("quotes names as the server's quote_ident does", async () => {
    const { rows } = await sql<{ word: string }>`select word from pg_get_keywords()`.execute(ctx.kysely())
    const names = [...rows.map((row) => row.word), 'alembic_version', 'User', 'a b', 'x$1', '_x', '1x', 'naïve', 'say "hi"']
    const { rows: quoted } = await sql<{ name: string; quoted: string }>`
      select name, quote_ident(name) as quoted from unnest(${names}::text[]) as name`.execute(ctx.kysely())
    const serverWords = new Set(rows.map((row) => row.word))
    // On an older server a newer key word is bare there and quoted by tsdb: valid either way.
    const differing = quoted.filter(({ name, quoted }) => quoteIdentifierIfNeeded(name) !== quoted && !(serverWords.has(name) && quoted === name))
    expect(differing).toEqual([])
    expect(quoted.length).toBe(names.length)
  })
})
