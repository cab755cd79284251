import { spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { dirname, join, relative, resolve, isAbsolute } from 'node:path'
import type { ResolvedConfig } from '../config/config.js'
import { CommandError } from '../errors.js'
import { buildFileWriteError, isFileSystemError } from './file-write-error.js'
import { renderRevisionFile, type RevisionFileInput } from './render-revision-file.js'
import { slugify } from './slugify.js'
import { readRevisionTemplate } from './templates.js'
import { removeEmptyFolders, writeNewFile } from './write-new-file.js'

export { generateRevisionId } from './generate-revision-id.js'

export interface WriteRevisionFileInput extends RevisionFileInput {
  /** `--version-path`: a folder (relative to `cwd`) inside the versions folder. Default is the versions folder. */
  readonly versionPath?: string | undefined
}

/**
 * Renders and writes `<versions folder>/<rev>_<slug>.ts`, never over an existing file, then
 * runs the config's `postWrite` commands on it. Returns the file's path. An empty message
 * gives `<rev>_.ts`, as Alembic names it.
 */
export async function writeRevisionFile(config: ResolvedConfig, input: WriteRevisionFileInput): Promise<string> {
  const dir = input.versionPath === undefined ? config.versionsDir : resolve(config.cwd, input.versionPath)
  const inside = relative(config.versionsDir, dir)
  if (inside.startsWith('..') || isAbsolute(inside)) {
    // Revisions are only ever read from the versions folder: one written elsewhere would vanish.
    throw new CommandError(
      `--version-path ${input.versionPath} is outside the versions folder ${config.versionsDir}; revisions there would not be found`,
      { code: 'VERSION_PATH_OUTSIDE' },
    )
  }
  const text = renderRevisionFile(input, await readRevisionTemplate(config))
  const path = join(dir, `${input.id}_${slugify(input.message)}.ts`)
  let createdFolder: string | undefined
  let isFolderStep = true
  try {
    createdFolder = await mkdir(dir, { recursive: true })
    isFolderStep = false
    await writeNewFile(path, text)
  } catch (error) {
    if (createdFolder !== undefined) await removeEmptyFolders(dir, createdFolder)
    if (!isFolderStep && (error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CommandError(`${path} already exists; choose another --rev-id or message`, { code: 'REVISION_FILE_EXISTS' })
    }
    if (!isFileSystemError(error)) throw error
    throw await buildFileWriteError(error, {
      path: isFolderStep ? dir : path,
      cwd: config.cwd,
      isFolder: isFolderStep,
      folder: isFolderStep ? dirname(dir) : dir,
      alternative: 'choose another migrations folder with -d/--directory',
    })
  }
  for (const command of config.postWrite) await runPostWrite(command, path, config.cwd)
  return path
}

/**
 * Splits a command line into words like a POSIX shell would for plain words and quotes, but
 * runs it without a shell: a file name can never inject a command.
 */
export function parseCommandLine(command: string): readonly string[] {
  const words: string[] = []
  let word: string | null = null
  let quote: '"' | "'" | null = null
  for (let i = 0; i < command.length; i++) {
    const c = command[i] ?? ''
    if (quote !== null) {
      if (c === quote) quote = null
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i] ?? ''
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      word ??= ''
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word)
      word = null
    } else if (c === '\\' && i + 1 < command.length) {
      word = (word ?? '') + (command[++i] ?? '')
    } else {
      word = (word ?? '') + c
    }
  }
  if (quote !== null) throw new CommandError(`postWrite command has an unclosed ${quote}: ${command}`, { code: 'POST_WRITE_FAILED' })
  if (word !== null) words.push(word)
  return words
}

async function runPostWrite(command: string, file: string, cwd: string): Promise<void> {
  const [program, ...args] = parseCommandLine(command).map((word) => word.split('{file}').join(file))
  if (program === undefined) return
  const fail = (reason: string, cause?: unknown) =>
    new CommandError(`postWrite command \`${command}\` failed: ${reason} (the revision file was written: ${file})`, {
      code: 'POST_WRITE_FAILED',
      cause,
    })
  await new Promise<void>((done, reject) => {
    const child = spawn(program, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], shell: false })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', (error) => reject(fail(error.message, error)))
    child.on('close', (code, signal) => {
      if (code === 0) return done()
      const detail = stderr.trim().split('\n')[0]
      reject(fail(`${signal ?? `exit code ${code}`}${detail ? `: ${detail}` : ''}`))
    })
  })
}
