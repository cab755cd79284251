import { readFileSync, statSync } from 'node:fs'
import { basename, extname, join } from 'node:path'

/**
 * cosmiconfig's search of one folder, without cosmiconfig, for the case it handles simply; the
 * CLI reads its config on every start, and loading cosmiconfig and the JSON parser its own
 * options search needs costs about 30 ms of that. Mirrors cosmiconfig 9's `Explorer.search`
 * with `searchStrategy: 'none'`: each search place is read in turn, a missing or empty one is
 * passed over, and the first code file (loaded with `loadCode`, as cosmiconfig's loader would)
 * or package.json "tsdb" key holding a value is the config. Where cosmiconfig does more (JSON
 * and YAML rc files, `$import`, a package.json JSON.parse rejects) the answer is
 * NEEDS_COSMICONFIG, and the caller asks cosmiconfig instead.
 */
export async function searchFolderQuickly(
  dir: string,
  options: {
    readonly moduleName: string
    readonly searchPlaces: readonly string[]
    readonly codeExtensions: readonly string[]
    readonly loadCode: (path: string) => Promise<unknown>
  },
): Promise<{ readonly filepath: string; readonly config: unknown } | null | typeof NEEDS_COSMICONFIG> {
  for (const place of options.searchPlaces) {
    const filepath = join(dir, place)
    const contents = readIfPresent(filepath)
    if (contents === NEEDS_COSMICONFIG) return NEEDS_COSMICONFIG
    // cosmiconfig skips a missing search place, and an empty one (ignoreEmptySearchPlaces).
    if (contents === null || contents.trim() === '') continue
    const extension = extname(filepath)
    let config: unknown
    if (basename(filepath, extension) === 'package') {
      const pkg = parseJsonObject(contents)
      if (pkg === NEEDS_COSMICONFIG) return NEEDS_COSMICONFIG
      config = pkg[options.moduleName]
    } else if (options.codeExtensions.includes(extension)) {
      try {
        config = await options.loadCode(filepath)
      } catch (error) {
        // As cosmiconfig: the error names the file, and one that reads as "no such file" (from
        // a file the config itself reads) passes the search place over.
        ;(error as { filepath?: string }).filepath = filepath
        if (SKIPPED_ERROR_CODES.has((error as { code?: unknown }).code)) continue
        throw error
      }
    } else {
      return NEEDS_COSMICONFIG
    }
    if (config === null || config === undefined) continue
    if (Object.prototype.hasOwnProperty.call(config, '$import')) return NEEDS_COSMICONFIG
    return { filepath, config }
  }
  return null
}

/**
 * Whether cosmiconfig may find its own options in `dir` (its "meta config": a "cosmiconfig" key
 * in package.json, or one of the files below), which can change where and how it searches.
 * It looks in the process's working folder; true also when that cannot be told cheaply.
 */
export function mayHaveCosmiconfigOptions(dir: string): boolean {
  const folder = folderState(dir)
  if (folder !== 'directory') return folder !== 'absent'
  const pkg = readIfPresent(join(dir, 'package.json'))
  if (pkg === NEEDS_COSMICONFIG) return true
  if (pkg !== null) {
    // An empty or unreadable package.json means something to cosmiconfig: let it say what.
    const parsed = pkg.trim() === '' ? NEEDS_COSMICONFIG : parseJsonObject(pkg)
    if (parsed === NEEDS_COSMICONFIG || (parsed.cosmiconfig !== undefined && parsed.cosmiconfig !== null)) return true
  }
  return COSMICONFIG_OPTION_FILES.some((place) => readIfPresent(join(dir, place)) !== null)
}

/** The answer when a folder needs cosmiconfig's full search. */
export const NEEDS_COSMICONFIG = Symbol('needs cosmiconfig')

/** cosmiconfig 9's meta search places after package.json (`metaSearchPlaces`). */
const COSMICONFIG_OPTION_FILES = [
  'package.yaml',
  '.config/config.json',
  '.config/config.yaml',
  '.config/config.yml',
  '.config/config.js',
  '.config/config.ts',
  '.config/config.cjs',
  '.config/config.mjs',
]

/** The errors with which cosmiconfig passes a search place over. */
const SKIPPED_ERROR_CODES = new Set<unknown>(['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES'])

/** cosmiconfig searches a folder only if it is one, and fails on any error but a missing path. */
function folderState(dir: string): 'directory' | 'absent' | 'unsure' {
  try {
    return statSync(dir).isDirectory() ? 'directory' : 'absent'
  } catch (error) {
    return (error as { code?: unknown }).code === 'ENOENT' ? 'absent' : 'unsure'
  }
}

function readIfPresent(path: string): string | null | typeof NEEDS_COSMICONFIG {
  try {
    return readFileSync(path, 'utf-8')
  } catch (error) {
    return SKIPPED_ERROR_CODES.has((error as { code?: unknown }).code) ? null : NEEDS_COSMICONFIG
  }
}

/** What JSON.parse gives (as cosmiconfig's parser does when it succeeds), if an object. */
function parseJsonObject(text: string): Record<string, unknown> | typeof NEEDS_COSMICONFIG {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : NEEDS_COSMICONFIG
  } catch {
    return NEEDS_COSMICONFIG
  }
}
