import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { MigrationFailedError } from '../../../src/errors.js'
import type { MigrationStep } from '../../../src/revision/migration-step.js'
import { createRevision, type Revision } from '../../../src/revision/revision.js'
import { buildRevisionGraph } from '../../../src/revision/revision-graph.js'
import type { RevisionModule } from '../../../src/revision/revision.js'
import { renderOfflineScript, renderOfflineStamp } from '../../../src/runner/offline-sql.js'

const a = createRevision({ id: '6960ad74d5c5', message: 'users table' })
const b = createRevision({ id: 'b7c1d2e3f4a5', downRevisions: ['6960ad74d5c5'], message: 'posts' })
const c = createRevision({ id: 'c0ffee000001', downRevisions: ['b7c1d2e3f4a5'], message: 'index', transactional: false })
const graph = buildRevisionGraph([a, b, c])

const modules: Record<string, RevisionModule> = {
  [a.id]: {
    up: async (db) => {
      await db.schema.createTable('user').addColumn('id', 'serial', (col) => col.primaryKey()).execute()
      await db.insertInto('user').values({ id: 1 }).execute()
    },
    down: async (db) => {
      await db.schema.dropTable('user').execute()
    },
  },
  [b.id]: {
    up: async (db) => {
      const rows = await db.selectFrom('user').select('id').execute()
      await db.schema.alterTable('user').addColumn('note', 'text', (col) => col.defaultTo(`n=${rows.length}`)).execute()
    },
    down: async (db) => {
      await db.schema.alterTable('user').dropColumn('note').execute()
    },
  },
  [c.id]: {
    up: async (db) => {
      await sql`create index concurrently ix_user_note on "user" (note)`.execute(db)
    },
    down: async (db) => {
      await sql`drop index concurrently ix_user_note`.execute(db)
    },
  },
}

const options = (steps: readonly MigrationStep[], startHeads: readonly string[], extra: object = {}) => ({
  steps,
  startHeads,
  graph,
  versionTable: 'alembic_version',
  versionTableSchema: null,
  loadModule: async (revision: Revision) => modules[revision.id]!,
  createVersionTable: startHeads.length === 0,
  transactionPerMigration: false,
  ...extra,
})
const up = (revision: Revision): MigrationStep => ({ direction: 'up', revision })
const down = (revision: Revision): MigrationStep => ({ direction: 'down', revision })

const CREATE_VERSION_TABLE =
  'CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n' +
  '    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);'

describe('renderOfflineScript', () => {
  it('writes an upgrade from base exactly as Alembic lays it out', async () => {
    const script = await renderOfflineScript(options([up(a), up(b)], []))
    expect(script).toBe(
      [
        'BEGIN;',
        CREATE_VERSION_TABLE,
        '-- Running upgrade  -> 6960ad74d5c5',
        'create table "user" ("id" serial primary key);',
        'insert into "user" ("id") values (1);',
        "INSERT INTO alembic_version (version_num) VALUES ('6960ad74d5c5');",
        '-- Running upgrade 6960ad74d5c5 -> b7c1d2e3f4a5',
        'select "id" from "user";',
        `alter table "user" add column "note" text default 'n=0';`,
        "UPDATE alembic_version SET version_num='b7c1d2e3f4a5' WHERE alembic_version.version_num = '6960ad74d5c5';",
        'COMMIT;',
      ].join('\n\n') + '\n',
    )
  })

  it('commits before a non-transactional revision and begins again after it', async () => {
    const script = await renderOfflineScript(options([up(b), up(c)], [a.id]))
    expect(script.trimEnd().split('\n\n')).toEqual([
      'BEGIN;',
      '-- Running upgrade 6960ad74d5c5 -> b7c1d2e3f4a5',
      // Reads run too (psql prints their rows); in the script they see no rows.
      'select "id" from "user";',
      `alter table "user" add column "note" text default 'n=0';`,
      "UPDATE alembic_version SET version_num='b7c1d2e3f4a5' WHERE alembic_version.version_num = '6960ad74d5c5';",
      'COMMIT;',
      '-- Running upgrade b7c1d2e3f4a5 -> c0ffee000001',
      'create index concurrently ix_user_note on "user" (note);',
      "UPDATE alembic_version SET version_num='c0ffee000001' WHERE alembic_version.version_num = 'b7c1d2e3f4a5';",
    ])
  })

  it('writes a downgrade to base, deleting the row', async () => {
    const script = await renderOfflineScript(options([down(b), down(a)], [b.id]))
    expect(script.trimEnd().split('\n\n')).toEqual([
      'BEGIN;',
      '-- Running downgrade b7c1d2e3f4a5 -> 6960ad74d5c5',
      'alter table "user" drop column "note";',
      "UPDATE alembic_version SET version_num='6960ad74d5c5' WHERE alembic_version.version_num = 'b7c1d2e3f4a5';",
      '-- Running downgrade 6960ad74d5c5 -> ',
      'drop table "user";',
      "DELETE FROM alembic_version WHERE alembic_version.version_num = '6960ad74d5c5';",
      'COMMIT;',
    ])
  })

  it('wraps each step in its own transaction with transactionPerMigration', async () => {
    const script = await renderOfflineScript(options([up(a), up(b)], [], { transactionPerMigration: true }))
    expect(script.trimEnd().split('\n\n').filter((line) => /^(BEGIN|COMMIT|CREATE|-- )/.test(line))).toEqual([
      'BEGIN;',
      CREATE_VERSION_TABLE,
      '-- Running upgrade  -> 6960ad74d5c5',
      'COMMIT;',
      'BEGIN;',
      '-- Running upgrade 6960ad74d5c5 -> b7c1d2e3f4a5',
      'COMMIT;',
    ])
  })

  it('writes an empty transaction when there is nothing to do', async () => {
    expect(await renderOfflineScript(options([], [b.id]))).toBe('BEGIN;\n\nCOMMIT;\n')
  })

  it('refuses a downgrade through a revision without down()', async () => {
    const noDown = { ...options([down(a)], [a.id]), loadModule: async () => ({ up: async () => {} }) }
    await expect(renderOfflineScript(noDown)).rejects.toBeInstanceOf(MigrationFailedError)
  })
})

describe('renderOfflineStamp', () => {
  it('writes the version rows of each stamp step', () => {
    const script = renderOfflineStamp({
      steps: [{ direction: 'up', from: [], to: ['b7c1d2e3f4a5'], isBranchMove: true }],
      startHeads: [],
      versionTable: 'alembic_version',
      versionTableSchema: null,
      createVersionTable: true,
    })
    expect(script).toBe(
      [
        'BEGIN;',
        CREATE_VERSION_TABLE,
        '-- Running stamp_revision  -> b7c1d2e3f4a5',
        "INSERT INTO alembic_version (version_num) VALUES ('b7c1d2e3f4a5');",
        'COMMIT;',
      ].join('\n\n') + '\n',
    )
  })

  it('logs a stamp step with its own from and to', () => {
    const script = renderOfflineStamp({
      steps: [{ direction: 'down', from: ['b7c1d2e3f4a5'], to: ['6960ad74d5c5'], isBranchMove: false }],
      startHeads: ['b7c1d2e3f4a5'],
      versionTable: 'alembic_version',
      versionTableSchema: null,
      createVersionTable: false,
    })
    expect(script.trimEnd().split('\n\n')).toEqual([
      'BEGIN;',
      '-- Running stamp_revision b7c1d2e3f4a5 -> 6960ad74d5c5',
      "UPDATE alembic_version SET version_num='6960ad74d5c5' WHERE alembic_version.version_num = 'b7c1d2e3f4a5';",
      'COMMIT;',
    ])
  })
})
