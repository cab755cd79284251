import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acquireFileLock } from '../../../src/connection/file-lock.js'
import { pgliteLockPath } from '../../../src/connection/open-pglite.js'
import { createPgliteTestDatabase, type TestDatabase } from '../../helpers/databases.js'
import { createProject, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

const COUNT = 6
const id = (index: number) => `p${String(index).padStart(11, '0')}`

/** Two processes on one embedded database folder: the second waits for the folder lock, or says clearly that it is taken. */
describe('two processes on one PGlite folder [pglite]', () => {
  let database: TestDatabase
  let project: string
  const dataDir = () => database.url.slice('pglite:'.length)

  async function query<T>(text: string): Promise<T[]> {
    const pglite = new PGlite(dataDir())
    try {
      return (await pglite.query<T>(text)).rows
    } finally {
      await pglite.close()
    }
  }

  beforeAll(async () => {
    database = await createPgliteTestDatabase()
    project = await createProject()
    const versions = join(project, 'migrations', 'versions')
    await mkdir(versions, { recursive: true })
    for (let index = 0; index < COUNT; index++) {
      const create =
        index === 0 ? "await db.schema.createTable('apply_log').addColumn('revision', 'text', (c) => c.notNull()).execute()\n  " : ''
      await writeFile(
        join(versions, `${id(index)}_step_${index}.ts`),
        revisionFileText({
          id: id(index),
          message: `step ${index}`,
          down: index === 0 ? null : id(index - 1),
          up: `${create}await db.insertInto('apply_log').values({ revision: '${id(index)}' }).execute()`,
        }),
      )
    }
  })
  afterAll(() => database.drop())

  it('a second process gets a one-line error naming the holder when --lock-timeout runs out; nothing changes', async () => {
    const lock = await acquireFileLock(pgliteLockPath(dataDir()), { resource: 'test', timeoutMs: 0 })
    let result
    try {
      result = await runTsdb(['db', 'upgrade', '--lock-timeout', '1'], { cwd: project, env: { DATABASE_URL: database.url } })
    } finally {
      await lock.release()
    }
    expect(result.code).toBe(1)
    const lines = result.stderr.trim().split('\n')
    expect(lines, result.stderr).toHaveLength(1)
    expect(lines[0]).toContain(`is in use by process ${process.pid}`)
    expect(lines[0]).toContain(dataDir())
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(await query(`select to_regclass('alembic_version')::text as found`)).toEqual([{ found: null }])
  })

  it('two processes upgrading together both exit 0, and each revision is applied once', async () => {
    const env = { DATABASE_URL: database.url }
    const results = await Promise.all([runTsdb(['db', 'upgrade'], { cwd: project, env }), runTsdb(['db', 'upgrade'], { cwd: project, env })])
    for (const result of results) expect(result.code, result.stderr).toBe(0)
    expect(await query(`select revision, count(*)::int as n from apply_log group by revision order by revision`)).toEqual(
      Array.from({ length: COUNT }, (_, index) => ({ revision: id(index), n: 1 })),
    )
    expect(await query(`select version_num from alembic_version`)).toEqual([{ version_num: id(COUNT - 1) }])
  })
})
