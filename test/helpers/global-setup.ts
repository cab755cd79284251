/**
 * Starts ONE real PostgreSQL server for the whole integration run and hands its superuser URL
 * to every test file (`testPgUrl()` in ./databases.ts); each file then creates its own database.
 * PGlite needs nothing here: `createPgliteTestDatabase()` writes the cluster the build prepared.
 */
import type { TestProject } from 'vitest/node'
import { startPostgresServer } from './postgres-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    tsdbPgUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer()
  project.provide('tsdbPgUrl', server.url)
  process.env.TSDB_TEST_PG_URL = server.url
  return () => server.stop()
}
