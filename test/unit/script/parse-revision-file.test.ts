import { describe, expect, it } from 'vitest'
import { ScriptError } from '../../../src/errors.js'
import { parseHeaderComment, parseRevisionFile } from '../../../src/script/parse-revision-file.js'

const PATH = '/app/migrations/versions/6960ad74d5c5_users_table.ts'

const DESIGN_EXAMPLE = `/**
 * users table
 *
 * Revision ID: 6960ad74d5c5
 * Revises:
 * Create Date: 2026-11-21 18:24:31.081132
 */
import { sql, type Kysely } from 'kysely'

export const revision = '6960ad74d5c5'
export const downRevision = null          // a string, or an array for a merge
export const branchLabels = null          // a string or an array
export const dependsOn = null             // a string or an array

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('user').addColumn('id', 'serial', (c) => c.primaryKey()).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user').execute()
}
`

function parseError(text: string): ScriptError {
  try {
    parseRevisionFile(text, PATH)
  } catch (error) {
    if (error instanceof ScriptError) return error
    throw error
  }
  throw new Error('expected a ScriptError')
}

describe('parseRevisionFile', () => {
  it("reads DESIGN §4's example", () => {
    expect(parseRevisionFile(DESIGN_EXAMPLE, PATH)).toEqual({
      id: '6960ad74d5c5',
      downRevisions: [],
      branchLabels: [],
      dependsOn: [],
      message: 'users table',
      doc: 'users table\n\nRevision ID: 6960ad74d5c5\nRevises:\nCreate Date: 2026-11-21 18:24:31.081132',
      path: PATH,
      transactional: true,
    })
  })

  it('reads strings, arrays, double quotes, as const, type annotations, trailing commas and transactional', () => {
    const text = `/** merge shop and users */
export const revision: string = "ab12cd34ef56"
export const downRevision: string | readonly string[] | null = [
  'aaaaaaaaaaaa', // shop
  "bbbbbbbbbbbb",
] as const
export const branchLabels: string[] | null = ['shop'] satisfies string[]
export const dependsOn = 'cccccccccccc' as const;
export const transactional = false

export async function up(db: Kysely<any>): Promise<void> {}
`
    expect(parseRevisionFile(text, PATH)).toMatchObject({
      id: 'ab12cd34ef56',
      downRevisions: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'],
      branchLabels: ['shop'],
      dependsOn: ['cccccccccccc'],
      message: 'merge shop and users',
      doc: 'merge shop and users',
      transactional: false,
    })
  })

  it('defaults branchLabels and dependsOn when they are not exported', () => {
    const text = "export const revision = 'a1'\nexport const downRevision = 'b2'\n"
    expect(parseRevisionFile(text, PATH)).toMatchObject({ id: 'a1', downRevisions: ['b2'], branchLabels: [], dependsOn: [], message: '', doc: '' })
  })

  it('ignores look-alikes in comments, strings, templates, regexes and nested scopes', () => {
    const text = `/**
 * tricky
 */
// export const revision = 'commented'
/* export const revision = 'block' */
export const revision = 'r1'
export const downRevision = null
const note = "export const dependsOn = 'x'"
const template = \`export const branchLabels = '\${note}' \${ { a: '}' }.a }\`
const pattern = /export const transactional = "'/g
export async function up(db: Kysely<any>): Promise<void> {
  const branchLabels = ['inner']
  if (1 / 2 > 0) { const dependsOn = "y" }
}
export const transactional = true
`
    expect(parseRevisionFile(text, PATH)).toMatchObject({ id: 'r1', branchLabels: [], dependsOn: [], transactional: true, message: 'tricky' })
  })

  it('keeps a multi-line doc and takes the message from its first line', () => {
    const text = `#!/usr/bin/env node
// generated
/**
 * add posts
 * with a body
 *
 *     indented note
 */
export const revision = 'r2'
export const downRevision = 'r1'
`
    const rev = parseRevisionFile(text, PATH)
    expect(rev.message).toBe('add posts')
    expect(rev.doc).toBe('add posts\nwith a body\n\n    indented note')
  })

  it('reads a doc comment only when it comes before the code', () => {
    expect(parseHeaderComment("export const revision = 'x'\n/** later */")).toBe('')
    expect(parseHeaderComment('/* plain */\nexport const x = 1')).toBe('plain')
  })

  describe('malformed headers name the file, the export and what it must be', () => {
    it.each([
      ['a missing revision', "export const downRevision = null", "revision must be a string literal of letters, digits and _ (export const revision = 'ae1027a6acf'); it is missing"],
      ['a non-string revision', "export const revision = 12\nexport const downRevision = null", 'revision must be a string literal of letters, digits and _ (export const revision = \'ae1027a6acf\'); got the number 12'],
      ['a revision with bad characters', "export const revision = 'a-b'\nexport const downRevision = null", "revision must be a string literal of letters, digits and _ (export const revision = 'ae1027a6acf'); got 'a-b'"],
      ['a computed revision', "export const revision = prefix + 'x'\nexport const downRevision = null", "revision must be a string literal of letters, digits and _ (export const revision = 'ae1027a6acf'); got the expression `prefix + 'x'` (only literals can be read without running the file)"],
      ['a missing downRevision', "export const revision = 'r'", "downRevision must be null (a first revision), a revision id ('ae1027a6acf') or an array of them (a merge); it is missing"],
      ['a numeric downRevision', "export const revision = 'r'\nexport const downRevision = [1]", "downRevision must be null (a first revision), a revision id ('ae1027a6acf') or an array of them (a merge); got [the number 1]"],
      ['an empty downRevision', "export const revision = 'r'\nexport const downRevision = ''", "downRevision must be null (a first revision), a revision id ('ae1027a6acf') or an array of them (a merge); got ''"],
      ['a boolean branchLabels', "export const revision = 'r'\nexport const downRevision = null\nexport const branchLabels = true", 'branchLabels must be null, a label (\'shop\') or an array of labels; got true'],
      ['a label with @', "export const revision = 'r'\nexport const downRevision = null\nexport const branchLabels = 'a@b'", "branchLabels must be labels without '@' ('@' separates a label from a target); got 'a@b'"],
      ['an object dependsOn', "export const revision = 'r'\nexport const downRevision = null\nexport const dependsOn = { a: 1 }", 'dependsOn must be null, a revision id or label, or an array of them; got the expression `{ a: 1 }` (only literals can be read without running the file)'],
      ['a string transactional', "export const revision = 'r'\nexport const downRevision = null\nexport const transactional = 'no'", "transactional must be true or false; got 'no'"],
      ['a function call', "export const revision = 'r'\nexport const downRevision = parents()", 'downRevision must be null (a first revision), a revision id (\'ae1027a6acf\') or an array of them (a merge); got the expression `parents()` (only literals can be read without running the file)'],
    ])('%s', (_case, text, message) => {
      const error = parseError(text)
      expect(error.message).toBe(`${PATH}: ${message}`)
      expect(error.path).toBe(PATH)
    })

    it('an export declared twice', () => {
      expect(parseError("export const revision = 'a'\nexport const revision = 'b'\nexport const downRevision = null").message).toBe(
        `${PATH}:2: revision is exported twice; fix the file`,
      )
    })

    it('an unterminated string names the line', () => {
      expect(parseError("export const revision = 'a'\nexport const downRevision = 'b\n").message).toBe(`${PATH}:2: unterminated string; fix the file`)
    })
  })

  describe('reads the code around the header as it always has (the scanner skips most of it natively)', () => {
    const HEADER = "export const revision = 'r1'\nexport const downRevision = null\n"
    const headerOf = (text: string) => {
      const { id, branchLabels, dependsOn } = parseRevisionFile(text, PATH)
      return { id, branchLabels, dependsOn }
    }

    it('tells a division from a regular expression by the token before the /', () => {
      expect(headerOf(`${HEADER}const x = a / b; export const dependsOn = 'dep' // a / comment\n`).dependsOn).toEqual(['dep'])
      expect(headerOf(`${HEADER}const z = (a) / 2 / (b)\nexport const dependsOn = 'd'\n`).dependsOn).toEqual(['d'])
      expect(headerOf(`${HEADER}export function up() { return /}/.test('') }\nexport const branchLabels = 'shop'\n`).branchLabels).toEqual(['shop'])
      // After `)` a / is a division, as it always was here, so the quote opens a string.
      expect(parseError(`${HEADER}if (x) /'/.test(y)\nexport const dependsOn = 'd'\n`).message).toBe(`${PATH}:3: unterminated string; fix the file`)
    })

    it('takes `export` only as a word of its own', () => {
      expect(headerOf("a.export const revision = 'x'\nexport const downRevision = null\n").id).toBe('x')
      expect(headerOf("1.export const revision = 'x'\nexport const revision = 'y'\nexport const downRevision = null\n").id).toBe('y')
      expect(headerOf("exports.revision = 'x'\nexport const revision = 'y'\nexport const downRevision = null\n").id).toBe('y')
      expect(headerOf("\uFEFFexport const revision = 'b'\nexport const downRevision = null\n").id).toBe('b')
    })

    it('walks brackets nested deeper than the native match reaches, and the strings in them', () => {
      expect(headerOf(`${HEADER}f(((((((((((g('a', "b"), [1, { c: 2 }])))))))))))\nexport const dependsOn = 'd'\n`).dependsOn).toEqual(['d'])
      expect(headerOf(`${HEADER}f({ a: \`\${ '}' }\` })\nexport const dependsOn = 'd'\n`).dependsOn).toEqual(['d'])
      expect(parseError(`${HEADER}f(((((((((((g('a', 'b\n'))))))))))))\n`).message).toBe(`${PATH}:3: unterminated string; fix the file`)
      expect(parseError(`${HEADER}function f() { g(1)) }\n`).message).toBe(`${PATH}:3: unexpected '}'; fix the file`)
    })

    it('reads a literal only when the statement ends after it', () => {
      expect(headerOf("export const revision = 'r1' as const\nexport const downRevision = null; export const dependsOn = 'a'\n")).toEqual({
        id: 'r1',
        branchLabels: [],
        dependsOn: ['a'],
      })
      expect(parseError("export const revision = 'r1'\n+ 'x'\nexport const downRevision = null\n").message).toBe(
        `${PATH}: revision must be a string literal of letters, digits and _ (export const revision = 'ae1027a6acf'); got the expression \`'r1'\` (only literals can be read without running the file)`,
      )
    })
  })

  it('reads thousands of files quickly', () => {
    const body = DESIGN_EXAMPLE + '\n'.repeat(5) + '// filler\n'.repeat(200)
    const start = performance.now()
    for (let i = 0; i < 2000; i++) parseRevisionFile(body, PATH)
    // About 0.1 ms a file here; the bound only catches a scan gone quadratic.
    expect(performance.now() - start).toBeLessThan(5000)
  })
})
