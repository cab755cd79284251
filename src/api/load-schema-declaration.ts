import { access } from 'node:fs/promises'
import type { ResolvedConfig } from '../config/config.js'
import { ConfigError, TsdbError } from '../errors.js'
import type { SchemaDeclaration } from '../schema/define-schema.js'
import { describeLoadError, importFreshModule } from '../loader/import-module.js'

/**
 * Loads the module named by the config's `schema` and returns its declaration: the export
 * named `schema`, else the default export.
 */
export async function loadSchemaDeclaration(config: ResolvedConfig): Promise<SchemaDeclaration> {
  const path = config.schemaPath
  try {
    await access(path)
  } catch {
    throw new ConfigError(
      `No schema declaration at ${path}: create it (export const schema = defineSchema({ ... })) or set \`schema\` in the config`,
      path,
      { code: 'SCHEMA_MISSING' },
    )
  }
  let module: Record<string, unknown>
  try {
    module = await importFreshModule(path)
  } catch (error) {
    if (error instanceof TsdbError) throw error
    throw new ConfigError(`Could not load the schema declaration ${path}: ${describeLoadError(error)}; fix the file`, path, {
      cause: error,
      code: 'SCHEMA_LOAD_FAILED',
    })
  }
  // jiti's interop answers `.default` even without a default export (with the module itself).
  const declaration = module.schema ?? (Object.keys(module).includes('default') ? module.default : undefined)
  if (declaration === undefined) {
    throw new ConfigError(
      `${path} exports no schema: add \`export const schema = defineSchema({ ... })\` (or a default export)`,
      path,
      { code: 'SCHEMA_EXPORT_MISSING' },
    )
  }
  if (!isSchemaDeclaration(declaration)) {
    throw new ConfigError(
      `${path}: the exported schema is not a schema declaration; build it with defineSchema({ ... }) from 'tsdb-migrate'`,
      path,
      { code: 'SCHEMA_EXPORT_INVALID' },
    )
  }
  return declaration
}

function isSchemaDeclaration(value: unknown): value is SchemaDeclaration {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'schema' &&
    typeof (value as { tables?: unknown }).tables === 'object'
  )
}
