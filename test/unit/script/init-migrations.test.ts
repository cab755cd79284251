import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load-config.js'
import { CommandError } from '../../../src/errors.js'
import { initMigrations } from '../../../src/script/init-migrations.js'
import { readRevisionTemplate, listTemplates, templatesRoot } from '../../../src/script/templates.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsdb-init-'))
  // A project root, so the config search stays inside the temp folder.
  await writeFile(join(dir, 'package.json'), '{}')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('listTemplates', () => {
  it('lists generic and multidb with their descriptions, sorted', async () => {
    expect(await listTemplates()).toEqual([
      { name: 'generic', description: 'Generic single-database configuration.' },
      { name: 'multidb', description: "Multiple databases: the main one and the config's binds, each with its own schema declaration." },
    ])
  })

  it('finds the package templates folder from src/script', () => {
    expect(templatesRoot()).toBe(join(import.meta.dirname, '../../../templates/'))
  })
})

describe('initMigrations', () => {
  it(".gitignore: appended to (on a line of its own), never twice, left alone when it already ignores .tsdb", async () => {
    await writeFile(join(dir, '.gitignore'), 'node_modules/\ndist')
    const first = await initMigrations({ cwd: dir, directory: 'migrations', template: 'generic', package: false })
    expect(first.gitignore).toBe(join(dir, '.gitignore'))
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\ndist\n.tsdb/\n')
    const again = await initMigrations({ cwd: dir, directory: 'other', template: 'generic', package: false })
    expect(again.gitignore).toBeNull()
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\ndist\n.tsdb/\n')
    for (const [index, spelling] of ['/.tsdb', '.tsdb', '/.tsdb/'].entries()) {
      await writeFile(join(dir, '.gitignore'), `${spelling}\n`)
      const result = await initMigrations({ cwd: dir, directory: `migrations${index}`, template: 'generic', package: false })
      expect(result.gitignore).toBeNull()
      expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe(`${spelling}\n`)
    }
  })

  it('creates the migrations folder, versions/, the template files and tsdb.config.ts', async () => {
    const result = await initMigrations({ cwd: dir, directory: 'migrations', template: 'generic', package: false })
    expect(result).toEqual({
      created: [
        join(dir, 'migrations'),
        join(dir, 'migrations/versions'),
        join(dir, 'migrations/README'),
        join(dir, 'migrations/script.ts.tmpl'),
        join(dir, 'tsdb.config.ts'),
      ],
      existingConfig: null,
      gitignore: join(dir, '.gitignore'),
    })
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('.tsdb/\n')
    expect(await readdir(join(dir, 'migrations/versions'))).toEqual([])
    expect(await readFile(join(dir, 'migrations/script.ts.tmpl'), 'utf8')).toBe(
      await readFile(join(templatesRoot(), 'generic/script.ts.tmpl'), 'utf8'),
    )
    const configText = await readFile(join(dir, 'tsdb.config.ts'), 'utf8')
    expect(configText).toContain("import { defineConfig } from 'tsdb-migrate'")
    expect(configText).toContain("migrationsDir: 'migrations',")
  })

  it('the written config loads and points at the created folder', async () => {
    await initMigrations({ cwd: dir, directory: 'db/migrations', template: 'generic', package: false })
    const config = await loadConfig({ cwd: dir, env: {} })
    expect(config.configPath).toBe(join(dir, 'tsdb.config.ts'))
    expect(config.migrationsDir).toBe(join(dir, 'db/migrations'))
    expect(config.schemaPath).toBe(join(dir, 'src/schema.ts'))
    expect(config.database).toMatchObject({ kind: 'pglite', dataDir: join(dir, '.tsdb/pglite') })
  })

  it("takes Flask-Migrate's template names: flask and aioflask are generic", async () => {
    for (const name of ['flask', 'aioflask']) {
      const project = await mkdtemp(join(dir, `${name}-`))
      await initMigrations({ cwd: project, directory: 'migrations', template: name, package: false })
      expect(await readFile(join(project, 'migrations', 'script.ts.tmpl'), 'utf8')).toBe(
        await readFile(join(templatesRoot(), 'generic', 'script.ts.tmpl'), 'utf8'),
      )
    }
  })

  it('takes multidb, flask-multidb and aioflask-multidb as the multidb template: a config with binds, a script with {{binds}}', async () => {
    for (const name of ['multidb', 'flask-multidb', 'aioflask-multidb']) {
      const project = join(dir, name)
      await initMigrations({ cwd: project, directory: 'migrations', template: name, package: false })
      const script = await readFile(join(project, 'migrations', 'script.ts.tmpl'), 'utf8')
      expect(script).toBe(await readFile(join(templatesRoot(), 'multidb', 'script.ts.tmpl'), 'utf8'))
      expect(script).toContain('{{binds}}')
      expect(await readFile(join(project, 'tsdb.config.ts'), 'utf8')).toContain(
        "  binds: {\n    users: { url: 'pglite:.tsdb/users', schema: 'src/users-schema.ts' },\n",
      )
    }
  })

  it('keeps an existing config and says which', async () => {
    await writeFile(join(dir, '.tsdbrc.json'), '{}')
    const result = await initMigrations({ cwd: dir, directory: 'migrations', template: 'generic', package: false })
    expect(result.existingConfig).toBe(join(dir, '.tsdbrc.json'))
    expect(result.created).not.toContain(join(dir, 'tsdb.config.ts'))
  })

  it('--package adds package.json {"type": "module"} to the migrations folder', async () => {
    const result = await initMigrations({ cwd: dir, directory: 'migrations', template: 'generic', package: true })
    expect(result.created).toContain(join(dir, 'migrations/package.json'))
    expect(JSON.parse(await readFile(join(dir, 'migrations/package.json'), 'utf8'))).toEqual({ type: 'module' })
  })

  it('accepts an existing empty folder', async () => {
    await mkdir(join(dir, 'migrations'))
    const result = await initMigrations({ cwd: dir, directory: 'migrations', template: 'generic', package: false })
    expect(result.created).toContain(join(dir, 'migrations/versions'))
  })

  it('refuses a non-empty folder with Alembic\'s words', async () => {
    await mkdir(join(dir, 'migrations'))
    await writeFile(join(dir, 'migrations/keep.txt'), '')
    const error = await initMigrations({ cwd: dir, directory: 'migrations', template: 'generic', package: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CommandError)
    expect((error as Error).message).toMatch(/^Directory migrations already exists and is not empty; .*choose another one \(-d <folder>\)/)
    expect(await readdir(join(dir, 'migrations'))).toEqual(['keep.txt'])
  })

  it('an unknown template lists the templates', async () => {
    const error = await initMigrations({ cwd: dir, directory: 'migrations', template: 'nope', package: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CommandError)
    expect((error as CommandError).message).toBe("No such template 'nope'; available templates: generic, multidb")
    expect((error as CommandError).code).toBe('UNKNOWN_TEMPLATE')
  })
})

describe('readRevisionTemplate', () => {
  it("prefers the migrations folder's copy and falls back to templates/generic", async () => {
    const generic = await readFile(join(templatesRoot(), 'generic/script.ts.tmpl'), 'utf8')
    expect(await readRevisionTemplate({ migrationsDir: join(dir, 'none') })).toBe(generic)
    await mkdir(join(dir, 'm'))
    await writeFile(join(dir, 'm/script.ts.tmpl'), 'mine')
    expect(await readRevisionTemplate({ migrationsDir: join(dir, 'm') })).toBe('mine')
  })
})
