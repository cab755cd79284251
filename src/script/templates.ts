import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ResolvedConfig } from '../config/config.js'

/** The revision template inside a migrations folder (copied there by `init`, editable). */
const SCRIPT_TEMPLATE_NAME = 'script.ts.tmpl'
/** The config a template writes into the project; not copied into the migrations folder. */
export const CONFIG_TEMPLATE_NAME = 'config.ts.tmpl'
export const TEMPLATE_DESCRIPTION_FILE = 'template.json'
const DEFAULT_TEMPLATE = 'generic'

/**
 * The package's `templates/` folder. This file sits in `src/script/` (tests) or `dist/script/`
 * (the built package); both are two levels below the package root.
 */
export function templatesRoot(): string {
  return fileURLToPath(new URL('../../templates/', import.meta.url))
}

export interface TemplateInfo {
  readonly name: string
  readonly description: string
}

/** The templates `init --template` accepts, sorted by name. */
export async function listTemplates(): Promise<readonly TemplateInfo[]> {
  const root = templatesRoot()
  const entries = await readdir(root, { withFileTypes: true })
  const templates = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map(async (entry): Promise<TemplateInfo | null> => {
        try {
          const info: unknown = JSON.parse(await readFile(join(root, entry.name, TEMPLATE_DESCRIPTION_FILE), 'utf8'))
          const description = (info as { description?: unknown } | null)?.description
          return { name: entry.name, description: typeof description === 'string' ? description : '' }
        } catch {
          // A folder without template.json is not a template.
          return null
        }
      }),
  )
  return templates.filter((t): t is TemplateInfo => t !== null).sort((a, b) => a.name.localeCompare(b.name))
}

/** The revision template: the migrations folder's own copy when present, else the generic one. */
export async function readRevisionTemplate(config: Pick<ResolvedConfig, 'migrationsDir'>): Promise<string> {
  try {
    return await readFile(join(config.migrationsDir, SCRIPT_TEMPLATE_NAME), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    return readFile(join(templatesRoot(), DEFAULT_TEMPLATE, SCRIPT_TEMPLATE_NAME), 'utf8')
  }
}
