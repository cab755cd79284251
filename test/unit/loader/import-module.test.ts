import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as kysely from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeLoadError, importModule } from '../../../src/loader/import-module.js'

/**
 * User files go through esbuild, or through Babel where esbuild's CommonJS output cannot say the
 * same thing. Each file gets a unique constant, so jiti's cache (by content) never answers
 * instead of the transform.
 */
describe('importModule', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsdb-import-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const load = async (name: string, source: string) => {
    const path = join(dir, name)
    await writeFile(path, `export const nonce = '${randomUUID()}'\n${source}`)
    return { path, module: await importModule(path) }
  }

  it('loads TypeScript (types, an enum, an async function) with the Kysely tsdb runs', async () => {
    const { module } = await load(
      'revision.ts',
      `import type { Kysely } from 'kysely'
import { sql } from 'kysely'
enum Direction { Up = 'up', Down = 'down' }
export const revision: string = 'ab12'
export const direction = Direction.Down
export const sqlTag = sql
export async function up(db: Kysely<any>): Promise<number> { return 41 + 1 }
`,
    )
    expect(module.revision).toBe('ab12')
    expect(module.direction).toBe('down')
    expect(module.sqlTag).toBe(kysely.sql)
    expect(await (module.up as () => Promise<number>)()).toBe(42)
  })

  it('gives import.meta and import() their meaning', async () => {
    const { path, module } = await load(
      'meta.ts',
      `export const url: string = import.meta.url
export const loaded = (await import('node:path')).basename('/a/b.ts')
`,
    )
    expect(module.url).toBe(pathToFileURL(path).href)
    expect(module.loaded).toBe('b.ts')
  })

  it('runs top-level await', async () => {
    const { module } = await load('wait.ts', `export const value: number = await Promise.resolve(7)\n`)
    expect(module.value).toBe(7)
  })

  it('reports a syntax error with its line and column', async () => {
    const error = await load('broken.ts', `export const a = 1\nexport async function up( {\n`).catch((e: unknown) => e)
    expect(describeLoadError(error)).toMatch(/\(line \d+, column \d+\)$/)
  })
})
