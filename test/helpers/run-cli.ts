import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const bin = join(repoRoot, 'bin', 'tsdb.js')
/** What bin/tsdb.js runs, and the worker that runs it in a thread. */
const cliEntry = pathToFileURL(join(repoRoot, 'dist', 'bundle', 'main.js')).href
const workerScript = new URL('./cli-worker.mjs', import.meta.url)

export interface CliResult {
  readonly stdout: string
  readonly stderr: string
  readonly code: number
}

export interface RunTsdbOptions {
  readonly cwd: string
  readonly env?: Record<string, string | undefined>
  /** Runs the CLI as this user (a spawned process; needs root). */
  readonly user?: { uid: number; gid: number } | null
  /**
   * Spawns `node bin/tsdb.js` instead of running the CLI in a worker thread: for what only a
   * process has (signals, several runs at once that must not share a process, the process's
   * own exit). `user` implies it.
   */
  readonly spawn?: boolean
}

/**
 * Runs the real `tsdb` (the built package) as a user would, and captures everything. By default
 * in a worker thread of this process, which runs the same built code as `bin/tsdb.js` with its
 * own environment, stdout, stderr and exit code, for a fraction of a new process's CPU (above
 * all an embedded database's first open, whose compiled code the process keeps).
 */
export function runTsdb(args: readonly string[], options: RunTsdbOptions): Promise<CliResult> {
  const env = { ...process.env, NO_COLOR: '1', CI: 'true', DATABASE_URL: undefined, ...options.env }
  const spawn = options.spawn === true || options.user != null || process.env.TSDB_TEST_SPAWN === '1'
  return spawn ? spawnTsdb(args, { ...options, env }) : runInWorker(args, options.cwd, env)
}

function spawnTsdb(args: readonly string[], options: RunTsdbOptions): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: options.cwd,
        env: options.env,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.user != null && { uid: options.user.uid, gid: options.user.gid }),
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        done({ stdout, stderr, code })
      },
    )
  })
}

/** What cli-worker.mjs writes to stdout (with the exit code) and stderr after a run's output. */
const RUN_END = '\u0000tsdb-run-end'

interface CliWorker {
  readonly worker: Worker
  /** The environment it was started with: a worker serves runs of that environment only. */
  readonly envKey: string
  /** Set while a run is in progress. */
  run?: {
    stdout: string
    stderr: string
    readonly done: (result: CliResult) => void
  }
  exited: boolean
}

/**
 * Workers between runs, for the next run with the same environment. One test file's runs reuse
 * a few workers instead of starting a thread and loading the CLI's modules for each.
 */
const idleWorkers: CliWorker[] = []
const MAX_IDLE_WORKERS = 4

async function runInWorker(args: readonly string[], cwd: string, env: Record<string, string | undefined>): Promise<CliResult> {
  const definedEnv = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
  const envKey = JSON.stringify(Object.entries(definedEnv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  const index = idleWorkers.findIndex((idle) => idle.envKey === envKey)
  const cli = index === -1 ? startWorker(definedEnv, envKey) : idleWorkers.splice(index, 1)[0]!
  cli.worker.ref()
  const result = new Promise<CliResult>((done) => {
    cli.run = { stdout: '', stderr: '', done }
  })
  cli.worker.postMessage({ args: [...args], cwd, env: definedEnv })
  return result
}

function startWorker(env: Record<string, string>, envKey: string): CliWorker {
  const worker = new Worker(workerScript, {
    workerData: { entry: cliEntry },
    env,
    // The flags of a spawned `node`, not the test runner's.
    execArgv: [],
    stdout: true,
    stderr: true,
  })
  const cli: CliWorker = { worker, envKey, exited: false }
  let uncaught = ''
  // An exception the CLI does not catch ends the thread as it would end the process: its stack
  // on stderr, exit code 1.
  worker.on('error', (error) => {
    uncaught = `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
  })
  const streamsEnded = Promise.all([readInto(cli, worker.stdout, 'stdout'), readInto(cli, worker.stderr, 'stderr')])
  worker.once('exit', (code) => {
    cli.exited = true
    const index = idleWorkers.indexOf(cli)
    if (index !== -1) idleWorkers.splice(index, 1)
    void streamsEnded.then(() => {
      const run = cli.run
      cli.run = undefined
      run?.done({ stdout: run.stdout, stderr: run.stderr + uncaught, code })
    })
  })
  return cli
}

/** Collects a stream of the worker into its current run, and ends the run at cli-worker.mjs's mark. */
async function readInto(cli: CliWorker, stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): Promise<void> {
  stream.setEncoding('utf8')
  for await (const chunk of stream) {
    const run = cli.run
    if (run === undefined) throw new Error(`the CLI wrote to ${name} after its run ended: ${JSON.stringify(chunk)}`)
    run[name] += chunk as string
    finishIfEnded(cli)
  }
}

function finishIfEnded(cli: CliWorker): void {
  const run = cli.run
  if (run === undefined) return
  const stdoutEnd = new RegExp(`${RUN_END} (\\d+)\u0000$`).exec(run.stdout)
  if (stdoutEnd === null || !run.stderr.endsWith(`${RUN_END}\u0000`)) return
  cli.run = undefined
  run.done({
    stdout: run.stdout.slice(0, stdoutEnd.index),
    stderr: run.stderr.slice(0, -`${RUN_END}\u0000`.length),
    code: Number(stdoutEnd[1]),
  })
  if (cli.exited) return
  if (idleWorkers.length >= MAX_IDLE_WORKERS) void idleWorkers.shift()!.worker.terminate()
  // An idle worker does not keep the test process alive.
  cli.worker.unref()
  idleWorkers.push(cli)
}

/**
 * A throwaway project folder, as a user's app would be: `tsdb` and `kysely` resolve from its
 * node_modules (links to this checkout), so config and revision files import them normally.
 * Made in `folder` (empty) when given.
 */
export async function createProject(folder?: string): Promise<string> {
  const dir = folder ?? (await mkdtemp(join(tmpdir(), 'tsdb-project-')))
  await mkdir(join(dir, 'node_modules'), { recursive: true })
  await symlink(repoRoot, join(dir, 'node_modules', 'tsdb-migrate'), 'dir')
  await symlink(join(repoRoot, 'node_modules', 'kysely'), join(dir, 'node_modules', 'kysely'), 'dir')
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2))
  return dir
}

/** A hand-written revision file of DESIGN §4's shape (as valid as a generated one). */
export function revisionFileText(options: {
  id: string
  message: string
  down?: string | readonly string[] | null
  branchLabels?: string | readonly string[] | null
  dependsOn?: string | readonly string[] | null
  up: string
  down_?: string
  transactional?: boolean
}): string {
  const literal = (value: string | readonly string[] | null | undefined) =>
    value === undefined || value === null
      ? 'null'
      : typeof value === 'string'
        ? `'${value}'`
        : `[${value.map((item) => `'${item}'`).join(', ')}]`
  const parents = options.down === undefined || options.down === null ? [] : typeof options.down === 'string' ? [options.down] : options.down
  return `/**
 * ${options.message}
 *
 * Revision ID: ${options.id}
 * Revises: ${parents.join(', ')}
 * Create Date: 2026-11-21 18:24:31.081132
 */
import { sql, type Kysely } from 'kysely'

export const revision = '${options.id}'
export const downRevision = ${literal(options.down)}
export const branchLabels = ${literal(options.branchLabels)}
export const dependsOn = ${literal(options.dependsOn)}
${options.transactional === false ? 'export const transactional = false\n' : ''}
export async function up(db: Kysely<any>): Promise<void> {
  ${options.up}
}

export async function down(db: Kysely<any>): Promise<void> {
  ${options.down_ ?? ''}
}

void sql
`
}

/** `create table <name> (id serial primary key)` as a revision body, and its inverse. */
export const createTableBody = (table: string) => ({
  up: `await db.schema.createTable('${table}').addColumn('id', 'serial', (c) => c.primaryKey()).execute()`,
  down_: `await db.schema.dropTable('${table}').execute()`,
})
