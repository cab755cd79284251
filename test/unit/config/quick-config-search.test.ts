import { cosmiconfig } from 'cosmiconfig'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CONFIG_SEARCH_PLACES } from '../../../src/config/load-config.js'
import { mayHaveCosmiconfigOptions, NEEDS_COSMICONFIG, searchFolderQuickly } from '../../../src/config/quick-config-search.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsdb-quick-search-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const CODE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']

/** A stand-in for jiti: a code file holds `value <json>` or `throw <error code>`. */
async function loadCode(path: string): Promise<unknown> {
  const [verb, rest = ''] = readFileSync(path, 'utf8').trim().split(/ (.*)/s)
  if (verb === 'throw') throw Object.assign(new Error(`failed with ${rest}`), { code: rest })
  return rest === 'undefined' ? undefined : JSON.parse(rest)
}

const explorer = () =>
  cosmiconfig('tsdb', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'none',
    cache: false,
    loaders: Object.fromEntries(CODE_EXTENSIONS.map((ext) => [ext, loadCode])),
  })

/** What a search gives, errors included, in a form both searches can be compared in. */
async function outcome(search: () => Promise<unknown>): Promise<unknown> {
  try {
    return { result: await search() }
  } catch (error) {
    return { error: (error as Error).message, filepath: (error as { filepath?: string }).filepath }
  }
}

type Layout = Readonly<Record<string, string | 'DIRECTORY'>>

const CODE_FILES = [
  'value {"migrationsDir":"m"}',
  '',
  '  \n',
  'value undefined',
  'value null',
  'value 0',
  'value {"$import":"other.json"}',
  'throw ENOENT',
  'throw EACCES',
  'throw ERR_OTHER',
]
const PACKAGE_JSONS = ['{}', '{"tsdb":{"schema":"s.ts"}}', '{"tsdb":null}', '{"tsdb":{"$import":"x.json"}}', '{ nope', '5', '']

const layouts: Layout[] = [
  {},
  ...CODE_FILES.map((code) => ({ 'tsdb.config.ts': code })),
  ...CODE_FILES.map((code) => ({ 'tsdb.config.ts': code, 'tsdb.config.mjs': 'value {"migrationsDir":"second"}' })),
  ...PACKAGE_JSONS.map((pkg) => ({ 'package.json': pkg })),
  ...PACKAGE_JSONS.map((pkg) => ({ 'package.json': pkg, 'tsdb.config.cjs': 'value {"url":"pglite:memory"}' })),
  { 'tsdb.config.ts': 'DIRECTORY', 'tsdb.config.js': 'value {"a":1}' },
  { 'tsdb.config.json': '{"migrationsDir":"j"}' },
  { '.tsdbrc': 'migrationsDir: y' },
  { '.config/tsdbrc.ts': 'value {"b":2}' },
  { '.tsdbrc.cjs': 'value {"c":3}', 'package.json': '{"tsdb":{"d":4}}' },
]

async function writeLayout(layout: Layout): Promise<void> {
  for (const [path, contents] of Object.entries(layout)) {
    await mkdir(join(dir, contents === 'DIRECTORY' ? path : join(path, '..')), { recursive: true })
    if (contents !== 'DIRECTORY') await writeFile(join(dir, path), contents)
  }
}

describe('searchFolderQuickly', () => {
  it.each(layouts.map((layout) => [JSON.stringify(layout), layout] as const))(
    'finds what cosmiconfig finds in %s, or leaves the folder to it',
    async (_name, layout) => {
      await writeLayout(layout)
      const quick = await outcome(() =>
        searchFolderQuickly(dir, { moduleName: 'tsdb', searchPlaces: CONFIG_SEARCH_PLACES, codeExtensions: CODE_EXTENSIONS, loadCode }),
      )
      if ((quick as { result?: unknown }).result === NEEDS_COSMICONFIG) return
      expect(quick).toEqual(await outcome(() => explorer().search(dir)))
    },
  )

  it('answers the usual folders itself', async () => {
    const options = { moduleName: 'tsdb', searchPlaces: CONFIG_SEARCH_PLACES, codeExtensions: CODE_EXTENSIONS, loadCode }
    expect(await searchFolderQuickly(dir, options)).toBeNull()
    await writeLayout({ 'package.json': '{"name":"app"}' })
    expect(await searchFolderQuickly(dir, options)).toBeNull()
    await writeLayout({ 'tsdb.config.ts': 'value {"migrationsDir":"m"}' })
    expect(await searchFolderQuickly(dir, options)).toEqual({ filepath: join(dir, 'tsdb.config.ts'), config: { migrationsDir: 'm' } })
    expect(await searchFolderQuickly(join(dir, 'missing'), options)).toBeNull()
  })

  it('leaves JSON and YAML files, `$import` and unreadable package.json files to cosmiconfig', async () => {
    const options = { moduleName: 'tsdb', searchPlaces: CONFIG_SEARCH_PLACES, codeExtensions: CODE_EXTENSIONS, loadCode }
    const layouts: Layout[] = [{ '.tsdbrc': 'a: 1' }, { 'package.json': '{ nope' }, { 'tsdb.config.ts': 'value {"$import":"b.json"}' }]
    for (const layout of layouts) {
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir)
      await writeLayout(layout)
      expect(await searchFolderQuickly(dir, options)).toBe(NEEDS_COSMICONFIG)
    }
  })
})

describe('mayHaveCosmiconfigOptions', () => {
  it('is false for a folder with a plain package.json or none', async () => {
    expect(mayHaveCosmiconfigOptions(dir)).toBe(false)
    await writeLayout({ 'package.json': '{"name":"app","tsdb":{}}' })
    expect(mayHaveCosmiconfigOptions(dir)).toBe(false)
  })

  it.each([
    [{ 'package.json': '{"cosmiconfig":{"searchPlaces":["x.json"]}}' }],
    [{ 'package.json': '' }],
    [{ 'package.json': '{ nope' }],
    [{ 'package.yaml': 'name: app' }],
    [{ '.config/config.json': '{}' }],
    [{ '.config/config.ts': 'export default {}' }],
  ])('is true where cosmiconfig reads its own options: %j', async (layout) => {
    await writeLayout(layout)
    expect(mayHaveCosmiconfigOptions(dir)).toBe(true)
  })
})
