import { mkdir, readdir, stat, writeFile } from 'node:fs/promises'
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
      // A process of its own: the lock file names a pid, and a lock of the same pid is stale.
      result = await runTsdb(['db', 'upgrade', '--lock-timeout', '1'], { cwd: project, env: { DATABASE_URL: database.url }, spawn: true })
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
    const results = await Promise.all([1, 2].map(() => runTsdb(['db', 'upgrade'], { cwd: project, env, spawn: true })))
    for (const result of results) expect(result.code, result.stderr).toBe(0)
    expect(await query(`select revision, count(*)::int as n from apply_log group by revision order by revision`)).toEqual(
      Array.from({ length: COUNT }, (_, index) => ({ revision: id(index), n: 1 })),
    )
    expect(await query(`select version_num from alembic_version`)).toEqual([{ version_num: id(COUNT - 1) }])
  })
})

describe('a PGlite URL naming a folder that is not a database [pglite]', () => {
  it('is refused with one line, and the folder is left as it was; an empty folder gets a new database', async () => {
    const project = await createProject()
    await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
    const folder = join(project, 'photos')
    await mkdir(folder, { mode: 0o755 })
    await writeFile(join(folder, 'cat.jpg'), 'meow')
    const result = await runTsdb(['db', 'current', '--url', 'pglite:photos'], { cwd: project })
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n'), result.stderr).toEqual([
      `Error: Can't open the embedded database pglite:${folder}: ${folder} holds other files and is not a PostgreSQL data folder ` +
        '(it has no PG_VERSION); point the URL at the folder that holds the database, or at an empty or new folder for a new one (pglite:<folder>)',
    ])
    expect(await readdir(folder)).toEqual(['cat.jpg'])
    expect((await stat(folder)).mode & 0o777).toBe(0o755)

    await mkdir(join(project, 'empty'))
    const fresh = await runTsdb(['db', 'upgrade', '--url', 'pglite:empty'], { cwd: project })
    expect(fresh.code, fresh.stderr).toBe(0)
    // What takes seconds is said, once, before it starts.
    expect(fresh.stderr.split('\n').filter((line) => line.includes('Creating the embedded database'))).toEqual([
      'Creating the embedded database in empty ...',
    ])
    expect(await readdir(join(project, 'empty'))).toContain('PG_VERSION')
    // And it opens again, now that it is a database, without saying so again.
    const again = await runTsdb(['db', 'upgrade', '--url', 'pglite:empty'], { cwd: project })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).not.toContain('Creating the embedded database')
  })
})
