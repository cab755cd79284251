import { sql, type Kysely } from 'kysely'
import type { Reporter } from '../../../src/runner/reporter.js'
import { planDowngrade, planUpgrade } from '../../../src/revision/plan.js'
import { createRevision, type Revision } from '../../../src/revision/revision.js'
import { buildRevisionGraph, type RevisionGraph } from '../../../src/revision/revision-graph.js'
import type { RevisionModule } from '../../../src/revision/revision.js'
import type { RunMigrationsOptions } from '../../../src/runner/run-migrations.js'

export interface Project {
  readonly revisions: readonly Revision[]
  readonly graph: RevisionGraph
  readonly modules: Readonly<Record<string, RevisionModule>>
  readonly versionTable: string
  options(reporter: Reporter, overrides?: Partial<RunMigrationsOptions>): RunMigrationsOptions
  upgradeTo(target: string): (heads: readonly string[]) => ReturnType<typeof planUpgrade>
  downgradeTo(target: string): (heads: readonly string[]) => ReturnType<typeof planDowngrade>
}

export interface RevisionSpec {
  readonly id: string
  readonly down?: readonly string[]
  readonly transactional?: boolean
  readonly module: RevisionModule
}

/** A project of in-memory revisions; every test uses its own prefix, tables and version table. */
export function createProject(prefix: string, specs: readonly RevisionSpec[]): Project {
  const revisions = specs.map((spec) =>
    createRevision({
      id: spec.id,
      downRevisions: spec.down ?? [],
      message: `create ${spec.id}`,
      path: `/project/migrations/versions/${spec.id}_create.ts`,
      transactional: spec.transactional ?? true,
    }),
  )
  const graph = buildRevisionGraph(revisions)
  const modules = Object.fromEntries(specs.map((spec) => [spec.id, spec.module]))
  const versionTable = `${prefix}_version`
  return {
    revisions,
    graph,
    modules,
    versionTable,
    options: (reporter, overrides = {}) => ({
      plan: (heads) => planUpgrade(graph, heads, 'heads'),
      graph,
      versionTable,
      versionTableSchema: null,
      transactionPerMigration: false,
      lockTimeoutMs: null,
      loadModule: async (revision) => {
        const module = modules[revision.id]
        if (!module) throw new Error(`no module for ${revision.id}`)
        return module
      },
      reporter,
      ...overrides,
    }),
    upgradeTo: (target) => (heads) => planUpgrade(graph, heads, target),
    downgradeTo: (target) => (heads) => planDowngrade(graph, heads, target),
  }
}

/** up creates table `<id>_t`, down drops it. */
export function tableModule(id: string): RevisionModule {
  return {
    up: async (db) => {
      await db.schema.createTable(`${id}_t`).addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('note', 'text').execute()
    },
    down: async (db) => {
      await db.schema.dropTable(`${id}_t`).execute()
    },
  }
}

export async function readTables(db: Kysely<any>, prefix: string): Promise<readonly string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name like ${`${prefix}%`} and table_name not like '%_version'
    order by table_name`.execute(db)
  return rows.map((r) => r.table_name)
}

/** Empty also when the table does not exist (a first run that failed creates none). */
export async function readVersionRows(db: Kysely<any>, table: string): Promise<readonly string[]> {
  const { rows: found } = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(db)
  if (found[0]?.found == null) return []
  const rows = await db.selectFrom(table).select('version_num').orderBy('version_num').execute()
  return rows.map((r) => String(r.version_num))
}
