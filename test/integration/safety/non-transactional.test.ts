import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { revisionFileText } from '../../helpers/run-cli.js'
import { useSafetyProject } from './safety-project.js'

/**
 * `export const transactional = false` revisions (CREATE INDEX CONCURRENTLY): their version row is
 * written right after them, and the INVALID index a failed concurrent build leaves is reported.
 */
describe('non-transactional revisions [postgres]', () => {
  const { db, versions, run, versionRows } = useSafetyProject()

  it('writes the version row right after the step: a later failure keeps it', async () => {
    await writeFile(
      join(versions, 'a00000000001_items.ts'),
      revisionFileText({
        id: 'a00000000001',
        message: 'items',
        up: `await db.schema.createTable('items').addColumn('id', 'integer').addColumn('code', 'text').execute()
  await db.insertInto('items').values([{ id: 1, code: 'x' }, { id: 2, code: 'x' }]).execute()`,
      }),
    )
    await writeFile(
      join(versions, 'a00000000002_index.ts'),
      revisionFileText({
        id: 'a00000000002',
        message: 'index concurrently',
        down: 'a00000000001',
        transactional: false,
        up: 'await sql`create index concurrently items_id_idx on items (id)`.execute(db)',
      }),
    )
    await writeFile(
      join(versions, 'a00000000003_fails.ts'),
      revisionFileText({
        id: 'a00000000003',
        message: 'fails',
        down: 'a00000000002',
        up: `await db.schema.createTable('never').addColumn('id', 'integer').execute()
  await sql\`select 1/0\`.execute(db)`,
      }),
    )
    const result = await run('upgrade')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('a00000000003')
    expect(result.stderr).toContain('These revisions stayed committed: a00000000001, a00000000002.')
    expect(await versionRows()).toEqual(['a00000000002'])
    const { rows } = await sql<{ indisvalid: boolean }>`
      select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'items_id_idx'`.execute(db)
    expect(rows).toEqual([{ indisvalid: true }])
    const never = await sql<{ found: string | null }>`select to_regclass('never')::text as found`.execute(db)
    expect(never.rows).toEqual([{ found: null }])
    await rm(join(versions, 'a00000000003_fails.ts'))
  })

  it('reports the INVALID index of a failed CREATE INDEX CONCURRENTLY, on failure and on the next run, with the fix', async () => {
    await writeFile(
      join(versions, 'a00000000004_unique.ts'),
      revisionFileText({
        id: 'a00000000004',
        message: 'unique code',
        down: 'a00000000002',
        transactional: false,
        up: 'await sql`create unique index concurrently items_code_key on items (code)`.execute(db)',
      }),
    )
    const drop = 'DROP INDEX CONCURRENTLY public.items_code_key;'
    const failed = await run('upgrade')
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('Warning: index public.items_code_key on public.items is INVALID')
    expect(await versionRows()).toEqual(['a00000000002'])

    const next = await run('upgrade')
    expect(next.code).toBe(1)
    const warning = next.stderr.split('\n').find((line) => line.startsWith('Warning: index public.items_code_key'))
    expect(warning, next.stderr).toBeDefined()
    expect(warning).toContain(`run \`${drop}\` and rerun \`tsdb db upgrade\``)
    expect(warning).toContain('REINDEX INDEX CONCURRENTLY public.items_code_key;')

    // Following the advice: drop it, fix the data, rerun.
    await sql`drop index concurrently public.items_code_key`.execute(db)
    await sql`update items set code = 'y' where id = 2`.execute(db)
    const fixed = await run('upgrade')
    expect(fixed.code, fixed.stderr).toBe(0)
    expect(fixed.stderr).not.toContain('Warning')
    expect(await versionRows()).toEqual(['a00000000004'])
  })
})

describe('a failed first run with a custom version table [postgres]', () => {
  const { db, project, versions, run } = useSafetyProject()

  beforeAll(async () => {
    await writeFile(join(project, 'tsdb.config.json'), JSON.stringify({ versionTable: 'app_versions' }))
    await writeFile(
      join(versions, 'a00000000001_fails.ts'),
      revisionFileText({ id: 'a00000000001', message: 'fails', up: 'await sql`select 1/0`.execute(db)' }),
    )
  })

  it('leaves no version table behind', async () => {
    const result = await run('upgrade')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('division by zero')
    const { rows } = await sql<{ found: string | null }>`select to_regclass('app_versions')::text as found`.execute(db)
    expect(rows).toEqual([{ found: null }])
  })
})
