import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as kysely from 'kysely'
import { setFlagsFromString } from 'node:v8'
import { Script } from 'node:vm'
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createPlainModuleLoader, defaultCacheDir, pruneCache, type PlainModuleOptions } from '../../../src/loader/plain-module.js'

/** The revision-file loader that bypasses jiti: what it loads, what it leaves to jiti, its cache. */
describe('createPlainModuleLoader', () => {
  let dir: string
  let cacheDir: string
  const required: string[] = []
  const options = (): PlainModuleOptions => ({
    shared: { kysely, 'tsdb-migrate': { marker: 'tsdb' } },
    requireFrom: (path) => (specifier) => {
      required.push(`${specifier} from ${path}`)
      return { fromJiti: specifier }
    },
    cacheDir,
  })

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsdb-plain-'))
    cacheDir = join(dir, 'cache')
    required.length = 0
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const write = async (name: string, source: string) => {
    const path = join(dir, name)
    await writeFile(path, source)
    return path
  }

  it('loads a TypeScript revision with the Kysely and tsdb it is given, and caches the code', async () => {
    const path = await write(
      'a1_first.ts',
      `import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import * as tsdb from 'tsdb-migrate'
enum Kind { Table = 'table' }
export const kind: string = Kind.Table
export const tag = sql
export const api = tsdb
export async function up(db: Kysely<any>): Promise<number> { return 42 }
`,
    )
    const loaded = createPlainModuleLoader(options()).load(path)
    expect(loaded?.kind).toBe('table')
    expect(loaded?.tag).toBe(kysely.sql)
    expect((loaded?.api as { marker: string }).marker).toBe('tsdb')
    expect(await (loaded?.up as () => Promise<number>)()).toBe(42)
    expect(required).toEqual([])
    expect(await readdir(cacheDir)).toHaveLength(1)
  })

  it('runs the cached code on the next load, without transpiling again', async () => {
    const path = await write('b2_cached.ts', `export const value: number = 1\n`)
    createPlainModuleLoader(options()).load(path)
    const [file] = await readdir(cacheDir)
    const cached = join(cacheDir, file ?? '')
    // Proof that the cache is what runs: its code is changed behind the loader's back.
    await writeFile(cached, (await readFile(cached, 'utf8')).replace('value = 1', 'value = 2'))
    expect(createPlainModuleLoader(options()).load(path)?.value).toBe(2)
  })

  it("keeps V8's compiled code once the functions ran, uses it next time, and replaces what V8 rejects", async () => {
    const path = await write('b3_compiled.ts', `export async function up(): Promise<number> { return 7 }\n`)
    // Each run a new process, as in use: V8's in-memory cache would otherwise answer before the file.
    setFlagsFromString('--no-compilation-cache')
    onTestFinished(() => setFlagsFromString('--compilation-cache'))
    const run = async () => {
      const loader = createPlainModuleLoader(options())
      expect(await (loader.load(path)?.up as () => Promise<number>)()).toBe(7)
      return loader.saveCompiledCode()
    }
    expect(await run()).toBe(1)
    const compiled = (await readdir(cacheDir)).filter((name) => name.endsWith('.code'))
    expect(compiled).toHaveLength(1)
    // Accepted: nothing left to write.
    expect(await run()).toBe(0)
    // Rejected (another V8, or a damaged file): the file still loads, and its code is written again.
    const compiledPath = join(cacheDir, compiled[0] ?? '')
    await writeFile(compiledPath, 'not compiled code')
    expect(await run()).toBe(1)
    expect((await readFile(compiledPath)).toString()).not.toBe('not compiled code')
    expect(await run()).toBe(0)
  })

  it('loads without a cache when the cache cannot be made, and spends nothing on compiled code', async () => {
    const paths = [await write('b5_nocache.ts', `export const n: number = 5\n`), await write('b6_nocache.ts', `export const n: number = 6\n`)]
    // A file where the cache folder should be: not writable, whoever runs the test (root included).
    cacheDir = await write('not-a-folder', '')
    const loader = createPlainModuleLoader(options())
    expect(paths.map((path) => loader.load(path)?.n)).toEqual([5, 6])
    const serialize = vi.spyOn(Script.prototype, 'createCachedData')
    onTestFinished(() => serialize.mockRestore())
    expect(loader.saveCompiledCode()).toBe(0)
    expect(serialize).not.toHaveBeenCalled()
  })

  it('names the revision file in the stack of an error it throws', async () => {
    const path = await write('b4_stack.ts', `export const a = 1\nexport function boom(): never {\n  throw new Error('boom')\n}\n`)
    const loaded = createPlainModuleLoader(options()).load(path)
    const stack = (() => {
      try {
        ;(loaded?.boom as () => never)()
      } catch (error) {
        return (error as Error).stack ?? ''
      }
      return ''
    })()
    expect(stack.split('\n')[1]).toContain(`${path}:`)
  })

  it('evaluates a file once per content, and again once it changed', async () => {
    const path = await write('c3_edit.ts', `export const box = { n: 1 }\n`)
    const loader = createPlainModuleLoader(options())
    const first = loader.load(path)
    expect(loader.load(path)).toBe(first)
    await writeFile(path, `export const box = { n: 2 }\n`)
    expect((loader.load(path)?.box as { n: number }).n).toBe(2)
  })

  it('hands every other import to the require it is given for that file', async () => {
    const path = await write('d4_other.ts', `import { join } from 'node:path'\nexport const j = join\n`)
    const loaded = createPlainModuleLoader(options()).load(path)
    expect(required).toEqual([`node:path from ${path}`])
    expect(loaded?.j).toBeUndefined()
  })

  it('leaves to jiti what it does not cover: import.meta, import(), top-level await, a syntax error, .js', async () => {
    const loader = createPlainModuleLoader(options())
    const cases = [
      await write('e5_meta.ts', `export const url = import.meta.url\n`),
      await write('e6_dynamic.ts', `export const load = () => import('node:path')\n`),
      await write('e7_await.ts', `export const v = await Promise.resolve(1)\n`),
      await write('e8_syntax.ts', `export const broken = (\n`),
      await write('e9_plain.js', `export const js = 1\n`),
    ]
    for (const path of cases) expect(loader.load(path), path).toBeUndefined()
  })

  it('lets an error thrown while the file runs reach the caller', async () => {
    const path = await write('f1_throws.ts', `throw new Error('revision exploded')\n`)
    expect(() => createPlainModuleLoader(options()).load(path)).toThrow('revision exploded')
  })

  it('prepare transpiles the files not cached yet, together, and skips the rest', async () => {
    const paths = await Promise.all(
      Array.from({ length: 12 }, (_, i) => write(`g${i}_many.ts`, `export const i: number = ${i}\n`)),
    )
    const broken = await write('g_broken.ts', `export const = 1\n`)
    const loader = createPlainModuleLoader(options())
    await loader.prepare([...paths, broken, join(dir, 'missing.ts')].map((path) => ({ path })))
    expect(await readdir(cacheDir)).toHaveLength(12)
    expect(paths.map((path) => loader.load(path)?.i)).toEqual(Array.from({ length: 12 }, (_, i) => i))
  })

  it('loads the text prepare was given, read once with the header, not the file as it is now', async () => {
    const path = await write('h_given.ts', `export const i: number = 1\n`)
    const loader = createPlainModuleLoader(options())
    await loader.prepare([{ path, source: `export const i: number = 2\n` }])
    expect(loader.load(path)?.i).toBe(2)
  })

  it('never runs code from a cache folder that others can write to, nor writes there', async () => {
    const path = await write('c1_shared.ts', `export const n: number = 1\n`)
    expect(createPlainModuleLoader(options()).load(path)?.n).toBe(1)
    const [cachedName] = await readdir(cacheDir)
    // The same file name in a folder anyone may write to, holding someone else's code.
    const shared = join(dir, 'shared-cache')
    await mkdir(shared)
    await chmod(shared, 0o777)
    await writeFile(join(shared, cachedName ?? ''), `module.exports.planted = true\n`)
    cacheDir = shared
    const loaded = createPlainModuleLoader(options()).load(path)
    expect(loaded).toEqual({ n: 1 })
    expect(await readdir(shared)).toEqual([cachedName])
  })

  it('never uses a cache folder that is a link', async () => {
    const real = join(dir, 'real-cache')
    await mkdir(real, { mode: 0o700 })
    cacheDir = join(dir, 'linked-cache')
    await symlink(real, cacheDir)
    const path = await write('c2_linked.ts', `export const n: number = 2\n`)
    expect(createPlainModuleLoader(options()).load(path)?.n).toBe(2)
    expect(await readdir(real)).toEqual([])
  })

  it('writes the cache for its user alone', async () => {
    const path = await write('c3_private.ts', `export const n: number = 3\n`)
    createPlainModuleLoader(options()).load(path)
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700)
    const [file] = await readdir(cacheDir)
    expect((await stat(join(cacheDir, file ?? ''))).mode & 0o777).toBe(0o600)
  })
})

describe('the module cache', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsdb-cache-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it("is the project's node_modules/.cache/tsdb, else the user's cache folder, and off with TSDB_CACHE=off", async () => {
    await mkdir(join(dir, 'app', 'node_modules'), { recursive: true })
    await mkdir(join(dir, 'app', 'migrations'))
    expect(defaultCacheDir(join(dir, 'app', 'migrations'), {})).toBe(join(dir, 'app', 'node_modules', '.cache', 'tsdb'))
    expect(defaultCacheDir(join(dir, 'app'), { TSDB_CACHE: 'off' })).toBeNull()
    // No node_modules from the folder up (a temporary folder): the user's cache.
    expect(defaultCacheDir(dir, { XDG_CACHE_HOME: join(dir, 'xdg') })).toBe(join(dir, 'xdg', 'tsdb'))
  })

  it('keeps at most the given number of files, removing the oldest', async () => {
    for (let i = 0; i < 30; i++) {
      const path = join(dir, `f${String(i).padStart(2, '0')}`)
      await writeFile(path, '')
      await utimes(path, 1_000 + i, 1_000 + i)
    }
    expect(pruneCache(dir, 40)).toBe(0)
    expect(pruneCache(dir, 20)).toBe(15)
    const left = (await readdir(dir)).sort()
    expect(left).toEqual(Array.from({ length: 15 }, (_, i) => `f${String(i + 15).padStart(2, '0')}`))
  })
})
