import { createHash } from 'node:crypto'
import { lstat, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { brotliCompressSync } from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { beforeAll, describe, expect, it } from 'vitest'
import { restorePreparedCluster, type PreparedClusterFiles } from '../../../src/connection/prepared-cluster.js'
import { createProject, createTableBody, repoRoot, revisionFileText, runTsdb } from '../../helpers/run-cli.js'

/**
 * Issue 18 item 5: a new project's embedded database is written from the cluster prepared when
 * tsdb was built, not made by PGlite's initdb (seconds of CPU, 900 MB), and keeps working, and
 * owner-only, as one initdb made. Every cluster restored from it has the prepared cluster's
 * system identifier, where initdb draws a new one: that is how these tests tell the two apart.
 */
const shipped: PreparedClusterFiles = {
  dump: pathToFileURL(join(repoRoot, 'dist', 'pglite', 'cluster.tar.br')),
  manifest: pathToFileURL(join(repoRoot, 'dist', 'pglite', 'cluster.json')),
}

async function newProject(): Promise<string> {
  const project = await createProject()
  await mkdir(join(project, 'migrations', 'versions'), { recursive: true })
  await writeFile(
    join(project, 'migrations', 'versions', 'aaaa0001_users.ts'),
    revisionFileText({ id: 'aaaa0001', message: 'users', ...createTableBody('users') }),
  )
  return project
}

/** The first column of each row `text` returns, read by PGlite from the folder. */
async function column(dataDir: string, text: string): Promise<string[]> {
  const pglite = new PGlite(dataDir)
  try {
    return (await pglite.query<Record<string, string>>(text)).rows.map((row) => Object.values(row)[0]!)
  } finally {
    await pglite.close()
  }
}

const systemIdentifier = async (dataDir: string) => (await column(dataDir, 'select system_identifier::text from pg_control_system()'))[0]

/** What PostgreSQL says of the database in `dataDir`: its cluster's identifier, version rows and tables. */
async function readDatabase(dataDir: string) {
  return {
    systemIdentifier: await systemIdentifier(dataDir),
    versions: await column(dataDir, 'select version_num from alembic_version'),
    tables: await column(dataDir, `select tablename::text from pg_tables where schemaname = 'public' order by 1`),
  }
}

/** Every path under `root` (itself included) whose mode lets group or others in. */
async function looseEntries(root: string): Promise<readonly string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  const loose: string[] = []
  for (const path of [root, ...entries.map((entry) => join(entry.parentPath, entry.name))]) {
    const { mode } = await lstat(path)
    if ((mode & 0o077) !== 0) loose.push(`${(mode & 0o777).toString(8)} ${relative(root, path) || '.'}`)
  }
  return loose
}

const creationLines = (stderr: string) => stderr.split('\n').filter((line) => line.includes('Creating the embedded database'))

describe("a new project's first command on the embedded database", () => {
  let preparedIdentifier: string | undefined

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsdb-prepared-'))
    expect(await restorePreparedCluster(dir, shipped)).toBe(true)
    preparedIdentifier = await systemIdentifier(dir)
    expect(preparedIdentifier).toMatch(/^\d+$/)
  })

  it('upgrades on a database restored from the prepared cluster, says so once, and leaves it owner-only', async () => {
    const project = await newProject()
    const first = await runTsdb(['db', 'upgrade'], { cwd: project, env: { DATABASE_URL: undefined } })
    expect(first.code, first.stderr).toBe(0)
    expect(creationLines(first.stderr)).toEqual(['Creating the embedded database in .tsdb/pglite ...'])
    expect(await looseEntries(join(project, '.tsdb'))).toEqual([])
    const later = await runTsdb(['db', 'current'], { cwd: project, env: { DATABASE_URL: undefined } })
    expect(later.stdout).toBe('aaaa0001 (head)\n')
    expect(creationLines(later.stderr)).toEqual([])
    const dataDir = join(project, '.tsdb', 'pglite')
    expect(await readDatabase(dataDir)).toEqual({ systemIdentifier: preparedIdentifier, versions: ['aaaa0001'], tables: ['alembic_version', 'users'] })
  })

  it('with TSDB_PGLITE_PREPARED=off, PGlite runs initdb: a cluster of its own, as working and as owner-only', async () => {
    const project = await newProject()
    const env = { DATABASE_URL: undefined, TSDB_PGLITE_PREPARED: 'off' }
    const first = await runTsdb(['db', 'upgrade'], { cwd: project, env })
    expect(first.code, first.stderr).toBe(0)
    expect(creationLines(first.stderr)).toEqual(['Creating the embedded database in .tsdb/pglite ...'])
    expect(await looseEntries(join(project, '.tsdb'))).toEqual([])
    const database = await readDatabase(join(project, '.tsdb', 'pglite'))
    expect(database).toMatchObject({ versions: ['aaaa0001'], tables: ['alembic_version', 'users'] })
    expect(database.systemIdentifier).toMatch(/^\d+$/)
    expect(database.systemIdentifier).not.toBe(preparedIdentifier)
  })
})

describe('the prepared cluster is checked before a byte of it is written', () => {
  async function filesWith(dump: Buffer, sha256 = createHash('sha256').update(dump).digest('hex')): Promise<PreparedClusterFiles> {
    const dir = await mkdtemp(join(tmpdir(), 'tsdb-prepared-files-'))
    await writeFile(join(dir, 'cluster.tar.br'), dump)
    await writeFile(join(dir, 'cluster.json'), JSON.stringify({ sha256 }))
    return { dump: pathToFileURL(join(dir, 'cluster.tar.br')), manifest: pathToFileURL(join(dir, 'cluster.json')) }
  }

  /** A one-file ustar archive. */
  function tarOf(name: string, text: string): Buffer {
    const header = Buffer.alloc(512)
    header.write(name, 0)
    header.write('0000600\0', 100)
    header.write(`${text.length.toString(8).padStart(11, '0')}\0`, 124)
    header.write('0', 156)
    const body = Buffer.alloc(512)
    body.write(text)
    return Buffer.concat([header, body, Buffer.alloc(1024)])
  }

  it('a dump that is not the one its manifest names is refused, and the folder stays empty', async () => {
    const genuine = await readFile(shipped.dump)
    const tampered = Buffer.from(genuine)
    tampered[tampered.length >> 1]! ^= 0xff
    const manifest = JSON.parse(await readFile(shipped.manifest, 'utf8')) as { sha256: string }
    const dataDir = await mkdtemp(join(tmpdir(), 'tsdb-tampered-'))
    expect(await restorePreparedCluster(dataDir, await filesWith(tampered, manifest.sha256))).toBe(false)
    expect(await readdir(dataDir)).toEqual([])
  })

  it('an archive entry that leaves the folder is refused, nothing of it written', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'tsdb-escape-'))
    const dataDir = join(parent, 'data')
    await mkdir(dataDir)
    const files = await filesWith(brotliCompressSync(tarOf('../escaped', 'not yours')))
    expect(await restorePreparedCluster(dataDir, files)).toBe(false)
    expect(await readdir(parent)).toEqual(['data'])
    expect(await readdir(dataDir)).toEqual([])
  })

  it('the shipped cluster is written owner-only, and PostgreSQL opens it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tsdb-restored-'))
    expect(await restorePreparedCluster(dataDir, shipped)).toBe(true)
    expect(await looseEntries(dataDir)).toEqual([])
    expect(await column(dataDir, 'select (1 + 1)::text')).toEqual(['2'])
  })
})
