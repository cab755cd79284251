import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findProjectRoot, loadConfig } from '../../../src/config/load-config.js'
import { ConfigError } from '../../../src/errors.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsdb-load-config-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function write(path: string, text: string): Promise<string> {
  const full = join(dir, path)
  await mkdir(join(full, '..'), { recursive: true })
  await writeFile(full, text)
  return full
}

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<ConfigError> {
  try {
    await loadConfig(options)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('loads tsdb.config.ts with TypeScript syntax, found from a subfolder of the project', async () => {
    await write('package.json', '{}')
    const path = await write(
      'tsdb.config.ts',
      `import type { TsdbConfig } from 'tsdb-migrate'
const folder: string = 'db/migrations'
export default { migrationsDir: folder, url: 'pglite:var/pg', versionTable: 'versions' } satisfies TsdbConfig
`,
    )
    await mkdir(join(dir, 'src/deep'), { recursive: true })
    const config = await loadConfig({ cwd: join(dir, 'src/deep'), env: {} })
    expect(config.configPath).toBe(path)
    expect(config.migrationsDir).toBe(join(dir, 'db/migrations'))
    expect(config.database).toMatchObject({ kind: 'pglite', dataDir: join(dir, 'var/pg') })
    expect(config.urlSource).toBe('config')
    expect(config.versionTable).toBe('versions')
  })

  it('does not search above the project root', async () => {
    await write('tsdb.config.json', '{ "migrationsDir": "outer" }')
    await write('app/package.json', '{}')
    const config = await loadConfig({ cwd: join(dir, 'app'), env: {} })
    expect(config.configPath).toBeNull()
    expect(config.migrationsDir).toBe(join(dir, 'app/migrations'))
    expect(await findProjectRoot(join(dir, 'app'))).toBe(join(dir, 'app'))
  })

  it('stops at a git root too', async () => {
    await write('tsdb.config.json', '{ "migrationsDir": "outer" }')
    await mkdir(join(dir, 'repo/.git/objects'), { recursive: true })
    await mkdir(join(dir, 'repo/pkg'), { recursive: true })
    expect((await loadConfig({ cwd: join(dir, 'repo/pkg'), env: {} })).configPath).toBeNull()
  })

  it.each([
    ['tsdb.config.mts', "export default { migrationsDir: 'm' as string }"],
    ['tsdb.config.mjs', "export default { migrationsDir: 'm' }"],
    ['tsdb.config.cjs', "module.exports = { migrationsDir: 'm' }"],
    ['tsdb.config.json', '{ "migrationsDir": "m" }'],
    ['.tsdbrc', 'migrationsDir: m'],
    ['.tsdbrc.json', '{ "migrationsDir": "m" }'],
    ['.tsdbrc.ts', "export default { migrationsDir: 'm' }"],
  ])('reads %s', async (name, text) => {
    const path = await write(name, text)
    const config = await loadConfig({ cwd: dir, env: {} })
    expect(config.configPath).toBe(path)
    expect(config.migrationsDir).toBe(join(dir, 'm'))
  })

  it('reads the "tsdb" key of package.json', async () => {
    const path = await write('package.json', JSON.stringify({ name: 'app', tsdb: { schema: 'lib/schema.ts' } }))
    const config = await loadConfig({ cwd: dir, env: {} })
    expect(config.configPath).toBe(path)
    expect(config.schemaPath).toBe(join(dir, 'lib/schema.ts'))
  })

  it('prefers tsdb.config.ts over package.json', async () => {
    await write('package.json', JSON.stringify({ tsdb: { schema: 'a.ts' } }))
    const path = await write('tsdb.config.ts', "export default { schema: 'b.ts' }")
    expect((await loadConfig({ cwd: dir, env: {} })).configPath).toBe(path)
  })

  it('--config loads that file; command-line options still win', async () => {
    const path = await write('conf/custom.ts', "export default { url: 'postgres://config/app', migrationsDir: 'mig' }")
    const config = await loadConfig({
      cwd: dir,
      configFile: 'conf/custom.ts',
      url: 'pglite:memory',
      directory: 'cli-dir',
      env: { DATABASE_URL: 'postgres://env/app' },
    })
    expect(config.configPath).toBe(path)
    expect(config.urlSource).toBe('option')
    expect(config.database).toEqual({ kind: 'pglite', dataDir: null, redacted: 'pglite:memory' })
    expect(config.migrationsDir).toBe(join(dir, 'cli-dir'))
  })

  it('DATABASE_URL overrides the config url', async () => {
    await write('tsdb.config.ts', "export default { url: 'postgres://config/app' }")
    const config = await loadConfig({ cwd: dir, env: { DATABASE_URL: 'postgres://u:pw@env/app' } })
    expect(config.database).toMatchObject({ url: 'postgres://u:pw@env/app', redacted: 'postgres://u:***@env/app' })
  })

  it('an empty config file is skipped, as cosmiconfig skips empty files', async () => {
    await write('tsdb.config.json', '')
    const path = await write('.tsdbrc.json', '{ "migrationsDir": "m" }')
    const config = await loadConfig({ cwd: dir, env: {} })
    expect(config.configPath).toBe(path)
    expect(config.migrationsDir).toBe(join(dir, 'm'))
  })

  it('an empty --config file is an empty config', async () => {
    const path = await write('empty.json', '')
    const config = await loadConfig({ cwd: dir, configFile: 'empty.json', env: {} })
    expect(config.configPath).toBe(path)
    expect(config.migrationsDir).toBe(join(dir, 'migrations'))
  })

  it('a missing --config file is a ConfigError', async () => {
    const error = await loadError({ cwd: dir, configFile: 'nope.ts', env: {} })
    expect(error.message).toBe(`config file nope.ts not found (resolved to ${join(dir, 'nope.ts')}); check the --config path`)
  })

  it('a config that throws names the file and the thrown message', async () => {
    const path = await write('tsdb.config.ts', "throw new Error('DATABASE_HOST is not set')\nexport default {}")
    const error = await loadError({ cwd: dir, env: {} })
    expect(error.message).toBe('tsdb.config.ts: failed to load: DATABASE_HOST is not set; fix the config file')
    expect(error.path).toBe(path)
    expect(error.code).toBe('CONFIG_LOAD_FAILED')
  })

  it('a syntax error names the file', async () => {
    await write('tsdb.config.ts', 'export default { url: ')
    expect((await loadError({ cwd: dir, env: {} })).message).toMatch(/^tsdb\.config\.ts: failed to load: /)
  })

  it('invalid JSON names the file', async () => {
    await write('tsdb.config.json', '{ "url": ')
    expect((await loadError({ cwd: dir, env: {} })).message).toMatch(/^tsdb\.config\.json: failed to load: /)
  })

  it('a config without a default export says how to export it', async () => {
    await write('tsdb.config.mjs', "export const config = { url: 'pglite:memory' }")
    expect((await loadError({ cwd: dir, env: {} })).message).toBe(
      'tsdb.config.mjs: failed to load: it has no default export; write `export default defineConfig({ ... })`',
    )
  })

  it('validation errors from the loaded file name it', async () => {
    await write('tsdb.config.ts', "export default { migrationDir: 'x' }")
    expect((await loadError({ cwd: dir, env: {} })).message).toMatch(
      /^tsdb\.config\.ts: unknown key 'migrationDir' \(did you mean 'migrationsDir'\? known keys: /,
    )
  })
})
