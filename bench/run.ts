// `npm run bench`: tsdb side by side with Flask-Migrate (Debian's, on Alembic) and kysely-ctl,
// in one run, on one machine and one local PostgreSQL, through each tool's real CLI.
//
// Cases (N as parameters): cold start (`--help`); `history` and `heads` with 10, 200, 2000
// linear revisions; `upgrade` base -> head and `downgrade base` of 200 and 2000 one-table
// revisions, with the same SQL through `psql` in one transaction as the floor; `migrate` for
// declarations of 50, 200, 1000 tables against an empty and a matching database; tsdb's
// `upgrade` on PGlite; the embedded database's first start (PGlite opening a folder, a new
// project's first command, a later one; CPU time); `lint` over 2000 revisions (tsdb only: no other tool has one). Each case runs the tools interleaved (warm-up, then several rounds),
// reporting min and median wall time and max RSS; results go to bench/results.md (+ .json).
//
// Environment: TSDB_BENCH_QUICK=1 (small N, one run, no warm-up, no PGlite: a smoke test of a
// minute or two on a quiet machine), TSDB_BENCH_RUNS (runs per case, default 5),
// TSDB_BENCH_BIG_RUNS (upgrade at N >= 2000 and migrate at N >= 1000, default 5: fewer rounds
// decide little on a noisy machine, where one round of the same build measured 0.48 of
// Flask-Migrate and another 0.66),
// TSDB_BENCH_HISTORY_N / _UPGRADE_N / _MIGRATE_N (comma-separated N lists),
// TSDB_BENCH_LINT_N, TSDB_BENCH_ONLY=cold,history,upgrade,migrate,pglite,firststart,lint (a subset;
// firststart alone needs neither PostgreSQL nor the other tools), TSDB_BENCH_CPU_PROF=1
// (tsdb runs under --cpu-prof, profiles in bench/work/profiles).
import { readdirSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs'
import { cpus, totalmem, release } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import { findPsql, startPostgresServer, type PostgresServer } from '../test/helpers/postgres-server.js'
import { declarationFixture, linearFixture, revisionId, tsdbLinearProject, type LinearFixture, type Paths } from './lib/fixtures.js'
import { rotate, runCommand, sample, summarize, type Command, type Sample, type Stats } from './lib/measure.js'
import { ensureFlaskMigrate, ensureKyselyCtl, PYTHON, versions } from './lib/setup.js'
import { renderReport, type FirstStart, type Row, type Tool, type QueryCount } from './lib/report.js'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const repoRoot = join(benchDir, '..')
const tsdbBin = join(repoRoot, 'bin', 'tsdb.js')
const kyselyCtlDir = join(benchDir, 'tools', 'kysely-ctl')
const QUICK = process.env.TSDB_BENCH_QUICK === '1'
const RUNS = Number(process.env.TSDB_BENCH_RUNS ?? (QUICK ? 1 : 5))
const BIG_RUNS = Number(process.env.TSDB_BENCH_BIG_RUNS ?? process.env.TSDB_BENCH_RUNS ?? (QUICK ? 1 : 5))
const WARMUP = QUICK ? 0 : 1
const ONLY = new Set((process.env.TSDB_BENCH_ONLY ?? (QUICK ? 'cold,history,upgrade,migrate,lint' : 'cold,history,upgrade,migrate,pglite,firststart,lint')).split(','))
const CPU_PROF = process.env.TSDB_BENCH_CPU_PROF === '1'
const listOf = (name: string, fallback: number[]) => process.env[name]?.split(',').map(Number) ?? fallback
const HISTORY_N = listOf('TSDB_BENCH_HISTORY_N', QUICK ? [10, 50] : [10, 200, 2000])
const UPGRADE_N = listOf('TSDB_BENCH_UPGRADE_N', QUICK ? [20] : [200, 2000])
const MIGRATE_N = listOf('TSDB_BENCH_MIGRATE_N', QUICK ? [10] : [50, 200, 1000])
const LINT_N = listOf('TSDB_BENCH_LINT_N', QUICK ? [50] : [2000])

const linearFixtures = new Map<number, Promise<LinearFixture>>()
/** One fixture per N for the whole run, so the caches the warm-up filled (jiti's, Python's .pyc) stay valid. */
const linear = (n: number) => {
  if (!linearFixtures.has(n)) linearFixtures.set(n, linearFixture(paths, n))
  return linearFixtures.get(n)!
}

const paths: Paths = {
  repoRoot,
  work: join(benchDir, 'work'),
  kyselyCtlModules: join(kyselyCtlDir, 'node_modules'),
  python: PYTHON,
}

let kyselyCtlBin = ''
const profileDir = join(paths.work, 'profiles')
const tsdb = (cwd: string, args: readonly string[], env: Record<string, string> = {}): Command => ({
  file: process.execPath,
  args: [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), tsdbBin, ...args],
  cwd,
  env,
})
const flask = (cwd: string, args: readonly string[], env: Record<string, string> = {}): Command => ({
  file: PYTHON,
  args: ['-m', 'flask', ...args],
  cwd,
  env: { FLASK_APP: 'app', ...env },
})
const kyselyCtl = (cwd: string, args: readonly string[], env: Record<string, string> = {}): Command => ({
  file: process.execPath,
  args: [kyselyCtlBin, ...args, '--no-outdated-check'],
  cwd,
  env,
})

/** One tool's part of a case: untimed preparation, the timed command, an untimed check. */
interface Runner {
  readonly before?: () => Promise<void>
  readonly command: () => Command
  readonly after?: () => Promise<void>
}

const rows: Row[] = []

function log(row: Row) {
  const cells = Object.entries(row.results).map(
    ([tool, stats]) => `${tool} ${(stats.medianMs / 1000).toFixed(3)}s/${stats.rssMb.toFixed(0)}MB`,
  )
  console.log(`${`${row.caseName}${row.n === null ? '' : ` N=${row.n}`}`.padEnd(36)} ${cells.join('  ')}`)
}

/** Runs the tools interleaved, round by round, so that the machine's drift hits them alike. */
async function measureCase(
  caseName: string,
  n: number | null,
  runners: Partial<Record<Tool, Runner>>,
  options: { runs?: number; warmup?: number; na?: Tool[] } = {},
): Promise<void> {
  const runs = options.runs ?? RUNS
  const warmup = options.warmup ?? WARMUP
  const samples = new Map<Tool, Sample[]>()
  // A tool that fails (Flask-Migrate's autogenerate can exceed Python's recursion limit on a long
  // foreign-key chain) is reported as failed for the case; the others go on.
  const failed: Partial<Record<Tool, string>> = {}
  for (let round = 0; round < warmup + runs; round++) {
    for (const [tool, runner] of rotate(Object.entries(runners) as [Tool, Runner][], round)) {
      if (failed[tool] !== undefined) continue
      try {
        await runner.before?.()
        const result = await sample(runner.command())
        await runner.after?.()
        if (round >= warmup) samples.set(tool, [...(samples.get(tool) ?? []), result])
      } catch (error) {
        const lines = (error instanceof Error ? error.message : String(error)).split('\n')
        failed[tool] = lines.findLast((line) => /error/i.test(line))?.trim() ?? lines[0] ?? 'failed'
        samples.delete(tool)
        console.log(`${caseName} N=${n}: ${tool} failed: ${failed[tool]}`)
      }
    }
  }
  const results: Partial<Record<Tool, Stats>> = {}
  for (const [tool, list] of samples) results[tool] = summarize(list)
  const row: Row = { caseName, n, results, na: options.na ?? [], failed }
  rows.push(row)
  log(row)
}

class Databases {
  private readonly admin: pg.Client
  constructor(private readonly server: PostgresServer) {
    this.admin = new pg.Client({ connectionString: server.url })
    // Stopping the server on Ctrl-C ends this session from the server side: not an error.
    this.admin.on('error', () => undefined)
  }
  async connect() {
    await this.admin.connect()
  }
  url(name: string, scheme = 'postgres:'): string {
    const url = new URL(this.server.url)
    url.pathname = `/${name}`
    return url.toString().replace(/^postgres:/, scheme)
  }
  async create(name: string): Promise<void> {
    const quoted = this.admin.escapeIdentifier(name)
    await this.admin.query(`drop database if exists ${quoted}`)
    await this.admin.query(`create database ${quoted}`)
  }
  async drop(name: string): Promise<void> {
    await this.admin.query(`drop database if exists ${this.admin.escapeIdentifier(name)}`)
  }
  async version(): Promise<string> {
    const { rows } = await this.admin.query<{ version: string }>('select version()')
    return rows[0]?.version.split(' on ')[0] ?? '?'
  }
  async close() {
    await this.admin.end()
  }
}

const versionFiles = (dir: string, ext: string): string[] =>
  readdirSync(join(dir, 'migrations', 'versions')).filter((file) => file.endsWith(ext))

/** Removes the revision files a timed `migrate` wrote, after checking that it wrote one (or none). */
function expectNewRevision(dir: string, ext: string, before: readonly string[], expected: number, label: string) {
  const created = versionFiles(dir, ext).filter((file) => !before.includes(file))
  if (created.length !== expected) throw new Error(`${label}: expected ${expected} new revision file(s), found ${created.length}`)
  for (const file of created) rmSync(join(dir, 'migrations', 'versions', file))
}

async function coldStart(fixtureDirs: { tsdb: string; flask: string; kysely: string }) {
  await measureCase('cold start (--help)', null, {
    tsdb: { command: () => tsdb(fixtureDirs.tsdb, ['db', '--help']) },
    flask: { command: () => flask(fixtureDirs.flask, ['db', '--help']) },
    'kysely-ctl': { command: () => kyselyCtl(fixtureDirs.kysely, ['--help']) },
  })
}

async function historyCases(dbs: Databases) {
  for (const n of HISTORY_N) {
    const fixture = await linear(n)
    if (n === HISTORY_N[0] && ONLY.has('cold')) await coldStart(fixture)
    if (!ONLY.has('history')) continue
    const listDb = `list_${n}`
    await dbs.create(listDb)
    await measureCase(
      'history',
      n,
      {
        tsdb: { command: () => tsdb(fixture.tsdb, ['db', 'history']) },
        flask: { command: () => flask(fixture.flask, ['db', 'history']) },
        // kysely-ctl has no history; `migrate:list` (every migration, with its state) is the nearest.
        'kysely-ctl': { command: () => kyselyCtl(fixture.kysely, ['migrate:list'], { DATABASE_URL: dbs.url(listDb) }) },
      },
    )
    await measureCase(
      'heads',
      n,
      {
        tsdb: { command: () => tsdb(fixture.tsdb, ['db', 'heads']) },
        flask: { command: () => flask(fixture.flask, ['db', 'heads']) },
      },
      { na: ['kysely-ctl'] },
    )
    await dbs.drop(listDb)
  }
}

/** bench/floor.mjs bundled with Kysely, as the tsdb command is bundled (see floor.mjs). */
async function bundleFloor(): Promise<string> {
  const outfile = join(paths.work, 'floor.bundle.mjs')
  const esbuild = await import('esbuild')
  await esbuild.build({
    entryPoints: [join(benchDir, 'floor.mjs')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['pg'],
    outfile,
    logLevel: 'warning',
  })
  return outfile
}

async function upgradeCases(dbs: Databases) {
  const psql = findPsql()
  if (psql === null) throw new Error('psql not found (apt-get install postgresql-client)')
  const floorScript = await bundleFloor()
  for (const n of UPGRADE_N) {
    const fixture = await linear(n)
    // The floor: tsdb's own offline SQL (the same DDL and version-table statements), one transaction.
    const upSql = join(paths.work, `linear-${n}`, 'upgrade.sql')
    const downSql = join(paths.work, `linear-${n}`, 'downgrade.sql')
    writeFileSync(upSql, (await runCommand(tsdb(fixture.tsdb, ['db', 'upgrade', '--sql']))).stdout)
    writeFileSync(downSql, (await runCommand(tsdb(fixture.tsdb, ['db', 'downgrade', `${revisionId(n - 1)}:base`, '--sql']))).stdout)
    // The Node floors (bench/floor.mjs): the same statements from a bare script, no files.
    const floor = (mode: 'node-pg' | 'kysely', direction: 'up' | 'down', db: string): Command => ({
      file: process.execPath,
      args: [floorScript, mode, direction, String(n), revisionId(n - 1)],
      cwd: repoRoot,
      env: { DATABASE_URL: dbs.url(db) },
    })
    const psqlFile = (file: string, db: string): Command => ({
      file: psql,
      // The script is one transaction already (BEGIN ... COMMIT), as the tools run it.
      args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file, '-d', dbs.url(db)],
      cwd: paths.work,
    })
    // Each tool has its own database, so that in a round the upgrades run back to back (then the
    // downgrades): the tools compared see the machine at nearly the same moment.
    const dbOf = (tool: Tool) => `upgrade_${n}_${tool.replace(/\W/g, '_')}`
    const tools: Record<Tool, { up: (db: string) => Command; down: (db: string) => Command }> = {
      tsdb: {
        up: (d) => tsdb(fixture.tsdb, ['db', 'upgrade'], { DATABASE_URL: dbs.url(d) }),
        down: (d) => tsdb(fixture.tsdb, ['db', 'downgrade', 'base'], { DATABASE_URL: dbs.url(d) }),
      },
      flask: {
        up: (d) => flask(fixture.flask, ['db', 'upgrade'], { DATABASE_URL: dbs.url(d, 'postgresql:') }),
        down: (d) => flask(fixture.flask, ['db', 'downgrade', 'base'], { DATABASE_URL: dbs.url(d, 'postgresql:') }),
      },
      'kysely-ctl': {
        up: (d) => kyselyCtl(fixture.kysely, ['migrate:latest'], { DATABASE_URL: dbs.url(d) }),
        down: (d) => kyselyCtl(fixture.kysely, ['migrate:rollback', '--all'], { DATABASE_URL: dbs.url(d) }),
      },
      psql: { up: (d) => psqlFile(upSql, d), down: (d) => psqlFile(downSql, d) },
      'node-pg': { up: (d) => floor('node-pg', 'up', d), down: (d) => floor('node-pg', 'down', d) },
      kysely: { up: (d) => floor('kysely', 'up', d), down: (d) => floor('kysely', 'down', d) },
    }
    const runs = n >= 2000 ? BIG_RUNS : RUNS
    // A warm-up round of N = 2000 costs minutes; the caches it would fill are filled offline instead:
    // tsdb's `upgrade --sql` above loaded every revision through jiti, `flask db upgrade --sql`
    // compiles the .pyc files, `kysely migrate:list` loads every migration through kysely-ctl's jiti.
    const warmup = n >= 2000 && !QUICK ? 0 : WARMUP
    if (warmup === 0) {
      const db = dbOf('kysely-ctl')
      await runCommand(flask(fixture.flask, ['db', 'upgrade', '--sql'], { DATABASE_URL: dbs.url(db, 'postgresql:') }))
      await dbs.create(db)
      await runCommand(kyselyCtl(fixture.kysely, ['migrate:list'], { DATABASE_URL: dbs.url(db) }))
      await dbs.drop(db)
    }
    const ups = new Map<Tool, Sample[]>()
    const downs = new Map<Tool, Sample[]>()
    for (let round = 0; round < warmup + runs; round++) {
      const order = rotate(Object.entries(tools) as [Tool, (typeof tools)[Tool]][], round)
      for (const [tool] of order) await dbs.create(dbOf(tool))
      const roundUps: [Tool, Sample][] = []
      for (const [tool, commands] of order) roundUps.push([tool, await sample(commands.up(dbOf(tool)))])
      for (const [tool] of order) await checkTables(dbs, dbOf(tool), n, `${tool} upgrade`)
      const roundDowns: [Tool, Sample][] = []
      for (const [tool, commands] of order) roundDowns.push([tool, await sample(commands.down(dbOf(tool)))])
      for (const [tool] of order) {
        await checkTables(dbs, dbOf(tool), 0, `${tool} downgrade`)
        await dbs.drop(dbOf(tool))
      }
      if (round < warmup) continue
      for (const [tool, up] of roundUps) ups.set(tool, [...(ups.get(tool) ?? []), up])
      for (const [tool, down] of roundDowns) downs.set(tool, [...(downs.get(tool) ?? []), down])
    }
    for (const [caseName, samples] of [['upgrade base->head', ups], ['downgrade base', downs]] as const) {
      const results: Partial<Record<Tool, Stats>> = {}
      for (const [tool, list] of samples) results[tool] = summarize(list)
      const row: Row = { caseName, n, results, na: [] }
      rows.push(row)
      log(row)
    }
    // The embedded database is far slower to start and to run DDL: the smallest N only.
    if (ONLY.has('pglite') && n === UPGRADE_N[0]) {
      const pgliteDir = join(paths.work, 'pglite')
      await measureCase(
        'upgrade base->head, tsdb on PGlite',
        n,
        {
          tsdb: {
            before: async () => rmSync(pgliteDir, { recursive: true, force: true }),
            command: () => tsdb(fixture.tsdb, ['db', 'upgrade'], { DATABASE_URL: `pglite:${pgliteDir}` }),
          },
        },
        { runs: 1, warmup: 0, na: ['flask', 'kysely-ctl'] },
      )
    }
  }
}

let firstStart: FirstStart | undefined

/**
 * The embedded database's first start, in CPU time (user + system of the process): (a) PGlite
 * alone opening an existing folder (bench/pglite-open.mjs), the reference; (b) a new project's
 * first `tsdb db upgrade` (10 revisions), which creates the database; (c) the same command again,
 * which finds it. One round runs the three back to back.
 */
async function firstStartCases() {
  const n = 10
  const project = await tsdbLinearProject(paths, n)
  const referenceDir = join(paths.work, 'pglite-reference')
  const newDir = join(paths.work, 'pglite-new')
  const upgrade = (dir: string) => tsdb(project, ['db', 'upgrade'], { DATABASE_URL: `pglite:${dir}` })
  rmSync(referenceDir, { recursive: true, force: true })
  await runCommand(upgrade(referenceDir))
  const reference: Command = { file: process.execPath, args: [join(benchDir, 'pglite-open.mjs'), referenceDir], cwd: repoRoot }
  const samples = { reference: [] as Sample[], first: [] as Sample[], later: [] as Sample[] }
  const creation = 'Creating the embedded database'
  for (let round = 0; round < WARMUP + RUNS; round++) {
    const a = await sample(reference)
    rmSync(newDir, { recursive: true, force: true })
    const b = await sample(upgrade(newDir))
    const c = await sample(upgrade(newDir))
    if (!b.stderr.includes(creation) || c.stderr.includes(creation)) throw new Error(`firststart: the creation line was not printed by the first command alone`)
    if (round < WARMUP) continue
    samples.reference.push(a)
    samples.first.push(b)
    samples.later.push(c)
  }
  firstStart = { n, reference: summarize(samples.reference), first: summarize(samples.first), later: summarize(samples.later) }
  const cpu = (stats: Stats) => `${(stats.medianCpuMs / 1000).toFixed(3)}s CPU/${stats.rssMb.toFixed(0)}MB`
  console.log(`${'embedded database first start'.padEnd(36)} open ${cpu(firstStart.reference)}  first ${cpu(firstStart.first)}  later ${cpu(firstStart.later)}`)
}

/** The number of `t_<i>` tables: each tool must have done the same work. */
async function checkTables(dbs: Databases, db: string, expected: number, label: string) {
  const client = new pg.Client({ connectionString: dbs.url(db) })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from pg_class c join pg_namespace s on s.oid = c.relnamespace
       where s.nspname = 'public' and c.relkind = 'r' and c.relname ~ '^t_[0-9]+$'`,
    )
    if (Number(rows[0]?.n) !== expected) throw new Error(`${label}: ${rows[0]?.n} tables instead of ${expected}`)
  } finally {
    await client.end()
  }
}

const queryCounts: QueryCount[] = []

async function migrateCases(dbs: Databases) {
  for (const n of MIGRATE_N) {
    const fixture = await declarationFixture(paths, n)
    const names = { tsdbEmpty: `mig_${n}_tsdb_empty`, tsdbMatching: `mig_${n}_tsdb_matching`, flaskEmpty: `mig_${n}_flask_empty`, flaskMatching: `mig_${n}_flask_matching` }
    for (const name of Object.values(names)) await dbs.create(name)
    const tsdbEnv = (db: string) => ({ DATABASE_URL: dbs.url(db) })
    const flaskEnv = (db: string) => ({ DATABASE_URL: dbs.url(db, 'postgresql:') })
    // The matching databases: each tool's own migrate + upgrade, untimed.
    await runCommand(tsdb(fixture.tsdbMatching, ['db', 'migrate', '-m', 'tables'], tsdbEnv(names.tsdbMatching)))
    await runCommand(tsdb(fixture.tsdbMatching, ['db', 'upgrade'], tsdbEnv(names.tsdbMatching)))
    await runCommand(flask(fixture.flaskMatching, ['db', 'migrate', '-m', 'tables'], flaskEnv(names.flaskMatching)))
    await runCommand(flask(fixture.flaskMatching, ['db', 'upgrade'], flaskEnv(names.flaskMatching)))

    const migrateRunner = (dir: string, ext: string, expected: number, command: () => Command): Runner => {
      let before: string[] = []
      return {
        before: async () => {
          before = versionFiles(dir, ext)
        },
        command,
        after: async () => expectNewRevision(dir, ext, before, expected, `migrate in ${dir}`),
      }
    }
    const runs = n >= 1000 ? BIG_RUNS : RUNS
    await measureCase(
      'migrate, empty database',
      n,
      {
        tsdb: migrateRunner(fixture.tsdbEmpty, '.ts', 1, () => tsdb(fixture.tsdbEmpty, ['db', 'migrate', '-m', 'tables'], tsdbEnv(names.tsdbEmpty))),
        flask: migrateRunner(fixture.flaskEmpty, '.py', 1, () => flask(fixture.flaskEmpty, ['db', 'migrate', '-m', 'tables'], flaskEnv(names.flaskEmpty))),
      },
      { runs, na: ['kysely-ctl'] },
    )
    await measureCase(
      'migrate, matching database',
      n,
      {
        tsdb: migrateRunner(fixture.tsdbMatching, '.ts', 0, () => tsdb(fixture.tsdbMatching, ['db', 'migrate', '-m', 'again'], tsdbEnv(names.tsdbMatching))),
        flask: migrateRunner(fixture.flaskMatching, '.py', 0, () => flask(fixture.flaskMatching, ['db', 'migrate', '-m', 'again'], flaskEnv(names.flaskMatching))),
      },
      { runs, na: ['kysely-ctl'] },
    )
    for (const [state, tsdbDir, tsdbDb, flaskDir, flaskDb] of [
      ['empty', fixture.tsdbEmpty, names.tsdbEmpty, fixture.flaskEmpty, names.flaskEmpty],
      ['matching', fixture.tsdbMatching, names.tsdbMatching, fixture.flaskMatching, names.flaskMatching],
    ] as const) {
      queryCounts.push({
        n,
        state,
        tsdb: await countTsdbQueries(tsdbDir, dbs.url(tsdbDb)),
        flask: await countFlaskQueries(flaskDir, flaskEnv(flaskDb)).catch(() => null),
      })
    }
    for (const name of Object.values(names)) await dbs.drop(name)
  }
}

/** `tsdb db lint` of every revision: each recorded, parsed by PostgreSQL's parser, analysed. */
async function lintCases() {
  for (const n of LINT_N) {
    const fixture = await linear(n)
    await measureCase('lint', n, { tsdb: { command: () => tsdb(fixture.tsdb, ['db', 'lint', '--no-table-sizes']) } }, {
      na: ['flask', 'kysely-ctl'],
      ...(n >= 2000 && { runs: BIG_RUNS }),
    })
  }
}

/** tsdb's autogenerate in-process, on a Kysely that counts what it sends. */
async function countTsdbQueries(dir: string, url: string): Promise<QueryCount['tsdb']> {
  const { autogenerate } = await import(join(repoRoot, 'dist', 'autogenerate', 'autogenerate.js'))
  const { declarationToModel } = await import(join(repoRoot, 'dist', 'schema', 'declaration-to-model.js'))
  const module = await import(join(dir, 'src', 'schema.ts'))
  let total = 0
  let catalog = 0
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
    log: (event) => {
      total++
      if (/pg_catalog|pg_class|pg_namespace|information_schema/i.test(event.query.sql)) catalog++
    },
  })
  try {
    const result = await autogenerate(db, declarationToModel(module.schema), { versionTable: 'alembic_version', versionTableSchema: null })
    return { reported: result.queryCount as number, catalog, total }
  } finally {
    await db.destroy()
  }
}

async function countFlaskQueries(dir: string, env: Record<string, string>): Promise<QueryCount['flask']> {
  const before = versionFiles(dir, '.py')
  const { stderr } = await runCommand(flask(dir, ['db', 'migrate', '-m', 'count'], { ...env, TSDB_BENCH_COUNT_QUERIES: '1' }))
  for (const file of versionFiles(dir, '.py').filter((f) => !before.includes(f))) rmSync(join(dir, 'migrations', 'versions', file))
  const match = /bench-queries total=(\d+) catalog=(\d+)/.exec(stderr)
  return { total: Number(match?.[1] ?? NaN), catalog: Number(match?.[2] ?? NaN) }
}

function machine(pgVersion: string | null): string {
  const osRelease = (() => {
    try {
      return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux'
    } catch {
      return 'Linux'
    }
  })()
  const cpu = cpus()
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${osRelease} (kernel ${release()}), ${pgVersion === null ? 'no PostgreSQL server' : `${pgVersion} (local cluster, fsync=off)`}`
}

function writeResults(pgVersion: string | null, started: number) {
  const report = renderReport({
    rows,
    queryCounts,
    firstStart,
    machine: machine(pgVersion),
    versions: versions(kyselyCtlDir),
    quick: QUICK,
    runs: RUNS,
    bigRuns: BIG_RUNS,
    warmup: WARMUP,
    minutes: (performance.now() - started) / 60000,
  })
  const suffix = QUICK ? '.quick' : ''
  writeFileSync(join(benchDir, `results${suffix}.md`), report)
  writeFileSync(join(benchDir, `results${suffix}.json`), JSON.stringify({ rows, queryCounts, firstStart }, null, 2))
  console.log(`\nwritten to bench/results${suffix}.md`)
}

async function main() {
  const started = performance.now()
  console.log(`tsdb side-by-side benchmark${QUICK ? ' (quick mode)' : ''}: ${RUNS} runs per case (${BIG_RUNS} for the largest), ${WARMUP} warm-up\n`)
  mkdirSync(paths.work, { recursive: true })
  if (CPU_PROF) mkdirSync(profileDir, { recursive: true })
  if (ONLY.has('firststart')) await firstStartCases()
  // The embedded database's cases need neither the other tools nor PostgreSQL.
  if ([...ONLY].every((name) => name === 'firststart')) return writeResults(null, started)
  await ensureFlaskMigrate()
  kyselyCtlBin = await ensureKyselyCtl(kyselyCtlDir)
  const server = await startPostgresServer()
  // Interrupted (Ctrl-C), the throwaway cluster must not outlive us.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.stop().finally(() => process.exit(130)))
  }
  const dbs = new Databases(server)
  try {
    await dbs.connect()
    const pgVersion = await dbs.version()
    if (ONLY.has('cold') || ONLY.has('history')) await historyCases(dbs)
    if (ONLY.has('upgrade')) await upgradeCases(dbs)
    if (ONLY.has('migrate')) await migrateCases(dbs)
    if (ONLY.has('lint')) await lintCases()
    writeResults(pgVersion, started)
  } finally {
    await dbs.close().catch(() => undefined)
    await server.stop()
  }
}

await main()
