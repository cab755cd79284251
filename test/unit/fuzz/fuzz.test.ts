import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseConnectionString } from '../../../src/config/connection-string.js'
import { parseDatabaseUrl } from '../../../src/config/database-url.js'
import { resolveConfig } from '../../../src/config/resolve-config.js'
import { parseRenameOption } from '../../../src/diff/rename-hints.js'
import { TsdbError } from '../../../src/errors.js'
import { parseRange, parseTarget } from '../../../src/revision/parse-target.js'
import { planDowngrade, planUpgrade } from '../../../src/revision/plan.js'
import { resolveRevisions } from '../../../src/revision/resolve-target.js'
import { buildRevisionGraph } from '../../../src/revision/revision-graph.js'
import { createRevision } from '../../../src/revision/revision.js'
import { parseRevisionFile } from '../../../src/script/parse-revision-file.js'
import { createRedactor } from '../../../src/cli/redact.js'

/**
 * Arbitrary input to every reader of user text yields a value or a TsdbError, never another
 * exception (which the CLI would print as a crash with a stack trace).
 */
function resultOrTsdbError<T>(run: () => T): T | TsdbError {
  try {
    return run()
  } catch (error) {
    if (error instanceof TsdbError) return error
    throw new Error(`not a TsdbError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error })
  }
}

const RUNS = { numRuns: 3000 }

// Pieces of real revision files, so the generator reaches deep into the header reader.
const headerPieces = fc.constantFrom(
  '/**', ' */', ' * msg', '//', '/*', '*/', '\n', ' ', ';', ',', '=', '(', ')', '{', '}', '[', ']', "'", '"', '`', '${', '\\',
  'export ', 'const ', 'let ', 'function ', 'async ', 'revision', 'downRevision', 'branchLabels', 'dependsOn', 'transactional',
  ' = ', "'ae10'", "'b2'", '"c3"', 'null', 'true', 'false', '42', 'as const', ': string', '/re/g', 'x / y', 'return',
  "['a', 'b']", '[]', 'import x from "y"', '#!/usr/bin/env node\n', '\uFEFF', '\r\n',
)
const revisionFileText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(headerPieces, { maxLength: 60 }).map((parts) => parts.join('')),
  // A valid file with one random edit.
  fc.tuple(fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 5 })).map(([at, cut, insert]) => {
    const valid = "/**\n * msg\n */\nexport const revision = 'ae10'\nexport const downRevision = ['b2', 'c3']\nexport const branchLabels = 'x'\nexport async function up() {}\n"
    const index = at % valid.length
    return valid.slice(0, index) + insert + valid.slice(index + cut)
  }),
)

describe('fuzzing the readers of user input', () => {
  it('parseRevisionFile: a revision or a TsdbError naming the file', () => {
    fc.assert(
      fc.property(revisionFileText, (text) => {
        const result = resultOrTsdbError(() => parseRevisionFile(text, '/p/versions/x.ts'))
        if (result instanceof TsdbError) {
          expect(result.message.startsWith('/p/versions/x.ts')).toBe(true)
          expect(result.message).not.toContain('\n')
        } else {
          expect(typeof result.id).toBe('string')
          expect(Array.isArray(result.downRevisions)).toBe(true)
        }
      }),
      RUNS,
    )
  })

  const targetText = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.stringMatching(/^[a-z0-9@+\-:. ]{0,14}$/),
    fc.array(fc.constantFrom('head', 'heads', 'base', 'current', '@', '+', '-', ':', '1', '99999999999999999999', 'ae', 'x', ' ', '.'), { maxLength: 6 }).map((p) => p.join('')),
  )

  it('parseTarget and parseRange: a value or a TsdbError', () => {
    fc.assert(
      fc.property(targetText, (text) => {
        resultOrTsdbError(() => parseTarget(text))
        resultOrTsdbError(() => parseRange(text))
      }),
      RUNS,
    )
  })

  const ids = ['a', 'b', 'c', 'ae10', 'ae11', 'x']
  const revisionRecord = fc.record({
    id: fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 5 })),
    downRevisions: fc.array(fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 3 })), { maxLength: 3 }),
    branchLabels: fc.array(fc.oneof(fc.constantFrom('feat', 'x', 'a'), fc.string({ maxLength: 3 })), { maxLength: 2 }),
    dependsOn: fc.array(fc.oneof(fc.constantFrom(...ids, 'feat'), fc.string({ maxLength: 3 })), { maxLength: 2 }),
  })

  it('buildRevisionGraph, then resolving and planning any target from any heads: a value or a TsdbError', () => {
    fc.assert(
      fc.property(
        fc.array(revisionRecord, { maxLength: 8 }),
        targetText,
        fc.array(fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 3 })), { maxLength: 3 }),
        (records, target, heads) => {
          const graph = resultOrTsdbError(() => buildRevisionGraph(records.map((record) => createRevision(record))))
          if (graph instanceof TsdbError) return
          resultOrTsdbError(() => resolveRevisions(graph, target, heads))
          resultOrTsdbError(() => planUpgrade(graph, heads, target))
          resultOrTsdbError(() => planDowngrade(graph, heads, target))
        },
      ),
      RUNS,
    )
  })

  const rawValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 10 }),
      fc.constantFrom('postgres://u:p@h/db', 'pglite:memory', 'pglite:', 'mysql://x', 'migrations', '', ' '),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 }),
    ),
  })).value
  const configKey = fc.oneof(
    fc.constantFrom('url', 'migrationsDir', 'schema', 'versionTable', 'versionTableSchema', 'transactionPerMigration', 'include', 'exclude', 'postWrite', 'lockTimeout', 'binds'),
    fc.string({ maxLength: 8 }),
  )
  const rawConfig = fc.oneof(rawValue, fc.dictionary(configKey, rawValue, { maxKeys: 5 }), fc.constant(Object.create(null) as unknown))

  it('resolveConfig on arbitrary raw objects: a resolved config or a TsdbError', () => {
    fc.assert(
      fc.property(rawConfig, fc.option(fc.string({ maxLength: 20 })), fc.option(fc.string({ maxLength: 20 })), (raw, urlOption, envUrl) => {
        const result = resultOrTsdbError(() =>
          resolveConfig(raw, {
            cwd: '/project',
            env: envUrl === null ? {} : { DATABASE_URL: envUrl },
            urlOption: urlOption ?? undefined,
            configPath: '/project/tsdb.config.ts',
          }),
        )
        if (!(result instanceof TsdbError)) {
          expect(result.migrationsDir.startsWith('/')).toBe(true)
          expect(['postgres', 'pglite']).toContain(result.database.kind)
        }
      }),
      RUNS,
    )
  })

  const urlText = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.webUrl(),
    fc
      .tuple(
        fc.constantFrom('postgres://', 'postgresql://', 'POSTGRES://', 'pglite:', 'http://', ''),
        fc.string({ maxLength: 8 }),
        fc.constantFrom(':', '@', ':@', '', '[', '%', '%zz'),
        fc.string({ maxLength: 8 }),
        fc.constantFrom('@h', '@h:5432/db', '@[::1]:5432/db', '/db?password=x', '', '@h:notaport/db'),
      )
      .map((parts) => parts.join('')),
  )

  it('parseDatabaseUrl on arbitrary strings: a URL or a TsdbError; the redacted form never holds the password', () => {
    fc.assert(
      fc.property(urlText, (text) => {
        const result = resultOrTsdbError(() => parseDatabaseUrl(text, '/project'))
        if (result instanceof TsdbError) return
        if (result.kind === 'postgres') {
          const password = new URL(result.url).password
          if (password.length >= 4) expect(result.redacted).not.toContain(password)
        }
        expect(typeof parseConnectionString(text).kind).toBe('string')
      }),
      RUNS,
    )
  })

  it("the CLI's redactor removes a URL's password from any text around it", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_.~!$&'()*+,;=:@/?#%-]{4,16}$/),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (password, before, after) => {
          const encoded = encodeURIComponent(password)
          const url = `postgres://app:${encoded}@db.example:5432/app`
          const redactor = createRedactor()
          redactor.addUrl(url)
          const text = `${before}${url} ${password} ${encoded}${after}`
          const redacted = redactor.redact(text)
          expect(redacted).not.toContain(encoded)
          expect(redacted).not.toContain(password)
        },
      ),
      RUNS,
    )
  })

  it('parseRenameOption: a rename hint or a TsdbError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[a-z.:]{0,10}$/)), (text) => {
        const result = resultOrTsdbError(() => parseRenameOption(text))
        if (!(result instanceof TsdbError)) {
          expect(result.from).not.toBe('')
          expect(result.to).not.toBe('')
        }
      }),
      RUNS,
    )
  })
})
