/**
 * Starts ONE real PostgreSQL server for the whole integration run and hands its superuser URL
 * to every test file (`testPgUrl()` in ./databases.ts); each file then creates its own database.
 * Also writes the PGlite template that `createPgliteTestDatabase()` restores.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { TestProject } from 'vitest/node'
import { startPostgresServer } from './postgres-server.js'

const run = promisify(execFile)
// `-e` scripts resolve packages from their cwd.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

declare module 'vitest' {
  export interface ProvidedContext {
    tsdbPgUrl: string
    tsdbPgliteTemplate: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [server, template] = await Promise.all([startPostgresServer(), writePgliteTemplate()])
  project.provide('tsdbPgUrl', server.url)
  project.provide('tsdbPgliteTemplate', template.path)
  process.env.TSDB_TEST_PG_URL = server.url
  process.env.TSDB_TEST_PGLITE_TEMPLATE = template.path
  return async () => {
    await Promise.all([server.stop(), template.remove()])
  }
}

/**
 * A fresh PGlite runs initdb in wasm (3-10 s); restoring a dump of a fresh one takes about 1 s.
 * One dump per run, written while PostgreSQL starts, makes every suite's PGlite cheap.
 */
async function writePgliteTemplate(): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tsdb-pglite-template-'))
  const path = join(dir, 'pgdata.tar')
  // A child process keeps PGlite's wasm heap out of vitest's main process.
  const script = [
    "import { PGlite } from '@electric-sql/pglite'",
    "import { writeFileSync } from 'node:fs'",
    'const pglite = new PGlite()',
    // dumpDataDir before the instance is ready never settles.
    'await pglite.waitReady',
    "const dump = await pglite.dumpDataDir('none')",
    'writeFileSync(process.argv[1], Buffer.from(await dump.arrayBuffer()))',
    'await pglite.close()',
  ].join('\n')
  await run(process.execPath, ['--input-type=module', '-e', script, path], { cwd: repoRoot })
  return { path, remove: () => rm(dir, { recursive: true, force: true }) }
}
