import type { Jiti } from 'jiti'

let jitiPromise: Promise<Jiti> | undefined

/**
 * Imports a TypeScript or JavaScript file of the user's (config, revision, schema) with jiti,
 * so no build step is needed. `kysely` (and `tsdb` when it can be loaded) are handed to the file
 * as the very module instances tsdb runs with: the import resolves even when the file lives
 * outside any node_modules, and a migration's `sql` is the same Kysely as the `db` it is given.
 */
export async function importModule(path: string): Promise<Record<string, unknown>> {
  jitiPromise ??= createModuleLoader()
  const jiti = await jitiPromise
  const loaded: unknown = await jiti.import(path)
  // An ES module namespace (or a CommonJS exports object) is always an object.
  return loaded as Record<string, unknown>
}

/** Imports a config-like file and returns its default export (or the module when it has none). */
export async function importDefault(path: string): Promise<unknown> {
  jitiPromise ??= createModuleLoader()
  const jiti = await jitiPromise
  return jiti.import(path, { default: true })
}

async function createModuleLoader(): Promise<Jiti> {
  const [{ createJiti }, kysely] = await Promise.all([import('jiti'), import('kysely')])
  const virtualModules: Record<string, unknown> = { kysely }
  const tsdb = await importOwnIndex()
  if (tsdb !== undefined) virtualModules['tsdb'] = tsdb
  return createJiti(import.meta.url, { interopDefault: true, virtualModules })
}

async function importOwnIndex(): Promise<unknown> {
  // The index re-exports modules that import this one; by the time a user file is loaded it is
  // fully evaluated, so the cycle is harmless. A variable specifier keeps this file compiling
  // while the index does not exist yet.
  const specifier = '../index.js'
  try {
    return await import(specifier)
  } catch {
    return undefined
  }
}
