import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { ScriptError } from '../../../src/errors.js'
import { parseRevisionFile } from '../../../src/script/parse-revision-file.js'
import { renderCreateDate, renderRevisionFile, type RevisionFileInput } from '../../../src/script/render-revision-file.js'
import { generateRevisionId } from '../../../src/script/generate-revision-id.js'
import { slugify } from '../../../src/script/slugify.js'

const template = await readFile(new URL('../../../templates/generic/script.ts.tmpl', import.meta.url), 'utf8')
// Built from local-time parts: the file shows local time, as Alembic's does.
const createDate = new Date(2026, 10, 21, 18, 24, 31, 81)

const usersTable: RevisionFileInput = {
  id: '6960ad74d5c5',
  message: 'users table',
  downRevisions: [],
  branchLabels: [],
  dependsOn: [],
  createDate,
  upBody: "await db.schema.createTable('user').addColumn('id', 'serial', (c) => c.primaryKey()).execute()",
  downBody: "await db.schema.dropTable('user').execute()",
}

describe('renderRevisionFile', () => {
  it("renders DESIGN §4's shape", () => {
    expect(renderRevisionFile(usersTable, template)).toBe(`/**
 * users table
 *
 * Revision ID: 6960ad74d5c5
 * Revises:
 * Create Date: 2026-11-21 18:24:31.081000
 */
import type { Kysely } from 'kysely'

export const revision = '6960ad74d5c5'
export const downRevision = null
export const branchLabels = null
export const dependsOn = null

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('user').addColumn('id', 'serial', (c) => c.primaryKey()).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user').execute()
}
`)
  })

  it('renders an empty merge revision with labels, dependencies, sql, extra imports and transactional = false', () => {
    const text = renderRevisionFile(
      {
        id: 'ff00ff00ff00',
        message: 'merge heads\nsecond line',
        downRevisions: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'],
        branchLabels: ['shop'],
        dependsOn: ['cccccccccccc', 'dddddddddddd'],
        createDate: new Date(2026, 0, 2, 3, 4, 5, 0),
        upBody: "await sql`create index concurrently ix on t (a)`.execute(db)\n\nawait db.schema.dropTable('old').execute()",
        downBody: '',
        imports: ["import { z } from './z.js'", "import { a } from './a.js'", "import { z } from './z.js'"],
        transactional: false,
      },
      template,
    )
    expect(text).toBe(`/**
 * merge heads
 * second line
 *
 * Revision ID: ff00ff00ff00
 * Revises: aaaaaaaaaaaa, bbbbbbbbbbbb
 * Create Date: 2026-01-02 03:04:05
 */
import { sql, type Kysely } from 'kysely'
import { a } from './a.js'
import { z } from './z.js'

export const revision = 'ff00ff00ff00'
export const downRevision = ['aaaaaaaaaaaa', 'bbbbbbbbbbbb']
export const branchLabels = 'shop'
export const dependsOn = ['cccccccccccc', 'dddddddddddd']
export const transactional = false

export async function up(db: Kysely<any>): Promise<void> {
  await sql\`create index concurrently ix on t (a)\`.execute(db)

  await db.schema.dropTable('old').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  // Write here what undoes up().
}
`)
  })

  it('writes Alembic\'s "empty message" and placeholder bodies, and the result reads back', () => {
    const text = renderRevisionFile({ ...usersTable, message: '  ', upBody: undefined, downBody: undefined, downRevisions: ['a1'] }, template)
    expect(text).toContain(' * empty message\n')
    expect(text).toContain('  // Write the upgrade here with Kysely')
    expect(text).toContain("import type { Kysely } from 'kysely'\n")
    expect(parseRevisionFile(text, '/x.ts')).toMatchObject({ id: '6960ad74d5c5', downRevisions: ['a1'], message: 'empty message' })
  })

  it('keeps a message from closing the header comment', () => {
    const text = renderRevisionFile({ ...usersTable, message: 'drop */ things' }, template)
    expect(text).toContain(' * drop *\\/ things\n')
    expect(parseRevisionFile(text, '/x.ts').id).toBe('6960ad74d5c5')
  })

  it('rejects an unknown placeholder', () => {
    expect(() => renderRevisionFile(usersTable, '{{nope}}')).toThrow(ScriptError)
    expect(() => renderRevisionFile(usersTable, '{{nope}}')).toThrow(/unknown placeholder \{\{nope\}\} in the revision template \(known: binds, branchLabels, /)
  })
})

describe('renderRevisionFile with binds (the multidb template)', () => {
  const withBinds: RevisionFileInput = {
    ...usersTable,
    binds: [
      { name: 'users', upBody: "await sql`select 1`.execute(db)", downBody: '' },
      { name: 'audit-log' },
    ],
  }

  it('writes each bind\'s steps under its name in export const binds, after down()', () => {
    const text = renderRevisionFile(withBinds, template)
    expect(text).toContain("import { sql, type Kysely } from 'kysely'")
    expect(text.slice(text.indexOf('export async function down'))).toBe(`export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user').execute()
}

export const binds = {
  users: {
    async up(db: Kysely<any>): Promise<void> {
      await sql\`select 1\`.execute(db)
    },
    async down(db: Kysely<any>): Promise<void> {
      // Write here what undoes up().
    },
  },
  'audit-log': {
    async up(db: Kysely<any>): Promise<void> {
      // Write the upgrade here with Kysely: db.schema for tables, db for data.
    },
    async down(db: Kysely<any>): Promise<void> {
      // Write here what undoes up().
    },
  },
}
`)
  })

  it('refuses a template without {{binds}} rather than leave the binds\' steps out', () => {
    const old = template.replace('{{binds}}', '')
    expect(() => renderRevisionFile(withBinds, old)).toThrow(/has no \{\{binds\}\} placeholder, and the config has binds/)
    expect(renderRevisionFile(usersTable, old)).toBe(renderRevisionFile(usersTable, template))
  })
})

describe('renderCreateDate', () => {
  it('prints microseconds like Python, omitting them when zero', () => {
    expect(renderCreateDate(new Date(2026, 10, 21, 18, 24, 31, 81))).toBe('2026-11-21 18:24:31.081000')
    expect(renderCreateDate(new Date(2026, 10, 21, 8, 4, 1, 0))).toBe('2026-11-21 08:04:01')
  })
})

describe('slugify', () => {
  it.each([
    ['users table', 'users_table'],
    ['Add   posts, and  Tags!', 'add_posts_and_tags'],
    ['', ''],
    ['rename user->account (v2)', 'rename_user_account_v2'],
    ['Ärger über Café', 'ärger_über_café'],
    ['snake_case stays', 'snake_case_stays'],
    // Alembic cuts at the last word boundary within 40 characters and keeps the `_`.
    ['add a very long column name to the posts table please', 'add_a_very_long_column_name_to_the_'],
    ['x'.repeat(50), 'x'.repeat(40)],
  ])('%j -> %j', (message, slug) => {
    expect(slugify(message)).toBe(slug)
    expect(slugify(message).length).toBeLessThanOrEqual(40)
  })
})

describe('generateRevisionId', () => {
  it('gives 12 lowercase hex characters, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, generateRevisionId))
    expect(ids.size).toBe(100)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/)
  })
})
