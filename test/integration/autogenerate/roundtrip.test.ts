import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createJiti } from 'jiti'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { applyStatement } from '../../../src/autogenerate/apply-statements.js'
import { autogenerate, introspectDatabase } from '../../../src/autogenerate/autogenerate.js'
import { readCanonicalDeclaration } from '../../../src/autogenerate/canonicalize-declaration.js'
import { CATALOG_QUERY_COUNT } from '../../../src/introspect/query-catalog.js'
import type { SchemaModel } from '../../../src/model/schema-model.js'
import { renderStatements } from '../../../src/render/render-ops.js'
import { describeEachDatabase } from '../../helpers/databases.js'
import { model } from './model-builders.js'
import { roundTripCases, type RoundTripCase } from './roundtrip-cases.js'

const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false })
// Under node_modules so that the rendered module's `import ... from 'kysely'` resolves.
const cacheDir = join(process.cwd(), 'node_modules', '.cache')
let moduleDir = ''
let moduleCount = 0

beforeAll(async () => {
  await mkdir(cacheDir, { recursive: true })
  moduleDir = await mkdtemp(join(cacheDir, 'tsdb-roundtrip-'))
})
afterAll(async () => {
  await rm(moduleDir, { recursive: true, force: true })
})

interface MigrationModule {
  up(db: Kysely<any>): Promise<void>
  down(db: Kysely<any>): Promise<void>
}

/** Writes the rendered bodies into a revision-like module and imports it: the text is what runs. */
async function loadRendered(up: string, down: string): Promise<MigrationModule> {
  const file = join(moduleDir, `m${moduleCount++}.ts`)
  await writeFile(
    file,
    `import { sql, type Kysely } from 'kysely'\n\n` +
      `export async function up(db: Kysely<any>): Promise<void> {\n${up}\n}\n\n` +
      `export async function down(db: Kysely<any>): Promise<void> {\n${down}\n}\n`,
  )
  return jiti.import<MigrationModule>(file)
}

const options = (c: RoundTripCase) => ({
  versionTable: 'alembic_version',
  versionTableSchema: null,
  ...(c.renames ? { renames: c.renames } : {}),
  ...(c.schemas ? { schemas: c.schemas } : {}),
})

/** The model without the declaration-only rename hints, as introspection would see it. */
function withoutHints(m: SchemaModel): SchemaModel {
  return {
    ...m,
    tables: m.tables.map(({ renamedFrom: _t, ...table }) => ({
      ...table,
      columns: table.columns.map(({ renamedFrom: _c, ...column }) => column),
    })),
  }
}

async function resetDatabase(db: Kysely<any>): Promise<void> {
  await sql`drop schema if exists app cascade`.execute(db)
  await sql`drop schema public cascade`.execute(db)
  await sql`create schema public`.execute(db)
}

describeEachDatabase('autogenerate round trip', (ctx) => {
  for (const c of roundTripCases) {
    test(c.name, async () => {
      const db = ctx.kysely()
      await resetDatabase(db)
      const schemas = c.schemas ?? [...new Set(['public', ...c.from.schemas, ...c.to.schemas])]

      const setup = await autogenerate(db, withoutHints(c.from), { ...options(c), schemas, renames: [] })
      for (const statement of renderStatements(setup.ops)) await applyStatement(db, statement)
      const canonicalFrom = (await readCanonicalDeclaration(db, withoutHints(c.from))).model
      expect(await introspectDatabase(db, { schemas })).toEqual(canonicalFrom)

      const first = await autogenerate(db, c.to, { ...options(c), schemas })
      expect(first.ops.map((op) => op.kind)).toEqual(expect.arrayContaining([...c.expectKinds]))
      const migration = await loadRendered(first.up, first.down)

      await migration.up(db)
      expect(await introspectDatabase(db, { schemas })).toEqual(withoutHints(first.declared))
      const second = await autogenerate(db, c.to, { ...options(c), schemas })
      expect(second.descriptions).toEqual([])

      await migration.down(db)
      expect(await introspectDatabase(db, { schemas })).toEqual(canonicalFrom)
    })
  }

  test('the catalogue has at least 40 cases', () => {
    expect(roundTripCases.length).toBeGreaterThanOrEqual(40)
  })

  test('an empty declaration against an empty database finds nothing', async () => {
    const db = ctx.kysely()
    await resetDatabase(db)
    const result = await autogenerate(db, model([]), { versionTable: 'alembic_version', versionTableSchema: null })
    expect(result.ops).toEqual([])
    // The database's catalogs only: an empty declaration has no text to canonicalise.
    expect(result.queryCount).toBe(CATALOG_QUERY_COUNT)
  })
})
