import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { beforeAll, expect, test } from 'vitest'
// The built package, as users load it (`npm test` builds first): a declaration's `import 'tsdb-migrate'`
// then gets the very module instances these functions come from.
import { loadSchemaDeclaration } from '../../../dist/api/load-schema-declaration.js'
import { applyStatement } from '../../../dist/autogenerate/apply-statements.js'
import { autogenerate, introspectDatabase } from '../../../dist/autogenerate/autogenerate.js'
import { readCanonicalDeclaration } from '../../../dist/autogenerate/canonicalize-declaration.js'
import type { SchemaModel } from '../../../dist/model/schema-model.js'
import { renderStatements } from '../../../dist/render/render-ops.js'
import { declarationToModel, downgrade, migrate, upgrade, withDatabase, type ResolvedConfig } from '../../../dist/index.js'
import { describeEachDatabase, type DatabaseContext } from '../../helpers/databases.js'
import { apiConfig, createApiProject } from './project.js'
import { declarationCases, schemaModuleText, type Declaration, type DeclarationCase } from './declaration-cases.js'

/** The model without the declaration-only rename hints, as introspection sees it. */
function withoutHints(model: SchemaModel): SchemaModel {
  return {
    ...model,
    tables: model.tables.map(({ renamedFrom: _table, ...table }) => ({
      ...table,
      columns: table.columns.map(({ renamedFrom: _column, ...column }) => column),
    })),
  }
}

/** Every schema a declaration of the case names, so that a dropped schema is looked for too. */
const schemasOf = (c: DeclarationCase): readonly string[] => [
  ...new Set(['public', ...[c.from, c.to].flatMap((d) => [...`${d.tables} ${d.options ?? ''}`.matchAll(/schemas?: \[?'(\w+)'/g)].map((m) => m[1]!))]),
]

/**
 * The round-trip property of DESIGN §6, over declarations written as users write them, through
 * the public API and the real revision files: the database is brought to `from` (from empty,
 * without a revision), then `migrate` writes the change to `to` and `upgrade` applies it; the
 * catalog must equal the canonical `to`, a second `migrate` must find nothing, and `downgrade`
 * must bring back exactly the canonical `from`.
 *
 * On PGlite the commands run on the suite's one open PGlite, given to the API as `db`: opening the
 * folder for each command, six times a case, cost most of the catalogue's CPU. The catalogue is
 * split into `parts` test files, declaration-roundtrip-<n>.test.ts, that vitest runs in parallel
 * workers: part `part` (1-based) takes every `parts`-th case.
 */
export function describeDeclarationRoundtrip(part: number, parts: number): void {
  const cases = declarationCases.filter((_, index) => index % parts === part - 1)
  describeEachDatabase('the declaration catalogue round-trips through migrate, upgrade and downgrade', (ctx) => roundtripSuite(ctx, cases))
}

function roundtripSuite(ctx: DatabaseContext, cases: readonly DeclarationCase[]): void {
  let project: string
  let config: ResolvedConfig
  /** The case whose `from` the database holds, with no revision yet; null when unknown. */
  let preparedFor: DeclarationCase | null = null

  const writeDeclaration = (declaration: Declaration) => writeFile(join(project, 'src', 'schema.ts'), schemaModuleText(declaration))

  /** The database's model and the canonical declared one. */
  async function readBoth(db: Kysely<any>, c: DeclarationCase) {
    const declared = withoutHints(declarationToModel(await loadSchemaDeclaration(config)))
    const actual = await introspectDatabase(db, { schemas: schemasOf(c) })
    const canonical = (await readCanonicalDeclaration(db, declared)).model
    return { actual, canonical: withoutHints(canonical) }
  }

  /**
   * An empty database and no revisions, then the case's `from` created directly (not as a
   * revision: the change under test is then the only one, and `downgrade` goes back to base).
   * Done in the connection of the previous case's last check.
   */
  async function prepare(db: Kysely<any>, c: DeclarationCase): Promise<void> {
    for (const schema of ['public', 'app', 'reporting']) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db)
    await sql`create schema public`.execute(db)
    const versions = join(project, 'migrations', 'versions')
    for (const name of await readdir(versions)) await rm(join(versions, name))
    await writeDeclaration(c.from)
    const declared = withoutHints(declarationToModel(await loadSchemaDeclaration(config)))
    const setup = await autogenerate(db, declared, { versionTable: 'alembic_version', versionTableSchema: null, schemas: schemasOf(c) })
    for (const statement of renderStatements(setup.ops)) await applyStatement(db, statement)
    preparedFor = c
  }

  beforeAll(async () => {
    project = await createApiProject()
    config = apiConfig(ctx, project)
  })

  for (const [i, c] of cases.entries()) {
    test(c.name, async () => {
      if (preparedFor !== c) await withDatabase(config, (db) => prepare(db, c))
      preparedFor = null

      await writeDeclaration(c.to)
      const change = await migrate(config, { message: 'to', ...(c.renames && { renames: c.renames }) })
      expect(change.detected).toEqual(c.detects)
      expect(change.created).not.toBeNull()
      await upgrade(config)
      const after = await withDatabase(config, (db) => readBoth(db, c))
      expect(after.actual).toEqual(after.canonical)
      const again = await migrate(config, { message: 'again', ...(c.renames && { renames: c.renames }) })
      expect(again.detected).toEqual([])
      expect(again.created).toBeNull()

      await downgrade(config)
      await writeDeclaration(c.from)
      const next = cases[i + 1]
      const before = await withDatabase(config, async (db) => {
        const both = await readBoth(db, c)
        if (next !== undefined) await prepare(db, next)
        return both
      })
      expect(before.actual).toEqual(before.canonical)
    })
  }
}
