import { describe, expect, it } from 'vitest'
import { resolveConfig, type ResolveConfigContext } from '../../../src/config/resolve-config.js'
import { ConfigError } from '../../../src/errors.js'

const base: ResolveConfigContext = { cwd: '/home/ann/app', env: {}, configPath: '/home/ann/app/tsdb.config.ts' }

function resolveError(raw: unknown, ctx: Partial<ResolveConfigContext> = {}): ConfigError {
  try {
    resolveConfig(raw, { ...base, ...ctx })
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('resolveConfig defaults', () => {
  it('fills every field, with paths relative to the config file folder', () => {
    expect(resolveConfig({}, { ...base, cwd: '/home/ann/app/sub' })).toEqual({
      cwd: '/home/ann/app/sub',
      configPath: '/home/ann/app/tsdb.config.ts',
      database: { kind: 'pglite', dataDir: '/home/ann/app/.tsdb/pglite', redacted: 'pglite:/home/ann/app/.tsdb/pglite' },
      urlSource: 'default',
      migrationsDir: '/home/ann/app/migrations',
      versionsDir: '/home/ann/app/migrations/versions',
      schemaPath: '/home/ann/app/src/schema.ts',
      versionTable: 'alembic_version',
      versionTableSchema: null,
      transactionPerMigration: false,
      include: [],
      exclude: [],
      postWrite: [],
      lockTimeout: null,
      stepLockTimeout: 5000,
      stepLockRetries: 3,
      safeForms: true,
      lint: { allow: {} },
      binds: {},
      xArgs: {},
    })
  })

  it('uses cwd as the project folder when there is no config file', () => {
    const config = resolveConfig(undefined, { cwd: '/w', env: {}, configPath: null })
    expect(config.migrationsDir).toBe('/w/migrations')
    expect(config.database).toMatchObject({ dataDir: '/w/.tsdb/pglite' })
    expect(config.schemaPath).toBe('/w/src/schema.ts')
  })

  it('keeps given values and treats undefined fields as unset', () => {
    const config = resolveConfig(
      {
        migrationsDir: 'db/migrations',
        schema: './lib/schema.ts',
        versionTable: 'tsdb_version',
        versionTableSchema: 'meta',
        transactionPerMigration: true,
        include: ['user'],
        exclude: ['spatial_ref_sys'],
        postWrite: ['npx prettier --write {file}'],
        lockTimeout: 5000,
        url: undefined,
      },
      base,
    )
    expect(config).toMatchObject({
      migrationsDir: '/home/ann/app/db/migrations',
      versionsDir: '/home/ann/app/db/migrations/versions',
      schemaPath: '/home/ann/app/lib/schema.ts',
      versionTable: 'tsdb_version',
      versionTableSchema: 'meta',
      transactionPerMigration: true,
      include: ['user'],
      exclude: ['spatial_ref_sys'],
      postWrite: ['npx prettier --write {file}'],
      lockTimeout: 5000,
      urlSource: 'default',
    })
  })

  it('resolves -d/--directory against cwd, over the config', () => {
    const config = resolveConfig({ migrationsDir: 'db' }, { ...base, cwd: '/home/ann/app/sub', migrationsDirOption: 'other' })
    expect(config.migrationsDir).toBe('/home/ann/app/sub/other')
    expect(config.versionsDir).toBe('/home/ann/app/sub/other/versions')
  })

  it('makes bind schemas and pglite URLs absolute against the config folder', () => {
    const config = resolveConfig(
      { binds: { users: { url: 'pglite:.tsdb/users', schema: 'src/users.ts' }, shop: { url: 'postgres://h/shop' } } },
      base,
    )
    expect(config.binds).toEqual({
      shop: { url: 'postgres://h/shop' },
      users: { url: 'pglite:/home/ann/app/.tsdb/users', schema: '/home/ann/app/src/users.ts' },
    })
  })
})

describe('resolveConfig URL precedence: --url > DATABASE_URL > config > default', () => {
  const raw = { url: 'postgres://config-host/app' }
  const env = { DATABASE_URL: 'postgres://env-host/app' }

  it('--url wins over everything, relative to cwd', () => {
    const config = resolveConfig(raw, { ...base, cwd: '/home/ann/app/sub', env, urlOption: 'pglite:data' })
    expect(config.urlSource).toBe('option')
    expect(config.database).toMatchObject({ kind: 'pglite', dataDir: '/home/ann/app/sub/data' })
  })

  it('DATABASE_URL wins over the config', () => {
    const config = resolveConfig(raw, { ...base, env })
    expect(config.urlSource).toBe('env')
    expect(config.database).toMatchObject({ kind: 'postgres', url: 'postgres://env-host/app' })
  })

  it('an empty DATABASE_URL or --url counts as unset', () => {
    const config = resolveConfig(raw, { ...base, env: { DATABASE_URL: '  ' }, urlOption: '' })
    expect(config.urlSource).toBe('config')
    expect(config.database).toMatchObject({ url: 'postgres://config-host/app' })
  })

  it('a pglite URL in the config is relative to the config folder', () => {
    const config = resolveConfig({ url: 'pglite:var/db' }, base)
    expect(config.database).toMatchObject({ dataDir: '/home/ann/app/var/db' })
  })
})

describe('resolveConfig validation errors name the file, the key and what is expected', () => {
  it('unknown key, with a suggestion', () => {
    expect(resolveError({ urll: 'x' }).message).toBe(
      "tsdb.config.ts: unknown key 'urll' (did you mean 'url'? known keys: url, migrationsDir, schema, versionTable, " +
        'versionTableSchema, transactionPerMigration, include, exclude, postWrite, lockTimeout, stepLockTimeout, ' +
        'stepLockRetries, safeForms, lint, binds)',
    )
    expect(resolveError({ colour: true }).message).toMatch(/^tsdb\.config\.ts: unknown key 'colour' \(known keys: url, /)
    expect(resolveError({ urll: 'x' }).code).toBe('CONFIG_UNKNOWN_KEY')
  })

  it.each([
    [{ url: 42 }, "tsdb.config.ts: 'url' must be a non-empty string, got number 42"],
    [{ url: '' }, "tsdb.config.ts: 'url' must be a non-empty string, got ''"],
    [{ migrationsDir: ['a'] }, "tsdb.config.ts: 'migrationsDir' must be a non-empty string, got an array"],
    [{ schema: null }, "tsdb.config.ts: 'schema' must be a non-empty string, got null"],
    [{ versionTable: 'x'.repeat(64) }, `tsdb.config.ts: 'versionTable' must be a name of at most 63 bytes (PostgreSQL identifier limit), got '${'x'.repeat(64)}'`],
    [{ versionTableSchema: 1 }, "tsdb.config.ts: 'versionTableSchema' must be a non-empty string, got number 1"],
    [{ transactionPerMigration: 'yes' }, "tsdb.config.ts: 'transactionPerMigration' must be true or false, got 'yes'"],
    [{ include: 'user' }, "tsdb.config.ts: 'include' must be an array of non-empty strings, got 'user'"],
    [{ exclude: [1] }, "tsdb.config.ts: 'exclude' must be an array of non-empty strings, got an array"],
    [{ postWrite: [''] }, "tsdb.config.ts: 'postWrite' must be an array of non-empty strings, got an array"],
    [{ lockTimeout: -1 }, "tsdb.config.ts: 'lockTimeout' must be a number of milliseconds (0 or more), got number -1"],
    [{ lockTimeout: Number.POSITIVE_INFINITY }, "tsdb.config.ts: 'lockTimeout' must be a number of milliseconds (0 or more), got number Infinity"],
    [{ binds: [] }, "tsdb.config.ts: 'binds' must be an object of named databases ({ name: { url, schema } }), got an array"],
    [{ binds: { a: 'pglite:x' } }, "tsdb.config.ts: 'binds.a' must be an object ({ url, schema }), got 'pglite:x'"],
    [{ binds: { a: { uri: 'x' } } }, "tsdb.config.ts: unknown key 'binds.a.uri' (known keys: url, schema)"],
    [{ binds: { a: { schema: 3 } } }, "tsdb.config.ts: 'binds.a.schema' must be a non-empty string, got number 3"],
  ])('%j', (raw, message) => {
    const error = resolveError(raw)
    expect(error.message).toBe(message)
    expect(error.path).toBe('/home/ann/app/tsdb.config.ts')
  })

  it('a config that is not an object', () => {
    expect(resolveError([1]).message).toBe(
      "tsdb.config.ts: the config must be an object, e.g. export default defineConfig({ migrationsDir: 'migrations' })",
    )
    expect(resolveError('url').code).toBe('CONFIG_INVALID')
  })

  it('a bad URL says where it came from', () => {
    expect(resolveError({ url: 'mysql://h/db' }).message).toMatch(/^tsdb\.config\.ts: 'url': unsupported database URL 'mysql:\/\/h\/db'/)
    expect(resolveError({}, { env: { DATABASE_URL: 'mysql://u:pw@h/db' } }).message).toMatch(
      /^DATABASE_URL: unsupported database URL 'mysql:\/\/u:\*\*\*@h\/db'/,
    )
    expect(resolveError({}, { urlOption: 'redis://h' }).message).toMatch(/^--url: unsupported database URL/)
    expect(resolveError({ binds: { a: { url: 'x' } } }).message).toMatch(/^tsdb\.config\.ts: 'binds\.a\.url': unsupported database URL: it is not a URL/)
  })

  it('labels package.json and files outside cwd', () => {
    expect(resolveError({ x: 1 }, { configPath: '/home/ann/app/package.json' }).message).toMatch(
      /^package\.json \("tsdb" key\): unknown key 'x'/,
    )
    expect(resolveError({ x: 1 }, { cwd: '/home/ann/app/sub' }).message).toMatch(/^\.\.\/tsdb\.config\.ts: unknown key 'x'/)
    expect(resolveError({ x: 1 }, { configPath: '/etc/tsdb.config.json' }).message).toMatch(/^\/etc\/tsdb\.config\.json: unknown key/)
    expect(resolveError({ x: 1 }, { configPath: null }).message).toMatch(/^config: unknown key 'x'/)
  })
})
