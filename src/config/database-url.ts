import { isAbsolute, resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import type { DatabaseUrl } from './config.js'

export const PGLITE_MEMORY_URL = 'pglite:memory'

const ACCEPTED_FORMS =
  'postgres://user:password@host:5432/database, postgresql://…, pglite:<folder> or pglite:memory'

/**
 * Reads a database URL. A `pglite:` folder is made absolute against `cwd`, so the same
 * URL means the same database whichever command reads it.
 */
export function parseDatabaseUrl(text: string, cwd: string): DatabaseUrl {
  const trimmed = text.trim()
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    if (!URL.canParse(trimmed)) {
      throw new ConfigError(`invalid database URL '${redactUrl(trimmed)}' (expected ${ACCEPTED_FORMS})`, undefined, {
        code: 'INVALID_URL',
      })
    }
    return { kind: 'postgres', url: trimmed, redacted: redactUrl(trimmed) }
  }
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
  throw new ConfigError(`unsupported database URL '${redactUrl(trimmed)}' (expected ${ACCEPTED_FORMS})`, undefined, {
    code: 'INVALID_URL',
  })
}

/** The URL with its password (in the user info or a `password=` parameter) replaced by `***`. */
export function redactUrl(text: string): string {
  const schemeEnd = text.indexOf('://')
  if (schemeEnd < 0) return text
  const authorityStart = schemeEnd + 3
  const rest = text.slice(authorityStart)
  // The authority ends at the first of / ? #; inside it the LAST @ ends the user info, as
  // WHATWG URL (and so pg) reads `postgres://u:p@ss@host/db`.
  const authorityLength = rest.search(/[/?#]/) < 0 ? rest.length : rest.search(/[/?#]/)
  const authority = rest.slice(0, authorityLength)
  const at = authority.lastIndexOf('@')
  let redactedAuthority = authority
  if (at >= 0) {
    const userInfo = authority.slice(0, at)
    const colon = userInfo.indexOf(':')
    if (colon >= 0) redactedAuthority = `${userInfo.slice(0, colon)}:***${authority.slice(at)}`
  }
  const tail = rest.slice(authorityLength).replace(/([?&][^=&#]*password=)[^&#]*/gi, '$1***')
  return text.slice(0, authorityStart) + redactedAuthority + tail
}
