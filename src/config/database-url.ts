import { isAbsolute, resolve } from 'node:path'
import { assertNever, ConfigError } from '../errors.js'
import { parseConnectionString, PERCENT_ENCODING_HINT } from './connection-string.js'
import type { DatabaseUrl } from './config.js'

const PGLITE_MEMORY_URL = 'pglite:memory'

const ACCEPTED_FORMS =
  'postgres://user:password@host:5432/database, postgresql://…, pglite:<folder> or pglite:memory'

/**
 * Reads a database URL. A `pglite:` folder is made absolute against `cwd`, so the same
 * URL means the same database whichever command reads it. An error never quotes more of the
 * URL than `parseConnectionString` says is safe to show.
 */
export function parseDatabaseUrl(text: string, cwd: string): DatabaseUrl {
  const trimmed = text.trim()
  if (/^pglite:/i.test(trimmed)) {
    const folder = trimmed.slice('pglite:'.length)
    if (folder.toLowerCase() === 'memory') return { kind: 'pglite', dataDir: null, redacted: PGLITE_MEMORY_URL }
    if (folder === '') {
      throw new ConfigError(`invalid database URL 'pglite:': name a folder (pglite:<folder>) or use pglite:memory`, undefined, {
        code: 'INVALID_URL',
      })
    }
    const dataDir = isAbsolute(folder) ? resolve(folder) : resolve(cwd, folder)
    return { kind: 'pglite', dataDir, redacted: `pglite:${dataDir}` }
  }
  const parsed = parseConnectionString(trimmed)
  switch (parsed.kind) {
    case 'url':
      if (/^postgres(ql)?$/i.test(parsed.scheme)) return { kind: 'postgres', url: trimmed, redacted: parsed.redacted }
      throw invalidUrl(`unsupported database URL '${parsed.redacted}' (expected ${ACCEPTED_FORMS})`)
    case 'unreadableUrl':
      if (/^postgres(ql)?$/i.test(parsed.scheme)) {
        throw invalidUrl(`invalid database URL '${parsed.shown}': it does not parse; ${PERCENT_ENCODING_HINT}`)
      }
      throw invalidUrl(`unsupported database URL '${parsed.shown}' (expected ${ACCEPTED_FORMS})`)
    case 'keyValue':
      throw invalidUrl(`unsupported database URL: a key=value connection string; write it as a URL (${ACCEPTED_FORMS})`)
    case 'other':
      throw invalidUrl(`unsupported database URL: it is not a URL (expected ${ACCEPTED_FORMS})`)
    default:
      return assertNever(parsed)
  }
}

function invalidUrl(message: string): ConfigError {
  return new ConfigError(message, undefined, { code: 'INVALID_URL' })
}
