import { appendFile, constants, copyFile, mkdir, readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { CommandError } from '../errors.js'
import { buildFileWriteError, isFileSystemError } from './file-write-error.js'
import { removeEmptyFolders, writeNewFile } from './write-new-file.js'
export { listTemplates } from './templates.js'
import {
  CONFIG_TEMPLATE_NAME,
  listTemplates,
  TEMPLATE_DESCRIPTION_FILE,
  templatesRoot,
} from './templates.js'

export interface InitMigrationsOptions {
  readonly cwd: string
  /** The migrations folder, relative to `cwd`. */
  readonly directory: string
  /** A folder name under `templates/`. */
  readonly template: string
  /** Also writes `<directory>/package.json` `{"type": "module"}` (Flask-Migrate's `--package` writes `__init__.py`). */
  readonly package: boolean
}

export interface InitMigrationsResult {
  /** Absolute paths of the folders and files created, in creation order. */
  readonly created: readonly string[]
  /** The config file that already existed, so none was written; null when one was written. */
  readonly existingConfig: string | null
  /** The .gitignore that now lists the embedded database's folder; null when it already did. */
  readonly gitignore: string | null
}

const CONFIG_FILE_NAME = 'tsdb.config.ts'

/**
 * Flask-Migrate's template names (`flask db init -t flask`), as tsdb's: its asyncio variants are
 * the same for tsdb, whose revisions are async anyway.
 */
const FLASK_MIGRATE_TEMPLATES: Readonly<Record<string, string>> = {
  flask: 'generic',
  aioflask: 'generic',
  'flask-multidb': 'multidb',
  'aioflask-multidb': 'multidb',
}

/** Creates the migrations folder from a template and, when the project has none, a config file. */
export async function initMigrations(options: InitMigrationsOptions): Promise<InitMigrationsResult> {
  const template = FLASK_MIGRATE_TEMPLATES[options.template] ?? options.template
  const templates = await listTemplates()
  if (!templates.some((t) => t.name === template)) {
    throw new CommandError(
      `No such template '${options.template}'; available templates: ${templates.map((t) => t.name).join(', ')}`,
      { code: 'UNKNOWN_TEMPLATE' },
    )
  }
  const cwd = resolve(options.cwd)
  const migrationsDir = resolve(cwd, options.directory)
  const created: string[] = []
  // Everything made so far, undone if a later write fails: a half-made scaffold would make the
  // next `init` refuse the folder as not empty.
  const undo: { readonly path: string; readonly isFolder: boolean }[] = []
  let firstFolder: string | undefined
  const attempt = async <T>(path: string, isFolder: boolean, write: () => Promise<T>): Promise<T> => {
    try {
      return await write()
    } catch (error) {
      if (!isFileSystemError(error)) throw error
      // The config file always goes to the project folder; -d only moves the migrations folder.
      const alternative = path === configPathOf(cwd) ? {} : { alternative: 'choose another folder with -d/--directory' }
      throw await buildFileWriteError(error, { path, cwd, isFolder, folder: dirname(path), ...alternative })
    }
  }
  if (!(await attempt(migrationsDir, true, () => isEmptyOrMissingDirectory(migrationsDir)))) {
    throw new CommandError(
      `Directory ${options.directory} already exists and is not empty; init creates a new migrations folder, so ` +
        'choose another one (-d <folder>) or move the existing one away',
      { code: 'DIRECTORY_NOT_EMPTY' },
    )
  }

  try {
    const templateDir = join(templatesRoot(), template)
    firstFolder = await attempt(migrationsDir, true, () => mkdir(migrationsDir, { recursive: true }))
    created.push(migrationsDir)
    const versionsDir = join(migrationsDir, 'versions')
    await attempt(versionsDir, true, () => mkdir(versionsDir))
    undo.push({ path: versionsDir, isFolder: true })
    created.push(versionsDir)

    const entries = await readdir(templateDir, { withFileTypes: true })
    for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === TEMPLATE_DESCRIPTION_FILE || entry.name === CONFIG_TEMPLATE_NAME) continue
      const target = join(migrationsDir, entry.name)
      await attempt(target, false, () => copyNewFile(join(templateDir, entry.name), target))
      undo.push({ path: target, isFolder: false })
      created.push(target)
    }
    if (options.package) {
      // TypeScript needs no __init__ files; a package.json marks the folder as a package and makes
      // any .js revision an ES module whatever the project's own "type" is.
      const target = join(migrationsDir, 'package.json')
      await attempt(target, false, () => writeNewFile(target, `${JSON.stringify({ type: 'module' }, null, 2)}\n`))
      undo.push({ path: target, isFolder: false })
      created.push(target)
    }

    const { findConfig } = await import('../config/load-config.js')
    const existing = await findConfig(cwd).catch(() => null)
    let existingConfig: string | null = null
    if (existing !== null) {
      existingConfig = existing.path
    } else {
      const configPath = configPathOf(cwd)
      const configTemplate = await readFile(join(templateDir, CONFIG_TEMPLATE_NAME), 'utf8')
      await attempt(configPath, false, () =>
        writeNewFile(configPath, renderConfigTemplate(configTemplate, configDirectoryText(cwd, migrationsDir))),
      )
      created.push(configPath)
    }
    const gitignorePath = join(cwd, '.gitignore')
    const gitignore = (await attempt(gitignorePath, false, () => ignoreEmbeddedDatabase(gitignorePath))) ? gitignorePath : null
    return { created, existingConfig, gitignore }
  } catch (error) {
    for (const made of undo.toReversed()) await (made.isFolder ? rmdir(made.path) : unlink(made.path)).catch(() => undefined)
    if (firstFolder !== undefined) await removeEmptyFolders(migrationsDir, firstFolder)
    throw error
  }
}

const configPathOf = (cwd: string) => join(cwd, CONFIG_FILE_NAME)

/** The folder of the embedded database (DEFAULT_PGLITE_DIR), its lock file and caches: never committed. */
const EMBEDDED_DATABASE_IGNORE = '.tsdb/'

/**
 * Adds `.tsdb/` to the project's .gitignore (creating it), unless a line already ignores that
 * folder. Returns whether it wrote.
 */
async function ignoreEmbeddedDatabase(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw error
  })
  const lines = text.split(/\r?\n/).map((line) => line.trim())
  if (lines.some((line) => /^\/?\.tsdb\/?(\*\*?)?$/.test(line))) return false
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  await appendFile(path, `${separator}${EMBEDDED_DATABASE_IGNORE}\n`)
  return true
}

/** Copies to a file that must not exist yet; a copy that fails part-way (a full disk) is removed. */
async function copyNewFile(source: string, target: string): Promise<void> {
  try {
    await copyFile(source, target, constants.COPYFILE_EXCL)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(target).catch(() => undefined)
    throw error
  }
}

/** The config template with the migrations folder filled in (a single-quoted string's content). */
function renderConfigTemplate(templateText: string, migrationsDir: string): string {
  return templateText.replace(/\{\{\s*migrationsDir\s*\}\}/g, migrationsDir.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))
}

function configDirectoryText(cwd: string, migrationsDir: string): string {
  const relativePath = relative(cwd, migrationsDir)
  return relativePath === '' || relativePath.startsWith('..') || isAbsolute(relativePath) ? migrationsDir : relativePath.split('\\').join('/')
}

async function isEmptyOrMissingDirectory(path: string): Promise<boolean> {
  try {
    const info = await stat(path)
    if (!info.isDirectory()) return false
    return (await readdir(path)).length === 0
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw error
  }
}
