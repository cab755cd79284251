/**
 * Runs the fenced blocks of a Markdown page (README.md, docs/*.md) the way a reader would, in a
 * throwaway project, so that the docs cannot rot. One project per page; blocks run in order.
 *
 * - ```sh blocks: each line starting with `$ ` is a command (a trailing `\` continues it); the
 *   lines after it, up to the next command, are its output as shown. `tsdb` and `npx tsdb` run
 *   the built CLI (in a worker thread of this process: cli-server.ts). Every command must exit 0
 *   except the block's last one with `exit=N`. Each shown output line must appear in the real output (stdout and stderr together, in order);
 *   revision ids, dates and the project's path are normalized on both sides, `...` skips.
 *   A sh block without any `$ ` line runs each line as a command, output unchecked.
 * - ```ts blocks are type-checked (strict, against the built package's types, dist/index.d.ts, as
 *   an install gives; see typecheck.ts). With
 *   `file=<path>` the block is written there first (the schema, the app, the config, a
 *   revision file), so later commands use it; run one with `$ npx jiti <file>`.
 * - ```json blocks need `file=<path>` and are written there (a .tsdbrc.json, a package.json).
 * - Anything else needs `skip` (with a reason) or `covered-by=<test file>`.
 *
 * Annotations are an HTML comment on the line right before the fence:
 *   <!-- doctest: file=src/schema.ts -->   <!-- doctest: exit=1 -->   <!-- doctest: skip GitHub Actions YAML -->
 * `unordered` compares a block's output lines in any order, each without its leading graph glyphs
 * (`history --graph` draws sibling branches in the order of their random ids).
 * A page-wide `<!-- doctest-page: database=server -->` runs the page's commands with DATABASE_URL set
 * to a fresh PostgreSQL database (default: the embedded database of the project, as a newcomer has).
 * `<!-- doctest-setup` ... `-->` holds a hidden shell script run at that point (must exit 0, output unchecked).
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { startCliServer, type CliServer } from './cli-server.js'
import { typecheckProject } from './typecheck.js'

export interface DocBlock {
  readonly kind: 'fence' | 'setup'
  readonly lang: string
  readonly body: string
  /** 1-based line of the fence in the page. */
  readonly line: number
  readonly annotations: ReadonlyMap<string, string>
}

export interface ShellCommand {
  readonly command: string
  readonly expected: readonly string[]
}

export interface PageOptions {
  readonly repoRoot: string
  /** Where `database=server` pages connect. */
  readonly serverUrl?: () => Promise<{ url: string; drop(): Promise<void> }>
  /** Collects every command and its real output (for writing docs). */
  readonly onOutput?: (command: string, output: string, code: number, shown: { readonly line: number; readonly projectDir: string; readonly serverUrl: string | undefined } | null) => void
}

export interface PageProblem {
  readonly line: number
  readonly message: string
}

const SHELL_LANGS = new Set(['sh', 'shell', 'bash', 'console'])
const TS_LANGS = new Set(['ts', 'typescript'])

export function parseDocBlocks(markdown: string): { blocks: DocBlock[]; page: ReadonlyMap<string, string> } {
  const lines = markdown.split('\n')
  const blocks: DocBlock[] = []
  const page = new Map<string, string>()
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const pageMatch = /^<!-- doctest-page:(.*)-->\s*$/.exec(line)
    if (pageMatch) for (const [key, value] of parseAnnotations(pageMatch[1] ?? '')) page.set(key, value)
    if (line.trim() === '<!-- doctest-setup') {
      const body: string[] = []
      const start = i + 1
      while (++i < lines.length && (lines[i] ?? '').trim() !== '-->') body.push(lines[i] ?? '')
      blocks.push({ kind: 'setup', lang: 'sh', body: body.join('\n'), line: start, annotations: new Map() })
      continue
    }
    const fence = /^(\s*)(`{3,})(\S*)\s*$/.exec(line)
    if (!fence) continue
    const indent = fence[1] ?? ''
    const ticks = fence[2] ?? '```'
    const previous = lines[i - 1] ?? ''
    const note = /^\s*<!-- doctest:(.*)-->\s*$/.exec(previous)
    const body: string[] = []
    const start = i + 1
    while (++i < lines.length && (lines[i] ?? '').trim() !== ticks) body.push((lines[i] ?? '').slice(indent.length))
    blocks.push({ kind: 'fence', lang: (fence[3] ?? '').toLowerCase(), body: body.join('\n'), line: start, annotations: parseAnnotations(note?.[1] ?? '') })
  }
  return { blocks, page }
}

function parseAnnotations(text: string): Map<string, string> {
  const result = new Map<string, string>()
  const trimmed = text.trim()
  // `skip <reason>`: everything after skip is the reason.
  const skip = /^skip\b(.*)$/.exec(trimmed)
  if (skip) return new Map([['skip', (skip[1] ?? '').trim()]])
  for (const word of trimmed.split(/\s+/).filter((w) => w !== '')) {
    const eq = word.indexOf('=')
    if (eq < 0) result.set(word, '')
    else result.set(word.slice(0, eq), word.slice(eq + 1))
  }
  return result
}

export function parseShellBlock(body: string): ShellCommand[] {
  const lines = body.split('\n')
  if (!lines.some((line) => line.startsWith('$ '))) {
    return lines
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((command) => ({ command, expected: [] }))
  }
  const commands: { command: string; expected: string[] }[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.startsWith('$ ')) {
      let command = line.slice(2)
      while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)}\n${lines[++i] ?? ''}`
      commands.push({ command, expected: [] })
    } else if (commands.length > 0) {
      commands[commands.length - 1]?.expected.push(line)
    }
  }
  return commands
}

/**
 * The same text whatever the run: revision ids, dates, timings, the project's folder, and the
 * test server's redacted URL (shown in the docs as `postgres://app:***@localhost:5432/app`).
 */
function normalizeOutput(text: string, projectDir: string, serverUrl?: string): string {
  return normalizeEnvironment(text, projectDir, serverUrl)
    // An id is followed by `_` in file names, so \b would not end it.
    .replace(/(?<![0-9A-Za-z])[0-9a-f]{12}(?![0-9A-Za-z])/g, '<rev>')
    .replace(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?/g, '<date>')
    .replace(/\b\d+(\.\d+)? ?ms\b/g, '<ms>')
}

/** The project's folder as `~/microblog`, the test server's URL as `postgres://app:***@localhost:5432/app`. */
export function normalizeEnvironment(text: string, projectDir: string, serverUrl?: string): string {
  const result = text.replaceAll(projectDir, '~/microblog')
  if (serverUrl === undefined) return result
  const url = new URL(serverUrl)
  return result
    .replaceAll(`${url.protocol}//${url.username}:***@${url.host}${url.pathname}`, 'postgres://app:***@localhost:5432/app')
    .replaceAll(url.host, 'localhost:5432')
}

/** Missing expected lines, in order, as a message (empty when all are there). */
export function compareOutput(
  expected: readonly string[],
  actual: string,
  projectDir: string,
  serverUrl?: string,
  options: { readonly isUnordered?: boolean } = {},
): string {
  const want = expected
    .map((line) => normalizeOutput(line.trimEnd(), projectDir))
    .filter((line) => line.trim() !== '')
    // On a server there is no embedded database to create: the page's one line about it is not printed.
    .filter((line) => serverUrl === undefined || !line.startsWith('Creating the embedded database in '))
  const have = normalizeOutput(actual, projectDir, serverUrl).split('\n').map((line) => line.trimEnd())
  if (options.isUnordered === true) {
    // Which sibling branch takes the left column depends on the ids, so the graph's glyphs
    // (`* |`, `| *`) differ from run to run: lines are compared after them.
    const text = (line: string) => line.replace(/^[*|\\/ ]+/, '')
    const found = new Set(have.map(text))
    const missing = want.find((line) => line.trim() !== '...' && !found.has(text(line)))
    return missing === undefined ? '' : `expected output line not found: ${JSON.stringify(missing)}`
  }
  let at = 0
  for (const line of want) {
    if (line.trim() === '...') continue
    const found = have.findIndex((candidate, index) => index >= at && candidate === line)
    if (found < 0) return `expected output line not found (in order): ${JSON.stringify(line)}`
    at = found + 1
  }
  return ''
}

interface Project {
  readonly dir: string
  readonly env: Record<string, string | undefined>
  readonly cli: CliServer
}

async function createDocProject(repoRoot: string): Promise<Project> {
  const dir = join(await mkdtemp(join(tmpdir(), 'tsdb-docs-')), 'microblog')
  await mkdir(join(dir, 'src'), { recursive: true })
  await mkdir(join(dir, 'node_modules'), { recursive: true })
  await symlink(repoRoot, join(dir, 'node_modules', 'tsdb-migrate'), 'dir')
  // What the pages install: Kysely, and for docs/api.md's test setup vitest and PGlite.
  for (const dep of ['kysely', 'jiti', 'vitest', '@electric-sql/pglite']) {
    await mkdir(dirname(join(dir, 'node_modules', dep)), { recursive: true })
    await symlink(join(repoRoot, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir')
  }
  await mkdir(join(dir, 'node_modules', '.bin'))
  await symlink(join('..', 'jiti', 'lib', 'jiti-cli.mjs'), join(dir, 'node_modules', '.bin', 'jiti'))
  await symlink(join('..', 'vitest', 'vitest.mjs'), join(dir, 'node_modules', '.bin', 'vitest'))
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'microblog', private: true, type: 'module' }, null, 2)}\n`)
  // `tsdb` on PATH runs the built CLI of this checkout, as `npm install tsdb-migrate` would give.
  const binDir = join(dir, '..', 'bin')
  await mkdir(binDir)
  const cli = await startCliServer(repoRoot, join(dir, '..', 'tsdb.sock'))
  await writeFile(join(binDir, 'tsdb'), cli.script)
  await chmod(join(binDir, 'tsdb'), 0o755)
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          noEmit: true,
          verbatimModuleSyntax: true,
          types: ['node'],
          typeRoots: [join(repoRoot, 'node_modules', '@types')],
        },
        include: ['**/*.ts'],
        exclude: ['node_modules', '.tsdb'],
      },
      null,
      2,
    ),
  )
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${binDir}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    CI: 'true',
    DATABASE_URL: undefined,
    EDITOR: 'true',
  }
  return { dir, env, cli }
}

function runShell(command: string, project: Project): Promise<{ output: string; code: number }> {
  // `npx tsdb` is the same bin as `tsdb` (npx would also print npm's own notices).
  const text = command.replace(/(^|[\s;&|(])npx tsdb\b/g, '$1tsdb')
  return (async () => {
    const outputFile = join(project.dir, '..', 'output.txt')
    const handle = await open(outputFile, 'w')
    try {
      const code = await new Promise<number>((done, fail) => {
        const child = spawn('bash', ['-c', text], { cwd: project.dir, env: project.env, stdio: ['ignore', handle.fd, handle.fd] })
        child.on('error', fail)
        child.on('exit', (status, signal) => done(status ?? (signal === null ? 1 : 128)))
      })
      return { output: await readFile(outputFile, 'utf8'), code }
    } finally {
      await handle.close()
    }
  })()
}

/** Runs a page; returns what went wrong (empty when the page is right). */
export async function runDocPage(pagePath: string, options: PageOptions): Promise<PageProblem[]> {
  const { blocks, page } = parseDocBlocks(await readFile(pagePath, 'utf8'))
  const project = await createDocProject(options.repoRoot)
  const problems: PageProblem[] = []
  let server: { url: string; drop(): Promise<void> } | undefined
  const typecheck = (line: number) => {
    const errors = typecheckProject(project.dir)
    if (errors !== '') problems.push({ line, message: `the TypeScript blocks do not type-check:\n${errors}` })
  }
  const written = new Set<string>()
  let pendingTypecheck = false
  let snippet = 0
  try {
    if (page.get('database') === 'server') {
      if (!options.serverUrl) throw new Error(`${pagePath} needs a PostgreSQL server`)
      server = await options.serverUrl()
      project.env.DATABASE_URL = server.url
    }
    for (const block of blocks) {
      const at = `${pagePath}:${block.line}`
      const annotations = block.annotations
      if (annotations.has('skip')) {
        if (annotations.get('skip') === '') problems.push({ line: block.line, message: 'skip needs a reason' })
        continue
      }
      const coveredBy = annotations.get('covered-by')
      if (coveredBy !== undefined) {
        if (!existsSync(join(options.repoRoot, coveredBy))) problems.push({ line: block.line, message: `covered-by ${coveredBy}: no such file` })
        continue
      }
      const file = annotations.get('file')
      if (TS_LANGS.has(block.lang) || (block.lang === 'json' && file !== undefined)) {
        const target = file ?? join('snippets', `block-${++snippet}.ts`)
        // A file shown twice (the schema before and after a change): check the first version too.
        if (written.has(target) && pendingTypecheck) {
          typecheck(block.line)
          pendingTypecheck = false
        }
        await mkdir(dirname(join(project.dir, target)), { recursive: true })
        await writeFile(join(project.dir, target), `${block.body}\n`)
        written.add(target)
        if (TS_LANGS.has(block.lang) && annotations.get('typecheck') !== 'no') pendingTypecheck = true
        continue
      }
      if (SHELL_LANGS.has(block.lang)) {
        // Hidden setup runs as one script, so a heredoc can write a file.
        const commands = block.kind === 'setup' ? [{ command: block.body, expected: [] }] : parseShellBlock(block.body)
        const exit = Number(annotations.get('exit') ?? '0')
        for (const [index, { command, expected }] of commands.entries()) {
          if (pendingTypecheck && /\bjiti\b/.test(command)) {
            typecheck(block.line)
            pendingTypecheck = false
          }
          const result = await runShell(command, project)
          options.onOutput?.(command, result.output, result.code, block.kind === 'fence' ? { line: block.line, projectDir: project.dir, serverUrl: server?.url } : null)
          const wantCode = block.kind === 'fence' && index === commands.length - 1 ? exit : 0
          if ((wantCode === 0) !== (result.code === 0) || (wantCode !== 0 && result.code !== wantCode)) {
            problems.push({ line: block.line, message: `\`${command}\` exited with ${result.code}, expected ${wantCode}:\n${result.output}` })
            return problems
          }
          const mismatch = block.kind === 'fence' ? compareOutput(expected, result.output, project.dir, server?.url, { isUnordered: annotations.has('unordered') }) : ''
          if (mismatch !== '') problems.push({ line: block.line, message: `\`${command}\`: ${mismatch}\nreal output:\n${result.output}` })
        }
        continue
      }
      problems.push({ line: block.line, message: `${at}: a \`${block.lang || 'plain'}\` block needs <!-- doctest: skip <reason> --> or covered-by=<test>` })
    }
    if (pendingTypecheck) typecheck(blocks.at(-1)?.line ?? 0)
    return problems
  } finally {
    await project.cli.close()
    await server?.drop()
    await rm(dirname(project.dir), { recursive: true, force: true })
  }
}
