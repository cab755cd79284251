/**
 * The shape of src/ (shared/STYLE.md §1): layers import downward only, no file imports itself
 * back through others, the pure core does no IO, and other packages are used through their
 * public entry points only.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { findCycles, readSourceImports, type SourceImports } from './source-imports.js'

const SRC = join(import.meta.dirname, '../../../src')

/**
 * Bottom to top. A file belongs to the layer of the longest prefix that matches its path; it
 * may import its own layer and the layers below.
 */
const LAYERS: readonly { readonly name: string; readonly paths: readonly string[] }[] = [
  { name: 'errors and the schema model', paths: ['errors.ts', 'model/'] },
  {
    name: 'pure core',
    paths: ['revision/', 'diff/', 'render/', 'schema/', 'version/plan-', 'version/version-change.ts'],
  },
  {
    name: 'config values',
    paths: [
      'config/config.ts',
      'config/caller-database.ts',
      'config/resolve-config.ts',
      'config/database-url.ts',
      'config/connection-string.ts',
    ],
  },
  { name: 'loading user files', paths: ['loader/'] },
  {
    name: 'IO',
    paths: ['config/', 'connection/', 'script/', 'introspect/', 'version/', 'runner/', 'autogenerate/', 'lint/'],
  },
  { name: 'API', paths: ['api/'] },
  { name: 'public entry', paths: ['index.ts'] },
  { name: 'CLI', paths: ['cli/'] },
]

const PURE_LAYERS = new Set(['errors and the schema model', 'pure core', 'config values'])

/** What a pure layer may import from outside src/: Kysely builds and compiles queries without IO. */
const PURE_EXTERNALS = new Set(['kysely', 'node:path'])

function layerOf(file: string): number {
  let best = { index: -1, length: -1 }
  LAYERS.forEach((layer, index) => {
    for (const path of layer.paths) {
      if (file.startsWith(path) && path.length > best.length) best = { index, length: path.length }
    }
  })
  if (best.index < 0) throw new Error(`src/${file} is in no layer: add its folder to LAYERS in ${import.meta.filename}`)
  return best.index
}

const graph: readonly SourceImports[] = readSourceImports(SRC)

describe('the import structure of src/', () => {
  test('has no import cycle, type-only imports included', () => {
    expect(findCycles(graph)).toEqual([])
  })

  test('imports downward only', () => {
    const upward = graph.flatMap(({ file, local }) =>
      local
        .filter((target) => layerOf(target) > layerOf(file))
        .map((target) => `${file} (${LAYERS[layerOf(file)]!.name}) imports ${target} (${LAYERS[layerOf(target)]!.name})`),
    )
    expect(upward).toEqual([])
  })

  test('keeps IO out of the pure layers', () => {
    const io = graph
      .filter(({ file }) => PURE_LAYERS.has(LAYERS[layerOf(file)]!.name))
      .flatMap(({ file, external }) => external.filter((name) => !PURE_EXTERNALS.has(name)).map((name) => `${file} imports ${name}`))
    expect(io).toEqual([])
  })

  test("uses other packages through their public entry points only", () => {
    // A bare package name (`kysely`, `@electric-sql/pglite`) or a Node built-in; a subpath such
    // as `yargs/build/lib/…` is a package's internals, which a minor release may move.
    const deep = graph.flatMap(({ file, external }) =>
      external.filter((name) => !/^(node:[a-z0-9/_]+|(@[a-z0-9-._]+\/)?[a-z0-9-._]+)$/.test(name)).map((name) => `${file} imports ${name}`),
    )
    // Paths into a package's build, however they are loaded (a URL, createRequire, a join).
    const internalPaths = graph.flatMap(({ file }) =>
      [...readFileSync(join(SRC, file), 'utf8').matchAll(/['"`](?:\.\.\/)?(?:build|dist|lib)\/[\w./-]+\.[cm]?js['"`]/g)].map(
        ([match]) => `${file} names ${match}`,
      ),
    )
    expect([...deep, ...internalPaths]).toEqual([])
  })
})

describe('the checks themselves', () => {
  test('find a cycle of two files and one of a file with itself', () => {
    const cycles = findCycles([
      { file: 'a.ts', local: ['b.ts'], external: [] },
      { file: 'b.ts', local: ['a.ts', 'c.ts'], external: [] },
      { file: 'c.ts', local: [], external: [] },
      { file: 'd.ts', local: ['d.ts'], external: [] },
    ])
    expect(cycles).toEqual([['a.ts', 'b.ts'], ['d.ts']])
  })

  test('read dynamic and type-only imports', () => {
    const runner = graph.find(({ file }) => file === 'config/load-config.ts')
    // `await import('../loader/import-module.js')` and `import type { ResolvedConfig } …`
    expect(runner?.local).toContain('loader/import-module.ts')
    expect(runner?.local).toContain('config/config.ts')
  })
})
