/**
 * tsdb as a user gets it: `npm pack`, the tarball installed into a new project outside this
 * repository (its own package.json, its own Kysely, TypeScript and @types/node), then
 * docs/getting-started.md run word for word there with the real `npx tsdb`, on the embedded
 * database and on PostgreSQL, the typed query checked by the project's own `tsc`.
 *
 * One pack per run; one install per tested Kysely version (each is a peer version tsdb claims).
 * npm works from its cache where it can (`--prefer-offline`), so only packages not cached yet
 * come from the registry.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../helpers/databases.js'
import { repoRoot } from '../../helpers/run-cli.js'
import { compareOutput, parseDocBlocks, parseShellBlock } from '../docs/doc-blocks.js'

/** The Kysely versions tsdb's peer range is tested with: the dev version and the previous minor. */
const KYSELY_VERSIONS = ['0.29.9', '0.28.20'] as const
const devDependencies = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')).devDependencies as Record<string, string>
/** Installing and a whole walk-through on the embedded database take minutes on a busy machine. */
const SLOW = 600_000

interface Run {
  readonly output: string
  readonly code: number
}

/** The environment of a shell in a fresh terminal: none of the npm variables `npm run`/`npx` set for this test. */
function userEnvironment(extra: Record<string, string | undefined>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE_OPTIONS' && !key.startsWith('TSDB_') && !key.startsWith('VITEST')) env[key] = value
  }
  return { ...env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, NO_COLOR: '1', CI: 'true', DATABASE_URL: undefined, ...extra }
}

function sh(command: string, cwd: string, env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((done, fail) => {
    let output = ''
    const child = spawn('bash', ['-c', `${command} 2>&1`], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.on('error', fail)
    child.on('close', (status, signal) => done({ output, code: status ?? (signal === null ? 1 : 128) }))
  })
}

async function mustRun(command: string, cwd: string, env: Record<string, string | undefined>): Promise<string> {
  const result = await sh(command, cwd, env)
  if (result.code !== 0) throw new Error(`\`${command}\` exited with ${result.code}:\n${result.output}`)
  return result.output
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2023',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    verbatimModuleSyntax: true,
    types: ['node'],
  },
  include: ['src/**/*.ts', 'migrations/**/*.ts', 'tsdb.config.ts'],
}

/**
 * Runs getting-started.md in `dir` as a reader would, with the real `npx tsdb`; returns what went
 * wrong. TypeScript blocks are written to their files; the project's own tsc checks them before
 * the app runs and at the end.
 */
async function walkThrough(dir: string, env: Record<string, string | undefined>, serverUrl?: string): Promise<string[]> {
  const { blocks } = parseDocBlocks(await readFile(join(repoRoot, 'docs', 'getting-started.md'), 'utf8'))
  const problems: string[] = []
  const typecheck = async (line: number) => {
    const result = await sh('npx tsc -p tsconfig.json', dir, env)
    if (result.code !== 0) problems.push(`line ${line}: the project's tsc rejects the page's TypeScript:\n${result.output}`)
  }
  let commands = 0
  for (const block of blocks) {
    if (block.annotations.has('skip') || block.annotations.has('covered-by')) continue
    const file = block.annotations.get('file')
    if (file !== undefined) {
      await mkdir(dirname(join(dir, file)), { recursive: true })
      await writeFile(join(dir, file), `${block.body}\n`)
      continue
    }
    if (block.lang !== 'sh') continue
    for (const { command, expected } of parseShellBlock(block.body)) {
      if (/\bjiti\b/.test(command)) await typecheck(block.line)
      const result = await sh(command, dir, env)
      commands++
      if (result.code !== 0) return [...problems, `line ${block.line}: \`${command}\` exited with ${result.code}:\n${result.output}`]
      const mismatch = compareOutput(expected, result.output, dir, serverUrl)
      if (mismatch !== '') problems.push(`line ${block.line}: \`${command}\`: ${mismatch}\nreal output:\n${result.output}`)
    }
  }
  await typecheck(blocks.at(-1)?.line ?? 0)
  // The page must have been run, not skipped: it has a dozen commands.
  if (commands < 10) problems.push(`only ${commands} commands ran`)
  return problems
}

let packDir: string
let tarball: string
let packFiles: string[]

beforeAll(async () => {
  packDir = await mkdtemp(join(tmpdir(), 'tsdb-pack-'))
  // --ignore-scripts: the tests run on the dist/ that `npm test` built; rebuilding it here would
  // pull it from under the test files running beside this one.
  const env = userEnvironment({})
  const output = await mustRun(`npm pack --ignore-scripts --silent --pack-destination '${packDir}'`, repoRoot, env)
  tarball = join(packDir, output.trim().split('\n').at(-1)!)
  packFiles = (await mustRun(`tar -tzf '${tarball}'`, packDir, env)).trim().split('\n').map((line) => line.replace(/^package\//, ''))
}, SLOW)

afterAll(() => (packDir === undefined ? undefined : rm(packDir, { recursive: true, force: true })))

describe('the package tarball', () => {
  it('holds the built code, its types, the templates, LICENSE and README, and nothing else', () => {
    expect(packFiles).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/tsdb.js', 'dist/index.js', 'dist/index.d.ts', 'templates/generic/config.ts.tmpl']))
    expect(packFiles.filter((file) => file.endsWith('.map'))).toEqual([])
    expect(packFiles.filter((file) => !/^(LICENSE|README\.md|package\.json|bin\/|dist\/|templates\/)/.test(file))).toEqual([])
  })

  it('is tsdb-migrate, with Kysely as a peer and no script that runs on a consumer\'s install', async () => {
    const manifest = JSON.parse(await mustRun(`tar -xzOf '${tarball}' package/package.json`, packDir, userEnvironment({})))
    expect(manifest.name).toBe('tsdb-migrate')
    expect(manifest.bin).toEqual({ tsdb: './bin/tsdb.js' })
    expect(manifest.dependencies.kysely).toBeUndefined()
    expect(manifest.peerDependencies.kysely).toBeDefined()
    for (const [name, range] of Object.entries(manifest.dependencies as Record<string, string>)) expect(range, name).toMatch(/^\^/)
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[hook], hook).toBeUndefined()
  })
})

describe.each(KYSELY_VERSIONS)('installed in a new project with kysely %s', (kysely) => {
  let root: string
  let project: string
  let installOutput: string
  let env: Record<string, string | undefined>

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsdb-install-'))
    project = join(root, 'microblog')
    await mkdir(project)
    // Outside the repository: nothing resolves from this checkout's node_modules.
    expect(relative(repoRoot, project).startsWith('..')).toBe(true)
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'microblog', private: true, type: 'module' }, null, 2)}\n`)
    await writeFile(join(project, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`)
    env = userEnvironment({})
    installOutput = await mustRun(
      [
        'npm install --prefer-offline --no-audit --no-fund --loglevel=warn',
        `'${tarball}' kysely@${kysely}`,
        `typescript@${devDependencies.typescript} @types/node@${devDependencies['@types/node']}`,
      ].join(' '),
      project,
      env,
    )
  }, SLOW)

  afterAll(() => (root === undefined ? undefined : rm(root, { recursive: true, force: true })))

  it('installs without engine warnings from tsdb or its dependencies, and with a single Kysely', async () => {
    // kysely 0.29 itself declares Node >= 22: on Node 20 the warning about it is the app's choice.
    const kyselyWarns = Number(process.versions.node.split('.')[0]) < 22 && kysely.startsWith('0.29.')
    // npm prints each engine warning as a block of lines, from `Unsupported engine {` to `}`.
    const engineWarnings = installOutput.match(/EBADENGINE Unsupported engine \{[^}]*\}/g) ?? []
    const others = kyselyWarns ? engineWarnings.filter((warning) => !/package: 'kysely@/.test(warning)) : engineWarnings
    expect(others, installOutput).toEqual([])
    // A consumer's install runs (or holds back) no script of tsdb's: npm lists those it did not run.
    expect(installOutput).not.toMatch(/^npm warn install-scripts\s+tsdb-migrate@/m)
    expect(installOutput).not.toMatch(/ERESOLVE|peer dep/i)
    expect(existsSync(join(project, 'node_modules', 'tsdb-migrate', 'node_modules', 'kysely'))).toBe(false)
    const installed = JSON.parse(await readFile(join(project, 'node_modules', 'kysely', 'package.json'), 'utf8'))
    expect(installed.version).toBe(kysely)
    // No build ran at install: the package has no sources to build from.
    expect(existsSync(join(project, 'node_modules', 'tsdb-migrate', 'src'))).toBe(false)
  })

  it('runs the getting-started walk-through on the embedded database', async () => {
    expect(await walkThrough(project, env)).toEqual([])
    expect(existsSync(join(project, '.tsdb', 'pglite'))).toBe(true)
  }, SLOW)

  it("lints a revision with PostgreSQL's parser, a dependency the package brings", async () => {
    const head = (await mustRun('npx tsdb db heads', project, env)).trim().split(' ')[0]
    const file = join(project, 'migrations', 'versions', 'feedfeedfeed_index_body.ts')
    await writeFile(
      file,
      [
        '/**', ' * index body', ' *', ' * Revision ID: feedfeedfeed', ` * Revises: ${head}`, ' * Create Date: 2026-12-01 10:00:00.000000', ' */',
        "import type { Kysely } from 'kysely'",
        "export const revision = 'feedfeedfeed'",
        `export const downRevision = '${head}'`,
        'export const branchLabels = null',
        'export const dependsOn = null',
        "export async function up(db: Kysely<any>): Promise<void> { await db.schema.createIndex('ix_post_body').on('post').column('body').execute() }",
        'export async function down(): Promise<void> {}',
      ].join('\n'),
    )
    try {
      const run = await sh('npx tsdb db lint feedfeedfeed', project, env)
      expect(run.code, run.output).toBe(1)
      expect(run.output).toContain('  error create-index-blocks-writes: create index "ix_post_body" on "post" ("body")')
    } finally {
      await rm(file)
    }
  }, SLOW)

  describe('on PostgreSQL', () => {
    let database: TestDatabase
    let serverProject: string

    beforeAll(async () => {
      database = await createTestDatabase()
      // A second project on the same install: the walk-through starts from an empty folder.
      serverProject = join(root, 'server', 'microblog')
      await mkdir(serverProject, { recursive: true })
      for (const name of ['package.json', 'tsconfig.json']) await writeFile(join(serverProject, name), await readFile(join(project, name)))
      await symlink(join(project, 'node_modules'), join(serverProject, 'node_modules'), 'dir')
    })
    afterAll(() => database?.drop())

    it('runs the getting-started walk-through through DATABASE_URL', async () => {
      expect(await walkThrough(serverProject, { ...env, DATABASE_URL: database.url }, database.url)).toEqual([])
      expect(existsSync(join(serverProject, '.tsdb'))).toBe(false)
    }, SLOW)
  })
})
