/**
 * Every command and code block of README.md and docs/*.md runs (see doc-blocks.ts for the rules
 * and annotations). A documented command that stops working, or prints something else than the
 * page shows, fails here.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../helpers/databases.js'
import { repoRoot } from '../../helpers/run-cli.js'
import { compareOutput, parseDocBlocks, parseShellBlock, runDocPage } from './doc-blocks.js'

const pages = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]

describe('the doc-test extractor', () => {
  it('reads commands, their output, annotations and hidden setup', () => {
    const { blocks, page } = parseDocBlocks(
      ['<!-- doctest-page: database=server -->', '<!-- doctest: exit=1 -->', '```sh', '$ tsdb db current \\', '  -v', 'out 1', '$ ls', '```', '<!-- doctest-setup', 'tsdb db init', '-->'].join('\n'),
    )
    expect(page.get('database')).toBe('server')
    expect(blocks.map((b) => [b.kind, b.lang, b.annotations.get('exit')])).toEqual([['fence', 'sh', '1'], ['setup', 'sh', undefined]])
    expect(parseShellBlock(blocks[0]?.body ?? '')).toEqual([
      { command: 'tsdb db current \n  -v', expected: ['out 1'] },
      { command: 'ls', expected: [] },
    ])
  })

  it('compares shown output with real output, revision ids and dates aside', () => {
    const real = 'Running upgrade  -> 1975ea83b712, users table\nRunning upgrade 1975ea83b712 -> 2b1ae634e5cd, posts\n'
    expect(compareOutput(['Running upgrade  -> 6960ad74d5c5, users table', '...'], real, '/x')).toBe('')
    expect(compareOutput(['Running upgrade  -> 6960ad74d5c5, user table'], real, '/x')).toMatch(/not found/)
  })

  it('compares an unordered graph whatever column each sibling branch took, but still by its text', () => {
    const shown = ['|\\', '* |  7044f5f559a1 -> 9b35287ea2bd, add admin user', '| *  7044f5f559a1 -> f45a3c675dd1, add bio', '|/']
    const real = '|\\\n* |  abef5f0c6770 -> 17303e5ed5e2, add bio\n| *  abef5f0c6770 -> 397e4bc0e53c, add admin user\n|/\n'
    expect(compareOutput(shown, real, '/x', undefined, { isUnordered: true })).toBe('')
    expect(compareOutput(shown, real.replace('add bio', 'add bios'), '/x', undefined, { isUnordered: true })).toMatch(/add bio/)
    expect(compareOutput(shown, real, '/x')).toMatch(/not found \(in order\)/)
  })

  it('fails a page whose command breaks, whose output differs, or whose block cannot run', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsdb-doc-page-'))
    const page = join(dir, 'page.md')
    await writeFile(
      page,
      [
        '```sh',
        '$ tsdb db list-templates',
        'generic - Generic single-database configuration.',
        '$ tsdb db list-templates',
        'postgis - not a template',
        '```',
        '```yaml',
        'a: 1',
        '```',
        // A type error in tsdb's API: the first version is checked when the second replaces it.
        '<!-- doctest: file=src/app.ts -->',
        '```ts',
        "import { t } from 'tsdb-migrate'",
        'export const id: number = t.serial()',
        '```',
        '<!-- doctest: file=src/app.ts -->',
        '```ts',
        "import { t } from 'tsdb-migrate'",
        'export const id = t.serial()',
        '```',
        '```sh',
        '$ tsdb db no-such-command',
        '```',
      ].join('\n'),
    )
    try {
      const problems = await runDocPage(page, { repoRoot })
      expect(problems.map((p) => p.message)).toEqual([
        expect.stringContaining('expected output line not found (in order): "postgis - not a template"'),
        expect.stringContaining('a `yaml` block needs <!-- doctest: skip <reason> -->'),
        expect.stringMatching(/the TypeScript blocks do not type-check:\nsrc\/app\.ts\(2,14\): error TS2322: Type '.*' is not assignable to type 'number'/),
        expect.stringContaining('`tsdb db no-such-command` exited with 2, expected 0'),
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('docs', () => {
  it('covers every page', () => {
    expect(pages).toContain('docs/getting-started.md')
    for (const page of pages) {
      const fences = parseDocBlocks(readFileSync(join(repoRoot, page), 'utf8')).blocks.filter((b) => b.kind === 'fence')
      expect(fences.length, `${page} has no code block`).toBeGreaterThan(0)
    }
  })

  for (const page of pages) {
    it.concurrent(`${page}: every command and code block works as shown`, { timeout: 1_800_000 }, async () => {
      const problems = await runDocPage(join(repoRoot, page), {
        repoRoot,
        serverUrl: () => createTestDatabase(),
      })
      expect(problems.map((p) => `${page}:${p.line}: ${p.message}`).join('\n\n')).toBe('')
    })
  }
})
